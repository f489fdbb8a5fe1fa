//! Notifications: the port every message goes through, and the development outbox that
//! keeps every message in the database so that a newcomer and a test can read it.

use crate::clock::Clock;
use crate::db::Db;
use async_trait::async_trait;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Message {
    pub channel: Channel,
    /// An e-mail address or a `+7…` phone number.
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Files of an e-mail (a receipt's PDF); SMS carry none.
    pub attachments: Vec<Attachment>,
}

/// A file attached to an e-mail.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Message {
    /// A text message without attachments.
    pub fn text(
        channel: Channel,
        to: impl Into<String>,
        subject: impl Into<String>,
        body: impl Into<String>,
    ) -> Message {
        Message {
            channel,
            to: to.into(),
            subject: subject.into(),
            body: body.into(),
            attachments: Vec::new(),
        }
    }
}

/// A person's phone and confirmed e-mail (the only address notices and receipts go to).
pub async fn person_contact(
    db: &Db,
    person: i64,
) -> Result<Option<(String, Option<String>)>, shared::ApiError> {
    let row: Option<(String, Option<String>, i32)> =
        sqlx::query_as("SELECT phone, email, email_confirmed FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(&db.pool)
            .await
            .map_err(crate::error::db)?;
    Ok(row.map(|(phone, email, confirmed)| (phone, email.filter(|_| confirmed != 0))))
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn send(&self, message: &Message) -> anyhow::Result<()>;
}

/// A message as the outbox keeps it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxEntry {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    /// The attached files (filled by [`Outbox::list`]).
    #[sqlx(skip)]
    pub attachments: Vec<OutboxAttachment>,
}

/// An attached file as the outbox lists it; its content is at `/dev/outbox/files/<id>`.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxAttachment {
    pub id: i64,
    pub outbox_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// The notifier used when no SMTP server or SMS gateway is configured.
pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl Outbox {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// The newest messages first, optionally only those to one recipient.
    pub async fn list(
        &self,
        recipient: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OutboxEntry>, sqlx::Error> {
        let mut entries = sqlx::query_as::<_, OutboxEntry>(
            "SELECT id, channel, recipient, subject, body, created_at FROM outbox \
             WHERE ($1 = '' OR recipient = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(recipient.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        let Some(oldest) = entries.last().map(|e| e.id) else {
            return Ok(entries);
        };
        let files = sqlx::query_as::<_, OutboxAttachment>(
            "SELECT id, outbox_id, file_name, content_type, size FROM outbox_attachments \
             WHERE outbox_id >= $1 ORDER BY id",
        )
        .bind(oldest)
        .fetch_all(&self.db.pool)
        .await?;
        for file in files {
            if let Some(entry) = entries.iter_mut().find(|e| e.id == file.outbox_id) {
                entry.attachments.push(file);
            }
        }
        Ok(entries)
    }

    /// An attached file: its name, type and content.
    pub async fn attachment(
        &self,
        id: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT file_name, content_type, content FROM outbox_attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
    }
}

#[async_trait]
impl Notifier for Outbox {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(message.channel.as_str())
        .bind(&message.to)
        .bind(&message.subject)
        .bind(&message.body)
        .bind(self.clock.unix())
        .fetch_one(&mut *tx)
        .await?;
        for file in &message.attachments {
            sqlx::query(
                "INSERT INTO outbox_attachments (outbox_id, file_name, content_type, size, content) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&file.name)
            .bind(&file.content_type)
            .bind(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX))
            .bind(file.bytes.clone())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        tracing::info!(channel = message.channel.as_str(), subject = %message.subject, "message stored in the development outbox");
        Ok(())
    }
}
