//! The sandbox acquirer, built into the server for development and tests: it keeps its own
//! books in the database, serves the pages a real acquirer would (the bank app an SBP link
//! opens, the card page with a 3-D Secure step) and posts signed notifications back to
//! Kabinet after a configurable delay, exactly as a real acquirer does over the network.
//!
//! Test cards: any number that passes the Luhn check; [`DECLINED_CARD`] is declined. The
//! 3-D Secure code is [`CONFIRMATION_CODE`].

use super::acquirer::*;
use crate::clock::Clock;
use crate::db::Db;
use async_trait::async_trait;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use shared::Kopecks;
use shared::payments::PaymentMethod;
use std::sync::Arc;

/// A test card the sandbox's bank declines.
pub const DECLINED_CARD: &str = "4000000000000002";
/// The 3-D Secure code the sandbox's bank expects.
pub const CONFIRMATION_CODE: &str = "12345";
/// How long an SBP link or a card page stays usable.
const LINK_LIFETIME_SECS: i64 = 15 * 60;
/// Notifications older than this are refused (a replayed capture).
pub const CALLBACK_MAX_AGE_SECS: i64 = 300;
pub const TIMESTAMP_HEADER: &str = "x-sandbox-timestamp";
pub const SIGNATURE_HEADER: &str = "x-sandbox-signature";

pub struct Sandbox {
    db: Db,
    clock: Arc<dyn Clock>,
    secret: Vec<u8>,
    public_url: String,
    /// Seconds between the customer's answer and the notification.
    delay_secs: i64,
    http: reqwest::Client,
}

/// What the sandbox posts to Kabinet.
#[derive(Debug, Serialize, Deserialize)]
pub struct Notification {
    pub event_id: String,
    /// `payment` or `binding`.
    pub kind: String,
    pub order: String,
    pub reference: String,
    /// `succeeded` or `failed`.
    pub status: String,
    pub amount: i64,
    pub card_token: Option<String>,
    pub card_caption: Option<String>,
}

/// The HMAC-SHA256 of `<timestamp>.<body>` under the shared secret.
fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Option<hmac::Hmac<sha2::Sha256>> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The signature of a notification, in hex.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    mac(secret, timestamp, body)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `signature` is the notification's, compared in constant time.
fn verify(secret: &[u8], timestamp: i64, body: &[u8], signature: &str) -> bool {
    match (hex::decode(signature), mac(secret, timestamp, body)) {
        (Ok(given), Some(mac)) => mac.verify_slice(&given).is_ok(),
        _ => false,
    }
}

