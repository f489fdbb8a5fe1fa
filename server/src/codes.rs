//! One-time confirmation codes (U-REG-4, U-AUTH-1, U-AUTH-3): 6 digits, valid 5 minutes,
//! single use, at most 5 wrong tries; at most 1 a minute and 10 an hour per address (and purpose) and per
//! IP; stored hashed.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{db, internal};
use crate::notify::{Channel, Message, Notifier};
use crate::rate_limit::{Limit, RateLimiter};
use sha2::{Digest, Sha256};
use shared::ApiError;
use std::sync::Arc;

pub const CODE_TTL_SECS: i64 = 5 * 60;
pub const MAX_ATTEMPTS: i64 = 5;
pub const PER_MINUTE: Limit = Limit {
    limit: 1,
    window_secs: 60,
};
pub const PER_HOUR: Limit = Limit {
    limit: 10,
    window_secs: 3600,
};

/// U-REG-4's message, verbatim.
pub const EXPIRED_MESSAGE: &str = "Срок действия кода истек. Повторите попытку!";
pub const WRONG_CODE_MESSAGE: &str =
    "Код подтверждения не совпадает с кодом из сообщения. Проверьте код и повторите попытку.";
pub const TOO_MANY_ATTEMPTS_MESSAGE: &str =
    "Код введен неверно слишком много раз. Запросите новый код подтверждения.";
pub const NO_CODE_MESSAGE: &str = "Сначала запросите код подтверждения.";

/// What a code confirms; codes of one purpose never confirm another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Register,
    SignIn,
    Recover,
    ConfirmEmail,
    ChangePhone,
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "sign_in",
            Purpose::Recover => "recover",
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ChangePhone => "change_phone",
            Purpose::ChangeEmail => "change_email",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            Purpose::Register => "Код подтверждения регистрации",
            Purpose::SignIn => "Код для входа в личный кабинет",
            Purpose::Recover => "Код для восстановления пароля",
            Purpose::ConfirmEmail => "Подтверждение адреса электронной почты",
            Purpose::ChangePhone => "Подтверждение нового номера телефона",
            Purpose::ChangeEmail => "Подтверждение нового адреса электронной почты",
        }
    }
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id: i64,
    code_hash: String,
    expires_at: i64,
    attempts: i32,
    used_at: Option<i64>,
}

fn digest(id: i64, code: &str) -> String {
    Sha256::digest(format!("{id}:{code}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Clone)]
pub struct Codes {
    db: Db,
    clock: Arc<dyn Clock>,
    notifier: Arc<dyn Notifier>,
    limits: RateLimiter,
}

impl Codes {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        notifier: Arc<dyn Notifier>,
        limits: RateLimiter,
    ) -> Self {
        Self {
            db,
            clock,
            notifier,
            limits,
        }
    }

    /// Sends a fresh code to `address` (a `+7…` phone or an e-mail), within the limits.
    pub async fn send(
        &self,
        purpose: Purpose,
        channel: Channel,
        address: &str,
        ip: Option<&str>,
    ) -> Result<(), ApiError> {
        // Counted per purpose: a customer who has just registered may ask for a sign-in code.
        let purpose_key = purpose.as_str();
        let mut checks = vec![
            (format!("code:{purpose_key}:{address}:m"), PER_MINUTE),
            (format!("code:{purpose_key}:{address}:h"), PER_HOUR),
        ];
        if let Some(key) = self.limits.ip_key("code", ip) {
            checks.push((
                format!("{key}:m"),
                Limit {
                    limit: 3,
                    window_secs: 60,
                },
            ));
            checks.push((format!("{key}:h"), PER_HOUR));
        }
        self.limits.hit_all(&checks).await?;

        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        // Only the newest code of an address and purpose counts.
        sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE purpose = $2 AND address = $3 AND used_at IS NULL")
            .bind(now)
            .bind(purpose.as_str())
            .bind(address)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO one_time_codes (purpose, address, code_hash, created_at, expires_at, ip) \
             VALUES ($1, $2, '', $3, $4, $5) RETURNING id",
        )
        .bind(purpose.as_str())
        .bind(address)
        .bind(now)
        .bind(now + CODE_TTL_SECS)
        .bind(ip)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("UPDATE one_time_codes SET code_hash = $1 WHERE id = $2")
            .bind(digest(id, &code))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;

        let body = format!(
            "Код подтверждения: {code}. Код действует 5 минут. Никому не сообщайте его, даже сотрудникам поставщика."
        );
        self.notifier
            .send(&Message {
                attachments: Vec::new(),
                channel,
                to: address.to_string(),
                subject: purpose.subject().to_string(),
                body,
            })
            .await
            .map_err(internal)
    }

    /// Accepts the code once; every wrong try counts, the fifth ends the code.
    pub async fn verify(
        &self,
        purpose: Purpose,
        address: &str,
        code: &str,
    ) -> Result<(), ApiError> {
        let now = self.clock.unix();
        let row = sqlx::query_as::<_, CodeRow>(
            "SELECT id, code_hash, expires_at, attempts, used_at FROM one_time_codes \
             WHERE purpose = $1 AND address = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(purpose.as_str())
        .bind(address)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Err(ApiError::field("code", NO_CODE_MESSAGE));
        };
        if row.used_at.is_some() {
            return Err(ApiError::field("code", NO_CODE_MESSAGE));
        }
        if row.expires_at <= now {
            return Err(ApiError::field("code", EXPIRED_MESSAGE));
        }
        if i64::from(row.attempts) >= MAX_ATTEMPTS {
            return Err(ApiError::field("code", TOO_MANY_ATTEMPTS_MESSAGE));
        }
        if digest(row.id, code) != row.code_hash {
            let attempts = sqlx::query_scalar::<_, i64>(
                "UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING CAST(attempts AS BIGINT)",
            )
            .bind(row.id)
            .fetch_one(&self.db.pool)
            .await
            .map_err(db)?;
            return Err(ApiError::field(
                "code",
                if attempts >= MAX_ATTEMPTS {
                    TOO_MANY_ATTEMPTS_MESSAGE
                } else {
                    WRONG_CODE_MESSAGE
                },
            ));
        }
        // Single use, even when two requests bring the right code at once.
        let taken = sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND attempts < $3")
            .bind(now)
            .bind(row.id)
            .bind(MAX_ATTEMPTS)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        if taken.rows_affected() == 1 {
            Ok(())
        } else {
            Err(ApiError::field("code", NO_CODE_MESSAGE))
        }
    }
}
