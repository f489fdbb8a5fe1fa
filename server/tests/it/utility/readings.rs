//! Readings sent by customers (U-MTR-2..4): the window by the provider's clock, the rules of
//! `shared::utility::readings` on the server, corrections, idempotent resubmission, roll-over and
//! meter replacement.

use crate::common::{TestApp, call, demo, each_backend, form, ivanov, link_showcase, signed_in};
use shared::ApiError;
use shared::utility::billing::Zone;
use shared::utility::readings::*;

/// Иванов with the demo's first account (a two-zone electricity meter and two water meters).
async fn customer(app: &TestApp) -> (reqwest::Client, String) {
    let showcase = demo(app, 3, 14).await;
    ivanov(app, true).await;
    let client = signed_in(app, "Secret-2026!").await;
    let id = link_showcase(&client, app, &showcase[0]).await;
    (client, id.to_string())
}

async fn sheet(client: &reqwest::Client, app: &TestApp, account: &str) -> ReadingSheet {
    call(client, app, "/api/meters/sheet", &[("account", account)])
        .await
        .unwrap()
}

/// Sends `values` for the rows of `keys`.
async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    account: &str,
    entries: &[(&str, &str)],
    key: &str,
    confirm: bool,
) -> Result<(), ApiError> {
    let names: Vec<(String, String)> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, (row, value))| {
            [
                (format!("rows[{i}]"), row.to_string()),
                (format!("values[{i}]"), value.to_string()),
            ]
        })
        .collect();
    let mut fields: Vec<(&str, &str)> = names
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    fields.push(("account", account));
    fields.push(("key", key));
    if confirm {
        fields.push(("confirm", "yes"));
    }
    form(client, app, "/api/meters/submit", &fields).await
}

fn row<'a>(s: &'a ReadingSheet, service: &str, zone: Zone) -> &'a ReadingRow {
    s.rows
        .iter()
        .find(|r| r.service == service && r.zone == zone)
        .expect("the row")
}

