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
