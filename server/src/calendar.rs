//! The production calendar of the portal (M-7): the built-in rules of [`shared::calendar`]
//! with the exceptions kept in `calendar_days`, loaded by [`load`] and imported by
//! `kabinet import calendar <file>` ([`import_file`]).

use crate::db::Db;
use shared::ApiError;
use shared::calendar::{Day, WorkCalendar};
use std::path::Path;

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
    let mut tx = db.pool.begin().await.map_err(crate::error::db)?;
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
