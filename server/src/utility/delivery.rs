//! How notices and receipts reach a customer: the notification settings (U-PRF-5), every
//! notice sent along the channels the customer chose, the reminders of the reading window
//! and of debts, and the monthly e-receipt with its PDF (U-PRF-4).
//!
//! Each reminder and e-receipt is one row of `deliveries`, unique per kind, person, account
//! and month: a server instance claims the row before sending, so two instances never send
//! the same one twice, and a claim left by an instance that died is taken over later.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::db;
use crate::identity::IdentityService;
use crate::notify::{Attachment, Channel, Message, Notifier};
use crate::utility::billing::service::AccountsService;
use app::ports::ClientInfo;
use app::utility::ports::DeliveryPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::utility::billing::{Day, Period, ReadingWindow};
use shared::utility::delivery::{
    NoticeChannel, NoticeKind, NoticePrefs, ReceiptSetting, ReceiptSettings, Reminder,
    check_receipt_choice, overdue_period, reading_reminder, reminder_text,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// How long a claimed delivery is left to its instance before another may take it over.
const CLAIM_SECS: i64 = 300;
/// The reminders and e-receipts are looked for at most this often per instance.
const SCAN_EVERY_SECS: i64 = 60;

pub struct DeliveryService {
    db: Db,
    clock: Arc<dyn Clock>,
    identity: Arc<IdentityService>,
    accounts: Arc<AccountsService>,
    notifier: Arc<dyn Notifier>,
    public_url: String,
    last_scan: AtomicI64,
}

/// A linked account a reminder may be due for.
#[derive(sqlx::FromRow)]
struct Candidate {
    person_id: i64,
    account_id: i64,
    number: String,
}

/// A subscribed account whose newest charges have not gone out as an e-receipt.
#[derive(sqlx::FromRow)]
struct ReceiptDue {
    person_id: i64,
    account_id: i64,
    number: String,
    own_email: Option<String>,
    email: Option<String>,
    email_confirmed: i32,
    latest: i64,
    /// Set when the account was detached from the cabinet (the subscription stays).
    unlinked_at: Option<i64>,
}

impl DeliveryService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        identity: Arc<IdentityService>,
        accounts: Arc<AccountsService>,
        notifier: Arc<dyn Notifier>,
        public_url: &str,
    ) -> Self {
        Self {
            db,
            clock,
            identity,
            accounts,
            notifier,
            public_url: public_url.trim_end_matches('/').to_string(),
            last_scan: AtomicI64::new(i64::MIN),
        }
    }

    /// A person's choice; the defaults until they save one.
    pub async fn prefs_of(&self, person: i64) -> Result<NoticePrefs, ApiError> {
        let rows: Vec<(String, String, i32)> =
            sqlx::query_as("SELECT kind, channel, enabled FROM notice_prefs WHERE person_id = $1")
                .bind(person)
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        let consent: Option<i32> =
            sqlx::query_scalar("SELECT advertising_consent FROM people WHERE id = $1")
                .bind(person)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        let mut prefs = NoticePrefs {
            advertising_consent: consent.unwrap_or(0) != 0,
            ..NoticePrefs::default()
        };
        for (kind, channel, enabled) in rows {
            let (Some(kind), Some(channel)) = (
                NoticeKind::from_param(&kind),
                NoticeChannel::from_param(&channel),
            ) else {
                continue;
            };
            prefs.on.retain(|pair| *pair != (kind, channel));
            if enabled != 0 {
                prefs.on.push((kind, channel));
            }
        }
        Ok(prefs)
    }

    /// Sends a notice of `kind` along the channels the person keeps on: a notice in the
    /// cabinet, an e-mail to the confirmed address, an SMS. A failed send is logged; the
    /// others go on.
    pub async fn notify(
        &self,
        person: i64,
        kind: NoticeKind,
        title: &str,
        body: &str,
        link: &str,
    ) -> Result<(), ApiError> {
        let prefs = self.prefs_of(person).await?;
        if prefs.is_on(kind, NoticeChannel::Cabinet) {
            sqlx::query(
                "INSERT INTO notices (person_id, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(person)
            .bind(title)
            .bind(body)
            .bind(link)
            .bind(self.clock.unix())
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        }
        let Some((phone, email)) = crate::notify::person_contact(&self.db, person).await? else {
            return Ok(());
        };
        let mut messages = Vec::new();
        if let Some(email) = email.filter(|_| prefs.is_on(kind, NoticeChannel::Email)) {
            messages.push(Message::text(
                Channel::Email,
                email,
                title,
                format!("{body}\n\n{}{link}", self.public_url),
            ));
        }
        if prefs.is_on(kind, NoticeChannel::Sms) {
            messages.push(Message::text(
                Channel::Sms,
                phone,
                title,
                format!("{title}. {}{link}", self.public_url),
            ));
        }
        for message in messages {
            if let Err(e) = self.notifier.send(&message).await {
                tracing::warn!(error = %e, person, kind = kind.param(), "notice not delivered");
            }
        }
        Ok(())
    }

    /// Takes a reminder or an e-receipt for this instance; false when another instance has it
    /// or it was sent.
    async fn claim(
        &self,
        kind: &str,
        person: i64,
        account: i64,
        period: Period,
    ) -> Result<bool, ApiError> {
        let now = self.clock.unix();
        let inserted = sqlx::query(
            "INSERT INTO deliveries (kind, person_id, account_id, period, sent, claimed_until, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5, $6) \
             ON CONFLICT (kind, person_id, account_id, period) DO NOTHING",
        )
        .bind(kind)
        .bind(person)
        .bind(account)
        .bind(period.0)
        .bind(now + CLAIM_SECS)
        .bind(now)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        if inserted.rows_affected() == 1 {
            return Ok(true);
        }
        let taken_over = sqlx::query(
            "UPDATE deliveries SET claimed_until = $1 WHERE kind = $2 AND person_id = $3 \
             AND account_id = $4 AND period = $5 AND sent = 0 AND claimed_until < $6",
        )
        .bind(now + CLAIM_SECS)
        .bind(kind)
        .bind(person)
        .bind(account)
        .bind(period.0)
        .bind(now)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(taken_over.rows_affected() == 1)
    }

    async fn mark_sent(
        &self,
        kind: &str,
        person: i64,
        account: i64,
        period: Period,
    ) -> Result<(), ApiError> {
        sqlx::query(
            "UPDATE deliveries SET sent = 1 WHERE kind = $1 AND person_id = $2 AND account_id = $3 \
             AND period = $4",
        )
        .bind(kind)
        .bind(person)
        .bind(account)
        .bind(period.0)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    /// The background job's share, at most once a minute per instance: the reminders due
    /// today and the e-receipts of newly imported charges. Returns how many went out.
    pub async fn run_due(&self) -> Result<usize, ApiError> {
        let now = self.clock.unix();
        let last = self.last_scan.load(Ordering::Relaxed);
        if now.saturating_sub(last) < SCAN_EVERY_SECS {
            return Ok(0);
        }
        self.last_scan.store(now, Ordering::Relaxed);
        Ok(self.send_reminders().await? + self.send_e_receipts().await?)
    }

    /// The reading reminders (window open, window closing) to customers who have sent no
    /// reading this month, and the debt reminders after the due date.
    pub async fn send_reminders(&self) -> Result<usize, ApiError> {
        let today = self.clock.today();
        let branches: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT id, reading_from_day, reading_to_day FROM branches")
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        let mut sent = 0;
        for (branch, from_day, to_day) in branches {
            let window = ReadingWindow {
                from_day: u32::try_from(from_day).unwrap_or(15),
                to_day: u32::try_from(to_day).unwrap_or(25),
            };
            if let Some(reminder) = reading_reminder(today, window) {
                sent += self
                    .remind_readings(branch, reminder, today, window)
                    .await?;
            }
            if let Some(period) = overdue_period(today) {
                sent += self.remind_debts(branch, period, today, window).await?;
            }
        }
        Ok(sent)
    }

    async fn remind_readings(
        &self,
        branch: i64,
        reminder: Reminder,
        today: Day,
        window: ReadingWindow,
    ) -> Result<usize, ApiError> {
        let period = today.period();
        let candidates: Vec<Candidate> = sqlx::query_as(
            "SELECT l.person_id, l.account_id, a.number FROM account_links l \
             JOIN accounts a ON a.id = l.account_id \
             WHERE a.branch_id = $1 AND l.unlinked_at IS NULL \
             AND EXISTS (SELECT 1 FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL \
                 AND m.auto_read = 0) \
             AND NOT EXISTS (SELECT 1 FROM readings r JOIN meters m ON m.id = r.meter_id \
                 WHERE m.account_id = a.id AND r.period = $2) \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = $3 \
                 AND d.person_id = l.person_id AND d.account_id = l.account_id AND d.period = $2 \
                 AND (d.sent = 1 OR d.claimed_until >= $4))",
        )
        .bind(branch)
        .bind(period.0)
        .bind(reminder.key())
        .bind(self.clock.unix())
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut sent = 0;
        for c in candidates {
            if !self
                .claim(reminder.key(), c.person_id, c.account_id, period)
                .await?
            {
                continue;
            }
            let (title, body) =
                reminder_text(reminder, &c.number, today, window, shared::Kopecks(0));
            let link = format!("/accounts/{}/meters", c.account_id);
            self.notify(c.person_id, reminder.kind(), &title, &body, &link)
                .await?;
            self.mark_sent(reminder.key(), c.person_id, c.account_id, period)
                .await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Accounts whose charges up to `period` exceed everything paid.
    async fn remind_debts(
        &self,
        branch: i64,
        period: Period,
        today: Day,
        window: ReadingWindow,
    ) -> Result<usize, ApiError> {
        let reminder = Reminder::Debt;
        let candidates: Vec<(i64, i64, String, i64)> = sqlx::query_as(concat!(
            "SELECT l.person_id, l.account_id, a.number, (SELECT ",
            total!("c.amount"),
            " FROM charges c WHERE c.account_id = a.id AND c.period <= $2) - (SELECT ",
            total!("p.amount"),
            " FROM payments p WHERE p.account_id = a.id) AS overdue \
             FROM account_links l JOIN accounts a ON a.id = l.account_id \
             WHERE a.branch_id = $1 AND l.unlinked_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = $3 \
                 AND d.person_id = l.person_id AND d.account_id = l.account_id AND d.period = $2 \
                 AND (d.sent = 1 OR d.claimed_until >= $4))"
        ))
        .bind(branch)
        .bind(period.0)
        .bind(reminder.key())
        .bind(self.clock.unix())
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut sent = 0;
        for (person, account, number, overdue) in candidates {
            if overdue <= 0 || !self.claim(reminder.key(), person, account, period).await? {
                continue;
            }
            let (title, body) =
                reminder_text(reminder, &number, today, window, shared::Kopecks(overdue));
            let link = format!("/accounts/{account}/pay");
            self.notify(person, reminder.kind(), &title, &body, &link)
                .await?;
            self.mark_sent(reminder.key(), person, account, period)
                .await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// The e-receipt of each subscribed account whose newest charges arrived after the
    /// subscription: an e-mail with the month's PDF receipt, to the account's own address or
    /// the confirmed profile e-mail. A failed send is tried again after the claim expires.
    pub async fn send_e_receipts(&self) -> Result<usize, ApiError> {
        const KIND: &str = "e-receipt";
        let due: Vec<ReceiptDue> = sqlx::query_as(
            // Detached accounts included: the subscription outlives the link (U-ACC-2).
            "SELECT l.person_id, l.account_id, a.number, l.e_receipt_email AS own_email, l.unlinked_at, \
               p.email, p.email_confirmed, \
               (SELECT MAX(c.period) FROM charges c WHERE c.account_id = a.id) AS latest \
             FROM account_links l JOIN accounts a ON a.id = l.account_id \
             JOIN people p ON p.id = l.person_id \
             WHERE l.e_receipt = 1 AND a.e_receipt_allowed = 1 \
             AND (SELECT MAX(c.period) FROM charges c WHERE c.account_id = a.id) > l.e_receipt_after \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = $1 \
                 AND d.person_id = l.person_id AND d.account_id = l.account_id \
                 AND d.period = (SELECT MAX(c.period) FROM charges c WHERE c.account_id = a.id) \
                 AND (d.sent = 1 OR d.claimed_until >= $2))",
        )
        .bind(KIND)
        .bind(self.clock.unix())
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut sent = 0;
        for r in due {
            let period = Period(r.latest);
            let to = r
                .own_email
                .clone()
                .filter(|e| !e.is_empty())
                .or(r.email.clone().filter(|_| r.email_confirmed != 0));
            let Some(to) = to else { continue };
            if !self.claim(KIND, r.person_id, r.account_id, period).await? {
                continue;
            }
            let pdf = self
                .accounts
                .receipt_pdf_of(r.person_id, r.account_id, period)
                .await?;
            let caption = period.caption();
            let message = Message {
                channel: Channel::Email,
                to,
                subject: format!(
                    "Электронная квитанция за {caption}, лицевой счет № {}",
                    r.number
                ),
                body: if r.unlinked_at.is_some() {
                    format!(
                        "Квитанция по лицевому счету № {} за {caption} — во вложении.\n\
                         Лицевой счет удален из личного кабинета. {}",
                        r.number,
                        shared::utility::billing::UNLINK_E_RECEIPT_NOTICE
                    )
                } else {
                    format!(
                        "Квитанция по лицевому счету № {} за {caption} — во вложении.\n\
                         Оплатить: {}/accounts/{}/pay\n\n\
                         Способ получения квитанции меняется в профиле: {}/profile/receipts",
                        r.number, self.public_url, r.account_id, self.public_url
                    )
                },
                attachments: vec![Attachment {
                    name: pdf.name,
                    content_type: "application/pdf".to_string(),
                    bytes: pdf.bytes,
                }],
            };
            match self.notifier.send(&message).await {
                Ok(()) => {
                    self.mark_sent(KIND, r.person_id, r.account_id, period)
                        .await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(error = %e, account = r.account_id, "e-receipt not delivered; tried again later");
                }
            }
        }
        Ok(sent)
    }
}

#[async_trait]
impl DeliveryPort for DeliveryService {
    async fn notice_prefs(&self, session: &str) -> Result<NoticePrefs, ApiError> {
        let person = self.identity.session_person(session).await?;
        self.prefs_of(person).await
    }

    async fn save_notice_prefs(
        &self,
        session: &str,
        prefs: &NoticePrefs,
        client: ClientInfo,
    ) -> Result<(), ApiError> {
        prefs
            .check()
            .map_err(|m| ApiError::field("advertising_consent", m))?;
        let person = self.identity.session_person(session).await?;
        let before = self.prefs_of(person).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM notice_prefs WHERE person_id = $1")
            .bind(person)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for kind in NoticeKind::ALL {
            for channel in NoticeChannel::ALL {
                sqlx::query(
                    "INSERT INTO notice_prefs (person_id, kind, channel, enabled) VALUES ($1, $2, $3, $4)",
                )
                .bind(person)
                .bind(kind.param())
                .bind(channel.param())
                .bind(i32::from(prefs.on.contains(&(kind, channel))))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
        }
        if before.advertising_consent != prefs.advertising_consent {
            sqlx::query("UPDATE people SET advertising_consent = $1 WHERE id = $2")
                .bind(i32::from(prefs.advertising_consent))
                .bind(person)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            // The consent's history: given and withdrawn, when and from where.
            sqlx::query(
                "INSERT INTO consents (person_id, document, version, accepted_at, ip) VALUES ($1, $2, '1', $3, $4)",
            )
            .bind(person)
            .bind(if prefs.advertising_consent {
                "advertising"
            } else {
                "advertising-withdrawn"
            })
            .bind(now)
            .bind(client.ip)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn receipt_settings(&self, session: &str) -> Result<ReceiptSettings, ApiError> {
        let person = self.identity.session_person(session).await?;
        let profile_email = crate::notify::person_contact(&self.db, person)
            .await?
            .and_then(|(_, email)| email);
        let rows: Vec<(i64, String, String, i32, i32, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.number, a.address, a.e_receipt_allowed, l.e_receipt, l.e_receipt_email \
             FROM account_links l JOIN accounts a ON a.id = l.account_id \
             WHERE l.person_id = $1 AND l.unlinked_at IS NULL ORDER BY l.created_at, l.id",
        )
        .bind(person)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(ReceiptSettings {
            accounts: rows
                .into_iter()
                .map(
                    |(account, number, address, allowed, electronic, email)| ReceiptSetting {
                        account,
                        number,
                        address,
                        allowed: allowed != 0,
                        electronic: electronic != 0,
                        email: email.filter(|e| !e.is_empty()),
                    },
                )
                .collect(),
            profile_email,
        })
    }

    async fn save_receipt_setting(
        &self,
        session: &str,
        account: i64,
        electronic: bool,
        email: &str,
    ) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        let row = self.accounts.linked_to(person, account).await?;
        let profile_email = crate::notify::person_contact(&self.db, person)
            .await?
            .and_then(|(_, email)| email);
        check_receipt_choice(
            row.e_receipt_allowed != 0,
            electronic,
            email,
            profile_email.as_deref(),
        )
        .map_err(|(field, message)| ApiError::field(field, message))?;
        let email = email.trim();
        let latest = self.accounts.latest_charges(account).await?;
        // A new subscription starts with the next month's charges.
        sqlx::query(
            "UPDATE account_links SET \
               e_receipt_after = CASE WHEN e_receipt = 0 AND $1 = 1 THEN $2 ELSE e_receipt_after END, \
               e_receipt = $1, e_receipt_email = $3 \
             WHERE person_id = $4 AND account_id = $5",
        )
        .bind(i32::from(electronic))
        .bind(latest)
        .bind((!email.is_empty()).then(|| email.to_string()))
        .bind(person)
        .bind(account)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }
}
