//! The case engine (P-2, P-3, P-5, P-6): cases of every kind with their messages, files and
//! history, moved by staff through their kind's workflow (`shared::cases`), each move noticed
//! to the customer along the channels they chose (in the cabinet, e-mail, SMS), each staff action in the audit log.
//!
//! [`customer`] serves the cabinet's side (appeals, applications, documents, notices),
//! [`staff`] the back-office. The cabinet's assistant, which reads the FAQ kept here, is
//! `crate::utility::assistant`.
//!
//! The engine still reaches into the utility cabinet for the accounts a case names
//! (`utility::billing::service`) and for the channels a notice goes along
//! (`utility::delivery`); both move down into the platform when a second module needs them.

pub mod customer;
pub mod retention;
pub mod staff;

use crate::clock::{Clock, PROVIDER_UTC_OFFSET_SECS};
use crate::db::Db;
use crate::error::{db, internal};
use crate::files::FileStore;
use crate::identity::IdentityService;
use crate::password::Hasher;
use crate::rate_limit::RateLimiter;
use crate::utility::billing::service::AccountsService;
use crate::utility::delivery::DeliveryService;
use app::ports::IncomingFile;
use shared::ApiError;
use shared::cases::{CaseCard, CaseEvent, CaseFile, CaseKind, CaseMessage, CaseSummary, Status};
use shared::utility::delivery::NoticeKind;
use std::sync::Arc;

pub struct CasesService {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) identity: Arc<IdentityService>,
    pub(crate) accounts: Arc<AccountsService>,
    /// Every notice to a customer goes out along the channels they chose.
    pub(crate) delivery: Arc<DeliveryService>,
    pub(crate) files: Arc<dyn FileStore>,
    pub(crate) hasher: Hasher,
    pub(crate) limits: RateLimiter,
}

impl CasesService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        identity: Arc<IdentityService>,
        accounts: Arc<AccountsService>,
        delivery: Arc<DeliveryService>,
        files: Arc<dyn FileStore>,
        limits: RateLimiter,
    ) -> Self {
        Self {
            db,
            clock,
            // One limit on password hashing for customers and staff alike.
            hasher: identity.hasher().clone(),
            identity,
            accounts,
            delivery,
            files,
            limits,
        }
    }
}

/// «22.11.2026 14:05», Moscow time.
pub(crate) fn moscow(unix: i64) -> String {
    let t = jiff::Timestamp::from_second(unix + PROVIDER_UTC_OFFSET_SECS)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC);
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        t.day(),
        t.month(),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// «2026-11», the Moscow month of an instant.
fn moscow_month(unix: i64) -> String {
    let t = jiff::Timestamp::from_second(unix + PROVIDER_UTC_OFFSET_SECS)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC);
    format!("{:04}-{:02}", t.year(), t.month())
}

/// The first instant of a month in Moscow.
pub(crate) fn month_start(period: shared::utility::billing::Period) -> i64 {
    let year = i16::try_from(period.year()).unwrap_or(1970);
    let month = i8::try_from(period.month()).unwrap_or(1);
    jiff::civil::Date::new(year, month, 1)
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
        - PROVIDER_UTC_OFFSET_SECS
}

/// What a new case is.
pub(crate) struct NewCase<'a> {
    pub person: i64,
    pub account: Option<i64>,
    pub kind: CaseKind,
    pub topic: &'a str,
    pub subject: &'a str,
    pub fields: serde_json::Value,
    /// Already prefixed with the person, so that two people's keys never meet.
    pub key: &'a str,
}

