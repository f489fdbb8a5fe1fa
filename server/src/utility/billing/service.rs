//! The customer's side of the billing data: linking accounts with a proof, the main page's
//! balances, details, tariffs, charges, payments, balances by supplier and statistics.
//! Balances are derived from the ledger (charges minus payments), never stored.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::db;
use crate::identity::IdentityService;
use crate::rate_limit::{Limit, RateLimiter};
use app::ports::ClientInfo;
use app::utility::ports::{AccountsPort, DetailsChange, LinkRequest};
use async_trait::async_trait;
use shared::error::FieldErrors;
use shared::utility::billing::*;
use shared::utility::delivery::LeftDelivery;
use shared::{ApiError, Kopecks};
use std::collections::BTreeMap;
use std::sync::Arc;

/// At most this many [+ Добавить лицевой счет] attempts per person and hour: the proof is a
/// secret, guessing it must stay slow.
const LINK_LIMIT: Limit = Limit {
    limit: 10,
    window_secs: 3600,
};

pub struct AccountsService {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) identity: Arc<IdentityService>,
    limits: RateLimiter,
}

/// The stored row of a linked account.
#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) branch: String,
    pub(crate) branch_id: i64,
    pub(crate) owner_name: String,
    pub(crate) total_area: i64,
    pub(crate) living_area: i64,
    pub(crate) owners: i64,
    pub(crate) residents: i64,
    pub(crate) rooms: i64,
    pub(crate) stove: String,
    pub(crate) electric_heating: i32,
    pub(crate) e_receipt_allowed: i32,
    pub(crate) e_receipt: i32,
    pub(crate) reading_from_day: i64,
    pub(crate) reading_to_day: i64,
}

impl AccountRow {
    fn card(&self) -> AccountCard {
        AccountCard {
            id: self.id,
            number: self.number.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            branch: self.branch.clone(),
        }
    }

    pub(crate) fn window(&self) -> ReadingWindow {
        ReadingWindow {
            from_day: u32::try_from(self.reading_from_day).unwrap_or(15),
            to_day: u32::try_from(self.reading_to_day).unwrap_or(25),
        }
    }
}

const ACCOUNT_COLUMNS: &str = "a.id, a.number, l.name, a.address, b.name AS branch, \
     a.branch_id, a.owner_name, a.total_area, a.living_area, a.owners, a.residents, a.rooms, \
     a.stove, a.electric_heating, a.e_receipt_allowed, l.e_receipt, b.reading_from_day, \
     b.reading_to_day \
     FROM account_links l JOIN accounts a ON a.id = l.account_id \
     JOIN branches b ON b.id = a.branch_id";

/// A stored zone code; an unknown one reads as a single rate.
pub(crate) fn stored_zone(code: &str) -> Zone {
    Zone::from_code(code).unwrap_or(Zone::Single)
}

fn period(value: i64) -> Period {
    Period::from_yyyymm(value).unwrap_or(Period(value))
}

