//! The back-office (`/staff`): staff accounts with roles and sessions of their own, queues of
//! cases, the moves of each kind's workflow, the provider's topics and FAQ, the team, and the
//! audit log of every staff action (P-6).

use super::{CasesService, SUMMARY_COLUMNS, SummaryRow};
use crate::error::db;
use crate::identity::{random_token, token_hash};
use crate::rate_limit::Limit;
use app::ports::{ClientInfo, IncomingFile, NewSession};
use app::staff::ports::StaffPort;
use app::utility::ports::AccountsPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::cases::{
    self, Action, AuditEntry, FaqEntry, Queue, QueueFilter, Role, StaffCase, StaffMember,
    StaffSettings,
};

/// How long a staff session lives: a working day.
const STAFF_SESSION_SECS: i64 = 12 * 3600;
/// Failed staff sign-ins per login: 10 in 15 minutes.
const STAFF_SIGN_IN: Limit = Limit {
    limit: 10,
    window_secs: 900,
};
/// The message of a failed staff sign-in (it does not tell which part was wrong).
pub const WRONG_STAFF_CREDENTIALS: &str = "Неверный логин или пароль сотрудника.";

/// The signed-in staff member.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl CasesService {
    /// The staff member of a live session.
    pub(crate) async fn staff_of(&self, token: &str) -> Result<Staff, ApiError> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT s.id, s.name, s.role FROM staff_sessions t JOIN staff s ON s.id = t.staff_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND s.active = 1",
        )
        .bind(token_hash(token))
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let (id, name, role) = row.ok_or(ApiError::Unauthorized)?;
        Ok(Staff {
            id,
            name,
            role: Role::from_code(&role).unwrap_or(Role::Operator),
        })
    }

    pub(crate) async fn staff_with(&self, token: &str, role: Role) -> Result<Staff, ApiError> {
        let staff = self.staff_of(token).await?;
        if staff.role < role {
            return Err(ApiError::Forbidden);
        }
        Ok(staff)
    }

    /// Records a staff action in the audit log.
    pub(crate) async fn audit_log(
        &self,
        staff: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), ApiError> {
        sqlx::query(
            "INSERT INTO audit_log (staff_id, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(staff)
        .bind(action)
        .bind(target)
        .bind(detail)
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    /// Adds a staff member (the `kabinet staff add` command, and administrators).
    pub async fn create_staff(
        &self,
        by: Option<i64>,
        login: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<i64, ApiError> {
        let login = login.trim().to_lowercase();
        let mut errors = shared::error::FieldErrors::new();
        errors.check("login", cases::check_staff_login(&login));
        errors.require("name", name);
        errors.check(
            "password",
            shared::password::Password::parse(password).map(|_| ()),
        );
        errors.into_result()?;
        let hash = self.hasher.hash(password.to_string()).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO staff (login, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (login) DO NOTHING RETURNING id",
        )
        .bind(&login)
        .bind(name.trim())
        .bind(role.code())
        .bind(hash)
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let id = id.ok_or_else(|| ApiError::field("login", "Такой логин уже есть"))?;
        self.audit_log(by, "staff.add", &login, role.caption())
            .await?;
        Ok(id)
    }
}

#[async_trait]
impl StaffPort for CasesService {
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError> {
        let login = login.trim().to_lowercase();
        let login_key = format!("staff:login:{login}");
        let mut checks = vec![(login_key.clone(), STAFF_SIGN_IN)];
        if let Some(key) = self.limits.ip_key("staff", client.ip.as_deref()) {
            checks.push((key, STAFF_SIGN_IN));
        }
        // A hashing slot before the attempt is counted: a sign-in refused because the server
        // is busy is not a failed attempt.
        let permit = self.hasher.permit().await?;
        self.limits.hit_all(&checks).await?;
        let row: Option<(i64, String, i32)> =
            sqlx::query_as("SELECT id, password_hash, active FROM staff WHERE login = $1")
                .bind(&login)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        let matches = permit
            .verify(password.to_string(), row.as_ref().map(|r| r.1.clone()))
            .await?;
        let id = match row {
            Some((id, _, active)) if matches && active != 0 => id,
            _ => return Err(ApiError::refused(WRONG_STAFF_CREDENTIALS)),
        };
        // Only failures count against the login: a member signing in all day is never locked out.
        self.limits.reset(&login_key).await?;
        let token = random_token(32);
        let now = self.clock.unix();
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(now)
        .bind(now + STAFF_SESSION_SECS)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        self.audit_log(
            Some(id),
            "staff.sign_in",
            &login,
            client.ip.as_deref().unwrap_or(""),
        )
        .await?;
        Ok(NewSession {
            token,
            max_age_secs: STAFF_SESSION_SECS,
        })
    }

    async fn sign_out(&self, token: &str) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn me(&self, token: &str) -> Result<Option<StaffMember>, ApiError> {
        match self.staff_of(token).await {
            Ok(s) => {
                let login: String = sqlx::query_scalar("SELECT login FROM staff WHERE id = $1")
                    .bind(s.id)
                    .fetch_one(&self.db.pool)
                    .await
                    .map_err(db)?;
                Ok(Some(StaffMember {
                    id: s.id,
                    login,
                    name: s.name,
                    role: s.role,
                    active: true,
                }))
            }
            Err(ApiError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn queue(&self, token: &str, filter: QueueFilter) -> Result<Queue, ApiError> {
        let staff = self.staff_of(token).await?;
        let now = self.clock.unix();
        // Conditions are fixed SQL; every value is bound.
        let mut conditions = vec!["1 = 1".to_string()];
        let mut next = 1;
        let mut param = || {
            let p = format!("${next}");
            next += 1;
            p
        };
        let kind = filter.kind.map(|k| k.code());
        if kind.is_some() {
            conditions.push(format!("c.kind = {}", param()));
        }
        let status = filter.status.map(|s| s.code());
        if status.is_some() {
            conditions.push(format!("c.status = {}", param()));
        } else {
            conditions.push("c.status NOT IN ('closed', 'rejected')".into());
        }
        if filter.branch.is_some() {
            conditions.push(format!("a.branch_id = {}", param()));
        }
        let older = filter.older_than_days.map(|d| now - i64::from(d) * 86_400);
        if older.is_some() {
            conditions.push(format!("c.created_at < {}", param()));
        }
        let search = filter.search.trim().to_lowercase();
        if !search.is_empty() {
            let p = param();
            conditions.push(format!(
                "(c.number = {p} OR a.number = {p} OR p.phone LIKE '%' || {p} || '%' \
                 OR LOWER(p.last_name) LIKE '%' || {p} || '%' OR LOWER(c.subject) LIKE '%' || {p} || '%')"
            ));
        }
        if filter.mine {
            conditions.push(format!("c.assignee_id = {}", param()));
        }
        let filter_sql = conditions.join(" AND ");
        macro_rules! bind_all {
            ($q:expr) => {{
                let mut q = $q;
                if let Some(k) = kind {
                    q = q.bind(k);
                }
                if let Some(s) = status {
                    q = q.bind(s);
                }
                if let Some(b) = filter.branch {
                    q = q.bind(b);
                }
                if let Some(o) = older {
                    q = q.bind(o);
                }
                if !search.is_empty() {
                    q = q.bind(search.clone());
                }
                if filter.mine {
                    q = q.bind(staff.id);
                }
                q
            }};
        }
        let rows: Vec<SummaryRow> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} WHERE {filter_sql} ORDER BY c.created_at, c.id LIMIT 200"
        ))))
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let total: i64 = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM cases c LEFT JOIN accounts a ON a.id = c.account_id \
             LEFT JOIN people p ON p.id = c.person_id WHERE {filter_sql}"
        ))))
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(Queue {
            cases: rows.iter().map(|r| r.summary(now)).collect(),
            branches: self.accounts.branches().await?,
            total,
        })
    }

    async fn case(&self, token: &str, number: &str) -> Result<StaffCase, ApiError> {
        let staff = self.staff_of(token).await?;
        let row = self.row(number).await?;
        let card = self.card_of(&row, true).await?;
        let contact = match row.person_id {
            Some(p) => crate::notify::person_contact(&self.db, p).await?,
            None => None,
        };
        let transitions = cases::available_actions(row.kind(), row.status(), staff.role);
        Ok(StaffCase {
            card,
            customer_phone: contact.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
            customer_email: contact.and_then(|c| c.1),
            actions: transitions.iter().map(|t| t.action).collect(),
            comment_required: transitions
                .iter()
                .filter(|t| t.comment_required)
                .map(|t| t.action)
                .collect(),
        })
    }

    async fn act(
        &self,
        token: &str,
        number: &str,
        action: &str,
        comment: &str,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let staff = self.staff_of(token).await?;
        let key = format!("staff{}:{}", staff.id, idempotency_key.trim());
        let seen: Option<i64> =
            sqlx::query_scalar("SELECT case_id FROM case_events WHERE idempotency_key = $1")
                .bind(&key)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        if seen.is_some() {
            return Ok(());
        }
        let action = Action::from_code(action).ok_or(ApiError::NotFound)?;
        let row = self.row(number).await?;
        let kind = row.kind();
        let status = row.status();
        if comment.chars().count() > cases::MAX_TEXT {
            return Err(ApiError::field(
                cases::field::COMMENT,
                format!("Не больше {} знаков", cases::MAX_TEXT),
            ));
        }
        let to =
            cases::transition(kind, status, action, staff.role, comment).map_err(|e| match e {
                cases::TransitionError::CommentRequired => {
                    ApiError::field(cases::field::COMMENT, e.to_string())
                }
                cases::TransitionError::Role(_) => ApiError::Forbidden,
                _ => ApiError::refused(e.to_string()),
            })?;
        cases::check_attachments(&app::ports::picked(&files))
            .map_err(|m| ApiError::field(cases::field::FILES, m))?;
        let stored = self.store_files(&files).await?;
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        // The status guard makes two staff members' simultaneous moves one after the other:
        // the second finds the status changed and is refused.
        let assignee = if action == Action::Take {
            Some(staff.id)
        } else {
            None
        };
        let moved = sqlx::query(
            "UPDATE cases SET status = $1, updated_at = $2, assignee_id = COALESCE($3, assignee_id) \
             WHERE id = $4 AND status = $5",
        )
        .bind(to.code())
        .bind(now)
        .bind(assignee)
        .bind(row.id)
        .bind(status.code())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if moved.rows_affected() != 1 {
            drop(tx);
            self.discard(&stored).await;
            return Err(ApiError::refused(
                "Обращение уже изменил другой сотрудник. Обновите страницу.",
            ));
        }
        sqlx::query(
            "INSERT INTO case_events (case_id, status, action, staff_id, comment, \
             idempotency_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id)
        .bind(to.code())
        .bind(action.code())
        .bind(staff.id)
        .bind(comment.trim())
        .bind(&key)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if !comment.trim().is_empty() || !stored.is_empty() {
            self.insert_message(&mut tx, row.id, Some(staff.id), comment, None, &stored)
                .await?;
        }
        tx.commit().await.map_err(db)?;
        self.audit_log(
            Some(staff.id),
            &format!("case.{}", action.code()),
            &row.number,
            comment.trim(),
        )
        .await?;
        let status_caption = kind.status_caption(to);
        let (title, body) = match action {
            Action::Reply => (
                format!("Ответ по обращению № {}", row.number),
                comment.trim().to_string(),
            ),
            Action::RequestInfo => (
                format!("Нужна информация по обращению № {}", row.number),
                comment.trim().to_string(),
            ),
            _ => (
                format!("{} № {}: {}", kind.caption(), row.number, status_caption),
                if comment.trim().is_empty() {
                    format!("«{}» — статус «{status_caption}».", row.subject)
                } else {
                    comment.trim().to_string()
                },
            ),
        };
        self.notify(
            row.person_id,
            &title,
            &body,
            &format!("/cases/{}", row.number),
        )
        .await
    }

    async fn settings(&self, token: &str) -> Result<StaffSettings, ApiError> {
        let staff = self.staff_of(token).await?;
        let topics: Vec<(i64, String, i32)> =
            sqlx::query_as("SELECT id, title, active FROM appeal_topics ORDER BY position, id")
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        let off: Vec<String> = sqlx::query_scalar("SELECT code FROM application_topics_off")
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(StaffSettings {
            topics: topics.into_iter().map(|(i, t, a)| (i, t, a != 0)).collect(),
            topics_off: off,
            faq: app::ports::CasesPort::faq(self).await?,
            may_edit: staff.role >= Role::Supervisor,
        })
    }

    async fn save_topic(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        active: bool,
    ) -> Result<(), ApiError> {
        let staff = self.staff_with(token, Role::Supervisor).await?;
        let title = title.trim();
        if title.is_empty() {
            return Err(ApiError::field("title", cases::REQUIRED));
        }
        if title.chars().count() > 200 {
            return Err(ApiError::field("title", "Не больше 200 знаков"));
        }
        let result = match id {
            Some(id) => {
                sqlx::query("UPDATE appeal_topics SET title = $1, active = $2 WHERE id = $3")
                    .bind(title)
                    .bind(i32::from(active))
                    .bind(id)
                    .execute(&self.db.pool)
                    .await
            }
            None => {
                sqlx::query(
                    "INSERT INTO appeal_topics (title, active, position) \
                     SELECT $1, 1, COALESCE(MAX(position), 0) + 1 FROM appeal_topics \
                     ON CONFLICT (title) DO NOTHING",
                )
                .bind(title)
                .execute(&self.db.pool)
                .await
            }
        };
        match result {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(ApiError::field("title", "Такая тема уже есть"));
            }
            Err(e) => return Err(db(e)),
        }
        self.audit_log(
            Some(staff.id),
            "settings.topic",
            title,
            if active {
                "активна"
            } else {
                "скрыта"
            },
        )
        .await
    }

    async fn set_application_topic(
        &self,
        token: &str,
        code: &str,
        active: bool,
    ) -> Result<(), ApiError> {
        let staff = self.staff_with(token, Role::Supervisor).await?;
        let topic = cases::topic(code).ok_or(ApiError::NotFound)?;
        if active {
            sqlx::query("DELETE FROM application_topics_off WHERE code = $1")
                .bind(topic.code)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
        } else {
            sqlx::query(
                "INSERT INTO application_topics_off (code) VALUES ($1) ON CONFLICT DO NOTHING",
            )
            .bind(topic.code)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        }
        self.audit_log(
            Some(staff.id),
            "settings.application_topic",
            topic.title,
            if active {
                "принимается"
            } else {
                "не принимается"
            },
        )
        .await
    }

    async fn save_faq(
        &self,
        token: &str,
        id: Option<i64>,
        entry: FaqEntry,
        delete: bool,
    ) -> Result<(), ApiError> {
        let staff = self.staff_with(token, Role::Supervisor).await?;
        if delete {
            let id = id.ok_or(ApiError::NotFound)?;
            sqlx::query("DELETE FROM faq WHERE id = $1")
                .bind(id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
            return self
                .audit_log(Some(staff.id), "settings.faq_delete", &id.to_string(), "")
                .await;
        }
        let mut errors = shared::error::FieldErrors::new();
        for (name, value) in [
            ("category", &entry.category),
            ("question", &entry.question),
            ("answer", &entry.answer),
        ] {
            if value.trim().is_empty() {
                errors.add(name, cases::REQUIRED);
            } else if value.chars().count() > 2000 {
                errors.add(name, "Не больше 2000 знаков");
            }
        }
        errors.into_result()?;
        match id {
            Some(id) => sqlx::query(
                "UPDATE faq SET category = $1, question = $2, answer = $3 WHERE id = $4",
            )
            .bind(entry.category.trim())
            .bind(entry.question.trim())
            .bind(entry.answer.trim())
            .bind(id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?,
            None => sqlx::query(
                "INSERT INTO faq (category, question, answer, position) \
                 SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1 FROM faq",
            )
            .bind(entry.category.trim())
            .bind(entry.question.trim())
            .bind(entry.answer.trim())
            .execute(&self.db.pool)
            .await
            .map_err(db)?,
        };
        self.audit_log(Some(staff.id), "settings.faq", entry.question.trim(), "")
            .await
    }

    async fn team(&self, token: &str) -> Result<Vec<StaffMember>, ApiError> {
        self.staff_with(token, Role::Administrator).await?;
        let rows: Vec<(i64, String, String, String, i32)> =
            sqlx::query_as("SELECT id, login, name, role, active FROM staff ORDER BY name, id")
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, login, name, role, active)| StaffMember {
                id,
                login,
                name,
                role: Role::from_code(&role).unwrap_or(Role::Operator),
                active: active != 0,
            })
            .collect())
    }

    async fn add_member(
        &self,
        token: &str,
        login: &str,
        name: &str,
        role: &str,
        password: &str,
    ) -> Result<(), ApiError> {
        let admin = self.staff_with(token, Role::Administrator).await?;
        let role = Role::from_code(role)
            .ok_or_else(|| ApiError::field("role", "Выберите роль из списка"))?;
        self.create_staff(Some(admin.id), login, name, role, password)
            .await
            .map(|_| ())
    }

    async fn set_member_active(&self, token: &str, id: i64, active: bool) -> Result<(), ApiError> {
        let admin = self.staff_with(token, Role::Administrator).await?;
        if id == admin.id && !active {
            return Err(ApiError::refused("Нельзя отключить свою учетную запись."));
        }
        let login: String = sqlx::query_scalar("SELECT login FROM staff WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db)?
            .ok_or(ApiError::NotFound)?;
        sqlx::query("UPDATE staff SET active = $1 WHERE id = $2")
            .bind(i32::from(active))
            .bind(id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        if !active {
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
        }
        self.audit_log(
            Some(admin.id),
            if active {
                "staff.enable"
            } else {
                "staff.disable"
            },
            &login,
            "",
        )
        .await
    }

    async fn audit(&self, token: &str) -> Result<Vec<AuditEntry>, ApiError> {
        self.staff_with(token, Role::Supervisor).await?;
        let rows: Vec<(i64, Option<String>, String, String, String)> = sqlx::query_as(
            "SELECT l.created_at, s.name, l.action, l.target, l.detail FROM audit_log l \
             LEFT JOIN staff s ON s.id = l.staff_id ORDER BY l.id DESC LIMIT 300",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(at, staff, action, target, detail)| AuditEntry {
                at: super::moscow(at),
                staff: staff.unwrap_or_else(|| "система".into()),
                action: audit_caption(&action),
                target,
                detail,
            })
            .collect())
    }
}

/// The audit log's action in words.
fn audit_caption(action: &str) -> String {
    if let Some(a) = action.strip_prefix("case.").and_then(Action::from_code) {
        return format!("Обращение: {}", a.caption().to_lowercase());
    }
    match action {
        "staff.sign_in" => "Вход в систему",
        "staff.add" => "Добавлен сотрудник",
        "staff.enable" => "Сотрудник включен",
        "staff.disable" => "Сотрудник отключен",
        "settings.topic" => "Тема обращений",
        "settings.application_topic" => "Тема заявлений",
        "settings.faq" => "Вопрос FAQ",
        "settings.faq_delete" => "Удален вопрос FAQ",
        "registry.correct" => "Реестр компаний: исправлены сведения",
        "calendar.day" => "Производственный календарь: день изменен",
        "calendar.clear" => "Производственный календарь: день по общим правилам",
        other => other,
    }
    .to_string()
}
