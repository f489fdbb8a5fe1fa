//! The cabinet's side of the case engine: «Обращения» (U-APL-1..3), «Мои заявления и
//! документы» (U-DOC-1..3), the case card with messages and rating, «Уведомления».

use super::{
    CasesService, NewCase, SUMMARY_COLUMNS, SummaryRow, case_by_key, month_start, open_case,
};
use crate::error::db;
use app::ports::{CaseScope, CasesPort, IncomingFile};
use async_trait::async_trait;
use shared::ApiError;
use shared::cases::{
    self, CaseCard, CaseDraft, CaseForm, CaseHistory, CaseKind, DraftAccount, FaqEntry, Notice,
    Status, field,
};

impl CasesService {
    /// The provider's active appeal topics, in order.
    pub(crate) async fn appeal_topics(&self) -> Result<Vec<String>, ApiError> {
        sqlx::query_scalar("SELECT title FROM appeal_topics WHERE active = 1 ORDER BY position, id")
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)
    }

    /// The application topics the provider accepts now (codes, in the manual's order).
    pub(crate) async fn application_topics(&self) -> Result<Vec<String>, ApiError> {
        let off: Vec<String> = sqlx::query_scalar("SELECT code FROM application_topics_off")
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(cases::TOPICS
            .iter()
            .filter(|t| !off.iter().any(|o| o == t.code))
            .map(|t| t.code.to_string())
            .collect())
    }

    async fn suppliers_of(&self, account: i64) -> Result<Vec<String>, ApiError> {
        sqlx::query_scalar(
            "SELECT DISTINCT s.name FROM charges c JOIN suppliers s ON s.id = c.supplier_id \
             WHERE c.account_id = $1 ORDER BY s.name",
        )
        .bind(account)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)
    }

    /// A case of the session's person (`NotFound` for anyone else's).
    async fn own_case(&self, session: &str, number: &str) -> Result<(i64, SummaryRow), ApiError> {
        let person = self.identity.session_person(session).await?;
        let row = self.row(number).await?;
        if row.person_id != Some(person) {
            return Err(ApiError::NotFound);
        }
        Ok((person, row))
    }
}

/// The kinds each list of the cabinet shows.
fn scope_kinds(scope: CaseScope) -> &'static [CaseKind] {
    match scope {
        CaseScope::Appeals => &[
            CaseKind::Appeal,
            CaseKind::Callback,
            CaseKind::Consultation,
            CaseKind::Order,
        ],
        CaseScope::Applications => &[
            CaseKind::Application,
            CaseKind::DetailsChange,
            CaseKind::MeterFault,
            CaseKind::ReceiptDelivery,
        ],
        CaseScope::Documents => &[CaseKind::Document],
    }
}

