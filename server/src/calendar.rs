//! The production calendar of the portal (M-7): the built-in rules of [`shared::calendar`]
//! with the exceptions kept in `calendar_days`, loaded by [`load`] and imported by
//! `kabinet import calendar <file>` ([`import_file`]); staff see a year and set days apart in
//! the back-office ([`CalendarService`], `/staff/calendar`).

use crate::cases::CasesService;
use crate::clock::Clock;
use crate::db::Db;
use app::staff::ports::CalendarAdminPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::calendar::{CalendarException, CalendarYear, Day, WorkCalendar};
use shared::cases::Role;
use std::path::Path;
use std::sync::Arc;

/// The calendar with the exceptions stored.
pub async fn load(db: &Db) -> Result<WorkCalendar, ApiError> {
    let rows: Vec<(String, i32)> = sqlx::query_as("SELECT day, working FROM calendar_days")
        .fetch_all(&db.pool)
        .await
        .map_err(crate::error::db)?;
    Ok(WorkCalendar::with_exceptions(rows.into_iter().filter_map(
        |(day, working)| Day::parse(&day).map(|d| (d, working != 0)),
    )))
}

/// The exceptions stored for a year, in the order of the days.
pub async fn exceptions(db: &Db, year: i32) -> Result<Vec<CalendarException>, ApiError> {
    let rows: Vec<(String, i32, String)> = sqlx::query_as(
        "SELECT day, working, note FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{year:04}-12-31"))
    .fetch_all(&db.pool)
    .await
    .map_err(crate::error::db)?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, working, note)| {
            Day::parse(&day).map(|day| CalendarException {
                day,
                working: working != 0,
                note,
            })
        })
        .collect())
}

/// The production calendar in the back-office: a year's sheets for every staff member; a
/// senior specialist or an administrator sets a day apart or returns it to the rules, each
/// in the audit log.
pub struct CalendarService {
    db: Db,
    clock: Arc<dyn Clock>,
    cases: Arc<CasesService>,
}

impl CalendarService {
    pub fn new(db: Db, clock: Arc<dyn Clock>, cases: Arc<CasesService>) -> Self {
        Self { db, clock, cases }
    }
}

#[async_trait]
impl CalendarAdminPort for CalendarService {
    async fn year(&self, token: &str, year: Option<i32>) -> Result<CalendarYear, ApiError> {
        self.cases.staff_of(token).await?;
        let year = year
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(self.clock.today().year);
        let calendar = load(&self.db).await?;
        Ok(CalendarYear::new(
            &calendar,
            year,
            exceptions(&self.db, year).await?,
        ))
    }

    async fn set_day(
        &self,
        token: &str,
        day: &str,
        working: &str,
        note: &str,
    ) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let exception = shared::calendar::parse_exception(day, working, note)
            .map_err(|fields| ApiError::Invalid { fields })?;
        let caption = exception.day.caption();
        if WorkCalendar::russian().is_working_day(exception.day) == exception.working {
            // What the rules say anyway: no exception to keep.
            clear(&self.db, exception.day).await?;
        } else {
            store(
                &self.db,
                &[CalendarRow {
                    day: exception.day,
                    working: exception.working,
                    note: exception.note.clone(),
                }],
            )
            .await?;
        }
        let kind = if exception.working {
            "рабочий день"
        } else {
            "выходной"
        };
        let detail = if exception.note.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}: {}", exception.note)
        };
        self.cases
            .audit_log(Some(staff.id), "calendar.day", &caption, &detail)
            .await
    }

    async fn clear_day(&self, token: &str, day: &str) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let day =
            shared::calendar::check_exception_day(day).map_err(|m| ApiError::field("day", m))?;
        clear(&self.db, day).await?;
        self.cases
            .audit_log(Some(staff.id), "calendar.clear", &day.caption(), "")
            .await
    }
}

/// Returns a day to the built-in rules.
async fn clear(db: &Db, day: Day) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day.iso())
        .execute(&db.pool)
        .await
        .map_err(crate::error::db)?;
    Ok(())
}

