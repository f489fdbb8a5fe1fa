//! The production calendar's exceptions (M-7): `kabinet import calendar` stores them whole or
//! not at all, again changes nothing, and the calendar the services load follows them.

use crate::common::each_backend;
use shared::calendar::Day;

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "kabinet_calendar_{}_{}_{name}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn imported_days_change_the_working_calendar() {
    each_backend(|app| async move {
        let db = &app.services.db;
        let calendar = server::calendar::load(db).await.unwrap();
        // 2027 has no decree built in: 11 January is a working Monday, 6 November a Saturday.
        assert!(calendar.is_working_day(day("2027-01-11")));
        assert!(!calendar.is_working_day(day("2027-11-06")));

        // A file with a bad line: refused, nothing stored.
        let bad = file("bad.csv", "date;working\n2027-01-11;0\n2027-13-01;1\n");
        assert_eq!(server::calendar::import_file(db, &bad).await.unwrap(), 1);
        let calendar = server::calendar::load(db).await.unwrap();
        assert!(calendar.is_working_day(day("2027-01-11")));

        let good = file(
            "good.csv",
            "\u{feff}date;working;note\n2027-01-11;0;перенос\n06.11.2027;1;рабочая суббота\n",
        );
        assert_eq!(server::calendar::import_file(db, &good).await.unwrap(), 0);
        assert_eq!(server::calendar::import_file(db, &good).await.unwrap(), 0);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_days")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 2, "the same file again changes nothing");
        let calendar = server::calendar::load(db).await.unwrap();
        assert!(!calendar.is_working_day(day("2027-01-11")));
        assert!(calendar.is_working_day(day("2027-11-06")));
        // A deadline counts the imported days: Friday 8 January + 1 working day is the 12th.
        assert_eq!(
            calendar.add_working_days(day("2027-01-08"), 1),
            day("2027-01-12")
        );
        for path in [bad, good] {
            let _ = std::fs::remove_file(path);
        }
    })
    .await;
}

#[tokio::test]
async fn staff_see_a_year_and_a_senior_specialist_sets_days_apart() {
    use crate::common::{call, form, page_text, staff};
    use shared::ApiError;
    use shared::calendar::CalendarYear;
    use shared::cases::Role;
    each_backend(|app| async move {
        let operator = staff(&app, "op1", Role::Operator).await;
        let year: CalendarYear = call(&operator, &app, "/api/staff/calendar", &[("year", "2026")])
            .await
            .unwrap();
        assert_eq!(year.working_days, 247);
        assert_eq!(year.months[0].working_days, 15);
        let page = page_text(&operator, &app, "/staff/calendar?year=2026").await;
        assert!(page.contains("Рабочих дней в году: 247"), "{page}");
        assert!(page.contains("Изменять календарь могут старший специалист и администратор."));
        assert_eq!(
            form(
                &operator,
                &app,
                "/api/staff/calendar/day",
                &[("day", "11.01.2027"), ("working", "0"), ("note", "")]
            )
            .await,
            Err(ApiError::Forbidden)
        );

        let senior = staff(&app, "sup1", Role::Supervisor).await;
        let refused = form(
            &senior,
            &app,
            "/api/staff/calendar/day",
            &[("day", "31.02.2027"), ("working", "0"), ("note", "")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("day"),
            Some("Укажите дату в виде ДД.ММ.ГГГГ, с 2000 по 2100 год")
        );
        let before: CalendarYear = call(&senior, &app, "/api/staff/calendar", &[("year", "2027")])
            .await
            .unwrap();
        for (day, working, note) in [
            ("11.01.2027", "0", "перенос с 2 января"),
            ("06.11.2027", "1", "рабочая суббота"),
            // What the rules say anyway: nothing kept.
            ("12.01.2027", "1", ""),
        ] {
            form(
                &senior,
                &app,
                "/api/staff/calendar/day",
                &[("day", day), ("working", working), ("note", note)],
            )
            .await
            .unwrap();
        }
        let after: CalendarYear = call(&senior, &app, "/api/staff/calendar", &[("year", "2027")])
            .await
            .unwrap();
        assert_eq!(after.working_days, before.working_days);
        assert_eq!(
            after.months[0].working_days,
            before.months[0].working_days - 1
        );
        assert_eq!(after.exceptions.len(), 2);
        assert_eq!(after.exceptions[0].note, "перенос с 2 января");
        let calendar = server::calendar::load(&app.services.db).await.unwrap();
        assert!(!calendar.is_working_day(day("2027-01-11")));
        assert!(calendar.is_working_day(day("2027-11-06")));

        form(
            &senior,
            &app,
            "/api/staff/calendar/clear",
            &[("day", "11.01.2027")],
        )
        .await
        .unwrap();
        let cleared: CalendarYear = call(&senior, &app, "/api/staff/calendar", &[("year", "2027")])
            .await
            .unwrap();
        assert_eq!(cleared.exceptions.len(), 1);
        let audit = page_text(&senior, &app, "/staff/audit").await;
        assert!(audit.contains("Производственный календарь: день изменен"));
        assert!(audit.contains("Производственный календарь: день по общим правилам"));
    })
    .await;
}
