//! Files kept for the modules (M-8, P-5): each kind lives as long as its retention says, only
//! its owner fetches it, and the background job removes what expired once, however many
//! instances run it at the same moment.

use crate::common::each_backend;
use shared::ApiError;
use shared::retention::FileKind;

#[tokio::test]
async fn each_kind_expires_on_its_day_and_is_removed_once() {
    each_backend(|app| async move {
        let files = &app.services.kept_files;
        let result = files
            .put(
                FileKind::OrderResult,
                "org:1",
                "справка.zip",
                "application/zip",
                b"PK result",
            )
            .await
            .unwrap();
        let scan = files
            .put(
                FileKind::IdentityScan,
                "person:7",
                "паспорт.jpg",
                "image/jpeg",
                b"scan",
            )
            .await
            .unwrap();
        let invoice = files
            .put(
                FileKind::AccountingDocument,
                "org:1",
                "счет.pdf",
                "application/pdf",
                b"%PDF",
            )
            .await
            .unwrap();
        let fetched = files.get(result, "org:1").await.unwrap();
        assert_eq!(fetched.bytes, b"PK result");
        assert_eq!(fetched.file_name, "справка.zip");
        assert_eq!(
            files.get(result, "org:2").await.unwrap_err(),
            ApiError::NotFound,
            "another owner's file is not found"
        );

        // Nine days on, nothing has expired.
        app.clock.advance(jiff::SignedDuration::from_hours(9 * 24));
        assert_eq!(files.expire().await.unwrap(), 0);
        // Past ten days the result is gone for its owner even before the job runs, and two
        // instances running the job remove it once.
        app.clock.advance(jiff::SignedDuration::from_hours(24 + 1));
        assert_eq!(
            files.get(result, "org:1").await.unwrap_err(),
            ApiError::NotFound
        );
        let second = app.second_instance().await;
        let (a, b) = tokio::join!(files.expire(), second.services.kept_files.expire());
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(files.get(scan, "person:7").await.unwrap().bytes, b"scan");

        // Three months on the scan goes; the invoice stays for five years.
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 92));
        second.services.run_jobs_once(true).await;
        assert_eq!(
            files.get(scan, "person:7").await.unwrap_err(),
            ApiError::NotFound
        );
        assert_eq!(files.get(invoice, "org:1").await.unwrap().bytes, b"%PDF");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kept_files")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 1);
        second.finish().await;
    })
    .await;
}
