//! Readings sent by customers (U-MTR-2..4): the sheet of «Передать показания», submission in
//! the branch's window (the server's clock in the provider's zone decides), and the history.
//! A submission is checked whole with the rules of `shared::utility::readings` and stored in one
//! transaction; within the window the last value of a month counts.

use super::service::AccountsService;
use crate::error::db;
use app::utility::ports::MetersPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::error::FieldErrors;
use shared::utility::billing::{Day, Period, Zone};
use shared::utility::readings::*;

/// (id, service, unit, serial, zones, digits, fraction digits, verified until, auto read)
type MeterRow = (i64, String, String, String, i64, i64, i64, String, i32);

fn zones_of(count: i64) -> Vec<Zone> {
    match count {
        2 => vec![Zone::Day, Zone::Night],
        3 => vec![Zone::Peak, Zone::SemiPeak, Zone::Night],
        _ => vec![Zone::Single],
    }
}

/// The average monthly consumption over the accepted readings given newest first (skipping
/// roll-overs and gaps), if there are at least two.
fn usual(values: &[i64]) -> Option<i64> {
    let used: Vec<i64> = values
        .windows(2)
        .map(|w| w[0] - w[1])
        .filter(|d| *d >= 0)
        .collect();
    (!used.is_empty()).then(|| used.iter().sum::<i64>() / used.len() as i64)
}

fn source_caption(source: &str) -> &'static str {
    match source {
        "portal" => "личный кабинет",
        "controller" => "контролер",
        _ => "биллинг",
    }
}

impl AccountsService {
    async fn sheet_for(&self, person: i64, account: i64) -> Result<ReadingSheet, ApiError> {
        let row = self.linked_to(person, account).await?;
        let today = self.clock.today();
        let current = today.period();
        let meters: Vec<MeterRow> = sqlx::query_as(
            "SELECT m.id, s.name, s.unit, m.serial, m.zones, m.digits, m.fraction_digits, \
             m.verified_until, m.auto_read FROM meters m JOIN services s ON s.id = m.service_id \
             WHERE m.account_id = $1 AND m.removed_on IS NULL ORDER BY s.name, m.serial",
        )
        .bind(account)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut rows = Vec::new();
        for (id, service, unit, serial, zones, digits, fraction, verified_until, auto_read) in
            meters
        {
            let dial = Dial {
                digits: u32::try_from(digits).unwrap_or(5),
                fraction_digits: u32::try_from(fraction).unwrap_or(0),
            };
            let blocked = if auto_read != 0 {
                Some(
                    "Показания этого прибора учета передаются автоматически: вводить их не нужно."
                        .to_string(),
                )
            } else {
                Day::parse(&verified_until)
                    .filter(|until| *until < today)
                    .map(|until| {
                        format!(
                            "Срок поверки прибора учета истек {}: показания не принимаются. Закажите поверку или замену прибора.",
                            until.caption()
                        )
                    })
            };
            for zone in zones_of(zones) {
                let accepted: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT value, taken_on FROM readings WHERE meter_id = $1 AND zone = $2 \
                     AND accepted = 1 AND period < $3 ORDER BY period DESC, id DESC LIMIT 13",
                )
                .bind(id)
                .bind(zone.code())
                .bind(current.0)
                .fetch_all(&self.db.pool)
                .await
                .map_err(db)?;
                let sent: Option<i64> = sqlx::query_scalar(
                    "SELECT value FROM readings WHERE meter_id = $1 AND zone = $2 \
                     AND period = $3 AND source = 'portal'",
                )
                .bind(id)
                .bind(zone.code())
                .bind(current.0)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
                let values: Vec<i64> = accepted.iter().map(|(v, _)| *v).collect();
                rows.push(ReadingRow {
                    meter_id: id,
                    service: service.clone(),
                    unit: unit.clone(),
                    serial: serial.clone(),
                    zone,
                    dial,
                    previous: values.first().copied(),
                    previous_on: accepted
                        .first()
                        .map(|(_, on)| Day::parse(on).map_or_else(|| on.clone(), Day::caption)),
                    sent,
                    usual: usual(&values),
                    blocked: blocked.clone(),
                });
            }
        }
        let window = row.window();
        Ok(ReadingSheet {
            account,
            number: row.number.clone(),
            window,
            status: window.status(today),
            rows,
        })
    }
}

#[async_trait]
impl MetersPort for AccountsService {
    async fn reading_sheet(&self, session: &str, account: i64) -> Result<ReadingSheet, ApiError> {
        let person = self.identity.session_person(session).await?;
        self.sheet_for(person, account).await
    }

    async fn reading_sheets(&self, session: &str) -> Result<Vec<ReadingSheet>, ApiError> {
        let person = self.identity.session_person(session).await?;
        let accounts = self.accounts_of(person).await?;
        let mut sheets = Vec::with_capacity(accounts.len());
        for account in accounts {
            sheets.push(self.sheet_for(person, account.id).await?);
        }
        Ok(sheets)
    }