/// Whether a card number passes the Luhn check (13 to 19 digits).
pub fn luhn_valid(number: &str) -> bool {
    let digits: Vec<u32> = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn unavailable(e: impl std::fmt::Display) -> AcquirerError {
    AcquirerError::Unavailable(e.to_string())
}

/// A sandbox payment or binding as its pages need it.
#[derive(sqlx::FromRow, Clone)]
pub struct SandboxPayment {
    pub reference: String,
    pub kind: String,
    pub order_number: String,
    pub method: String,
    pub amount: i64,
    pub description: String,
    pub customer: String,
    pub status: String,
    pub card_number: Option<String>,
    pub return_url: String,
    pub expires_at: i64,
}

impl Sandbox {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        secret: Vec<u8>,
        public_url: &str,
        delay_secs: i64,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            clock,
            secret,
            public_url: public_url.trim_end_matches('/').to_string(),
            delay_secs,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
        })
    }

    fn new_reference() -> String {
        format!("sbx-{:016x}", rand::random::<u64>())
    }

    async fn open(&self, kind: &str, p: &NewPayment) -> Result<Created, AcquirerError> {
        let reference = Self::new_reference();
        let now = self.clock.unix();
        let expires_at = now + LINK_LIFETIME_SECS;
        sqlx::query(
            "INSERT INTO sandbox_payments (reference, kind, order_number, method, amount, \
             description, customer, notification_url, return_url, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&reference)
        .bind(kind)
        .bind(&p.order)
        .bind(p.method.code())
        .bind(p.amount.0)
        .bind(&p.description)
        .bind(&p.customer)
        .bind(&p.notification_url)
        .bind(&p.return_url)
        .bind(now)
        .bind(expires_at)
        .execute(&self.db.pool)
        .await
        .map_err(unavailable)?;
        let page = if p.method == PaymentMethod::Sbp {
            "sbp"
        } else {
            "card"
        };
        Ok(Created {
            link: format!("{}/sandbox/{page}/{reference}", self.public_url),
            reference,
            expires_at: Some(expires_at),
        })
    }

    pub async fn find(&self, reference: &str) -> Result<Option<SandboxPayment>, sqlx::Error> {
        sqlx::query_as(
            "SELECT reference, kind, order_number, method, amount, description, customer, \
             status, card_number, return_url, expires_at FROM sandbox_payments \
             WHERE reference = $1",
        )
        .bind(reference)
        .fetch_optional(&self.db.pool)
        .await
    }

    pub fn is_expired(&self, payment: &SandboxPayment) -> bool {
        self.clock.unix() > payment.expires_at
    }

    /// Remembers the card typed on the card page (before its 3-D Secure step).
    pub async fn take_card(&self, reference: &str, number: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE sandbox_payments SET card_number = $1 WHERE reference = $2 AND status = 'pending'",
        )
        .bind(number)
        .bind(reference)
        .execute(&self.db.pool)
        .await
        .map(|_| ())
    }

    /// The customer's answer at the bank: settles a pending payment (or binding) once and
    /// queues the notification. Returns whether it was still pending.
    pub async fn settle(&self, reference: &str, approve: bool) -> Result<bool, sqlx::Error> {
        let Some(payment) = self.find(reference).await? else {
            return Ok(false);
        };
        let approve = approve
            && !self.is_expired(&payment)
            && payment.card_number.as_deref() != Some(DECLINED_CARD);
        let status = if approve { "succeeded" } else { "failed" };
        let mut tx = self.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE sandbox_payments SET status = $1 WHERE reference = $2 AND status = 'pending'",
        )
        .bind(status)
        .bind(reference)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !changed {
            return Ok(false);
        }
        let mut card = None;
        if approve && payment.kind == "binding" {
            let token = format!("card-{:016x}", rand::random::<u64>());
            let number = payment.card_number.clone().unwrap_or_default();
            sqlx::query(
                "INSERT INTO sandbox_cards (token, customer, card_number, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&token)
            .bind(&payment.customer)
            .bind(&number)
            .bind(self.clock.unix())
            .execute(&mut *tx)
            .await?;
            card = Some((token, card_caption(&number)));
        }
        self.queue(&mut tx, &payment, status, card).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn queue(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        payment: &SandboxPayment,
        status: &str,
        card: Option<(String, String)>,
    ) -> Result<(), sqlx::Error> {
        let url: (String,) =
            sqlx::query_as("SELECT notification_url FROM sandbox_payments WHERE reference = $1")
                .bind(&payment.reference)
                .fetch_one(&mut **tx)
                .await?;
        let (card_token, card_caption) = card.unzip();
        let notification = Notification {
            event_id: format!("{}:{status}", payment.reference),
            kind: payment.kind.clone(),
            order: payment.order_number.clone(),
            reference: payment.reference.clone(),
            status: status.to_string(),
            amount: payment.amount,
            card_token,
            card_caption,
        };
        let body = serde_json::to_string(&notification).unwrap_or_default();
        sqlx::query("INSERT INTO sandbox_callbacks (url, body, due_at) VALUES ($1, $2, $3)")
            .bind(url.0)
            .bind(body)
            .bind(self.clock.unix() + self.delay_secs)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Posts the notifications that are due, each claimed by one server instance at a time;
    /// one that fails is tried again later. Returns how many were delivered.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        let now = self.clock.unix();
        let due: Vec<(i64, String, String, i32)> = sqlx::query_as(
            "SELECT id, url, body, attempts FROM sandbox_callbacks WHERE delivered_at IS NULL \
             AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) \
             AND attempts < 20 ORDER BY id LIMIT 20",
        )
        .bind(now)
        .fetch_all(&self.db.pool)
        .await?;
        let mut delivered = 0;
        for (id, url, body, attempts) in due {
            let claimed = sqlx::query(
                "UPDATE sandbox_callbacks SET claimed_until = $1 WHERE id = $2 \
                 AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)",
            )
            .bind(now + 30)
            .bind(id)
            .bind(now)
            .execute(&self.db.pool)
            .await?
            .rows_affected()
                == 1;
            if !claimed {
                continue;
            }
            let (timestamp, signature) = self.signature(body.as_bytes());
            let sent = self
                .http
                .post(&url)
                .header(http::header::CONTENT_TYPE, "application/json")
                .header(TIMESTAMP_HEADER, timestamp.to_string())
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await;
            let ok = matches!(&sent, Ok(r) if r.status().is_success());
            if ok {
                delivered += 1;
                sqlx::query("UPDATE sandbox_callbacks SET delivered_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&self.db.pool)
                    .await?;
            } else {
                tracing::warn!(id, status = ?sent.as_ref().map(|r| r.status()).ok(), "sandbox notification not accepted; will retry");
                let backoff = 5_i64 << attempts.clamp(0, 8);
                sqlx::query(
                    "UPDATE sandbox_callbacks SET attempts = attempts + 1, due_at = $1, \
                     claimed_until = NULL WHERE id = $2",
                )
                .bind(now + backoff)
                .bind(id)
                .execute(&self.db.pool)
                .await?;
            }
        }
        Ok(delivered)
    }

    /// The headers' timestamp and signature of a notification body, signed now.
    pub fn signature(&self, body: &[u8]) -> (i64, String) {
        let timestamp = self.clock.unix();
        (timestamp, sign(&self.secret, timestamp, body))
    }
}

/// «•••• 1111».
pub fn card_caption(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let last = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
    format!("•••• {last}")
}

#[async_trait]
impl Acquirer for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn create(&self, payment: &NewPayment) -> Result<Created, AcquirerError> {
        self.open("payment", payment).await
    }

    async fn status(&self, reference: &str) -> Result<RemoteStatus, AcquirerError> {
        let payment = self
            .find(reference)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| AcquirerError::Refused(format!("no payment {reference}")))?;
        Ok(match payment.status.as_str() {
            "succeeded" => RemoteStatus::Succeeded,
            "failed" | "refunded" => RemoteStatus::Failed,
            _ => RemoteStatus::Pending,
        })
    }

    async fn bind_card(&self, binding: &NewBinding) -> Result<Created, AcquirerError> {
        let request = NewPayment {
            order: binding.request.clone(),
            amount: Kopecks::ZERO,
            description: "Сохранение карты для автоплатежа".into(),
            method: PaymentMethod::Card,
            return_url: binding.return_url.clone(),
            notification_url: binding.notification_url.clone(),
            customer: binding.customer.clone(),
        };
        self.open("binding", &request).await
    }

    async fn charge_saved(
        &self,
        card_token: &str,
        payment: &NewPayment,
    ) -> Result<(String, RemoteStatus), AcquirerError> {
        let card: Option<(String,)> =
            sqlx::query_as("SELECT card_number FROM sandbox_cards WHERE token = $1")
                .bind(card_token)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(unavailable)?;
        let Some((number,)) = card else {
            return Err(AcquirerError::Refused("unknown card token".into()));
        };
        let created = self.open("payment", payment).await?;
        self.take_card(&created.reference, &number)
            .await
            .map_err(unavailable)?;
        self.settle(&created.reference, true)
            .await
            .map_err(unavailable)?;
        let status = self.status(&created.reference).await?;
        Ok((created.reference, status))
    }

    async fn refund(&self, reference: &str, _amount: Kopecks) -> Result<(), AcquirerError> {
        sqlx::query(
            "UPDATE sandbox_payments SET status = 'refunded' WHERE reference = $1 AND status = 'succeeded'",
        )
        .bind(reference)
        .execute(&self.db.pool)
        .await
        .map_err(unavailable)?;
        Ok(())
    }

    fn verify_callback(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<Callback, CallbackError> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let timestamp: i64 = header(TIMESTAMP_HEADER)
            .and_then(|v| v.parse().ok())
            .ok_or(CallbackError::BadSignature)?;
        let signature = header(SIGNATURE_HEADER).ok_or(CallbackError::BadSignature)?;
        if !verify(&self.secret, timestamp, body, signature) {
            return Err(CallbackError::BadSignature);
        }
        if (now - timestamp).abs() > CALLBACK_MAX_AGE_SECS {
            return Err(CallbackError::Stale);
        }
        let n: Notification =
            serde_json::from_slice(body).map_err(|e| CallbackError::Malformed(e.to_string()))?;
        let succeeded = match n.status.as_str() {
            "succeeded" => true,
            "failed" => false,
            other => return Err(CallbackError::Malformed(format!("status {other}"))),
        };
        let event = match n.kind.as_str() {
            "payment" => CallbackEvent::Payment {
                order: n.order,
                reference: n.reference,
                status: if succeeded {
                    RemoteStatus::Succeeded
                } else {
                    RemoteStatus::Failed
                },
                amount: Kopecks(n.amount),
            },
            "binding" => CallbackEvent::Binding {
                request: n.order,
                card: match (succeeded, n.card_token, n.card_caption) {
                    (true, Some(token), Some(caption)) => Some(SavedCard { token, caption }),
                    _ => None,
                },
            },
            other => return Err(CallbackError::Malformed(format!("kind {other}"))),
        };
        Ok(Callback {
            event_id: n.event_id,
            event,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111 1111 1111 1111"));
        assert!(luhn_valid(DECLINED_CARD));
        assert!(!luhn_valid("4111 1111 1111 1112"));
        assert!(!luhn_valid("4111"));
        assert!(!luhn_valid("4111-1111-1111-1111"));
        assert_eq!(card_caption("4111 1111 1111 1234"), "•••• 1234");
    }

    #[test]
    fn signatures() {
        let s = sign(b"secret", 1_700_000_000, b"{}");
        assert!(verify(b"secret", 1_700_000_000, b"{}", &s));
        assert!(!verify(b"secret", 1_700_000_001, b"{}", &s));
        assert!(!verify(b"other", 1_700_000_000, b"{}", &s));
        assert!(!verify(b"secret", 1_700_000_000, b"{ }", &s));
        assert!(!verify(b"secret", 1_700_000_000, b"{}", "zz"));
    }
}
