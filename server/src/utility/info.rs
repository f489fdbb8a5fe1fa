//! The information sections (U-INF-1; seed 003 §2.13–2.17): the provider's shop with orders,
//! promotions, polls answered once, offices with appointments, the callback request and the
//! web consultant (the last three as cases for staff), and their back-office management.

use crate::cases::{CasesService, NewCase};
use crate::clock::{Clock, PROVIDER_UTC_OFFSET_SECS};
use crate::db::Db;
use crate::error::db;
use crate::identity::IdentityService;
use app::utility::ports::{InfoPort, NewQuestion};
use async_trait::async_trait;
use shared::ApiError;
use shared::Kopecks;
use shared::cases::{CaseKind, Role};
use shared::error::FieldErrors;
use shared::utility::billing::Day;
use shared::utility::info::*;
use std::sync::Arc;

pub struct InfoService {
    db: Db,
    clock: Arc<dyn Clock>,
    identity: Arc<IdentityService>,
    cases: Arc<CasesService>,
}

#[derive(sqlx::FromRow)]
struct ShopRow {
    id: i64,
    title: String,
    description: String,
    price: i64,
    unit: String,
    active: i32,
}

impl ShopRow {
    fn item(self) -> ShopItem {
        ShopItem {
            id: self.id,
            title: self.title,
            description: self.description,
            price: Kopecks(self.price),
            unit: self.unit,
            active: self.active != 0,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PromotionRow {
    id: i64,
    title: String,
    body: String,
    starts_on: String,
    ends_on: String,
}

impl PromotionRow {
    fn promotion(self) -> Option<Promotion> {
        Some(Promotion {
            id: self.id,
            title: self.title,
            body: self.body,
            starts_on: Day::parse(&self.starts_on)?,
            ends_on: Day::parse(&self.ends_on)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PollRow {
    id: i64,
    title: String,
    description: String,
    ends_on: Option<String>,
    active: i32,
    answered: i64,
    answers: i64,
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    office: String,
    address: String,
    day: String,
    minute: i32,
    topic: String,
    cancelled_at: Option<i64>,
    customer: String,
}

const BOOKING_COLUMNS: &str = "b.id, o.name AS office, o.address, s.day, s.minute, b.topic, \
     b.cancelled_at, COALESCE(p.last_name || ' ' || p.first_name || ', ' || p.phone, '') AS customer \
     FROM bookings b JOIN appointment_slots s ON s.id = b.slot_id \
     JOIN offices o ON o.id = s.office_id LEFT JOIN people p ON p.id = b.person_id";

impl InfoService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        identity: Arc<IdentityService>,
        cases: Arc<CasesService>,
    ) -> Self {
        Self {
            db,
            clock,
            identity,
            cases,
        }
    }

    /// The provider's minute of the day now.
    fn minute_now(&self) -> i32 {
        i32::try_from((self.clock.unix() + PROVIDER_UTC_OFFSET_SECS).rem_euclid(86_400) / 60)
            .unwrap_or(0)
    }

    fn booking(&self, row: BookingRow) -> Booking {
        let today = self.clock.today().iso();
        let upcoming = row.cancelled_at.is_none()
            && (row.day > today || (row.day == today && row.minute > self.minute_now()));
        let when = format!(
            "{} {}",
            Day::parse(&row.day).map_or(row.day.clone(), Day::caption),
            time_caption(u32::try_from(row.minute).unwrap_or(0))
        );
        Booking {
            id: row.id,
            office: row.office,
            address: row.address,
            when,
            topic: row.topic,
            cancelled: row.cancelled_at.is_some(),
            upcoming,
            customer: row.customer,
        }
    }

    /// The polls: every one for staff (`person` none), else those the person can see.
    async fn poll_list(&self, person: Option<i64>) -> Result<Vec<Poll>, ApiError> {
        let today = self.clock.today().iso();
        let rows: Vec<PollRow> = sqlx::query_as(
            "SELECT p.id, p.title, p.description, p.ends_on, p.active, \
               (SELECT COUNT(*) FROM poll_responses r WHERE r.poll_id = p.id AND r.person_id = $1) AS answered, \
               (SELECT COUNT(*) FROM poll_responses r WHERE r.poll_id = p.id) AS answers \
             FROM polls p \
             WHERE $2 = 1 OR (p.active = 1 AND (p.ends_on IS NULL OR p.ends_on >= $3)) \
               OR EXISTS (SELECT 1 FROM poll_responses r WHERE r.poll_id = p.id AND r.person_id = $1) \
             ORDER BY p.id DESC",
        )
        .bind(person.unwrap_or(0))
        .bind(i32::from(person.is_none()))
        .bind(&today)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut polls = Vec::with_capacity(rows.len());
        for row in rows {
            let questions = self.questions(row.id, person.is_none()).await?;
            let open =
                row.active != 0 && row.ends_on.as_deref().is_none_or(|e| e >= today.as_str());
            polls.push(Poll {
                id: row.id,
                title: row.title,
                description: row.description,
                ends_on: row.ends_on.as_deref().and_then(Day::parse),
                questions,
                answered: row.answered > 0,
                open,
                answers: if person.is_none() { row.answers } else { 0 },
            });
        }
        Ok(polls)
    }

    /// A poll's questions, with the results when `results`.
    async fn questions(&self, poll: i64, results: bool) -> Result<Vec<PollQuestion>, ApiError> {
        let questions: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, text, kind FROM poll_questions WHERE poll_id = $1 ORDER BY position, id",
        )
        .bind(poll)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut out = Vec::with_capacity(questions.len());
        for (id, text, kind) in questions {
            let options: Vec<(i64, String, i64)> = sqlx::query_as(
                "SELECT o.id, o.text, (SELECT COUNT(*) FROM poll_answers a WHERE a.option_id = o.id) \
                 FROM poll_options o WHERE o.question_id = $1 ORDER BY o.position, o.id",
            )
            .bind(id)
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)?;
            let texts: Vec<String> = if results {
                sqlx::query_scalar(
                    "SELECT text FROM poll_answers WHERE question_id = $1 AND text IS NOT NULL \
                     ORDER BY response_id DESC LIMIT 200",
                )
                .bind(id)
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?
            } else {
                Vec::new()
            };
            out.push(PollQuestion {
                id,
                text,
                kind: QuestionKind::from_code(&kind).unwrap_or(QuestionKind::Text),
                options: options
                    .into_iter()
                    .map(|(id, text, votes)| PollOption {
                        id,
                        text,
                        votes: if results { votes } else { 0 },
                    })
                    .collect(),
                texts,
            });
        }
        Ok(out)
    }

    /// A customer's case of `kind` with their first message; its number.
    #[allow(clippy::too_many_arguments)]
    async fn open(
        &self,
        person: i64,
        account: Option<i64>,
        kind: CaseKind,
        subject: &str,
        shown: Vec<(&str, String)>,
        text: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let key = format!("{person}:{}", idempotency_key.trim());
        let shown: Vec<[String; 2]> = shown
            .into_iter()
            .map(|(caption, value)| [caption.to_string(), value])
            .collect();
        self.cases
            .open_with_message(
                &NewCase {
                    person,
                    account,
                    kind,
                    topic: kind.code(),
                    subject,
                    fields: serde_json::json!({ "shown": shown }),
                    key: &key,
                },
                text,
            )
            .await
    }
}

#[async_trait]
impl InfoPort for InfoService {
    async fn shop(&self) -> Result<Vec<ShopItem>, ApiError> {
        let rows: Vec<ShopRow> = sqlx::query_as(
            "SELECT id, title, description, price, unit, active FROM shop_items WHERE active = 1 ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(ShopRow::item).collect())
    }

    async fn order(
        &self,
        session: &str,
        item: i64,
        account: Option<i64>,
        phone: &str,
        comment: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let person = self.identity.session_person(session).await?;
        check_order(account, phone, comment)?;
        let account = account.ok_or(ApiError::NotFound)?;
        let row = self.cases.accounts.linked_to(person, account).await?;
        let item: ShopRow = sqlx::query_as(
            "SELECT id, title, description, price, unit, active FROM shop_items WHERE id = $1 AND active = 1",
        )
        .bind(item)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .ok_or(ApiError::NotFound)?;
        let price = Kopecks(item.price);
        let subject = format!("Заказ: {}", item.title);
        let number = self
            .open(
                person,
                Some(account),
                CaseKind::Order,
                &subject,
                vec![
                    ("Товар или услуга", item.title.clone()),
                    ("Цена", format!("{price} {}", item.unit).trim().to_string()),
                    ("Адрес", row.address.clone()),
                    ("Телефон", phone.trim().to_string()),
                ],
                comment,
                idempotency_key,
            )
            .await?;
        // The price to pay ([Оплатить заказ] on the case's card), once per order.
        sqlx::query(
            "INSERT INTO shop_orders (case_id, item_id, account_id, price, created_at) \
             SELECT id, $2, $3, $4, $5 FROM cases WHERE number = $1 \
             ON CONFLICT (case_id) DO NOTHING",
        )
        .bind(&number)
        .bind(item.id)
        .bind(account)
        .bind(price.0)
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(number)
    }

    async fn promotions(&self) -> Result<Vec<Promotion>, ApiError> {
        let today = self.clock.today().iso();
        let rows: Vec<PromotionRow> = sqlx::query_as(
            "SELECT id, title, body, starts_on, ends_on FROM promotions \
             WHERE starts_on <= $1 AND ends_on >= $1 ORDER BY ends_on, id",
        )
        .bind(today)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .filter_map(PromotionRow::promotion)
            .collect())
    }

    async fn polls(&self, session: &str) -> Result<Vec<Poll>, ApiError> {
        let person = self.identity.session_person(session).await?;
        self.poll_list(Some(person)).await
    }

    async fn answer_poll(
        &self,
        session: &str,
        poll: i64,
        answers: &[PollAnswer],
    ) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        let found = self
            .poll_list(Some(person))
            .await?
            .into_iter()
            .find(|p| p.id == poll)
            .ok_or(ApiError::NotFound)?;
        if found.answered {
            return Err(ApiError::refused(POLL_ALREADY_ANSWERED));
        }
        if !found.open {
            return Err(ApiError::refused("Опрос завершен."));
        }
        check_poll_answers(&found, answers)?;
        let mut tx = self.db.begin().await.map_err(db)?;
        let response: Option<i64> = sqlx::query_scalar(
            "INSERT INTO poll_responses (poll_id, person_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (poll_id, person_id) DO NOTHING RETURNING id",
        )
        .bind(poll)
        .bind(person)
        .bind(self.clock.unix())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(response) = response else {
            return Err(ApiError::refused(POLL_ALREADY_ANSWERED));
        };
        for question in &found.questions {
            let Some(answer) = answers.iter().find(|a| a.question == question.id) else {
                continue;
            };
            if question.kind == QuestionKind::Text {
                sqlx::query(
                    "INSERT INTO poll_answers (response_id, question_id, option_id, text) VALUES ($1, $2, NULL, $3)",
                )
                .bind(response)
                .bind(question.id)
                .bind(answer.text.trim())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            } else {
                for option in &answer.options {
                    sqlx::query(
                        "INSERT INTO poll_answers (response_id, question_id, option_id, text) VALUES ($1, $2, $3, NULL)",
                    )
                    .bind(response)
                    .bind(question.id)
                    .bind(*option)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
            }
        }
        tx.commit().await.map_err(db)
    }

    async fn offices(&self) -> Result<Vec<Office>, ApiError> {
        let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, name, address, hours, phone FROM offices WHERE active = 1 ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, address, hours, phone)| Office {
                id,
                name,
                address,
                hours,
                phone,
            })
            .collect())
    }