impl AccountsService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        identity: Arc<IdentityService>,
        limits: RateLimiter,
    ) -> Self {
        Self {
            db,
            clock,
            identity,
            limits,
        }
    }

    pub(crate) fn current(&self) -> Period {
        self.clock.today().period()
    }

    /// The allowed months (U-PAY-2), the months chosen within them, and whether the choice
    /// had to be cut to fit.
    pub(crate) fn months(
        &self,
        from: Option<&str>,
        to: Option<&str>,
    ) -> (PeriodRange, PeriodRange, bool) {
        let current = self.current();
        let (range, limited) = PeriodRange::chosen(from, to, current);
        (PeriodRange::allowed(current), range, limited)
    }

    /// The account if it is linked to the session's person; `NotFound` otherwise (whether it
    /// exists or not is not told).
    pub(crate) async fn linked(
        &self,
        session: &str,
        account: i64,
    ) -> Result<(i64, AccountRow), ApiError> {
        let person = self.identity.session_person(session).await?;
        let row = self.linked_to(person, account).await?;
        Ok((person, row))
    }

    pub(crate) async fn linked_to(
        &self,
        person: i64,
        account: i64,
    ) -> Result<AccountRow, ApiError> {
        self.account_of(person, account, "AND l.unlinked_at IS NULL")
            .await
    }

    /// An account of `person`, also one detached from the cabinet whose e-receipt
    /// subscription stays (U-ACC-2).
    pub(crate) async fn held_by(&self, person: i64, account: i64) -> Result<AccountRow, ApiError> {
        self.account_of(person, account, "").await
    }

    /// An account of `person` whose link also meets `condition` (a constant of this module).
    async fn account_of(
        &self,
        person: i64,
        account: i64,
        condition: &'static str,
    ) -> Result<AccountRow, ApiError> {
        sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} WHERE l.person_id = $1 AND l.account_id = $2 {condition}"
        )))
        .bind(person)
        .bind(account)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?
        .ok_or(ApiError::NotFound)
    }

    /// The accounts linked to a person, in the order they were linked.
    pub(crate) async fn accounts_of(&self, person: i64) -> Result<Vec<AccountRow>, ApiError> {
        sqlx::query_as::<_, AccountRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} WHERE l.person_id = $1 AND l.unlinked_at IS NULL \
             ORDER BY l.created_at, l.id"
        )))
        .bind(person)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)
    }

    /// Charges minus payments to date.
    async fn owed(&self, account: i64) -> Result<Kopecks, ApiError> {
        let (charged, paid): (i64, i64) = sqlx::query_as(concat!(
            "SELECT (SELECT ",
            total!("amount"),
            " FROM charges WHERE account_id = $1), (SELECT ",
            total!("amount"),
            " FROM payments WHERE account_id = $1)"
        ))
        .bind(account)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(Kopecks(charged - paid))
    }

    /// What each of the last three months with charges came to (the binding proofs).
    async fn last_receipt_totals(&self, account: i64) -> Result<Vec<(Period, Kopecks)>, ApiError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(concat!(
            "SELECT period, ",
            total!("amount"),
            " FROM charges WHERE account_id = $1 GROUP BY period ORDER BY period DESC LIMIT 3"
        ))
        .bind(account)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(p, total)| (period(p), Kopecks(total)))
            .collect())
    }

    /// Opens a case (an application or a notice) once per idempotency key.
    async fn open_case(
        &self,
        person: i64,
        account: i64,
        kind: shared::cases::CaseKind,
        subject: &str,
        fields: serde_json::Value,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let key = format!("{person}:{}", idempotency_key.trim());
        crate::cases::open_case_alone(
            &self.db,
            &*self.clock,
            &crate::cases::NewCase {
                person,
                account: Some(account),
                kind,
                topic: kind.code(),
                subject,
                fields,
                key: &key,
            },
        )
        .await
    }
}

