//! People, credentials and sessions.

use crate::clock::Clock;
use crate::codes::{Codes, Purpose};
use crate::db::Db;
use crate::error::db;
use crate::notify::Channel;
use crate::password::Hasher;
use crate::rate_limit::{Limit, RateLimiter};
use app::ports::{ClientInfo, IdentityPort, NewSession};
use async_trait::async_trait;
use base64::Engine;
use sha2::{Digest, Sha256};
use shared::ApiError;
use shared::contact::{Email, Phone};
use shared::identity::{
    CONSENT_REQUIRED_MESSAGE, CONSENT_VERSION, DRAFT_EXPIRED_MESSAGE, EMAIL_NOT_CONFIRMED_MESSAGE,
    EMAIL_TAKEN_MESSAGE, Login, PHONE_TAKEN_MESSAGE, PersonSummary, RegistrationDraft,
    RegistrationInput, WRONG_CREDENTIALS_MESSAGE,
};
use std::sync::Arc;

/// A session ends after this long without a request…
pub const SESSION_IDLE_SECS: i64 = 60 * 60;
/// …and in any case this long after sign-in.
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 60 * 60;

/// A registration waits this long for its code.
pub const DRAFT_TTL_SECS: i64 = 30 * 60;

pub struct IdentityService {
    db: Db,
    clock: Arc<dyn Clock>,
    hasher: Hasher,
    codes: Codes,
    limits: RateLimiter,
}

/// Password sign-in attempts allowed per login and per IP in a quarter of an hour.
pub const SIGN_IN_PER_LOGIN: Limit = Limit {
    limit: 10,
    window_secs: 15 * 60,
};
pub const SIGN_IN_PER_IP: Limit = Limit {
    limit: 50,
    window_secs: 15 * 60,
};

/// A person to be created.
pub struct NewPerson {
    pub last_name: String,
    pub first_name: String,
    pub phone: Phone,
    pub email: Email,
    pub email_confirmed: bool,
    pub password: String,
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: String,
    email_confirmed: i32,
}

/// The phone or e-mail a login names, as stored.
fn login_address(login: &Login) -> &str {
    match login {
        Login::Email(e) => e.as_str(),
        Login::Phone(p) => p.as_str(),
    }
}

/// U-REG-6's message for a phone or e-mail that belongs to another cabinet.
fn taken_message(login: &Login) -> &'static str {
    match login {
        Login::Phone(_) => PHONE_TAKEN_MESSAGE,
        Login::Email(_) => EMAIL_TAKEN_MESSAGE,
    }
}

/// U-AUTH-1: sign-in by code to an unknown phone or e-mail is an error.
fn unknown_login_message(login: &Login) -> &'static str {
    match login {
        Login::Email(_) => shared::identity::UNKNOWN_EMAIL_MESSAGE,
        Login::Phone(_) => shared::identity::UNKNOWN_PHONE_MESSAGE,
    }
}

/// A fresh secret of `bytes` random bytes, URL-safe.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut secret = vec![0u8; bytes];
    rand::fill(secret.as_mut_slice());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
}