    async fn booking_sheet(
        &self,
        session: &str,
        office: Option<i64>,
        day: Option<&str>,
    ) -> Result<BookingSheet, ApiError> {
        let person = self.identity.session_person(session).await?;
        let offices = self.offices().await?;
        let today = self.clock.today();
        let last = today.add_days(BOOKING_DAYS_AHEAD);
        let office = office.filter(|o| offices.iter().any(|x| x.id == *o));
        let day = day
            .and_then(Day::parse)
            .filter(|d| *d >= today && *d <= last);
        let slots = match (office, day) {
            (Some(office), Some(day)) => {
                let minute_floor = if day == today { self.minute_now() } else { -1 };
                let rows: Vec<(i64, i32)> = sqlx::query_as(
                    "SELECT s.id, s.minute FROM appointment_slots s WHERE s.office_id = $1 AND s.day = $2 \
                     AND s.minute > $3 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id \
                     AND b.cancelled_at IS NULL) ORDER BY s.minute",
                )
                .bind(office)
                .bind(day.iso())
                .bind(minute_floor)
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
                rows.into_iter()
                    .map(|(id, minute)| Slot {
                        id,
                        office_id: office,
                        time: time_caption(u32::try_from(minute).unwrap_or(0)),
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} WHERE b.person_id = $1 ORDER BY s.day DESC, s.minute DESC LIMIT 50"
        )))
        .bind(person)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(BookingSheet {
            offices,
            office,
            day,
            first_day: Some(today),
            last_day: Some(last),
            slots,
            bookings: rows.into_iter().map(|r| self.booking(r)).collect(),
        })
    }

