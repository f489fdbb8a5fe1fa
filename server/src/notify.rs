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
        sqlx::query_as::<_, OutboxEntry>(
            "SELECT id, channel, recipient, subject, body, created_at FROM outbox \
             WHERE ($1 = '' OR recipient = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(recipient.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await
    }
}

#[async_trait]
impl Notifier for Outbox {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO outbox (channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(message.channel.as_str())
        .bind(&message.to)
        .bind(&message.subject)
        .bind(&message.body)
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await?;
        tracing::info!(channel = message.channel.as_str(), subject = %message.subject, "message stored in the development outbox");
        Ok(())
    }
}
