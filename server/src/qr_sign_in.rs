//! Sign-in by QR code (U-AUTH-2).
//!
//! A browser that is not signed in asks for a request and gets a cookie with two secrets: the
//! first binds the request to that browser, the second (the token) is in the QR code's link.
//! A phone on which the customer is signed in opens the link, sees which device asks and
//! confirms or declines. The waiting browser asks every second; once the request is confirmed
//! it gets a session of its own, exactly once. Everything lives in the database, so any server
//! instance can answer any step.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{db, internal};
use crate::identity::{IdentityService, random_token, token_hash};
use crate::rate_limit::{Limit, RateLimiter};
use app::ports::{ClientInfo, NewSession, QrSignInPort, QrStart};
use async_trait::async_trait;
use shared::ApiError;
use shared::qr_sign_in::{
    QR_ANSWERED_MESSAGE, QR_CONFIRMED_GRACE_SECS, QR_EXPIRED_MESSAGE, QR_TTL_SECS,
    QR_UNKNOWN_MESSAGE, QrRequest, QrRequestState, QrSignInStatus, is_token,
};
use std::sync::Arc;

/// QR codes a single address may ask for in ten minutes (a page left open renews its code
/// every two minutes).
pub const QR_START_PER_IP: Limit = Limit {
    limit: 30,
    window_secs: 10 * 60,
};

/// Requests are forgotten this long after they expired.
const KEEP_SECS: i64 = 60 * 60;

pub struct QrSignInService {
    db: Db,
    clock: Arc<dyn Clock>,
    limits: RateLimiter,
    identity: Arc<IdentityService>,
}

/// The browser secret and the token of a well-formed cookie.
fn split_cookie(cookie: &str) -> Option<(&str, &str)> {
    let (browser, token) = cookie.split_once('.')?;
    (is_token(browser) && is_token(token)).then_some((browser, token))
}

/// «Chrome 120, Windows 10»: the browser and system a user agent names, for the phone.
pub fn describe_device(user_agent: Option<&str>) -> String {
    const UNKNOWN: &str = "UNKNOWN";
    let parsed = user_agent.and_then(|ua| woothee::parser::Parser::new().parse(ua));
    let Some(found) = parsed else {
        return "Неизвестный браузер".to_string();
    };
    let browser = match (found.name, found.version) {
        (UNKNOWN, _) => "Неизвестный браузер".to_string(),
        (name, UNKNOWN | "") => name.to_string(),
        (name, version) => {
            let major = version.split('.').next().unwrap_or(version);
            format!("{name} {major}")
        }
    };
    match found.os {
        UNKNOWN => browser,
        os => format!("{browser}, {os}"),
    }
}

/// The QR code of `link` as an SVG document, dark modules on white with the quiet zone.
pub fn qr_svg(link: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .map_err(internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    status: String,
    expires_at: i64,
    answered_at: Option<i64>,
    person_id: Option<i64>,
}

impl QrSignInService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        limits: RateLimiter,
        identity: Arc<IdentityService>,
    ) -> Self {
        Self {
            db,
            clock,
            limits,
            identity,
        }
    }

    /// The token of the browser's request while it waits for a phone: what its QR code shows.
    pub async fn pending_token(&self, cookie: &str) -> Result<Option<String>, ApiError> {
        let Some((browser, token)) = split_cookie(cookie) else {
            return Ok(None);
        };
        let found = sqlx::query_scalar::<_, i64>(
            "SELECT id FROM qr_sign_ins WHERE browser_hash = $1 AND token_hash = $2 \
             AND status = 'pending' AND expires_at > $3",
        )
        .bind(token_hash(browser))
        .bind(token_hash(token))
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(found.map(|_| token.to_string()))
    }

    /// Confirms a request for the session's person, or declines it; answering the same way
    /// twice is not an error.
    async fn set_answer(&self, person: i64, token: &str, confirm: bool) -> Result<(), ApiError> {
        let now = self.clock.unix();
        let status = if confirm { "confirmed" } else { "declined" };
        let changed = sqlx::query(
            "UPDATE qr_sign_ins SET status = $1, person_id = $2, answered_at = $3 \
             WHERE token_hash = $4 AND status = 'pending' AND expires_at > $3",
        )
        .bind(status)
        .bind(person)
        .bind(now)
        .bind(token_hash(token))
        .execute(&self.db.pool)
        .await
        .map_err(db)?
        .rows_affected();
        if changed == 1 {
            return Ok(());
        }
        let row = sqlx::query_as::<_, (String, i64, Option<i64>)>(
            "SELECT status, expires_at, person_id FROM qr_sign_ins WHERE token_hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        match row {
            None => Err(ApiError::refused(QR_UNKNOWN_MESSAGE)),
            Some((s, expires_at, _)) if s == "pending" && expires_at <= now => {
                Err(ApiError::refused(QR_EXPIRED_MESSAGE))
            }
            Some((s, _, Some(by))) if by == person && (s == status || (confirm && s == "used")) => {
                Ok(())
            }
            Some(_) => Err(ApiError::refused(QR_ANSWERED_MESSAGE)),
        }
    }
}