    async fn submit_readings(
        &self,
        session: &str,
        account: i64,
        values: Vec<(String, String)>,
        confirmed: bool,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        let key = format!("{person}:{}", idempotency_key.trim());
        let seen: Option<i64> = sqlx::query_scalar(
            "SELECT person_id FROM reading_submissions WHERE idempotency_key = $1",
        )
        .bind(&key)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        if seen.is_some() {
            // Sent before (a double click, a repeated request): it was stored then.
            return Ok(());
        }
        let sheet = self.sheet_for(person, account).await?;
        if !sheet.is_open() {
            return Err(ApiError::refused(window_closed_message(sheet.window)));
        }
        let mut errors = FieldErrors::new();
        let mut accepted = Vec::new();
        let mut unchanged = false;
        for (key, typed) in &values {
            if typed.trim().is_empty() {
                continue;
            }
            let Some(row) = sheet.rows.iter().find(|r| r.key() == *key) else {
                return Err(ApiError::NotFound);
            };
            // What was sent before comes back prefilled: sending it again changes nothing.
            if row.is_resent(typed) {
                unchanged = true;
                continue;
            }
            let field = format!("value:{key}");
            if let Some(reason) = &row.blocked {
                errors.add(&field, reason.clone());
                continue;
            }
            match row.check(typed) {
                Ok(used) => {
                    if row.needs_confirmation(typed, used) && !confirmed {
                        errors.add(&field, HIGH_CONSUMPTION_WARNING);
                        continue;
                    }
                    let value = parse_reading(typed, row.dial).unwrap_or_default();
                    accepted.push((row.meter_id, row.zone, value));
                }
                Err(message) => errors.add(&field, message),
            }
        }
        errors.into_result()?;
        if accepted.is_empty() && unchanged {
            return Ok(());
        }
        if accepted.is_empty() {
            return Err(ApiError::refused(
                "Введите текущие показания хотя бы одного прибора учета.",
            ));
        }
        let now = self.clock.unix();
        let today = self.clock.today();
        let period: Period = today.period();
        let mut tx = self.db.begin().await.map_err(db)?;
        let fresh = sqlx::query(
            "INSERT INTO reading_submissions (idempotency_key, person_id, created_at) \
             VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&key)
        .bind(person)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if fresh.rows_affected() == 0 {
            // The same request raced this one and was stored first.
            return Ok(());
        }
        for (meter, zone, value) in accepted {
            sqlx::query(
                "INSERT INTO readings (meter_id, zone, period, value, source, accepted, taken_on, submitted_at) \
                 VALUES ($1, $2, $3, $4, 'portal', 0, $5, $6) \
                 ON CONFLICT (meter_id, zone, period, source) DO UPDATE SET value = excluded.value, \
                 taken_on = excluded.taken_on, submitted_at = excluded.submitted_at",
            )
            .bind(meter)
            .bind(zone.code())
            .bind(period.0)
            .bind(value)
            .bind(today.iso())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn reading_history(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<ReadingHistory, ApiError> {
        let person = self.identity.session_person(session).await?;
        self.linked_to(person, account).await?;
        let (allowed, range, limited) = self.months(from.as_deref(), to.as_deref());
        // The current month's readings are shown too: they are what was just sent.
        let rows: Vec<(i64, String, String, String, i64, i64, String, i32, String)> =
            sqlx::query_as(
                "SELECT r.period, s.name, m.serial, r.zone, r.value, m.fraction_digits, r.source, \
                 r.accepted, r.taken_on FROM readings r JOIN meters m ON m.id = r.meter_id \
                 JOIN services s ON s.id = m.service_id \
                 WHERE m.account_id = $1 AND r.period BETWEEN $2 AND $3 \
                 ORDER BY r.period DESC, s.name, m.serial, r.zone, r.source",
            )
            .bind(account)
            .bind(range.from.0)
            .bind(if range.to == allowed.to {
                range.to.add_months(1).0
            } else {
                range.to.0
            })
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(ReadingHistory {
            allowed,
            range,
            limited,
            readings: rows
                .into_iter()
                .map(|r| ReadingRecord {
                    period: Period::from_yyyymm(r.0).unwrap_or(Period(r.0)),
                    service: r.1,
                    serial: r.2,
                    zone: super::service::stored_zone(&r.3),
                    value: shared::utility::billing::thousandths(
                        r.4,
                        u32::try_from(r.5).unwrap_or(0),
                    ),
                    source: source_caption(&r.6).to_string(),
                    accepted: r.7 != 0,
                    taken_on: Day::parse(&r.8).map_or_else(|| r.8.clone(), Day::caption),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_consumption_skips_roll_overs() {
        assert_eq!(usual(&[300, 200, 100]), Some(100));
        assert_eq!(usual(&[10, 99_990, 99_900]), Some(90));
        assert_eq!(usual(&[5]), None);
    }
}