/// One day of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarRow {
    pub day: Day,
    pub working: bool,
    pub note: String,
}

/// Reads a calendar file: CSV with `;` or `,`, the header `date;working[;note]`; a date as
/// `2027-01-11` or `11.01.2027`; `working` as `1`/`0`, `рабочий`/`выходной` or `yes`/`no`.
/// Every bad line is reported by its number.
pub fn parse(text: &str) -> Result<Vec<CalendarRow>, Vec<String>> {
    let mut reader = crate::import::csv_table(text);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("строка 1: {e}")]),
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(date_at), Some(working_at)) = (column("date"), column("working")) else {
        return Err(vec![
            "строка 1: нужны столбцы date и working (и, по желанию, note)".to_string(),
        ]);
    };
    let note_at = column("note");
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("строка {line}: {e}"));
                continue;
            }
        };
        let date = record.get(date_at).unwrap_or_default();
        let Some(day) = Day::parse(date).or_else(|| Day::parse_russian(date)) else {
            errors.push(format!(
                "строка {line}: «{date}» — не дата (2027-01-11 или 11.01.2027)"
            ));
            continue;
        };
        let working = match record
            .get(working_at)
            .unwrap_or_default()
            .to_lowercase()
            .as_str()
        {
            "1" | "рабочий" | "yes" | "true" => true,
            "0" | "выходной" | "no" | "false" => false,
            other => {
                errors.push(format!(
                    "строка {line}: «{other}» — укажите 1 (рабочий) или 0 (выходной)"
                ));
                continue;
            }
        };
        if rows.iter().any(|r: &CalendarRow| r.day == day) {
            errors.push(format!("строка {line}: {} уже указан выше", day.caption()));
            continue;
        }
        let note = note_at
            .and_then(|i| record.get(i))
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        rows.push(CalendarRow { day, working, note });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Stores the rows in one transaction; importing the same file again changes nothing.
pub async fn store(db: &Db, rows: &[CalendarRow]) -> Result<(), ApiError> {
    let mut tx = db.begin().await.map_err(crate::error::db)?;
    for row in rows {
        sqlx::query(
            "INSERT INTO calendar_days (day, working, note) VALUES ($1, $2, $3) \
             ON CONFLICT (day) DO UPDATE SET working = excluded.working, note = excluded.note",
        )
        .bind(row.day.iso())
        .bind(i32::from(row.working))
        .bind(&row.note)
        .execute(&mut *tx)
        .await
        .map_err(crate::error::db)?;
    }
    tx.commit().await.map_err(crate::error::db)
}

/// `kabinet import calendar <file>`: the exit code (0 imported, 1 refused).
pub async fn import_file(db: &Db, path: &Path) -> anyhow::Result<i32> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    match parse(text.trim_start_matches('\u{feff}')) {
        Ok(rows) => {
            store(db, &rows)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            println!(
                "{}: импортировано дней календаря: {}",
                path.display(),
                rows.len()
            );
            Ok(0)
        }
        Err(errors) => Ok(crate::import::refused(path, &errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn a_calendar_file_is_read_whole_or_refused_by_line() {
        let rows =
            parse("date;working;note\n2027-01-11;0;перенос с 2 января\n06.11.2027;рабочий;\n")
                .unwrap();
        assert_eq!(
            rows,
            vec![
                CalendarRow {
                    day: day("2027-01-11"),
                    working: false,
                    note: "перенос с 2 января".into()
                },
                CalendarRow {
                    day: day("2027-11-06"),
                    working: true,
                    note: String::new()
                },
            ]
        );
        let errors = parse(
            "date,working\n2027-02-30,0\n2027-01-12,может быть\n2027-01-13,1\n2027-01-13,0\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("строка 2:"), "{errors:?}");
        assert!(errors[1].starts_with("строка 3:"), "{errors:?}");
        assert!(errors[2].starts_with("строка 5:") && errors[2].contains("13.01.2027"));
        assert!(parse("день;рабочий\n2027-01-11;0\n").unwrap_err()[0].contains("date и working"));
    }
}