#[async_trait]
impl QrSignInPort for QrSignInService {
    async fn start(&self, previous: Option<&str>, client: ClientInfo) -> Result<QrStart, ApiError> {
        if let Some(key) = self.limits.ip_key("qr", client.ip.as_deref()) {
            self.limits.hit(&key, QR_START_PER_IP).await?;
        }
        let now = self.clock.unix();
        sqlx::query("DELETE FROM qr_sign_ins WHERE expires_at < $1")
            .bind(now - KEEP_SECS)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        if let Some((browser, _)) = previous.and_then(split_cookie) {
            // A new code replaces this browser's previous one, which can no longer be used.
            sqlx::query("DELETE FROM qr_sign_ins WHERE browser_hash = $1 AND status <> 'used'")
                .bind(token_hash(browser))
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
        }
        let browser = random_token(32);
        let token = random_token(18);
        sqlx::query(
            "INSERT INTO qr_sign_ins (browser_hash, token_hash, created_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(&browser))
        .bind(token_hash(&token))
        .bind(now)
        .bind(now + QR_TTL_SECS)
        .bind(client.ip)
        .bind(client.user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(QrStart {
            cookie: format!("{browser}.{token}"),
            max_age_secs: QR_TTL_SECS + QR_CONFIRMED_GRACE_SECS,
        })
    }

    async fn status(
        &self,
        cookie: &str,
        client: ClientInfo,
    ) -> Result<(QrSignInStatus, Option<NewSession>), ApiError> {
        let Some((browser, token)) = split_cookie(cookie) else {
            return Ok((QrSignInStatus::Absent, None));
        };
        let row = sqlx::query_as::<_, Row>(
            "SELECT id, status, expires_at, answered_at, person_id FROM qr_sign_ins \
             WHERE browser_hash = $1 AND token_hash = $2",
        )
        .bind(token_hash(browser))
        .bind(token_hash(token))
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Ok((QrSignInStatus::Absent, None));
        };
        let now = self.clock.unix();
        let status = match row.status.as_str() {
            "pending" if row.expires_at > now => QrSignInStatus::Pending {
                version: row.id,
                expires_in_secs: row.expires_at - now,
            },
            "declined" => QrSignInStatus::Declined,
            "used" => QrSignInStatus::Absent,
            "confirmed"
                if row
                    .answered_at
                    .is_some_and(|at| at + QR_CONFIRMED_GRACE_SECS > now) =>
            {
                let Some(person) = row.person_id else {
                    return Err(internal("a confirmed QR sign-in names nobody"));
                };
                // Exactly one poll turns the confirmation into a session.
                let taken = sqlx::query(
                    "UPDATE qr_sign_ins SET status = 'used' WHERE id = $1 AND status = 'confirmed'",
                )
                .bind(row.id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?
                .rows_affected();
                if taken != 1 {
                    return Ok((QrSignInStatus::Absent, None));
                }
                let session = self.identity.open_session(person, client).await?;
                return Ok((QrSignInStatus::SignedIn, Some(session)));
            }
            _ => QrSignInStatus::Expired,
        };
        Ok((status, None))
    }

    async fn request(&self, session: &str, token: &str) -> Result<QrRequest, ApiError> {
        self.identity.session_person(session).await?;
        if !is_token(token) {
            return Err(ApiError::refused(QR_UNKNOWN_MESSAGE));
        }
        let row = sqlx::query_as::<_, (String, i64, Option<String>, Option<String>)>(
            "SELECT status, expires_at, ip, user_agent FROM qr_sign_ins WHERE token_hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some((status, expires_at, ip, user_agent)) = row else {
            return Err(ApiError::refused(QR_UNKNOWN_MESSAGE));
        };
        let now = self.clock.unix();
        let state = match status.as_str() {
            "pending" if expires_at > now => QrRequestState::Pending,
            "pending" => QrRequestState::Expired,
            "declined" => QrRequestState::Declined,
            _ => QrRequestState::Confirmed,
        };
        Ok(QrRequest {
            device: describe_device(user_agent.as_deref()),
            ip,
            expires_in_secs: (expires_at - now).max(0),
            state,
        })
    }

    async fn answer(&self, session: &str, token: &str, confirm: bool) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        if !is_token(token) {
            return Err(ApiError::refused(QR_UNKNOWN_MESSAGE));
        }
        self.set_answer(person, token, confirm).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                      (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        let described = describe_device(Some(chrome));
        assert!(described.starts_with("Chrome 120"), "{described}");
        assert!(described.contains("Windows"), "{described}");
        assert_eq!(describe_device(None), "Неизвестный браузер");
        assert_eq!(describe_device(Some("")), "Неизвестный браузер");
    }

    #[test]
    fn cookies_must_hold_two_well_formed_secrets() {
        let browser = random_token(32);
        let token = random_token(18);
        let cookie = format!("{browser}.{token}");
        assert_eq!(
            split_cookie(&cookie),
            Some((browser.as_str(), token.as_str()))
        );
        assert_eq!(split_cookie(&browser), None);
        assert_eq!(split_cookie(&format!("{browser}.x")), None);
        assert_eq!(split_cookie(&format!("{browser}.{token};")), None);
    }

    #[test]
    fn the_svg_is_a_qr_code_of_the_link() {
        let svg = qr_svg("http://127.0.0.1:3000/qr/AAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("width=\""), "{svg}");
    }
}
