//! Personal accounts and billing data (U-ACC-1..5, U-DET-1..4, U-PAY-1..4, U-PAY-9..11): the
//! demo provider, binding with a proof, balances, history limits, receipts with a ГОСТ QR
//! code read by an outside decoder, and the import command.

use crate::common::{
    self, TestApp, branch_id, call, each_backend, form, ivanov, link_showcase, signed_in,
};
use server::utility::billing::demo::Showcase;
use server::utility::billing::import::{ImportOutcome, import_file};
use server::utility::billing::records::Kind;
use shared::ApiError;
use shared::utility::billing::*;
use std::path::{Path, PathBuf};

/// A small demo provider (9 accounts, 36 months) as of the test clock.
async fn demo(app: &TestApp) -> Vec<Showcase> {
    common::demo(app, 9, 36).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_bound_only_with_its_proof() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let list: Vec<AccountCard> = call(&client, &app, "/api/accounts/list", &[])
            .await
            .unwrap();
        assert!(list.is_empty());
        let late = &showcase[0];
        let branch = branch_id(&app, late.branch_code).await;
        // Bad input is refused field by field, before anything is looked up.
        let err = form(
            &client,
            &app,
            "/api/accounts/link",
            &[("branch", &branch), ("number", "12ab"), ("proof", "")],
        )
        .await
        .unwrap_err();
        assert!(err.field_message("number").is_some());
        assert_eq!(
            err.field_message("proof"),
            Some("Поле обязательно для заполнения")
        );
        // A wrong proof and an unknown number get the same answer (U-ACC-1).
        let wrong = shared::Kopecks(late.proof.0 + 1).format_number();
        for (number, proof) in [
            (late.number.as_str(), wrong.as_str()),
            ("999999999", "100,00"),
        ] {
            let err = form(
                &client,
                &app,
                "/api/accounts/link",
                &[("branch", &branch), ("number", number), ("proof", proof)],
            )
            .await
            .unwrap_err();
            assert_eq!(err, ApiError::refused(ACCOUNT_NOT_FOUND_MESSAGE));
        }
        // Another branch's account under the right number is not found either.
        let other = branch_id(&app, "SEV").await;
        let err = form(
            &client,
            &app,
            "/api/accounts/link",
            &[
                ("branch", &other),
                ("number", &late.number),
                ("proof", &late.proof.format_number()),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::refused(ACCOUNT_NOT_FOUND_MESSAGE));
        let id = link_showcase(&client, &app, late).await;
        let err = form(
            &client,
            &app,
            "/api/accounts/link",
            &[
                ("branch", &branch),
                ("number", &late.number),
                ("proof", &late.proof.format_number()),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::refused(ACCOUNT_ALREADY_LINKED_MESSAGE));
        // [Редактировать]: a name of the customer's choice.
        form(
            &client,
            &app,
            "/api/accounts/rename",
            &[("account", &id.to_string()), ("name", "Квартира")],
        )
        .await
        .unwrap();
        let list: Vec<AccountCard> = call(&client, &app, "/api/accounts/list", &[])
            .await
            .unwrap();
        assert_eq!(list[0].title(), "Квартира");
        // Someone else cannot see it.
        let stranger = app.client();
        let err = call::<Option<AccountOverview>>(
            &stranger,
            &app,
            "/api/accounts/overview",
            &[("account", &id.to_string())],
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::Unauthorized);
        // [Удалить] (U-ACC-2).
        form(
            &client,
            &app,
            "/api/accounts/unlink",
            &[("account", &id.to_string())],
        )
        .await
        .unwrap();
        // Unbound, it is no longer shown: the customer has no account left to show.
        let shown = call::<Option<AccountOverview>>(
            &client,
            &app,
            "/api/accounts/overview",
            &[("account", &id.to_string())],
        )
        .await;
        assert_eq!(shown, Ok(None));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_the_proof_is_stopped() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let target = &showcase[3];
        let branch = branch_id(&app, target.branch_code).await;
        let mut last = None;
        for guess in 0..11 {
            let proof = format!("{},00", 100 + guess);
            last = form(
                &client,
                &app,
                "/api/accounts/link",
                &[
                    ("branch", &branch),
                    ("number", &target.number),
                    ("proof", &proof),
                ],
            )
            .await
            .err();
        }
        assert!(
            matches!(last, Some(ApiError::TooManyRequests { .. })),
            "{last:?}"
        );
        // Even the right proof waits until the hour is over.
        let err = form(
            &client,
            &app,
            "/api/accounts/link",
            &[
                ("branch", &branch),
                ("number", &target.number),
                ("proof", &target.proof.format_number()),
            ],
        )
        .await
        .unwrap_err();
        assert!(matches!(err, ApiError::TooManyRequests { .. }));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balances_are_worded_by_what_is_owed() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let mut captions = Vec::new();
        for account in &showcase[..3] {
            let id = link_showcase(&client, &app, account).await;
            let o: AccountOverview = call::<Option<AccountOverview>>(
                &client,
                &app,
                "/api/accounts/overview",
                &[("account", &id.to_string())],
            )
            .await
            .unwrap()
            .expect("the account's overview");
            let balance = shared::balance::Balance::from_owed(o.owed);
            captions.push((balance.caption(), balance.amount().starts_with('-')));
            // The test clock says 20 November: readings are accepted from the 15th to the 25th.
            assert_eq!(o.window_status, WindowStatus::Open { closes_in_days: 5 });
            assert_eq!(o.last_period, Some(Period(202610)));
        }
        assert_eq!(
            captions,
            vec![
                ("К оплате", false),
                ("Переплата", true),
                ("Задолженность отсутствует", false)
            ]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_goes_back_three_years_and_adds_up() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let id = link_showcase(&client, &app, &showcase[0]).await.to_string();
        let h: BillingHistory = call(
            &client,
            &app,
            "/api/accounts/history",
            &[("account", &id), ("from", "2019-01"), ("to", "2026-11")],
        )
        .await
        .unwrap();
        assert!(h.limited);
        assert_eq!((h.range.from, h.range.to), (Period(202311), Period(202610)));
        assert_eq!(h.months().len(), 36);
        // Charges of a month: the month's proof.
        let october: i64 = h
            .charges
            .iter()
            .filter(|c| c.period == Period(202610))
            .map(|c| c.amount.0)
            .sum();
        assert_eq!(october, showcase[0].proof.0);
        // Balance by supplier: each month opens where the last closed.
        let energy: Vec<&BalanceLine> = h
            .balances
            .iter()
            .filter(|b| b.supplier.contains("Энергосбыт"))
            .collect();
        for pair in energy.windows(2) {
            assert_eq!(pair[1].closing(), pair[0].opening, "{:?}", pair[0].period);
        }
        let o: AccountOverview = call::<Option<AccountOverview>>(
            &client,
            &app,
            "/api/accounts/overview",
            &[("account", &id)],
        )
        .await
        .unwrap()
        .expect("the account's overview");
        let closing: i64 = h
            .balances
            .iter()
            .filter(|b| b.period == Period(202610))
            .map(|b| b.closing().0)
            .sum();
        assert_eq!(
            closing, o.owed.0,
            "the late payer has paid nothing in November"
        );
        // Statistics: consumption by zone of the two-zone meter.
        let s: Statistics = call(
            &client,
            &app,
            "/api/accounts/statistics",
            &[("account", &id)],
        )
        .await
        .unwrap();
        assert_eq!((s.range.from, s.range.to), (Period(202511), Period(202610)));
        assert!(
            s.rows
                .iter()
                .any(|r| r.zone == Zone::Night && r.quantity > 0)
        );
        assert!(s.rows.iter().any(|r| r.zone == Zone::Day));
        // Tariffs back 3 years: at least one change within them.
        let t: TariffHistory = call(
            &client,
            &app,
            "/api/accounts/tariffs",
            &[("account", &id), ("from", "2023-11")],
        )
        .await
        .unwrap();
        let night: Vec<_> = t
            .tariffs
            .iter()
            .filter(|x| x.service == "Электроэнергия" && x.zone == Zone::Night)
            .collect();
        assert!(night.len() >= 2, "{night:?}");
        let pdf = client
            .get(app.at(&format!(
                "/accounts/{id}/tariffs.pdf?period={}",
                night[0].valid_from.param()
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_are_cases_sent_once() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let id = link_showcase(&client, &app, &showcase[0]).await.to_string();
        let d: AccountDetails = call(&client, &app, "/api/accounts/details", &[("account", &id)])
            .await
            .unwrap();
        assert_eq!(d.meters.len(), 3);
        assert!(d.meters.iter().any(|m| m.zones == 2));
        let mut change = vec![("account", id.as_str()), ("key", "k-1"), ("comment", "")];
        let unchanged: Vec<(&str, String)> = DETAIL_FIELDS
            .iter()
            .map(|(k, _)| (*k, d.field_value(k)))
            .collect();
        for (k, v) in &unchanged {
            change.push((k, v.as_str()));
        }
        // Nothing changed: nothing to send.
        let err = form(&client, &app, "/api/accounts/details/change", &change)
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Refused { .. }));
        change.retain(|(k, _)| *k != "rooms");
        change.push(("rooms", "много"));
        let err = form(&client, &app, "/api/accounts/details/change", &change)
            .await
            .unwrap_err();
        assert!(err.field_message("rooms").is_some());
        change.retain(|(k, _)| *k != "rooms");
        change.push(("rooms", "4"));
        form(&client, &app, "/api/accounts/details/change", &change)
            .await
            .unwrap();
        form(&client, &app, "/api/accounts/details/change", &change)
            .await
            .unwrap();
        let cases: Vec<(String, String)> = sqlx::query_as("SELECT kind, fields FROM cases")
            .fetch_all(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(cases.len(), 1, "sent twice, stored once");
        assert!(
            cases[0].1.contains("Количество комнат") && cases[0].1.contains("\"wanted\":\"4\"")
        );
        // The data itself is not changed by the application (U-DET-2).
        let again: AccountDetails =
            call(&client, &app, "/api/accounts/details", &[("account", &id)])
                .await
                .unwrap();
        assert_eq!(again.rooms, d.rooms);
        let meter = d.meters[0].id.to_string();
        let err = form(
            &client,
            &app,
            "/api/accounts/meters/fault",
            &[
                ("account", &id),
                ("meter", &meter),
                ("description", " "),
                ("key", "f-1"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("description"),
            Some("Поле обязательно для заполнения")
        );
        form(
            &client,
            &app,
            "/api/accounts/meters/fault",
            &[
                ("account", &id),
                ("meter", &meter),
                ("description", "Не крутится диск"),
                ("key", "f-1"),
            ],
        )
        .await
        .unwrap();
        let faults: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE kind = 'meter_fault'")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap();
        assert_eq!(faults, 1);
    })
    .await;
}

fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (scripts/setup.sh test installs it): {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipt_carries_the_total_and_a_gost_qr_code() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let late = &showcase[0];
        let id = link_showcase(&client, &app, late).await;
        let response = client
            .get(app.at(&format!("/accounts/{id}/receipt.pdf?period=2026-10")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let pdf = response.bytes().await.unwrap();
        // What the receipt must ask: everything charged up to October minus everything paid
        // up to October, counted here independently of the receipt's code.
        let (charged, paid): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT CAST(SUM(amount) AS BIGINT) FROM charges WHERE account_id = $1 AND period <= 202610), \
                    (SELECT CAST(SUM(amount) AS BIGINT) FROM payments WHERE account_id = $1 AND period <= 202610)",
        )
        .bind(id)
        .fetch_one(&app.services.db.pool)
        .await
        .unwrap();
        let total = shared::Kopecks(charged - paid);
        assert!(total.0 > 0);
        let dir = std::env::temp_dir().join(format!("kabinet-receipt-{}-{}", std::process::id(), app.backend));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("receipt.pdf");
        std::fs::write(&file, &pdf).unwrap();
        let text = String::from_utf8(run("pdftotext", &["-layout", file.to_str().unwrap(), "-"])).unwrap();
        assert!(text.contains(&late.number), "{text}");
        assert!(text.contains("Итого к оплате"), "{text}");
        let shown = total.format_number().replace('\u{202F}', " ");
        assert!(text.replace('\u{202F}', " ").contains(&shown), "{shown} in {text}");
        let image = dir.join("page");
        run("pdftoppm", &["-r", "150", "-png", "-f", "1", "-l", "1", file.to_str().unwrap(), image.to_str().unwrap()]);
        let png = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "png"))
            .expect("a page image");
        let decoded = String::from_utf8(run("zbarimg", &["--raw", "-q", "-Sbinary", png.to_str().unwrap()])).unwrap();
        let decoded = decoded.trim_end_matches('\n');
        assert!(decoded.starts_with("ST00012|Name=ООО «Расчетный центр»|PersonalAcc=40702810"), "{decoded}");
        assert!(decoded.contains("|BIC=044525225|CorrespAcc=30101810400000000225|"), "{decoded}");
        assert!(decoded.ends_with(&format!("|PersAcc={}|Sum={}|PaymPeriod=102026", late.number, total.0)), "{decoded}");
        std::fs::remove_dir_all(dir).ok();
        // Outside the 3 years, or without a session: no receipt.
        let old = client.get(app.at(&format!("/accounts/{id}/receipt.pdf?period=2022-01"))).send().await.unwrap();
        assert_eq!(old.status(), 404);
        let anonymous = app.client().get(app.at(&format!("/accounts/{id}/receipt.pdf?period=2026-10"))).send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
    })
    .await;
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/import-examples")
        .join(name)
}

const EXAMPLES: [(Kind, &str); 9] = [
    (Kind::Branches, "branches.csv"),
    (Kind::Suppliers, "suppliers.csv"),
    (Kind::Services, "services.csv"),
    (Kind::Tariffs, "tariffs.csv"),
    (Kind::Accounts, "accounts.json"),
    (Kind::Meters, "meters.csv"),
    (Kind::Readings, "readings.csv"),
    (Kind::Charges, "charges.csv"),
    (Kind::Payments, "payments.json"),
];

/// Every billing table as text, to compare before and after.
async fn dump(app: &TestApp) -> String {
    let mut out = String::new();
    for (table, columns) in [
        ("branches", "id, code, name, bic, settlement_account"),
        (
            "tariffs",
            "id, branch_id, service_id, zone, valid_from, price",
        ),
        ("accounts", "id, branch_id, number, owner_name, total_area"),
        ("meters", "id, account_id, serial, zones"),
        ("readings", "id, meter_id, zone, period, value"),
        (
            "charges",
            "id, account_id, period, service_id, zone, amount",
        ),
        ("payments", "id, account_id, supplier_id, amount, reference"),
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(({}) AS TEXT) FROM {table} ORDER BY id",
            columns
                .split(", ")
                .map(|c| format!("CAST({c} AS TEXT)"))
                .collect::<Vec<_>>()
                .join(" || '|' || ")
        )))
        .fetch_all(&app.services.db.pool)
        .await
        .unwrap();
        out.push_str(&format!("{table}: {}\n", rows.join("; ")));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_is_whole_or_nothing_and_idempotent() {
    each_backend(|app| async move {
        let db = &app.services.db;
        for (kind, name) in EXAMPLES {
            match import_file(db, kind, &example(name)).await.unwrap() {
                ImportOutcome::Stored(n) => assert!(n > 0, "{name}"),
                ImportOutcome::Refused(rows) => panic!("{name}: {rows:?}"),
            }
        }
        let before = dump(&app).await;
        assert!(before.contains("charges: 1|"));
        for (kind, name) in EXAMPLES {
            assert!(matches!(
                import_file(db, kind, &example(name)).await.unwrap(),
                ImportOutcome::Stored(_)
            ));
        }
        assert_eq!(
            dump(&app).await,
            before,
            "importing the same files again changes nothing"
        );
        // A file with one row naming an unknown account: refused by line, nothing of it kept.
        let dir = std::env::temp_dir().join(format!(
            "kabinet-import-{}-{}",
            std::process::id(),
            app.backend
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let original = std::fs::read_to_string(example("charges.csv")).unwrap();
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let good_new = lines[1].replace("2026-", "2027-");
        let mut cells: Vec<String> = lines[2]
            .replace("2026-", "2027-")
            .split(';')
            .map(str::to_string)
            .collect();
        cells[1] = "990000001".to_string();
        let bad = cells.join(";");
        let header = lines.remove(0);
        let file = dir.join("charges.csv");
        std::fs::write(&file, format!("{header}\n{good_new}\n{bad}\n")).unwrap();
        match import_file(db, Kind::Charges, &file).await.unwrap() {
            ImportOutcome::Refused(rows) => {
                assert_eq!(rows.len(), 1, "{rows:?}");
                assert_eq!(rows[0].line, 3, "{rows:?}");
            }
            ImportOutcome::Stored(_) => panic!("a file naming an unknown account was imported"),
        }
        assert_eq!(
            dump(&app).await,
            before,
            "the good row of the refused file was not kept"
        );
        // A bad БИК is reported by its line by the check of the file itself.
        let branches = std::fs::read_to_string(example("branches.csv")).unwrap();
        let broken = branches.replacen("044525225", "144525225", 1);
        assert_ne!(broken, branches, "the example names Sberbank's БИК");
        let file = dir.join("branches.csv");
        std::fs::write(&file, broken).unwrap();
        match import_file(db, Kind::Branches, &file).await.unwrap() {
            ImportOutcome::Refused(rows) => {
                assert!(rows.iter().all(|r| r.line >= 2) && !rows.is_empty())
            }
            ImportOutcome::Stored(_) => panic!("a bad БИК was imported"),
        }
        std::fs::remove_dir_all(dir).ok();
    })
    .await;
}

/// U-PRF-9 and issue #18 item 5: the choices made when the cabinet is deleted (electronic,
/// or paper to another postal address) reach the provider's export; a wrong address is
/// named next to its field and deletes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_cabinet_leaves_how_receipts_are_to_come() {
    each_backend(|app| async move {
        let showcase = demo(&app).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let first = link_showcase(&client, &app, &showcase[0]).await.to_string();
        let second = link_showcase(&client, &app, &showcase[1]).await.to_string();
        let electronic = format!("{first}:electronic");
        let other = format!("{second}:other");
        let export = || async {
            app.client()
                .get(app.at("/provider/receipt-delivery.csv"))
                .bearer_auth(crate::common::PROVIDER_TOKEN)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        };
        // While the cabinet lives, both accounts get paper receipts at their own address.
        let before = export().await;
        let lines: Vec<&str> = before.lines().collect();
        assert_eq!(lines[0], server::utility::billing::export::DELIVERY_HEADER);
        assert_eq!(lines.len(), 3, "{before}");
        assert!(lines.iter().skip(1).all(|l| l.contains(";paper;;") && l.ends_with(";cabinet;")), "{before}");
        let unauthorised = app
            .client()
            .get(app.at("/provider/receipt-delivery.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(unauthorised.status(), 401);

        let cases = || async {
            sqlx::query_as::<_, (i64, String)>(
                "SELECT account_id, fields FROM cases WHERE kind = 'receipt_delivery' ORDER BY account_id",
            )
            .fetch_all(&app.services.db.pool)
            .await
            .unwrap()
        };
        let attempt = |password: &'static str, address: &'static str| {
            let (electronic, other, client, app) = (electronic.clone(), other.clone(), client.clone(), &app);
            async move {
                form(
                    &client,
                    app,
                    "/api/profile/delete",
                    &[
                        ("current_password", password),
                        ("receipts[0]", electronic.as_str()),
                        ("receipts[1]", other.as_str()),
                        ("addresses[0]", ""),
                        ("addresses[1]", address),
                    ],
                )
                .await
            }
        };
        let err = attempt("Wrong-2026!", "390000, г. Рязань, ул. Есенина, д. 9, кв. 4").await.unwrap_err();
        assert!(err.field_message("current_password").is_some());
        let err = attempt("Secret-2026!", "Рязань").await.unwrap_err();
        assert_eq!(
            err.field_message("addresses[1]"),
            Some(shared::utility::delivery::POSTAL_ADDRESS_MESSAGE)
        );
        assert!(cases().await.is_empty(), "a refused deletion leaves nothing");
        assert_eq!(export().await, before, "and the export is as it was");

        attempt("Secret-2026!", "390000, г. Рязань, ул. Есенина, д. 9, кв. 4").await.unwrap();
        let left = cases().await;
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left[0].1.contains("\"delivery\":\"electronic\"") && left[0].1.contains("ivanov@bk.ru"));
        assert!(left[1].1.contains("\"delivery\":\"paper\"") && left[1].1.contains("ул. Есенина, д. 9"));
        let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_links")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(links, 0, "the cabinet and its links are gone");

        let after = export().await;
        let lines: Vec<&str> = after.lines().collect();
        assert_eq!(lines.len(), 3, "{after}");
        assert!(lines[1].contains(";electronic;ivanov@bk.ru;;deleted;2026-"), "{after}");
        assert!(
            lines[2].contains(";paper;;\"390000, г. Рязань, ул. Есенина, д. 9, кв. 4\";deleted;")
                || lines[2].contains(";paper;;390000, г. Рязань, ул. Есенина, д. 9, кв. 4;deleted;"),
            "{after}"
        );
    })
    .await;
}

/// Issue #18 item 2 (P-4): ledger rows are never rewritten by an import; a payment made in the
/// portal and the same payment in the bank's registry (by the portal's order number) are one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_rows_are_never_rewritten_and_a_portal_payment_is_counted_once() {
    each_backend(|app| async move {
        let db = &app.services.db;
        for (kind, name) in EXAMPLES {
            assert!(matches!(
                import_file(db, kind, &example(name)).await.unwrap(),
                ImportOutcome::Stored(_)
            ));
        }
        let before = dump(&app).await;
        let dir = std::env::temp_dir().join(format!(
            "kabinet-ledger-{}-{}",
            std::process::id(),
            app.backend
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let refused = |outcome: ImportOutcome| match outcome {
            ImportOutcome::Refused(rows) => rows,
            ImportOutcome::Stored(_) => panic!("a changed ledger row was imported"),
        };

        // A charge already loaded, with another amount: refused by its line.
        let charges = std::fs::read_to_string(example("charges.csv")).unwrap();
        let changed = charges.replacen(";1439,92", ";1500,00", 1);
        assert_ne!(changed, charges);
        let file = dir.join("charges.csv");
        std::fs::write(&file, changed).unwrap();
        let rows = refused(import_file(db, Kind::Charges, &file).await.unwrap());
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].line, 2);
        assert!(
            rows[0].message.contains("439,92 руб.")
                && rows[0].message.contains("загруженные начисления не изменяются"),
            "{rows:?}"
        );

        // A payment already loaded, with another amount: refused too.
        let payments = std::fs::read_to_string(example("payments.json")).unwrap();
        let changed = payments.replacen("1743.88", "1800.00", 1);
        assert_ne!(changed, payments);
        let file = dir.join("payments.json");
        std::fs::write(&file, changed).unwrap();
        let rows = refused(import_file(db, Kind::Payments, &file).await.unwrap());
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(
            rows[0].message.contains("загруженные платежи не изменяются"),
            "{rows:?}"
        );
        assert_eq!(dump(&app).await, before, "nothing of the refused files was kept");

        // A payment made in the portal: its order, its line and its ledger row, as the
        // payments service enters them.
        let (account, supplier): (i64, i64) = sqlx::query_as(
            "SELECT a.id, s.id FROM accounts a, suppliers s \
             WHERE a.number = '110012345' AND s.code = 'energy'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let order: i64 = sqlx::query_scalar(
            "INSERT INTO payment_orders (number, idempotency_key, method, amount, status, acquirer, \
             created_at, updated_at) VALUES ('P-20260720-0001', 'k1', 'sbp', 50000, 'succeeded', \
             'sandbox', 0, 0) RETURNING id",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO payment_order_lines (order_id, account_id, supplier_id, amount) \
             VALUES ($1, $2, $3, 50000)",
        )
        .bind(order)
        .bind(account)
        .bind(supplier)
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO payments (account_id, supplier_id, paid_on, period, amount, channel, reference) \
             VALUES ($1, $2, '2026-07-20', 202607, 50000, 'sbp', $3)",
        )
        .bind(account)
        .bind(supplier)
        .bind(format!("P-20260720-0001/{account}"))
        .execute(&db.pool)
        .await
        .unwrap();
        let paid = |db: server::db::Db| async move {
            let total: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payments WHERE account_id = $1",
            )
            .bind(account)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            total
        };
        let with_portal = paid(db.clone()).await;
        // The bank's registry reports it a day later under the portal's order number.
        let registry = "branch;account;supplier;paid_on;period;amount;channel;reference\n\
                        01;110012345;energy;2026-07-21;2026-07;500,00;bank;P-20260720-0001\n";
        let file = dir.join("registry.csv");
        std::fs::write(&file, registry).unwrap();
        assert!(matches!(
            import_file(db, Kind::Payments, &file).await.unwrap(),
            ImportOutcome::Stored(_)
        ));
        assert_eq!(
            paid(db.clone()).await,
            with_portal,
            "the registry's row is the portal's payment, not a second one (no false overpayment)"
        );
        // With another amount it is not the same payment: refused.
        std::fs::write(&file, registry.replace("500,00", "600,00")).unwrap();
        let rows = refused(import_file(db, Kind::Payments, &file).await.unwrap());
        assert_eq!(rows[0].line, 2, "{rows:?}");
        assert_eq!(paid(db.clone()).await, with_portal);
        std::fs::remove_dir_all(dir).ok();
    })
    .await;
}