/// The SHA-256 of a secret (session, draft, QR request), as the database keeps it.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl IdentityService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        hasher: Hasher,
        codes: Codes,
        limits: RateLimiter,
    ) -> Self {
        Self {
            db,
            clock,
            hasher,
            codes,
            limits,
        }
    }

    /// The password hasher, whose limit on concurrent hashing staff sign-ins share.
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// A code to a known phone, or to a known and confirmed e-mail (U-AUTH-1, U-AUTH-3).
    async fn send_login_code(
        &self,
        purpose: Purpose,
        login: &Login,
        client: &ClientInfo,
    ) -> Result<(), ApiError> {
        let Some(person) = self.find_by_login(login).await? else {
            return Err(ApiError::field("login", unknown_login_message(login)));
        };
        if matches!(login, Login::Email(_)) && person.email_confirmed == 0 {
            return Err(ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE));
        }
        let channel = match login {
            Login::Email(_) => Channel::Email,
            Login::Phone(_) => Channel::Sms,
        };
        self.codes
            .send(purpose, channel, login_address(login), client.ip.as_deref())
            .await
    }

    /// The address of a person whose e-mail still waits for confirmation.
    async fn unconfirmed_email(&self, person_id: i64) -> Result<String, ApiError> {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT email FROM people WHERE id = $1 AND email_confirmed = 0",
        )
        .bind(person_id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .flatten()
        .ok_or_else(|| ApiError::refused(shared::identity::NOTHING_TO_CONFIRM_MESSAGE))
    }

    /// Stores a new password hash and signs the person out everywhere but `keep` (a session
    /// token): whoever knew the old password is shut out.
    async fn set_password(
        &self,
        person_id: i64,
        hash: String,
        keep: Option<&str>,
    ) -> Result<(), ApiError> {
        let mut tx = self.db.begin().await.map_err(db)?;
        sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(person_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
            .bind(person_id)
            .bind(keep.map(token_hash).unwrap_or_default())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    /// U-REG-6 for a change of contact: the new phone has no cabinet, the new e-mail is not
    /// confirmed in another one, and neither is the person's current value.
    async fn check_contact_free(&self, person_id: i64, login: &Login) -> Result<(), ApiError> {
        let (current, taken_sql) = match login {
            Login::Phone(_) => (
                "SELECT COUNT(*) FROM people WHERE id = $2 AND phone = $1",
                "SELECT COUNT(*) FROM people WHERE phone = $1 AND id <> $2",
            ),
            Login::Email(_) => (
                "SELECT COUNT(*) FROM people WHERE id = $2 AND email = $1 AND email_confirmed = 1",
                "SELECT COUNT(*) FROM people WHERE email = $1 AND email_confirmed = 1 AND id <> $2",
            ),
        };
        let count = |sql: &'static str| {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(login_address(login))
                .bind(person_id)
                .fetch_one(&self.db.pool)
        };
        if count(current).await.map_err(db)? > 0 {
            return Err(ApiError::field(
                "value",
                shared::identity::SAME_CONTACT_MESSAGE,
            ));
        }
        if count(taken_sql).await.map_err(db)? > 0 {
            return Err(ApiError::field("value", taken_message(login)));
        }
        Ok(())
    }

    /// «Текущий пароль» of a signed-in person, for changes that need it; its tries are
    /// limited like sign-in's.
    async fn check_current_password(&self, person_id: i64, current: &str) -> Result<(), ApiError> {
        // The slot first: a try refused because the server is busy is not counted.
        let permit = self.hasher.permit().await?;
        self.limits
            .hit(&format!("password:change:{person_id}"), SIGN_IN_PER_LOGIN)
            .await?;
        let hash =
            sqlx::query_scalar::<_, String>("SELECT password_hash FROM people WHERE id = $1")
                .bind(person_id)
                .fetch_one(&self.db.pool)
                .await
                .map_err(db)?;
        let matches = permit.verify(current.to_string(), Some(hash)).await?;
        if matches {
            Ok(())
        } else {
            Err(ApiError::field(
                "current_password",
                shared::identity::WRONG_CURRENT_PASSWORD_MESSAGE,
            ))
        }
    }

    /// The person a live session belongs to.
    pub(crate) async fn session_person(&self, token: &str) -> Result<i64, ApiError> {
        sqlx::query_scalar::<_, i64>(
            "SELECT person_id FROM sessions WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
        )
        .bind(token_hash(token))
        .bind(self.clock.unix())
        .bind(self.clock.unix() - SESSION_IDLE_SECS)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .ok_or(ApiError::Unauthorized)
    }

    async fn find_by_login(&self, login: &Login) -> Result<Option<Credentials>, ApiError> {
        let (column, value) = match login {
            Login::Email(e) => ("email", e.as_str()),
            Login::Phone(p) => ("phone", p.as_str()),
        };
        let sql =
            format!("SELECT id, password_hash, email_confirmed FROM people WHERE {column} = $1");
        sqlx::query_as::<_, Credentials>(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db)
    }

    /// U-REG-6: a phone with a cabinet, or an e-mail confirmed in one, cannot register again.
    async fn check_unique(&self, phone: &str, email: &str) -> Result<(), ApiError> {
        let phone_taken =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM people WHERE phone = $1")
                .bind(phone)
                .fetch_one(&self.db.pool)
                .await
                .map_err(db)?
                > 0;
        let email_taken = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM people WHERE email = $1 AND email_confirmed = 1",
        )
        .bind(email)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)?
            > 0;
        let mut errors = shared::error::FieldErrors::new();
        if phone_taken {
            errors.add("phone", PHONE_TAKEN_MESSAGE);
        }
        if email_taken {
            errors.add("email", EMAIL_TAKEN_MESSAGE);
        }
        errors.into_result()
    }

    async fn load_draft(
        &self,
        draft: &str,
    ) -> Result<Option<(RegistrationDraft, String)>, ApiError> {
        let row = sqlx::query_as::<_, (String, String, String, String, String)>(
            "SELECT last_name, first_name, phone, email, password_hash FROM registration_drafts \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash(draft))
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|(last_name, first_name, phone, email, hash)| {
            (
                RegistrationDraft {
                    token: draft.to_string(),
                    last_name,
                    first_name,
                    phone,
                    email,
                },
                hash,
            )
        }))
    }

    /// Creates a person with a hashed password; returns the new id.
    pub async fn create_person(&self, person: NewPerson) -> Result<i64, ApiError> {
        let hash = self.hasher.hash(person.password).await?;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO people (last_name, first_name, phone, email, email_confirmed, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(person.last_name)
        .bind(person.first_name)
        .bind(person.phone.as_str())
        .bind(person.email.as_str())
        .bind(i32::from(person.email_confirmed))
        .bind(hash)
        .bind(self.clock.unix())
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)
    }

    fn new_token() -> String {
        random_token(32)
    }

    /// Opens a session for a person who has proven who they are.
    pub(crate) async fn open_session(
        &self,
        person_id: i64,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError> {
        let token = Self::new_token();
        let now = self.clock.unix();
        sqlx::query(
            "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $3, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(person_id)
        .bind(now)
        .bind(now + SESSION_ABSOLUTE_SECS)
        .bind(client.ip)
        .bind(client.user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(NewSession {
            token,
            max_age_secs: SESSION_ABSOLUTE_SECS,
        })
    }
}

#[async_trait]
impl IdentityPort for IdentityService {
    async fn sign_in_with_password(
        &self,
        login: Login,
        password: String,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError> {
        let login_key = format!("signin:login:{}", login_address(&login));
        let mut checks = vec![(login_key.clone(), SIGN_IN_PER_LOGIN)];
        if let Some(key) = self.limits.ip_key("signin", client.ip.as_deref()) {
            checks.push((key, SIGN_IN_PER_IP));
        }
        // A hashing slot before the attempt is counted: when the server is too busy to check
        // a password within `KABINET_PASSWORD_WAIT_MS` the customer is asked to retry (503),
        // and the try does not count as a failed sign-in.
        let permit = self.hasher.permit().await?;
        self.limits.hit_all(&checks).await?;
        let found = self.find_by_login(&login).await?;
        let hash = found.as_ref().map(|c| c.password_hash.clone());
        let matches = permit.verify(password, hash).await?;
        let person = match found {
            Some(person) if matches => person,
            _ => return Err(ApiError::refused(WRONG_CREDENTIALS_MESSAGE)),
        };
        if matches!(login, Login::Email(_)) && person.email_confirmed == 0 {
            return Err(ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE));
        }
        self.limits.reset(&login_key).await?;
        self.open_session(person.id, client).await
    }

    async fn person_by_session(&self, token: &str) -> Result<Option<PersonSummary>, ApiError> {
        let now = self.clock.unix();
        let hash = token_hash(token);
        // Marks the session used and reads it in one statement, only while it is alive.
        let person_id = sqlx::query_scalar::<_, i64>(
            "UPDATE sessions SET last_seen_at = $2 \
             WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3 RETURNING person_id",
        )
        .bind(&hash)
        .bind(now)
        .bind(now - SESSION_IDLE_SECS)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some(person_id) = person_id else {
            return Ok(None);
        };
        type Row = (
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            i32,
            i32,
            i64,
            i64,
            i64,
        );
        // The counts of the sections shown inactive when empty (U-INF-1) come along.
        let row = sqlx::query_as::<_, Row>(
            "SELECT last_name, first_name, middle_name, phone, email, email_confirmed, show_hints, \
             (SELECT COUNT(*) FROM notices n WHERE n.person_id = people.id AND n.read_at IS NULL), \
             (SELECT COUNT(*) FROM polls p WHERE (p.active = 1 AND (p.ends_on IS NULL OR p.ends_on >= $2)) \
                OR EXISTS (SELECT 1 FROM poll_responses r WHERE r.poll_id = p.id AND r.person_id = people.id)), \
             (SELECT COUNT(*) FROM promotions m WHERE m.starts_on <= $2 AND m.ends_on >= $2) \
             FROM people WHERE id = $1",
        )
        .bind(person_id)
        .bind(self.clock.today().iso())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(row.map(
            |(
                last_name,
                first_name,
                middle_name,
                phone,
                email,
                confirmed,
                hints,
                unread,
                polls,
                promotions,
            )| {
                PersonSummary {
                    last_name,
                    first_name,
                    middle_name,
                    phone,
                    email,
                    email_confirmed: confirmed != 0,
                    show_hints: hints != 0,
                    unread_notices: count(unread),
                    polls: count(polls),
                    promotions: count(promotions),
                }
            },
        ))
    }

    async fn sign_out(&self, token: &str) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn send_sign_in_code(&self, login: Login, client: ClientInfo) -> Result<(), ApiError> {
        self.send_login_code(Purpose::SignIn, &login, &client).await
    }

    async fn sign_in_with_code(
        &self,
        login: Login,
        code: &str,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError> {
        let code = shared::person::parse_code(code).map_err(|m| ApiError::field("code", m))?;
        self.codes
            .verify(Purpose::SignIn, login_address(&login), &code)
            .await?;
        let Some(person) = self.find_by_login(&login).await? else {
            return Err(ApiError::field("login", unknown_login_message(&login)));
        };
        self.open_session(person.id, client).await
    }

    async fn send_recovery_code(&self, login: Login, client: ClientInfo) -> Result<(), ApiError> {
        self.send_login_code(Purpose::Recover, &login, &client)
            .await
    }

    async fn recover_password(
        &self,
        login: Login,
        code: &str,
        password: &str,
        repeat: &str,
    ) -> Result<(), ApiError> {
        let mut errors = shared::error::FieldErrors::new();
        let code = errors.check("code", shared::person::parse_code(code));
        let password = errors.check("password", shared::password::Password::parse(password));
        errors.check(
            "password_repeat",
            shared::password::Password::check_repeat(
                password.as_ref().map_or("", |p| p.expose()),
                repeat,
            ),
        );
        errors.into_result()?;
        let (Some(code), Some(password)) = (code, password) else {
            return Err(ApiError::Unavailable);
        };
        // The slot before the single-use code is spent: a busy server leaves the code valid.
        let permit = self.hasher.permit().await?;
        self.codes
            .verify(Purpose::Recover, login_address(&login), &code)
            .await?;
        let Some(person) = self.find_by_login(&login).await? else {
            return Err(ApiError::field("login", unknown_login_message(&login)));
        };
        let hash = permit.hash(password.into_inner()).await?;
        self.set_password(person.id, hash, None).await?;
        tracing::info!(person_id = person.id, "password recovered");
        Ok(())
    }

    async fn send_email_confirmation(
        &self,
        session: &str,
        client: ClientInfo,
    ) -> Result<(), ApiError> {
        let person_id = self.session_person(session).await?;
        let email = self.unconfirmed_email(person_id).await?;
        self.codes
            .send(
                Purpose::ConfirmEmail,
                Channel::Email,
                &email,
                client.ip.as_deref(),
            )
            .await
    }

    async fn confirm_email(&self, session: &str, code: &str) -> Result<(), ApiError> {
        let code = shared::person::parse_code(code).map_err(|m| ApiError::field("code", m))?;
        let person_id = self.session_person(session).await?;
        let email = self.unconfirmed_email(person_id).await?;
        self.codes
            .verify(Purpose::ConfirmEmail, &email, &code)
            .await?;
        sqlx::query("UPDATE people SET email_confirmed = 1 WHERE id = $1")
            .bind(person_id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn update_names(
        &self,
        session: &str,
        last_name: &str,
        first_name: &str,
        middle_name: &str,
    ) -> Result<(), ApiError> {
        use shared::person::{parse_name, parse_optional_name};
        let person_id = self.session_person(session).await?;
        let mut errors = shared::error::FieldErrors::new();
        let last = errors.check("last_name", parse_name(last_name));
        let first = errors.check("first_name", parse_name(first_name));
        let middle = errors.check("middle_name", parse_optional_name(middle_name));
        errors.into_result()?;
        sqlx::query(
            "UPDATE people SET last_name = $1, first_name = $2, middle_name = $3 WHERE id = $4",
        )
        .bind(last)
        .bind(first)
        .bind(middle.flatten())
        .bind(person_id)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn change_password(
        &self,
        session: &str,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Result<(), ApiError> {
        use shared::identity::SAME_PASSWORD_MESSAGE;
        use shared::password::Password;
        let person_id = self.session_person(session).await?;
        let mut errors = shared::error::FieldErrors::new();
        if current.is_empty() {
            errors.add("current_password", shared::contact::REQUIRED_MESSAGE);
        }
        let password = errors.check("password", Password::parse(new));
        errors.check("password_repeat", Password::check_repeat(new, repeat));
        if password.is_some() && new == current {
            errors.add("password", SAME_PASSWORD_MESSAGE);
        }
        errors.into_result()?;
        let Some(password) = password else {
            return Err(ApiError::Unavailable);
        };
        self.check_current_password(person_id, current).await?;
        let new_hash = self.hasher.hash(password.into_inner()).await?;
        self.set_password(person_id, new_hash, Some(session))
            .await?;
        Ok(())
    }

    async fn request_contact_change(
        &self,
        session: &str,
        kind: shared::identity::LoginKind,
        value: &str,
        client: ClientInfo,
    ) -> Result<String, ApiError> {
        let person_id = self.session_person(session).await?;
        let login = kind
            .parse(value)
            .map_err(|e| ApiError::field("value", e.to_string()))?;
        let address = login_address(&login).to_string();
        self.check_contact_free(person_id, &login).await?;
        let (purpose, channel) = match login {
            Login::Phone(_) => (Purpose::ChangePhone, Channel::Sms),
            Login::Email(_) => (Purpose::ChangeEmail, Channel::Email),
        };
        self.codes
            .send(purpose, channel, &address, client.ip.as_deref())
            .await?;
        Ok(address)
    }

    async fn confirm_contact_change(
        &self,
        session: &str,
        kind: shared::identity::LoginKind,
        value: &str,
        code: &str,
    ) -> Result<(), ApiError> {
        let person_id = self.session_person(session).await?;
        let login = kind
            .parse(value)
            .map_err(|e| ApiError::field("value", e.to_string()))?;
        let code = shared::person::parse_code(code).map_err(|m| ApiError::field("code", m))?;
        self.check_contact_free(person_id, &login).await?;
        let address = login_address(&login);
        let (purpose, sql) = match login {
            Login::Phone(_) => (
                Purpose::ChangePhone,
                "UPDATE people SET phone = $1 WHERE id = $2",
            ),
            Login::Email(_) => (
                Purpose::ChangeEmail,
                "UPDATE people SET email = $1, email_confirmed = 1 WHERE id = $2",
            ),
        };
        self.codes.verify(purpose, address, &code).await?;
        if matches!(login, Login::Email(_)) {
            // An address nobody confirmed goes to the one who proves it is theirs.
            sqlx::query("UPDATE people SET email = NULL WHERE email = $1 AND email_confirmed = 0 AND id <> $2")
                .bind(address)
                .bind(person_id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
        }
        sqlx::query(sql)
            .bind(address)
            .bind(person_id)
            .execute(&self.db.pool)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                    ApiError::field("value", taken_message(&login))
                }
                _ => db(e),
            })?;
        Ok(())
    }

    async fn delete_account(&self, session: &str, current_password: &str) -> Result<(), ApiError> {
        let person_id = self.session_person(session).await?;
        if current_password.is_empty() {
            return Err(ApiError::field(
                "current_password",
                shared::contact::REQUIRED_MESSAGE,
            ));
        }
        self.check_current_password(person_id, current_password)
            .await?;
        // Sessions, consents and QR sign-ins go with the person (ON DELETE CASCADE).
        sqlx::query("DELETE FROM people WHERE id = $1")
            .bind(person_id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        tracing::info!(person_id, "account deleted by its owner");
        Ok(())
    }

    async fn verify_password(&self, session: &str, password: &str) -> Result<(), ApiError> {
        let person_id = self.session_person(session).await?;
        if password.is_empty() {
            return Err(ApiError::field(
                "current_password",
                shared::contact::REQUIRED_MESSAGE,
            ));
        }
        self.check_current_password(person_id, password).await
    }

    async fn set_show_hints(&self, session: &str, show: bool) -> Result<(), ApiError> {
        let person_id = self.session_person(session).await?;
        sqlx::query("UPDATE people SET show_hints = $1 WHERE id = $2")
            .bind(i32::from(show))
            .bind(person_id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn start_registration(
        &self,
        input: RegistrationInput,
        client: ClientInfo,
    ) -> Result<RegistrationDraft, ApiError> {
        let registration = input.validate()?;
        self.check_unique(registration.phone.as_str(), registration.email.as_str())
            .await?;
        // The slot before the code goes out: a busy server sends nothing and counts nothing
        // against the customer's limit of codes; the hash waits for the code's limits, so
        // refused requests cost no hashing.
        let permit = self.hasher.permit().await?;
        self.codes
            .send(
                Purpose::Register,
                Channel::Sms,
                registration.phone.as_str(),
                client.ip.as_deref(),
            )
            .await?;
        let hash = permit.hash(registration.password.into_inner()).await?;
        let token = Self::new_token();
        let now = self.clock.unix();
        sqlx::query(
            "INSERT INTO registration_drafts (token_hash, last_name, first_name, phone, email, password_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash(&token))
        .bind(&registration.last_name)
        .bind(&registration.first_name)
        .bind(registration.phone.as_str())
        .bind(registration.email.as_str())
        .bind(hash)
        .bind(now)
        .bind(now + DRAFT_TTL_SECS)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(RegistrationDraft {
            token,
            last_name: registration.last_name,
            first_name: registration.first_name,
            phone: registration.phone.as_str().to_string(),
            email: registration.email.as_str().to_string(),
        })
    }

    async fn resend_registration_code(
        &self,
        draft: &str,
        client: ClientInfo,
    ) -> Result<(), ApiError> {
        let Some((draft, _)) = self.load_draft(draft).await? else {
            return Err(ApiError::refused(DRAFT_EXPIRED_MESSAGE));
        };
        self.codes
            .send(
                Purpose::Register,
                Channel::Sms,
                &draft.phone,
                client.ip.as_deref(),
            )
            .await
    }

    async fn registration_draft(&self, draft: &str) -> Result<Option<RegistrationDraft>, ApiError> {
        Ok(self.load_draft(draft).await?.map(|(d, _)| d))
    }

    async fn complete_registration(
        &self,
        draft: &str,
        code: &str,
        consent: bool,
        client: ClientInfo,
    ) -> Result<(), ApiError> {
        let mut errors = shared::error::FieldErrors::new();
        let code = errors.check("code", shared::person::parse_code(code));
        if !consent {
            errors.add("consent", CONSENT_REQUIRED_MESSAGE);
        }
        errors.into_result()?;
        let Some((draft_data, password_hash)) = self.load_draft(draft).await? else {
            return Err(ApiError::refused(DRAFT_EXPIRED_MESSAGE));
        };
        self.codes
            .verify(
                Purpose::Register,
                &draft_data.phone,
                code.as_deref().unwrap_or_default(),
            )
            .await?;
        self.check_unique(&draft_data.phone, &draft_data.email)
            .await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        // An address never confirmed by the person who gave it goes to the one who registers now.
        sqlx::query("UPDATE people SET email = NULL WHERE email = $1 AND email_confirmed = 0")
            .bind(&draft_data.email)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let person_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO people (last_name, first_name, phone, email, email_confirmed, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id",
        )
        .bind(&draft_data.last_name)
        .bind(&draft_data.first_name)
        .bind(&draft_data.phone)
        .bind(&draft_data.email)
        .bind(&password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                ApiError::field("phone", PHONE_TAKEN_MESSAGE)
            }
            _ => db(e),
        })?;
        sqlx::query(
            "INSERT INTO consents (person_id, document, version, accepted_at, ip) VALUES ($1, 'personal-data-policy', $2, $3, $4)",
        )
        .bind(person_id)
        .bind(CONSENT_VERSION)
        .bind(now)
        .bind(client.ip)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM registration_drafts WHERE token_hash = $1")
            .bind(token_hash(draft))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        tracing::info!(person_id, "registered");
        Ok(())
    }
}