#[async_trait]
impl CasesPort for CasesService {
    async fn draft(&self, session: &str) -> Result<CaseDraft, ApiError> {
        let person = self.identity.session_person(session).await?;
        let (last, first, middle, phone, email, confirmed): (
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            i32,
        ) = sqlx::query_as(
            "SELECT last_name, first_name, middle_name, phone, email, email_confirmed FROM people WHERE id = $1",
        )
        .bind(person)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .ok_or(ApiError::Unauthorized)?;
        let mut accounts = Vec::new();
        for row in self.accounts.accounts_of(person).await? {
            accounts.push(DraftAccount {
                id: row.id,
                number: row.number.clone(),
                owner_name: row.owner_name.clone(),
                suppliers: self.suppliers_of(row.id).await?,
            });
        }
        let own_name = [Some(last), Some(first), middle.filter(|m| !m.is_empty())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(CaseDraft {
            // U-APL-2: prefilled from the account owner (the first account's), editable.
            full_name: accounts
                .first()
                .map(|a| a.owner_name.clone())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(own_name),
            phone,
            email: email.filter(|_| confirmed != 0).unwrap_or_default(),
            accounts,
            topics: self.appeal_topics().await?,
            application_topics: self.application_topics().await?,
            echo: Default::default(),
        })
    }

    async fn create(
        &self,
        session: &str,
        mut form: CaseForm,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let person = self.identity.session_person(session).await?;
        let key = format!("{person}:{}", idempotency_key.trim());
        if let Some((_, number)) = case_by_key(&self.db, &key).await? {
            return Ok(number);
        }
        let kind = form.kind.unwrap_or(CaseKind::Appeal);
        if !matches!(
            kind,
            CaseKind::Appeal | CaseKind::Application | CaseKind::Document
        ) {
            return Err(ApiError::NotFound);
        }
        form.files = app::ports::picked(&files);
        let topics = self.appeal_topics().await?;
        let mut errors = cases::check_case_form(&form, &topics);
        if kind == CaseKind::Application
            && !self
                .application_topics()
                .await?
                .iter()
                .any(|t| t == form.topic.trim())
        {
            errors.add(field::TOPIC, "Заявления на эту тему сейчас не принимаются");
        }
        // The account must be one of the person's.
        let account = form.account.trim().parse::<i64>().ok();
        let row = match account {
            Some(id) => self.accounts.linked_to(person, id).await.ok(),
            None => None,
        };
        if row.is_none() && !form.account.trim().is_empty() {
            errors.add(field::ACCOUNT, "Выберите лицевой счет из списка");
        }
        if let Some(row) = &row
            && kind == CaseKind::Appeal
            && !form.supplier.trim().is_empty()
            && !self
                .suppliers_of(row.id)
                .await?
                .iter()
                .any(|s| s == form.supplier.trim())
        {
            errors.add(field::SUPPLIER, "Выберите поставщика из списка");
        }
        errors.into_result()?;
        let row = row.ok_or(ApiError::NotFound)?;
        let stored = self.store_files(&files).await?;

        // What the card shows, in the form's order.
        let mut shown: Vec<(String, String)> = Vec::new();
        let subject;
        match kind {
            CaseKind::Appeal => {
                subject = form.topic.trim().to_string();
                shown.push(("Тема обращения".into(), subject.clone()));
                if !form.supplier.trim().is_empty() {
                    shown.push(("Поставщик".into(), form.supplier.trim().into()));
                }
            }
            CaseKind::Application => {
                let topic = cases::topic(form.topic.trim()).ok_or(ApiError::NotFound)?;
                subject = topic.title.to_string();
                shown.push(("Тема заявления".into(), subject.clone()));
                for tf in topic.fields {
                    let value = form.fields.get(tf.name).map(|v| v.trim()).unwrap_or("");
                    if !value.is_empty() {
                        let value = match tf.kind {
                            cases::FieldKind::Date => shared::utility::billing::Day::parse(value)
                                .map_or(value.to_string(), |d| d.caption()),
                            cases::FieldKind::Month => {
                                shared::utility::billing::Period::parse(value)
                                    .map_or(value.to_string(), |p| p.caption())
                            }
                            cases::FieldKind::Money => shared::Kopecks::parse(value)
                                .map_or(value.to_string(), |k| {
                                    format!("{} руб.", k.format_number())
                                }),
                            _ => value.to_string(),
                        };
                        shown.push((tf.caption.to_string(), value));
                    }
                }
            }
            _ => {
                subject = form.topic.trim().to_string();
                shown.push(("Тип документа".into(), subject.clone()));
            }
        }
        shown.push(("Лицевой счет".into(), row.number.clone()));
        if kind != CaseKind::Document {
            shown.push(("ФИО".into(), form.full_name.trim().into()));
            shown.push(("Номер телефона".into(), form.phone.trim().into()));
            if !form.email.trim().is_empty() {
                shown.push(("E-mail".into(), form.email.trim().into()));
            }
        }
        let fields = serde_json::json!({
            "shown": shown,
            "values": form.fields,
            "full_name": form.full_name.trim(),
            "phone": form.phone.trim(),
            "email": form.email.trim(),
            "supplier": form.supplier.trim(),
            "consent": form.consent,
        });
        let topic_code = form.topic.trim().to_string();
        let mut tx = self.db.begin().await.map_err(db)?;
        let (id, number, new) = open_case(
            &mut tx,
            &*self.clock,
            &NewCase {
                person,
                account: Some(row.id),
                kind,
                topic: &topic_code,
                subject: &subject,
                fields,
                key: &key,
            },
        )
        .await?;
        if new {
            self.insert_message(&mut tx, id, None, &form.text, None, &stored)
                .await?;
        }
        tx.commit().await.map_err(db)?;
        if !new {
            self.discard(&stored).await;
            return Ok(number);
        }
        self.notify(
            Some(person),
            &format!("{} № {number} зарегистрировано", kind.caption()),
            &format!("{}: «{subject}». {}", kind.caption(), cases::ACCEPTED),
            &format!("/cases/{number}"),
        )
        .await?;
        Ok(number)
    }

    async fn history(
        &self,
        session: &str,
        scope: CaseScope,
        from: Option<String>,
        to: Option<String>,
        account: Option<i64>,
    ) -> Result<CaseHistory, ApiError> {
        let person = self.identity.session_person(session).await?;
        // Only an account of the person's own (another's is not found).
        let account = match account {
            Some(id) => Some(self.accounts.linked_to(person, id).await?),
            None => None,
        };
        // Cases of the current month count too: the 3 years end with it.
        let next = self.accounts.current().add_months(1);
        let (range, limited) =
            shared::utility::billing::PeriodRange::chosen(from.as_deref(), to.as_deref(), next);
        let allowed = shared::utility::billing::PeriodRange::allowed(next);
        let kinds = scope_kinds(scope)
            .iter()
            .map(|k| format!("'{}'", k.code()))
            .collect::<Vec<_>>()
            .join(", ");
        let of_account = if account.is_some() {
            "AND c.account_id = $4"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} WHERE c.person_id = $1 AND c.kind IN ({kinds}) \
             AND c.created_at >= $2 AND c.created_at < $3 {of_account} \
             ORDER BY c.created_at DESC, c.id DESC"
        );
        let mut query = sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(sql))
            .bind(person)
            .bind(month_start(range.from))
            .bind(month_start(range.to.add_months(1)));
        if let Some(a) = &account {
            query = query.bind(a.id);
        }
        let rows = query.fetch_all(&self.db.pool).await.map_err(db)?;
        let now = self.clock.unix();
        let mut cases: Vec<_> = rows.iter().map(|r| r.summary(now)).collect();
        if scope == CaseScope::Documents {
            for (case, row) in cases.iter_mut().zip(&rows) {
                case.files = self
                    .files_of(row.id)
                    .await?
                    .into_iter()
                    .map(|(_, f)| f)
                    .collect();
            }
        }
        Ok(CaseHistory {
            allowed,
            range,
            limited,
            cases,
            account: account.map(|a| a.number),
        })
    }

    async fn card(&self, session: &str, number: &str) -> Result<CaseCard, ApiError> {
        let (_, row) = self.own_case(session, number).await?;
        self.card_of(&row, false).await
    }

    async fn add_message(
        &self,
        session: &str,
        number: &str,
        text: &str,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let (person, row) = self.own_case(session, number).await?;
        let key = format!("{person}:{}", idempotency_key.trim());
        if message_sent(&self.db, &key).await? {
            return Ok(());
        }
        let status = row.status();
        if !cases::customer_may_write(status) {
            return Err(ApiError::refused(
                "Обращение закрыто: напишите новое обращение.",
            ));
        }
        cases::check_message(text, &app::ports::picked(&files)).into_result()?;
        let stored = self.store_files(&files).await?;
        let next = cases::after_customer_message(status);
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        let inserted = self
            .insert_message(&mut tx, row.id, None, text, Some(&key), &stored)
            .await;
        if let Err(e) = inserted {
            drop(tx);
            self.discard(&stored).await;
            // The same key raced us: the message is there.
            return if message_sent(&self.db, &key).await? {
                Ok(())
            } else {
                Err(e)
            };
        }
        if next != status {
            sqlx::query(
                "UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
            )
            .bind(next.code())
            .bind(now)
            .bind(row.id)
            .bind(status.code())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query(
                "INSERT INTO case_events (case_id, status, action, comment, created_at) VALUES ($1, $2, 'answer', '', $3)",
            )
            .bind(row.id)
            .bind(next.code())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        } else {
            sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(row.id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn rate(
        &self,
        session: &str,
        number: &str,
        rating: &str,
        comment: &str,
    ) -> Result<(), ApiError> {
        let (_, row) = self.own_case(session, number).await?;
        let value = cases::check_rating(row.status(), row.rating.is_some(), rating)
            .map_err(|m| ApiError::field(field::RATING, m))?;
        if comment.chars().count() > 2000 {
            return Err(ApiError::field(field::COMMENT, "Не больше 2000 знаков"));
        }
        // Only the first rating counts, even when two arrive at once.
        sqlx::query(
            "UPDATE cases SET rating = $1, rating_comment = $2 WHERE id = $3 AND rating IS NULL AND status = $4",
        )
        .bind(i32::from(value))
        .bind(comment.trim())
        .bind(row.id)
        .bind(Status::Closed.code())
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn notices(&self, session: &str) -> Result<Vec<Notice>, ApiError> {
        let person = self.identity.session_person(session).await?;
        let rows: Vec<(i64, String, String, Option<String>, Option<i64>, i64)> = sqlx::query_as(
            "SELECT id, title, body, link, read_at, created_at FROM notices WHERE person_id = $1 \
             ORDER BY id DESC LIMIT 200",
        )
        .bind(person)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        sqlx::query("UPDATE notices SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL")
            .bind(self.clock.unix())
            .bind(person)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, title, body, link, read_at, at)| Notice {
                id,
                title,
                body,
                at: super::moscow(at),
                link,
                unread: read_at.is_none(),
            })
            .collect())
    }

    async fn faq(&self) -> Result<Vec<FaqEntry>, ApiError> {
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, category, question, answer FROM faq ORDER BY position, id")
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, category, question, answer)| FaqEntry {
                id,
                category,
                question,
                answer,
            })
            .collect())
    }
}

/// Whether a message was already sent under this idempotency key.
async fn message_sent(db_: &crate::db::Db, key: &str) -> Result<bool, ApiError> {
    let seen: Option<i64> =
        sqlx::query_scalar("SELECT id FROM case_messages WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(&db_.pool)
            .await
            .map_err(db)?;
    Ok(seen.is_some())
}