fn plus(r: &ReadingRow, units: i64) -> String {
    format_reading(r.previous.unwrap_or(0) + units * 1000, r.dial)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readings_are_checked_corrected_and_stored_once() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let s = sheet(&client, &app, &account).await;
        assert!(s.is_open(), "20 November is inside 15–25");
        assert_eq!(s.rows.len(), 4, "day and night, cold and hot water");
        let day = row(&s, "Электроэнергия", Zone::Day).clone();
        let night = row(&s, "Электроэнергия", Zone::Night).clone();
        let cold = row(&s, "Холодное водоснабжение", Zone::Single).clone();
        // Lower than the last accepted reading: refused verbatim, nothing stored (U-MTR-4).
        let lower = format_reading(cold.previous.unwrap() - 1000, cold.dial);
        let err = send(
            &client,
            &app,
            &account,
            &[(&cold.key(), &lower), (&day.key(), &plus(&day, 100))],
            "k1",
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message(&format!("value:{}", cold.key())),
            Some(LOWER_READING_MESSAGE)
        );
        assert_eq!(
            sheet(&client, &app, &account)
                .await
                .rows
                .iter()
                .filter(|r| r.sent.is_some())
                .count(),
            0
        );
        // Equal is accepted (nothing used), «.» or «,» alike.
        let equal = format_reading(cold.previous.unwrap(), cold.dial).replace(',', ".");
        send(
            &client,
            &app,
            &account,
            &[
                (&day.key(), &plus(&day, 150)),
                (&night.key(), &plus(&night, 60)),
                (&cold.key(), &equal),
            ],
            "k2",
            false,
        )
        .await
        .unwrap();
        let s = sheet(&client, &app, &account).await;
        assert_eq!(
            row(&s, "Электроэнергия", Zone::Day).sent,
            Some(day.previous.unwrap() + 150_000)
        );
        assert_eq!(
            row(&s, "Холодное водоснабжение", Zone::Single).sent,
            cold.previous
        );
        // The same submission again (a double click) changes nothing, even with other values.
        send(
            &client,
            &app,
            &account,
            &[(&day.key(), &plus(&day, 999))],
            "k2",
            false,
        )
        .await
        .unwrap();
        let s = sheet(&client, &app, &account).await;
        assert_eq!(
            row(&s, "Электроэнергия", Zone::Day).sent,
            Some(day.previous.unwrap() + 150_000)
        );
        // A correction within the window: the last value counts, one row per month.
        send(
            &client,
            &app,
            &account,
            &[(&day.key(), &plus(&day, 140))],
            "k3",
            false,
        )
        .await
        .unwrap();
        let s = sheet(&client, &app, &account).await;
        assert_eq!(
            row(&s, "Электроэнергия", Zone::Day).sent,
            Some(day.previous.unwrap() + 140_000)
        );
        let portal: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM readings WHERE source = 'portal'")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap();
        assert_eq!(portal, 3);
        let history: ReadingHistory = call(
            &client,
            &app,
            "/api/meters/history",
            &[("account", &account)],
        )
        .await
        .unwrap();
        assert!(
            history
                .readings
                .iter()
                .any(|r| r.source == "личный кабинет" && !r.accepted)
        );
        // Far above the usual: a warning first, stored once confirmed.
        let huge = plus(&night, 5_000);
        let err = send(
            &client,
            &app,
            &account,
            &[(&night.key(), &huge)],
            "k4",
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message(&format!("value:{}", night.key())),
            Some(HIGH_CONSUMPTION_WARNING)
        );
        send(
            &client,
            &app,
            &account,
            &[(&night.key(), &huge)],
            "k5",
            true,
        )
        .await
        .unwrap();
        // The form comes back with it prefilled: sending it again (another key) is no new warning.
        let day_again = plus(&day, 141);
        send(
            &client,
            &app,
            &account,
            &[(&night.key(), &huge), (&day.key(), &day_again)],
            "k6",
            false,
        )
        .await
        .unwrap();
        let s = sheet(&client, &app, &account).await;
        assert_eq!(
            row(&s, "Электроэнергия", Zone::Day).sent,
            Some(day.previous.unwrap() + 141_000)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_follows_the_providers_clock() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let s = sheet(&client, &app, &account).await;
        let day = row(&s, "Электроэнергия", Zone::Day).clone();
        // 25 November 23:45 in Moscow (20:45 UTC): still open. (Days later: sign in again.)
        app.clock.set("2026-11-25T20:45:00Z".parse().unwrap());
        let client = signed_in(&app, "Secret-2026!").await;
        send(
            &client,
            &app,
            &account,
            &[(&day.key(), &plus(&day, 10))],
            "w1",
            false,
        )
        .await
        .unwrap();
        // 26 November 00:05 in Moscow (21:05 UTC on the 25th): closed, whatever the browser thinks.
        app.clock.set("2026-11-25T21:05:00Z".parse().unwrap());
        let s = sheet(&client, &app, &account).await;
        assert!(!s.is_open());
        let err = send(
            &client,
            &app,
            &account,
            &[(&day.key(), &plus(&day, 20))],
            "w2",
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::refused(window_closed_message(s.window)));
        assert!(window_closed_message(s.window).contains("с 15 по 25 число"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roll_over_and_a_new_meter_are_accepted() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let s = sheet(&client, &app, &account).await;
        let hot = row(&s, "Горячее водоснабжение", Zone::Single).clone();
        // The dial stood at 99 987 last month.
        sqlx::query("UPDATE readings SET value = 99987000 WHERE meter_id = $1 AND period = 202610")
            .bind(hot.meter_id)
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        send(&client, &app, &account, &[(&hot.key(), "00012")], "r1", false).await.unwrap();
        let s = sheet(&client, &app, &account).await;
        assert_eq!(row(&s, "Горячее водоснабжение", Zone::Single).sent, Some(12_000));
        // Replaced: the old meter leaves, the new one starts its own history.
        let cold = row(&s, "Холодное водоснабжение", Zone::Single).clone();
        sqlx::query("UPDATE meters SET removed_on = '2026-11-01' WHERE id = $1")
            .bind(cold.meter_id)
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO meters (account_id, service_id, serial, zones, digits, fraction_digits, installed_on, verified_until) \
             SELECT account_id, service_id, 'NEW-1', 1, 5, 3, '2026-11-01', '2032-11-01' FROM meters WHERE id = $1",
        )
        .bind(cold.meter_id)
        .execute(&app.services.db.pool)
        .await
        .unwrap();
        let s = sheet(&client, &app, &account).await;
        let fresh = s.rows.iter().find(|r| r.serial == "NEW-1").expect("the new meter").clone();
        assert_eq!(fresh.previous, None);
        assert!(s.rows.iter().all(|r| r.meter_id != cold.meter_id));
        send(&client, &app, &account, &[(&fresh.key(), "0,5")], "r2", false).await.unwrap();
        // A meter past its verification takes no reading, and says why.
        sqlx::query("UPDATE meters SET verified_until = '2026-01-01' WHERE serial = 'NEW-1'")
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        let s = sheet(&client, &app, &account).await;
        let expired = s.rows.iter().find(|r| r.serial == "NEW-1").unwrap().clone();
        assert!(expired.blocked.as_deref().unwrap_or_default().contains("Срок поверки"));
        let err = send(&client, &app, &account, &[(&expired.key(), "1")], "r3", false).await.unwrap_err();
        assert!(err.field_message(&format!("value:{}", expired.key())).is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readings_for_all_accounts_are_sent_in_one_go_with_a_result_per_row() {
    each_backend(|app| async move {
        let (client, first) = customer(&app).await;
        // A second account of the same demo provider.
        let number = server::utility::billing::demo::account_number(2);
        let proof: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(c.amount) AS BIGINT) FROM charges c JOIN accounts a ON a.id = c.account_id \
             WHERE a.number = $1 AND c.period = 202610",
        )
        .bind(&number)
        .fetch_one(&app.services.db.pool)
        .await
        .unwrap();
        let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM accounts WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        form(&client, &app, "/api/accounts/link", &[
            ("branch", &branch.to_string()),
            ("number", &number),
            ("proof", &shared::Kopecks(proof).format_number()),
        ])
        .await
        .unwrap();
        let sheets: Vec<ReadingSheet> = call(&client, &app, "/api/meters/sheets", &[]).await.unwrap();
        assert_eq!(sheets.len(), 2);
        let a = &sheets[0];
        let b = &sheets[1];
        assert_eq!(a.account.to_string(), first);
        let a_row = row(a, "Холодное водоснабжение", Zone::Single);
        let b_row = row(b, "Холодное водоснабжение", Zone::Single);
        let a_key = format!("{}:{}", a.account, a_row.key());
        let b_key = format!("{}:{}", b.account, b_row.key());
        let good = plus(a_row, 3);
        let lower = format_reading(b_row.previous.unwrap() - 1000, b_row.dial);
        let err = form(&client, &app, "/api/meters/submit-all", &[
            ("rows[0]", &a_key),
            ("values[0]", &good),
            ("rows[1]", &b_key),
            ("values[1]", &lower),
            ("key", "all-1"),
        ])
        .await
        .unwrap_err();
        assert_eq!(err.field_message(&format!("value:{b_key}")), Some(LOWER_READING_MESSAGE));
        let sheets: Vec<ReadingSheet> = call(&client, &app, "/api/meters/sheets", &[]).await.unwrap();
        assert_eq!(row(&sheets[0], "Холодное водоснабжение", Zone::Single).sent, Some(a_row.previous.unwrap() + 3000), "the good account was stored");
        assert_eq!(row(&sheets[1], "Холодное водоснабжение", Zone::Single).sent, None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_exports_what_was_sent() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let s = sheet(&client, &app, &account).await;
        let cold = row(&s, "Холодное водоснабжение", Zone::Single).clone();
        let value = plus(&cold, 2);
        send(
            &client,
            &app,
            &account,
            &[(&cold.key(), &value)],
            "e1",
            false,
        )
        .await
        .unwrap();
        let url = app.at("/provider/readings.csv?since=2026-11-20");
        let refused = app
            .client()
            .get(&url)
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        let csv = app
            .client()
            .get(&url)
            .bearer_auth(crate::common::PROVIDER_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], server::utility::billing::export::HEADER);
        assert_eq!(lines.len(), 2, "{csv}");
        let expected = format!(
            ";{};HVS;{};;2026-11;",
            server::utility::billing::demo::account_number(1),
            cold.serial
        );
        assert!(lines[1].contains(&expected), "{csv}");
        let thousandths = cold.previous.unwrap() + 2000;
        assert!(
            lines[1].contains(&format!(
                ";{},{:03};",
                thousandths / 1000,
                thousandths % 1000
            )),
            "{csv}"
        );
        // Nothing sent after a later moment.
        let later = app
            .client()
            .get(app.at("/provider/readings.csv?since=2026-11-21T00:00:00Z"))
            .bearer_auth(crate::common::PROVIDER_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(later.lines().count(), 1);

        // The billing side accepts it: «accepted» marks, imported like any file.
        let dir = std::env::temp_dir().join(format!("kabinet-accepted-{}-{}", std::process::id(), app.backend));
        std::fs::create_dir_all(&dir).unwrap();
        let number = server::utility::billing::demo::account_number(1);
        let file = dir.join("accepted.csv");
        std::fs::write(
            &file,
            format!(
                "branch;account;service;serial;zone;period\nCEN;{number};HVS;{serial};;2026-11\nCEN;{number};HVS;{serial};;2026-09\n",
                serial = cold.serial
            ),
        )
        .unwrap();
        let db = &app.services.db;
        let kind = server::utility::billing::records::Kind::Accepted;
        match server::utility::billing::import::import_file(db, kind, &file).await.unwrap() {
            server::utility::billing::import::ImportOutcome::Refused(rows) => {
                assert_eq!(rows.len(), 1, "{rows:?}");
                assert_eq!(rows[0].line, 3, "nothing was sent for September");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(
            &file,
            format!("branch;account;service;serial;zone;period\nCEN;{number};HVS;{};;2026-11\n", cold.serial),
        )
        .unwrap();
        assert!(matches!(
            server::utility::billing::import::import_file(db, kind, &file).await.unwrap(),
            server::utility::billing::import::ImportOutcome::Stored(1)
        ));
        std::fs::remove_dir_all(dir).ok();
        let history: ReadingHistory = call(&client, &app, "/api/meters/history", &[("account", &account)]).await.unwrap();
        assert!(history.readings.iter().any(|r| r.source == "личный кабинет" && r.accepted && r.serial == cold.serial));
        // A meter the provider reads itself takes no reading from the customer.
        sqlx::query("UPDATE meters SET auto_read = 1 WHERE serial = $1")
            .bind(&cold.serial)
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        let s = sheet(&client, &app, &account).await;
        assert!(row(&s, "Холодное водоснабжение", Zone::Single).blocked.as_deref().unwrap_or_default().contains("автоматически"));
    })
    .await;
}

/// U-MTR-3: a page with script stays where the customer is once the readings are taken (no
/// redirect for the server function's client, which would undo a tab opened while the sending
/// was on its way); a plain form post goes on to «Показания переданы.».
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_page_without_script_is_redirected_after_sending() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let s = sheet(&client, &app, &account).await;
        let day = row(&s, "Электроэнергия", Zone::Day).clone();
        let (key, first, second) = (day.key(), plus(&day, 10), plus(&day, 20));
        let scripted = client
            .post(app.at("/api/meters/submit"))
            .header("accept", "application/json")
            .form(&[
                ("account", account.as_str()),
                ("rows[0]", key.as_str()),
                ("values[0]", first.as_str()),
                ("key", "with-script"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(scripted.status(), 200);
        assert!(!scripted.headers().contains_key("serverfnredirect"));
        assert!(!scripted.headers().contains_key("location"));
        let plain = client
            .post(app.at("/api/meters/submit"))
            .header("accept", "text/html")
            .form(&[
                ("account", account.as_str()),
                ("rows[0]", key.as_str()),
                ("values[0]", second.as_str()),
                ("key", "without-script"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(plain.status(), 302);
        assert_eq!(
            plain.headers()["location"].to_str().unwrap(),
            format!("/accounts/{account}/meters?tab=send&done=sent")
        );
        assert_eq!(
            row(
                &sheet(&client, &app, &account).await,
                "Электроэнергия",
                Zone::Day
            )
            .sent,
            Some(day.previous.unwrap_or(0) + 20_000),
            "both sendings were taken, the later one counts"
        );
    })
    .await;
}