#[async_trait]
impl AccountsPort for AccountsService {
    async fn branches(&self) -> Result<Vec<BranchOption>, ApiError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM branches ORDER BY name")
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| BranchOption { id, name })
            .collect())
    }

    async fn list(&self, session: &str) -> Result<Vec<AccountCard>, ApiError> {
        let person = self.identity.session_person(session).await?;
        let rows = self.accounts_of(person).await?;
        Ok(rows.iter().map(AccountRow::card).collect())
    }

    async fn overview(&self, session: &str, account: i64) -> Result<AccountOverview, ApiError> {
        let (person, row) = self.linked(session, account).await?;
        let owed = self.owed(account).await?;
        let autopay: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM autopays WHERE person_id = $1 AND account_id = $2")
                .bind(person)
                .bind(account)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        let last_period = self
            .last_receipt_totals(account)
            .await?
            .first()
            .map(|(p, _)| *p);
        let window = row.window();
        Ok(AccountOverview {
            card: row.card(),
            owner_name: row.owner_name.clone(),
            owed,
            window,
            window_status: window.status(self.clock.today()),
            e_receipt: row.e_receipt != 0,
            e_receipt_allowed: row.e_receipt_allowed != 0,
            autopay: autopay.is_some(),
            last_period,
        })
    }

    async fn link(
        &self,
        session: &str,
        request: LinkRequest,
        _client: ClientInfo,
    ) -> Result<i64, ApiError> {
        let person = self.identity.session_person(session).await?;
        let mut errors = FieldErrors::new();
        let branch = request.branch.trim().parse::<i64>().ok();
        if branch.is_none() {
            errors.add("branch", "Выберите филиал");
        }
        errors.check("number", check_account_number(&request.number));
        let proof = errors.check("proof", parse_proof(&request.proof));
        errors.into_result()?;
        let (Some(branch), Some(proof)) = (branch, proof) else {
            return Err(ApiError::refused(ACCOUNT_NOT_FOUND_MESSAGE));
        };
        self.limits
            .hit(&format!("link:person:{person}"), LINK_LIMIT)
            .await?;
        let found: Option<(i64, i32)> = sqlx::query_as(
            "SELECT id, e_receipt_allowed FROM accounts WHERE branch_id = $1 AND number = $2",
        )
        .bind(branch)
        .bind(request.number.trim())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some((account, e_receipt_allowed)) = found else {
            return Err(ApiError::refused(ACCOUNT_NOT_FOUND_MESSAGE));
        };
        let proven = self
            .last_receipt_totals(account)
            .await?
            .iter()
            .any(|(_, total)| *total == proof);
        if !proven {
            return Err(ApiError::refused(ACCOUNT_NOT_FOUND_MESSAGE));
        }
        let inserted = sqlx::query(
            // An account detached earlier comes back with the e-receipt subscription it kept.
            "INSERT INTO account_links (person_id, account_id, e_receipt, e_receipt_after, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, account_id) DO UPDATE SET \
               unlinked_at = NULL, created_at = excluded.created_at, \
               e_receipt_after = CASE WHEN account_links.e_receipt = 1 \
                 THEN account_links.e_receipt_after ELSE excluded.e_receipt_after END, \
               e_receipt = CASE WHEN account_links.e_receipt = 1 THEN 1 ELSE excluded.e_receipt END \
             WHERE account_links.unlinked_at IS NOT NULL",
        )
        .bind(person)
        .bind(account)
        .bind(i32::from(request.e_receipt && e_receipt_allowed != 0))
        // E-receipts start with the next month's charges.
        .bind(self.latest_charges(account).await?)
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        if inserted.rows_affected() == 0 {
            return Err(ApiError::refused(ACCOUNT_ALREADY_LINKED_MESSAGE));
        }
        Ok(account)
    }

    async fn unlink(&self, session: &str, account: i64) -> Result<(), ApiError> {
        let (person, _) = self.linked(session, account).await?;
        // Unbinding turns autopay off for the account; the link is only marked, so that the
        // e-receipt subscription it holds stays (U-ACC-2).
        let mut tx = self.db.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM autopays WHERE person_id = $1 AND account_id = $2")
            .bind(person)
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "UPDATE account_links SET unlinked_at = $3 WHERE person_id = $1 AND account_id = $2",
        )
        .bind(person)
        .bind(account)
        .bind(self.clock.unix())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn rename(&self, session: &str, account: i64, name: &str) -> Result<(), ApiError> {
        check_account_name(name).map_err(|m| ApiError::field("name", m))?;
        let (person, _) = self.linked(session, account).await?;
        sqlx::query("UPDATE account_links SET name = $1 WHERE person_id = $2 AND account_id = $3")
            .bind(name.trim())
            .bind(person)
            .bind(account)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn subscribe_e_receipt(&self, session: &str, account: i64) -> Result<(), ApiError> {
        let (person, row) = self.linked(session, account).await?;
        if row.e_receipt_allowed == 0 {
            return Err(ApiError::refused(
                "Для этого лицевого счета электронная квитанция недоступна.",
            ));
        }
        let confirmed: Option<i32> = sqlx::query_scalar(
            "SELECT email_confirmed FROM people WHERE id = $1 AND email IS NOT NULL",
        )
        .bind(person)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        if confirmed.unwrap_or(0) == 0 {
            return Err(ApiError::refused(
                "Подтвердите адрес электронной почты: на него будет приходить электронная квитанция.",
            ));
        }
        sqlx::query(
            "UPDATE account_links SET \
               e_receipt_after = CASE WHEN e_receipt = 0 THEN $1 ELSE e_receipt_after END, \
               e_receipt = 1 WHERE person_id = $2 AND account_id = $3",
        )
        .bind(self.latest_charges(account).await?)
        .bind(person)
        .bind(account)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn details(&self, session: &str, account: i64) -> Result<AccountDetails, ApiError> {
        let (_, row) = self.linked(session, account).await?;
        let since = self.current().add_months(-12).0;
        let services: Vec<(String, String, String, i32)> = sqlx::query_as(
            "SELECT DISTINCT s.name, s.unit, p.name, s.metered FROM charges c \
             JOIN services s ON s.id = c.service_id JOIN suppliers p ON p.id = c.supplier_id \
             WHERE c.account_id = $1 AND c.period >= $2 ORDER BY s.name",
        )
        .bind(account)
        .bind(since)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let meters: Vec<(
            i64,
            String,
            String,
            String,
            i64,
            i64,
            i64,
            String,
            String,
            String,
        )> = sqlx::query_as(
            "SELECT m.id, s.name, s.unit, m.serial, m.zones, m.digits, m.fraction_digits, \
                 m.installed_on, m.verified_until, m.place FROM meters m \
                 JOIN services s ON s.id = m.service_id \
                 WHERE m.account_id = $1 AND m.removed_on IS NULL ORDER BY s.name, m.serial",
        )
        .bind(account)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let date = |iso: &str| Day::parse(iso).map_or_else(|| iso.to_string(), Day::caption);
        Ok(AccountDetails {
            card: row.card(),
            owner_name: row.owner_name.clone(),
            total_area: row.total_area,
            living_area: row.living_area,
            owners: row.owners,
            residents: row.residents,
            rooms: row.rooms,
            stove: Stove::from_code(&row.stove).unwrap_or(Stove::Gas),
            electric_heating: row.electric_heating != 0,
            services: services
                .into_iter()
                .map(|(service, unit, supplier, metered)| ServiceLine {
                    service,
                    unit,
                    supplier,
                    metered: metered != 0,
                })
                .collect(),
            meters: meters
                .into_iter()
                .map(|m| MeterInfo {
                    id: m.0,
                    service: m.1,
                    unit: m.2,
                    serial: m.3,
                    zones: u32::try_from(m.4).unwrap_or(1),
                    digits: u32::try_from(m.5).unwrap_or(5),
                    fraction_digits: u32::try_from(m.6).unwrap_or(0),
                    installed_on: date(&m.7),
                    verified_until: date(&m.8),
                    place: m.9,
                })
                .collect(),
        })
    }

    async fn tariffs(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<TariffHistory, ApiError> {
        let (_, row) = self.linked(session, account).await?;
        let (allowed, range, limited) = self.months(from.as_deref(), to.as_deref());
        let rows: Vec<(String, String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT s.name, s.unit, t.zone, t.valid_from, t.price, t.act FROM tariffs t \
             JOIN services s ON s.id = t.service_id \
             WHERE t.branch_id = $1 AND t.service_id IN \
               (SELECT DISTINCT service_id FROM charges WHERE account_id = $2) \
             ORDER BY s.name, t.zone, t.valid_from",
        )
        .bind(row.branch_id)
        .bind(account)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut tariffs = Vec::new();
        for (i, (service, unit, zone_code, valid_from, price, act)) in rows.iter().enumerate() {
            // In force until the next tariff of the same service and zone.
            let until = rows
                .get(i + 1)
                .filter(|next| next.0 == *service && next.2 == *zone_code)
                .map(|next| period(next.3).add_months(-1));
            let from = period(*valid_from);
            if from <= range.to && until.is_none_or(|u| u >= range.from) {
                tariffs.push(TariffEntry {
                    service: service.clone(),
                    unit: unit.clone(),
                    zone: stored_zone(zone_code),
                    price: Kopecks(*price),
                    valid_from: from,
                    act: act.clone(),
                });
            }
        }
        tariffs.sort_by(|a, b| {
            b.valid_from
                .cmp(&a.valid_from)
                .then_with(|| a.service.cmp(&b.service))
                .then_with(|| a.zone.cmp(&b.zone))
        });
        Ok(TariffHistory {
            allowed,
            range,
            limited,
            tariffs,
        })
    }

    async fn history(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<BillingHistory, ApiError> {
        self.linked(session, account).await?;
        let (allowed, range, limited) = self.months(from.as_deref(), to.as_deref());
        let charges: Vec<(i64, String, String, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT c.period, s.name, s.unit, p.name, c.zone, c.quantity, c.price, c.amount \
             FROM charges c JOIN services s ON s.id = c.service_id \
             JOIN suppliers p ON p.id = c.supplier_id \
             WHERE c.account_id = $1 AND c.period BETWEEN $2 AND $3 \
             ORDER BY c.period DESC, p.name, s.name, c.zone",
        )
        .bind(account)
        .bind(range.from.0)
        .bind(range.to.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let payments = self.payment_lines(account, range).await?;
        let current = self.current();
        let this_month = self
            .payment_lines(
                account,
                PeriodRange {
                    from: current,
                    to: current,
                },
            )
            .await?;
        let balances = self.balances(account, range).await?;
        Ok(BillingHistory {
            allowed,
            range,
            limited,
            charges: charges
                .into_iter()
                .map(|c| ChargeLine {
                    period: period(c.0),
                    service: c.1,
                    unit: c.2,
                    supplier: c.3,
                    zone: stored_zone(&c.4),
                    quantity: c.5,
                    price: Kopecks(c.6),
                    amount: Kopecks(c.7),
                })
                .collect(),
            payments,
            this_month,
            balances,
        })
    }

    async fn statistics(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Statistics, ApiError> {
        self.linked(session, account).await?;
        let (allowed, range, limited) = self.months(from.as_deref(), to.as_deref());
        let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(concat!(
            "SELECT c.period, s.name, s.unit, c.zone, ",
            total!("c.quantity"),
            ", ",
            total!("c.amount"),
            " FROM charges c JOIN services s ON s.id = c.service_id \
             WHERE c.account_id = $1 AND c.period BETWEEN $2 AND $3 \
             GROUP BY c.period, s.name, s.unit, c.zone ORDER BY c.period, s.name, c.zone"
        ))
        .bind(account)
        .bind(range.from.0)
        .bind(range.to.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let payments: Vec<(i64, i64)> = sqlx::query_as(concat!(
            "SELECT period, ",
            total!("amount"),
            " FROM payments WHERE account_id = $1 AND period BETWEEN $2 AND $3 \
             GROUP BY period ORDER BY period"
        ))
        .bind(account)
        .bind(range.from.0)
        .bind(range.to.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(Statistics {
            allowed,
            range,
            limited,
            rows: rows
                .into_iter()
                .map(|r| StatRow {
                    period: period(r.0),
                    service: r.1,
                    unit: r.2,
                    zone: stored_zone(&r.3),
                    quantity: r.4,
                    charged: Kopecks(r.5),
                })
                .collect(),
            payments: payments
                .into_iter()
                .map(|(p, a)| (period(p), Kopecks(a)))
                .collect(),
        })
    }

    async fn request_details_change(
        &self,
        session: &str,
        account: i64,
        change: DetailsChange,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let current = self.details(session, account).await?;
        let (person, row) = self.linked(session, account).await?;
        let mut errors = FieldErrors::new();
        let mut fields = Vec::new();
        for (key, value) in change.fields {
            let Some((_, caption)) = DETAIL_FIELDS.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let value = value.trim().to_string();
            if value.is_empty() || value == current.field_value(&key) {
                continue;
            }
            if errors
                .check(&key, check_detail_value(&key, &value))
                .is_some()
            {
                fields.push((caption.to_string(), current.field_value(&key), value));
            }
        }
        errors.into_result()?;
        if fields.is_empty() && change.comment.trim().is_empty() {
            return Err(ApiError::refused(
                "Укажите, какие данные нужно изменить: новое значение хотя бы одного поля или комментарий.",
            ));
        }
        if change.comment.chars().count() > 2000 {
            return Err(ApiError::field(
                "comment",
                "Комментарий — не длиннее 2000 символов",
            ));
        }
        let body = serde_json::json!({
            "requested": fields
                .iter()
                .map(|(field, was, wanted)| serde_json::json!({"field": field, "was": was, "wanted": wanted}))
                .collect::<Vec<_>>(),
            "comment": change.comment.trim(),
        });
        self.open_case(
            person,
            account,
            shared::cases::CaseKind::DetailsChange,
            &format!("Изменение данных лицевого счета № {}", row.number),
            body,
            idempotency_key,
        )
        .await
    }

    async fn leave_receipt_instructions(
        &self,
        session: &str,
        choices: &[(i64, LeftDelivery)],
    ) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        let email: Option<String> =
            sqlx::query_scalar("SELECT email FROM people WHERE id = $1 AND email_confirmed = 1")
                .bind(person)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?
                .flatten();
        let rows = self.accounts_of(person).await?;
        let today = self.clock.today().iso();
        let now = self.clock.unix();
        // Every choice is checked before anything is kept: a refusal leaves nothing behind.
        let mut left = Vec::with_capacity(rows.len());
        for row in &rows {
            let chosen = choices.iter().find(|(id, _)| *id == row.id).map(|(_, c)| c);
            let (email, address) = match (chosen, &email) {
                (Some(LeftDelivery::Electronic), Some(email)) if row.e_receipt_allowed != 0 => {
                    (Some(email.clone()), String::new())
                }
                (Some(LeftDelivery::Electronic), None) => {
                    return Err(ApiError::refused(
                        "Электронную квитанцию можно получать только на подтвержденный адрес электронной почты. Выберите бумажную квитанцию.",
                    ));
                }
                (Some(LeftDelivery::PaperTo(other)), _) => (None, other.clone()),
                _ => (None, row.address.clone()),
            };
            left.push((row, email, address));
        }
        for (row, email, address) in left {
            sqlx::query(
                "INSERT INTO receipt_instructions (account_id, delivery, email, postal_address, chosen_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(row.id)
            .bind(if email.is_some() { "electronic" } else { "paper" })
            .bind(email.clone().unwrap_or_default())
            .bind(&address)
            .bind(now)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
            let fields = match &email {
                Some(email) => serde_json::json!({ "delivery": "electronic", "email": email }),
                None => serde_json::json!({ "delivery": "paper", "address": address }),
            };
            self.open_case(
                person,
                row.id,
                shared::cases::CaseKind::ReceiptDelivery,
                &format!(
                    "Способ получения квитанции по лицевому счету № {} после удаления личного кабинета",
                    row.number
                ),
                fields,
                &format!("receipt-delivery-{}-{today}", row.id),
            )
            .await?;
        }
        Ok(())
    }

    async fn report_meter_fault(
        &self,
        session: &str,
        account: i64,
        meter: i64,
        description: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let (person, row) = self.linked(session, account).await?;
        let serial: Option<String> =
            sqlx::query_scalar("SELECT serial FROM meters WHERE id = $1 AND account_id = $2")
                .bind(meter)
                .bind(account)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
        let serial = serial.ok_or(ApiError::NotFound)?;
        let description = description.trim();
        if description.is_empty() {
            return Err(ApiError::field(
                "description",
                shared::contact::REQUIRED_MESSAGE,
            ));
        }
        if description.chars().count() > 2000 {
            return Err(ApiError::field(
                "description",
                "Описание — не длиннее 2000 символов",
            ));
        }
        self.open_case(
            person,
            account,
            shared::cases::CaseKind::MeterFault,
            &format!(
                "Неисправность прибора учета № {serial}, лицевой счет № {}",
                row.number
            ),
            serde_json::json!({ "meter_id": meter, "serial": serial, "description": description }),
            idempotency_key,
        )
        .await
    }
}

impl AccountsService {
    /// The payments of an account over a range of months, newest first.
    async fn payment_lines(
        &self,
        account: i64,
        range: PeriodRange,
    ) -> Result<Vec<PaymentLine>, ApiError> {
        let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
            "SELECT y.period, y.paid_on, p.name, y.amount, y.channel FROM payments y \
             JOIN suppliers p ON p.id = y.supplier_id \
             WHERE y.account_id = $1 AND y.period BETWEEN $2 AND $3 \
             ORDER BY y.period DESC, y.paid_on DESC, p.name",
        )
        .bind(account)
        .bind(range.from.0)
        .bind(range.to.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|p| PaymentLine {
                period: period(p.0),
                paid_on: p.1,
                supplier: p.2,
                amount: Kopecks(p.3),
                channel: p.4,
            })
            .collect())
    }

    /// Opening balance, charges and payments per month and supplier over a range.
    async fn balances(
        &self,
        account: i64,
        range: PeriodRange,
    ) -> Result<Vec<BalanceLine>, ApiError> {
        // (period, supplier, charged, paid) for every month up to the range's end.
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(concat!(
            "SELECT x.period, p.name, ",
            total!("x.charged"),
            ", ",
            total!("x.paid"),
            " FROM (SELECT period, supplier_id, amount AS charged, 0 AS paid FROM charges \
             WHERE account_id = $1 AND period <= $2 \
             UNION ALL SELECT period, supplier_id, 0 AS charged, amount AS paid FROM payments \
             WHERE account_id = $1 AND period <= $2) x \
             JOIN suppliers p ON p.id = x.supplier_id GROUP BY x.period, p.name ORDER BY x.period"
        ))
        .bind(account)
        .bind(range.to.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut running: BTreeMap<String, i64> = BTreeMap::new();
        let mut lines = Vec::new();
        for (p, supplier, charged, paid) in rows {
            let p = period(p);
            let opening = running.entry(supplier.clone()).or_insert(0);
            if range.contains(p) {
                lines.push(BalanceLine {
                    period: p,
                    supplier,
                    opening: Kopecks(*opening),
                    charged: Kopecks(charged),
                    paid: Kopecks(paid),
                });
            }
            *opening += charged - paid;
        }
        lines.sort_by(|a, b| {
            b.period
                .cmp(&a.period)
                .then_with(|| a.supplier.cmp(&b.supplier))
        });
        Ok(lines)
    }
}