    async fn book(&self, session: &str, slot: i64, topic: &str) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        check_short_text(topic).map_err(|m| ApiError::field("topic", m))?;
        let found: Option<(String, i32)> =
            sqlx::query_as("SELECT day, minute FROM appointment_slots WHERE id = $1")
                .bind(slot)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        let (day, minute) =
            found.ok_or_else(|| ApiError::field("slot", "Выберите время приема"))?;
        let today = self.clock.today().iso();
        if day < today || (day == today && minute <= self.minute_now()) {
            return Err(ApiError::field("slot", SLOT_TAKEN_MESSAGE));
        }
        // The same customer sending the same slot twice keeps one booking.
        let own: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM bookings WHERE slot_id = $1 AND person_id = $2 AND cancelled_at IS NULL",
        )
        .bind(slot)
        .bind(person)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        if own.is_some() {
            return Ok(());
        }
        let inserted = sqlx::query(
            "INSERT INTO bookings (slot_id, person_id, topic, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(slot)
        .bind(person)
        .bind(topic.trim())
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        if inserted.rows_affected() == 0 {
            return Err(ApiError::field("slot", SLOT_TAKEN_MESSAGE));
        }
        Ok(())
    }

    async fn cancel_booking(&self, session: &str, booking: i64) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        let done = sqlx::query(
            "UPDATE bookings SET cancelled_at = $1 WHERE id = $2 AND person_id = $3 AND cancelled_at IS NULL",
        )
        .bind(self.clock.unix())
        .bind(booking)
        .bind(person)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        // Cancelling twice (a repeated request) is done already; another's booking is not found.
        if done.rows_affected() == 0 {
            let mine: Option<i64> =
                sqlx::query_scalar("SELECT id FROM bookings WHERE id = $1 AND person_id = $2")
                    .bind(booking)
                    .bind(person)
                    .fetch_optional(&self.db.pool)
                    .await
                    .map_err(db)?;
            mine.ok_or(ApiError::NotFound)?;
        }
        Ok(())
    }

    async fn callback(
        &self,
        session: &str,
        phone: &str,
        time: &str,
        topic: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let person = self.identity.session_person(session).await?;
        check_callback(phone, time, topic)?;
        let phone = shared::contact::Phone::parse(phone)
            .map(|p| p.display())
            .unwrap_or_else(|_| phone.trim().to_string());
        self.open(
            person,
            None,
            CaseKind::Callback,
            &format!("Обратный звонок: {}", topic.trim()),
            vec![
                ("Телефон", phone),
                ("Удобное время", time.trim().to_string()),
            ],
            topic,
            idempotency_key,
        )
        .await
    }

    async fn consult(
        &self,
        session: &str,
        question: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let person = self.identity.session_person(session).await?;
        shared::cases::check_message(question, &[]).into_result()?;
        let subject: String = question.trim().chars().take(80).collect();
        self.open(
            person,
            None,
            CaseKind::Consultation,
            &subject,
            Vec::new(),
            question,
            idempotency_key,
        )
        .await
    }

    async fn staff_shop(&self, token: &str) -> Result<Vec<ShopItem>, ApiError> {
        self.cases.staff_of(token).await?;
        let rows: Vec<ShopRow> = sqlx::query_as(
            "SELECT id, title, description, price, unit, active FROM shop_items ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(ShopRow::item).collect())
    }

    async fn save_shop_item(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        description: &str,
        price: &str,
        unit: &str,
        active: bool,
    ) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let mut errors = FieldErrors::new();
        errors.require("title", title);
        let price = match Kopecks::parse(price) {
            Ok(p) if p.0 > 0 => Some(p),
            _ => {
                errors.add("price", "Укажите цену в рублях, например 1500 или 1500,50");
                None
            }
        };
        errors.into_result()?;
        let price = price.ok_or(ApiError::Unavailable)?;
        match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE shop_items SET title = $1, description = $2, price = $3, unit = $4, active = $5 WHERE id = $6",
                )
                .bind(title.trim())
                .bind(description.trim())
                .bind(price.0)
                .bind(unit.trim())
                .bind(i32::from(active))
                .bind(id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
                if done.rows_affected() == 0 {
                    return Err(ApiError::NotFound);
                }
            }
            None => {
                sqlx::query(
                    "INSERT INTO shop_items (title, description, price, unit, active, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(title.trim())
                .bind(description.trim())
                .bind(price.0)
                .bind(unit.trim())
                .bind(i32::from(active))
                .bind(self.clock.unix())
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
            }
        }
        self.cases
            .audit_log(
                Some(staff.id),
                "info.shop_item",
                title.trim(),
                &price.to_string(),
            )
            .await
    }

    async fn staff_promotions(&self, token: &str) -> Result<Vec<Promotion>, ApiError> {
        self.cases.staff_of(token).await?;
        let rows: Vec<PromotionRow> = sqlx::query_as(
            "SELECT id, title, body, starts_on, ends_on FROM promotions ORDER BY ends_on DESC, id DESC",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .filter_map(PromotionRow::promotion)
            .collect())
    }

    async fn save_promotion(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        body: &str,
        starts_on: &str,
        ends_on: &str,
    ) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let mut errors = FieldErrors::new();
        errors.require("title", title);
        let starts = Day::parse(starts_on);
        let ends = Day::parse(ends_on);
        if starts.is_none() {
            errors.add("starts_on", "Укажите дату начала");
        }
        if ends.is_none() {
            errors.add("ends_on", "Укажите дату окончания");
        }
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s
        {
            errors.add("ends_on", "Дата окончания раньше даты начала");
        }
        errors.into_result()?;
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return Err(ApiError::Unavailable);
        };
        let query = match id {
            Some(_) => {
                "UPDATE promotions SET title = $1, body = $2, starts_on = $3, ends_on = $4 WHERE id = $5"
            }
            None => {
                "INSERT INTO promotions (title, body, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5)"
            }
        };
        sqlx::query(query)
            .bind(title.trim())
            .bind(body.trim())
            .bind(starts.iso())
            .bind(ends.iso())
            .bind(id.unwrap_or_else(|| self.clock.unix()))
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        self.cases
            .audit_log(
                Some(staff.id),
                "info.promotion",
                title.trim(),
                &format!("{} — {}", starts.iso(), ends.iso()),
            )
            .await
    }

    async fn delete_promotion(&self, token: &str, id: i64) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        sqlx::query("DELETE FROM promotions WHERE id = $1")
            .bind(id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        self.cases
            .audit_log(Some(staff.id), "info.promotion_delete", &id.to_string(), "")
            .await
    }

    async fn staff_polls(&self, token: &str) -> Result<Vec<Poll>, ApiError> {
        self.cases.staff_of(token).await?;
        self.poll_list(None).await
    }

    async fn create_poll(
        &self,
        token: &str,
        title: &str,
        description: &str,
        ends_on: &str,
        questions: &[NewQuestion],
    ) -> Result<i64, ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let mut errors = FieldErrors::new();
        errors.require("title", title);
        let ends = if ends_on.trim().is_empty() {
            None
        } else {
            match Day::parse(ends_on) {
                Some(day) => Some(day),
                None => {
                    errors.add("ends_on", "Укажите дату окончания опроса");
                    None
                }
            }
        };
        let asked: Vec<&NewQuestion> = questions
            .iter()
            .filter(|q| !q.text.trim().is_empty())
            .collect();
        if asked.is_empty() {
            errors.add("questions", "Добавьте хотя бы один вопрос");
        }
        for (i, q) in asked.iter().enumerate() {
            let options = q.options.iter().filter(|o| !o.trim().is_empty()).count();
            if q.kind != QuestionKind::Text && options < 2 {
                errors.add(
                    format!("options[{i}]"),
                    "Укажите не меньше двух вариантов ответа, по одному в строке",
                );
            }
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await.map_err(db)?;
        let poll: i64 = sqlx::query_scalar(
            "INSERT INTO polls (title, description, ends_on, active, created_at) VALUES ($1, $2, $3, 1, $4) RETURNING id",
        )
        .bind(title.trim())
        .bind(description.trim())
        .bind(ends.map(Day::iso))
        .bind(self.clock.unix())
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        for (position, q) in asked.iter().enumerate() {
            let question: i64 = sqlx::query_scalar(
                "INSERT INTO poll_questions (poll_id, position, text, kind) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(poll)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(q.text.trim())
            .bind(q.kind.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            if q.kind == QuestionKind::Text {
                continue;
            }
            for (position, option) in q
                .options
                .iter()
                .filter(|o| !o.trim().is_empty())
                .enumerate()
            {
                sqlx::query(
                    "INSERT INTO poll_options (question_id, position, text) VALUES ($1, $2, $3)",
                )
                .bind(question)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .bind(option.trim())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
        }
        tx.commit().await.map_err(db)?;
        self.cases
            .audit_log(Some(staff.id), "info.poll", title.trim(), "")
            .await?;
        Ok(poll)
    }

    async fn close_poll(&self, token: &str, id: i64) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        sqlx::query("UPDATE polls SET active = 0 WHERE id = $1")
            .bind(id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        self.cases
            .audit_log(Some(staff.id), "info.poll_close", &id.to_string(), "")
            .await
    }

    async fn staff_offices(&self, token: &str) -> Result<Vec<Office>, ApiError> {
        self.cases.staff_of(token).await?;
        self.offices().await
    }

    async fn save_office(
        &self,
        token: &str,
        id: Option<i64>,
        office: &Office,
    ) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let mut errors = FieldErrors::new();
        errors.require("name", &office.name);
        errors.require("address", &office.address);
        errors.into_result()?;
        let query = match id {
            Some(_) => {
                "UPDATE offices SET name = $1, address = $2, hours = $3, phone = $4 WHERE id = $5"
            }
            None => {
                "INSERT INTO offices (name, address, hours, phone, active) VALUES ($1, $2, $3, $4, $5)"
            }
        };
        sqlx::query(query)
            .bind(office.name.trim())
            .bind(office.address.trim())
            .bind(office.hours.trim())
            .bind(office.phone.trim())
            .bind(id.unwrap_or(1))
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        self.cases
            .audit_log(Some(staff.id), "info.office", office.name.trim(), "")
            .await
    }

    async fn open_slots(
        &self,
        token: &str,
        office: i64,
        day: &str,
        from: &str,
        to: &str,
        step: &str,
    ) -> Result<usize, ApiError> {
        let staff = self.cases.staff_of(token).await?;
        let mut errors = FieldErrors::new();
        let day = Day::parse(day).filter(|d| *d >= self.clock.today());
        if day.is_none() {
            errors.add("day", "Укажите день приема не раньше сегодняшнего");
        }
        let times = match step.trim().parse::<u32>() {
            Ok(step) => errors.check("from", slot_times(from, to, step)),
            Err(_) => {
                errors.add("step", "Укажите интервал в минутах");
                None
            }
        };
        errors.into_result()?;
        let (Some(day), Some(times)) = (day, times) else {
            return Err(ApiError::Unavailable);
        };
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM offices WHERE id = $1")
            .bind(office)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db)?;
        known.ok_or(ApiError::NotFound)?;
        let mut added = 0;
        for minute in times {
            let done = sqlx::query(
                "INSERT INTO appointment_slots (office_id, day, minute) VALUES ($1, $2, $3) \
                 ON CONFLICT (office_id, day, minute) DO NOTHING",
            )
            .bind(office)
            .bind(day.iso())
            .bind(i32::try_from(minute).unwrap_or(0))
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
            added += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        self.cases
            .audit_log(
                Some(staff.id),
                "info.slots",
                &office.to_string(),
                &day.iso(),
            )
            .await?;
        Ok(added)
    }

    async fn staff_bookings(
        &self,
        token: &str,
        day: Option<&str>,
    ) -> Result<Vec<Booking>, ApiError> {
        self.cases.staff_of(token).await?;
        let day = day
            .and_then(Day::parse)
            .unwrap_or_else(|| self.clock.today());
        let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} WHERE s.day = $1 ORDER BY o.name, s.minute"
        )))
        .bind(day.iso())
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(|r| self.booking(r)).collect())
    }
}