/// The case a key already made, if any.
pub(crate) async fn case_by_key(
    database: &Db,
    key: &str,
) -> Result<Option<(i64, String)>, ApiError> {
    sqlx::query_as("SELECT id, number FROM cases WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(&database.pool)
        .await
        .map_err(db)
}

/// Opens a case with its first history entry, once per idempotency key, within `tx`; returns
/// its id and number, and whether it is new. Numbers read «YYMMDD-NNNN».
pub(crate) async fn open_case(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    clock: &dyn Clock,
    case: &NewCase<'_>,
) -> Result<(i64, String, bool), ApiError> {
    let today = clock.today();
    let now = clock.unix();
    for _ in 0..5 {
        let number = format!(
            "{:02}{:02}{:02}-{:04}",
            today.year % 100,
            today.month,
            today.day,
            rand::random_range(0..10_000)
        );
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO cases (number, person_id, account_id, kind, topic, subject, fields, \
             idempotency_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(&number)
        .bind(case.person)
        .bind(case.account)
        .bind(case.kind.code())
        .bind(case.topic)
        .bind(case.subject)
        .bind(case.fields.to_string())
        .bind(case.key)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?;
        if let Some(id) = inserted {
            sqlx::query(
                "INSERT INTO case_events (case_id, status, action, comment, created_at) \
                 VALUES ($1, $2, 'create', '', $3)",
            )
            .bind(id)
            .bind(Status::New.code())
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
            return Ok((id, number, true));
        }
        // Either the number was taken (try another) or the same key raced us (answer it).
        if let Some((id, number)) = sqlx::query_as::<_, (i64, String)>(
            "SELECT id, number FROM cases WHERE idempotency_key = $1",
        )
        .bind(case.key)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?
        {
            return Ok((id, number, false));
        }
    }
    Err(internal("no free case number after five tries"))
}

impl CasesService {
    /// Opens a case with the customer's first message, once per key (the callback, the web
    /// consultant, a shop order); its number.
    pub(crate) async fn open_with_message(
        &self,
        case: &NewCase<'_>,
        text: &str,
    ) -> Result<String, ApiError> {
        if let Some((_, number)) = case_by_key(&self.db, case.key).await? {
            return Ok(number);
        }
        let mut tx = self.db.begin().await.map_err(db)?;
        let (id, number, created) = open_case(&mut tx, &*self.clock, case).await?;
        if created && !text.trim().is_empty() {
            self.insert_message(&mut tx, id, None, text, None, &[])
                .await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(number)
    }
}

/// Opens a case in a transaction of its own (the notices and applications of the account
/// pages); returns its number.
pub(crate) async fn open_case_alone(
    database: &Db,
    clock: &dyn Clock,
    case: &NewCase<'_>,
) -> Result<String, ApiError> {
    if let Some((_, number)) = case_by_key(database, case.key).await? {
        return Ok(number);
    }
    let mut tx = database.begin().await.map_err(db)?;
    let (_, number, _) = open_case(&mut tx, clock, case).await?;
    tx.commit().await.map_err(db)?;
    Ok(number)
}

/// The columns of a case's line in lists, in [`SummaryRow`]'s order.
pub(crate) const SUMMARY_COLUMNS: &str = "c.id, c.number, c.kind, c.status, c.subject, \
     a.number AS account_number, c.created_at, \
     COALESCE(p.last_name || ' ' || p.first_name, '') AS customer, b.name AS branch, \
     s.name AS assignee, c.person_id, c.fields, c.rating, c.rating_comment \
     FROM cases c LEFT JOIN accounts a ON a.id = c.account_id \
     LEFT JOIN branches b ON b.id = a.branch_id LEFT JOIN people p ON p.id = c.person_id \
     LEFT JOIN staff s ON s.id = c.assignee_id";

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub status: String,
    pub subject: String,
    pub account_number: Option<String>,
    pub created_at: i64,
    pub customer: String,
    pub branch: Option<String>,
    pub assignee: Option<String>,
    pub person_id: Option<i64>,
    pub fields: String,
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
}

impl SummaryRow {
    pub(crate) fn kind(&self) -> CaseKind {
        CaseKind::from_code(&self.kind).unwrap_or(CaseKind::Application)
    }

    pub(crate) fn status(&self) -> Status {
        Status::from_code(&self.status).unwrap_or(Status::New)
    }

    pub(crate) fn summary(&self, now: i64) -> CaseSummary {
        CaseSummary {
            number: self.number.clone(),
            kind: self.kind(),
            status: self.status(),
            subject: self.subject.clone(),
            account_number: self.account_number.clone(),
            created_at: moscow(self.created_at),
            month: moscow_month(self.created_at),
            customer: self.customer.clone(),
            branch: self.branch.clone(),
            assignee: self.assignee.clone(),
            age_days: (now - self.created_at).max(0) / 86_400,
            files: Vec::new(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    staff_id: Option<i64>,
    staff_name: Option<String>,
    body: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    message_id: Option<i64>,
    staff_id: Option<i64>,
    file_name: String,
    size: i64,
}

/// The form's fields as caption and value, for the card.
fn shown_fields(kind: CaseKind, fields: &str) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_str(fields).unwrap_or_default();
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    if let Some(shown) = json.get("shown").and_then(|s| s.as_array()) {
        return shown
            .iter()
            .filter_map(|pair| {
                let pair = pair.as_array()?;
                Some((text(pair.first()?), text(pair.get(1)?)))
            })
            .collect();
    }
    match kind {
        CaseKind::DetailsChange => {
            let mut out: Vec<(String, String)> = json
                .get("requested")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .map(|r| {
                    let field = text(&r["field"]);
                    let caption = shared::utility::billing::DETAIL_FIELDS
                        .iter()
                        .find(|(k, _)| *k == field)
                        .map_or(field.clone(), |(_, c)| (*c).to_string());
                    (
                        caption,
                        format!("{} → {}", text(&r["was"]), text(&r["wanted"])),
                    )
                })
                .collect();
            let comment = text(&json["comment"]);
            if !comment.is_empty() {
                out.push(("Комментарий".into(), comment));
            }
            out
        }
        CaseKind::MeterFault => vec![
            ("Прибор учета".into(), text(&json["serial"])),
            ("Описание неисправности".into(), text(&json["description"])),
        ],
        CaseKind::ReceiptDelivery => vec![(
            "Квитанция".into(),
            if text(&json["delivery"]) == "electronic" {
                format!("электронная, на {}", text(&json["email"]))
            } else {
                format!("бумажная, по адресу {}", text(&json["address"]))
            },
        )],
        _ => Vec::new(),
    }
}

impl CasesService {
    /// A case's summary row by number, with the person it belongs to.
    pub(crate) async fn row(&self, number: &str) -> Result<SummaryRow, ApiError> {
        sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} WHERE c.number = $1"
        )))
        .bind(number.trim())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .ok_or(ApiError::NotFound)
    }

    /// The card of a case: fields, messages with their files, history.
    pub(crate) async fn card_of(
        &self,
        row: &SummaryRow,
        staff_view: bool,
    ) -> Result<CaseCard, ApiError> {
        let messages: Vec<MessageRow> = sqlx::query_as(
            "SELECT m.id, m.staff_id, s.name AS staff_name, m.body, m.created_at FROM case_messages m \
             LEFT JOIN staff s ON s.id = m.staff_id WHERE m.case_id = $1 ORDER BY m.id",
        )
        .bind(row.id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let files = self.files_of(row.id).await?;
        let customer_name = if staff_view {
            row.customer.clone()
        } else {
            "Вы".to_string()
        };
        let mut shown: Vec<CaseMessage> = messages
            .iter()
            .map(|m| CaseMessage {
                author: match (m.staff_id, &m.staff_name) {
                    (Some(_), Some(name)) => format!("Специалист: {name}"),
                    (Some(_), None) => "Специалист".to_string(),
                    _ => customer_name.clone(),
                },
                from_staff: m.staff_id.is_some(),
                body: m.body.clone(),
                at: moscow(m.created_at),
                files: files
                    .iter()
                    .filter(|(message, _)| *message == Some(m.id))
                    .map(|(_, f)| f.clone())
                    .collect(),
            })
            .collect();
        // Files not tied to a message (none today, but an import may bring them).
        let loose: Vec<CaseFile> = files
            .iter()
            .filter(|(message, _)| message.is_none())
            .map(|(_, f)| f.clone())
            .collect();
        if !loose.is_empty() {
            shown.push(CaseMessage {
                author: customer_name,
                from_staff: false,
                body: String::new(),
                at: moscow(row.created_at),
                files: loose,
            });
        }
        let events: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT e.status, e.action, s.name, e.comment, e.created_at FROM case_events e \
             LEFT JOIN staff s ON s.id = e.staff_id WHERE e.case_id = $1 ORDER BY e.id",
        )
        .bind(row.id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let kind = row.kind();
        let history = events
            .into_iter()
            .map(|(status, action, staff, comment, at)| CaseEvent {
                at: moscow(at),
                status: kind
                    .status_caption(Status::from_code(&status).unwrap_or(Status::New))
                    .to_string(),
                actor: match (staff, action.as_str()) {
                    (Some(name), _) => format!("Специалист: {name}"),
                    (None, "create") => "Заявитель".to_string(),
                    (None, _) => "Заявитель".to_string(),
                },
                comment,
            })
            .collect();
        let order = if kind == CaseKind::Order {
            let found: Option<(i64, Option<i64>)> =
                sqlx::query_as("SELECT price, paid_at FROM shop_orders WHERE case_id = $1")
                    .bind(row.id)
                    .fetch_optional(&self.db.pool)
                    .await
                    .map_err(db)?;
            found.map(|(price, paid_at)| shared::utility::info::OrderPayment {
                price: shared::Kopecks(price),
                paid: paid_at.is_some(),
            })
        } else {
            None
        };
        Ok(CaseCard {
            summary: row.summary(self.clock.unix()),
            fields: shown_fields(kind, &row.fields),
            messages: shown,
            history,
            rating: row.rating.and_then(|r| u8::try_from(r).ok()),
            rating_comment: row.rating_comment.clone(),
            order,
        })
    }

    /// The files of a case with the message each came with, oldest first.
    pub(crate) async fn files_of(
        &self,
        case: i64,
    ) -> Result<Vec<(Option<i64>, CaseFile)>, ApiError> {
        let rows: Vec<FileRow> = sqlx::query_as(
            "SELECT id, message_id, staff_id, file_name, size FROM case_files WHERE case_id = $1 ORDER BY id",
        )
        .bind(case)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.message_id,
                    CaseFile {
                        id: r.id,
                        name: r.file_name,
                        size: u64::try_from(r.size).unwrap_or(0),
                        from_staff: r.staff_id.is_some(),
                    },
                )
            })
            .collect())
    }

    /// Stores the files and records them with a message (when `message` is given) of `case`.
    pub(crate) async fn store_files(
        &self,
        files: &[IncomingFile],
    ) -> Result<Vec<(String, String, shared::cases::FileType, i64)>, ApiError> {
        let mut stored: Vec<(String, String, shared::cases::FileType, i64)> = Vec::new();
        for f in files {
            let name = crate::files::clean_name(&f.name);
            let Some(kind) = crate::files::sniff(&f.bytes) else {
                // Nothing of this submission is kept.
                self.discard(&stored).await;
                return Err(ApiError::field(
                    shared::cases::field::FILES,
                    shared::cases::unsupported_file(&name),
                ));
            };
            let key = self.files.put(&f.bytes).await.map_err(internal)?;
            stored.push((
                key,
                name,
                kind,
                i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
            ));
        }
        Ok(stored)
    }

    /// Removes files stored for a submission that was refused or had already been made.
    pub(crate) async fn discard(&self, stored: &[(String, String, shared::cases::FileType, i64)]) {
        for (key, ..) in stored {
            if let Err(e) = self.files.delete(key).await {
                tracing::warn!(error = %e, "an unused case file stays in the store");
            }
        }
    }

    /// Adds a message with its (already stored) files to a case within `tx`.
    pub(crate) async fn insert_message(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        case: i64,
        staff: Option<i64>,
        body: &str,
        key: Option<&str>,
        files: &[(String, String, shared::cases::FileType, i64)],
    ) -> Result<i64, ApiError> {
        let now = self.clock.unix();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_messages (case_id, staff_id, body, idempotency_key, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(case)
        .bind(staff)
        .bind(body.trim())
        .bind(key)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
        for (storage_key, name, kind, size) in files {
            sqlx::query(
                "INSERT INTO case_files (case_id, message_id, staff_id, storage_key, file_name, \
                 content_type, size, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(case)
            .bind(id)
            .bind(staff)
            .bind(storage_key)
            .bind(name)
            .bind(kind.mime())
            .bind(size)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        }
        Ok(id)
    }

    /// Tells the customer about their case along the channels they keep on for case
    /// updates (U-PRF-5): in the cabinet, by e-mail, by SMS.
    pub(crate) async fn notify(
        &self,
        person: Option<i64>,
        title: &str,
        body: &str,
        link: &str,
    ) -> Result<(), ApiError> {
        let Some(person) = person else { return Ok(()) };
        self.delivery
            .notify(person, NoticeKind::Cases, title, body, link)
            .await
    }

    /// Who may download a file: its case's customer, or any staff member.
    pub async fn file_for(
        &self,
        file: i64,
        session: Option<&str>,
        staff: Option<&str>,
    ) -> Result<(String, String, Vec<u8>), ApiError> {
        let row: Option<(Option<i64>, String, String, String)> = sqlx::query_as(
            "SELECT c.person_id, f.storage_key, f.file_name, f.content_type FROM case_files f \
             JOIN cases c ON c.id = f.case_id WHERE f.id = $1",
        )
        .bind(file)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let (owner, key, name, mime) = row.ok_or(ApiError::NotFound)?;
        let staff_ok = match staff {
            Some(token) => self.staff_of(token).await.is_ok(),
            None => false,
        };
        if !staff_ok {
            let session = session.ok_or(ApiError::Unauthorized)?;
            let person = self.identity.session_person(session).await?;
            if owner != Some(person) {
                return Err(ApiError::Forbidden);
            }
        }
        let bytes = self.files.get(&key).await.map_err(internal)?;
        Ok((name, mime, bytes))
    }
}
