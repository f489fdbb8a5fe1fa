//! Concurrency on one database (#9): twenty customers' writes at once — payments (an order,
//! its lines and the acquirer's registration each) and readings — on the embedded SQLite as
//! on PostgreSQL, with no "database is locked" and nothing lost or doubled.

use crate::common::{TestApp, call, demo, each_backend, ivanov, link_showcase, signed_in};
use shared::payments::PaySheet;
use shared::utility::readings::{ReadingSheet, format_reading};

const WRITERS: usize = 20;

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: Vec<(String, String)>,
) -> reqwest::StatusCode {
    client
        .post(app.at(path))
        .form(&fields)
        .send()
        .await
        .expect("request")
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_writers_are_all_stored() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 6).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await;
        let pay: PaySheet = call(
            &client,
            &app,
            "/api/payments/sheet",
            &[("account", &account.to_string())],
        )
        .await
        .unwrap();
        let sheet: ReadingSheet = call(
            &client,
            &app,
            "/api/meters/sheet",
            &[("account", &account.to_string())],
        )
        .await
        .unwrap();
        let row = sheet.rows.first().expect("a meter").clone();
        let line = pay.lines.first().expect("a supplier").clone();
        let mut tasks = Vec::new();
        for i in 0..WRITERS {
            let (client, app) = (client.clone(), app.clone());
            let (row, line) = (row.clone(), line.clone());
            tasks.push(tokio::spawn(async move {
                let mut fields = vec![("account".to_string(), account.to_string())];
                if i % 2 == 0 {
                    fields.extend([
                        ("keys[0]".to_string(), line.key()),
                        ("amounts[0]".into(), format!("{},00", 10 + i)),
                        ("chosen[0]".into(), line.key()),
                        ("method".into(), "sbp".into()),
                        ("rules".into(), "yes".into()),
                        ("key".into(), format!("load-pay-{i}")),
                    ]);
                    post(&client, &app, "/api/payments/pay", fields).await
                } else {
                    let value = row.previous.unwrap_or(0) + (i as i64 + 1) * 1000;
                    fields.extend([
                        ("rows[0]".to_string(), row.key()),
                        ("values[0]".into(), format_reading(value, row.dial)),
                        ("key".into(), format!("load-reading-{i}")),
                        // Some values are far above the usual: confirmed, as the form does.
                        ("confirm".into(), "yes".into()),
                    ]);
                    post(&client, &app, "/api/meters/submit", fields).await
                }
            }));
        }
        for task in tasks {
            let status = task.await.expect("task");
            assert!(status.is_success(), "a writer was refused: {status}");
        }
        let (orders, sandbox, submissions): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM payment_orders WHERE status = 'pending'), \
             (SELECT COUNT(*) FROM sandbox_payments), (SELECT COUNT(*) FROM reading_submissions)",
        )
        .fetch_one(&app.services.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (orders, sandbox, submissions),
            (WRITERS as i64 / 2, WRITERS as i64 / 2, WRITERS as i64 / 2),
            "every write stored once ({})",
            app.backend
        );
    })
    .await;
}