/// The demo's shop, promotion, poll and offices with a fortnight of slots (development), once.
pub async fn ensure_demo(db: &Db, today: Day) -> anyhow::Result<()> {
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM offices LIMIT 1")
        .fetch_optional(&db.pool)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let now = 0_i64;
    for (title, description, price, unit) in [
        (
            "Замена прибора учета электроэнергии",
            "Демонтаж старого и установка нового однотарифного счетчика, опломбировка.",
            350_000_i64,
            "за прибор",
        ),
        (
            "Поверка прибора учета воды на месте",
            "Поверка без снятия счетчика, свидетельство в день поверки.",
            90_000,
            "за прибор",
        ),
        (
            "Установка «умного» счетчика",
            "Многотарифный счетчик с дистанционной передачей показаний.",
            890_000,
            "за услугу",
        ),
    ] {
        sqlx::query("INSERT INTO shop_items (title, description, price, unit, active, created_at) VALUES ($1, $2, $3, $4, 1, $5)")
            .bind(title)
            .bind(description)
            .bind(price)
            .bind(unit)
            .bind(now)
            .execute(&db.pool)
            .await?;
    }
    sqlx::query("INSERT INTO promotions (title, body, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind("Поверка счетчиков воды со скидкой 20 %")
        .bind("До конца месяца поверка на месте стоит 720 руб. вместо 900 руб. Закажите в разделе «Интернет-магазин».")
        .bind(today.add_days(-7).iso())
        .bind(today.add_days(21).iso())
        .bind(now)
        .execute(&db.pool)
        .await?;
    let poll: i64 = sqlx::query_scalar("INSERT INTO polls (title, description, ends_on, active, created_at) VALUES ($1, $2, $3, 1, $4) RETURNING id")
        .bind("Качество обслуживания")
        .bind("Ответьте на три вопроса: это займет минуту.")
        .bind(today.add_days(30).iso())
        .bind(now)
        .fetch_one(&db.pool)
        .await?;
    for (position, text, kind, options) in [
        (
            0,
            "Как вы оцениваете работу личного кабинета?",
            "single",
            &["Отлично", "Хорошо", "Плохо"][..],
        ),
        (
            1,
            "Какими способами вы оплачиваете услуги?",
            "multiple",
            &["СБП", "Банковская карта", "В отделении банка"][..],
        ),
        (2, "Что нам улучшить?", "text", &[][..]),
    ] {
        let question: i64 = sqlx::query_scalar("INSERT INTO poll_questions (poll_id, position, text, kind) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(poll)
            .bind(position)
            .bind(text)
            .bind(kind)
            .fetch_one(&db.pool)
            .await?;
        for (i, option) in options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO poll_options (question_id, position, text) VALUES ($1, $2, $3)",
            )
            .bind(question)
            .bind(i32::try_from(i)?)
            .bind(*option)
            .execute(&db.pool)
            .await?;
        }
    }
    for (name, address, hours, phone) in [
        (
            "Центральный офис",
            "г. Рязань, ул. Садовая, д. 10",
            "Пн–Пт 8:00–17:00",
            "+7 (4912) 20-00-01",
        ),
        (
            "Северный офис",
            "г. Рязань, ул. Интернациональная, д. 3",
            "Пн–Пт 9:00–18:00, Сб 9:00–14:00",
            "+7 (4912) 20-00-02",
        ),
    ] {
        let office: i64 = sqlx::query_scalar("INSERT INTO offices (name, address, hours, phone, active) VALUES ($1, $2, $3, $4, 1) RETURNING id")
            .bind(name)
            .bind(address)
            .bind(hours)
            .bind(phone)
            .fetch_one(&db.pool)
            .await?;
        for ahead in 0..14 {
            for minute in slot_times("09:00", "16:00", 30).map_err(anyhow::Error::msg)? {
                sqlx::query("INSERT INTO appointment_slots (office_id, day, minute) VALUES ($1, $2, $3) ON CONFLICT (office_id, day, minute) DO NOTHING")
                    .bind(office)
                    .bind(today.add_days(ahead).iso())
                    .bind(i32::try_from(minute)?)
                    .execute(&db.pool)
                    .await?;
            }
        }
    }
    Ok(())
}
