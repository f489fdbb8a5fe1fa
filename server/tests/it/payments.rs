//! Payments (U-PAY-6..8, U-ALL-1, U-PRF-6): the form's rule on the server, one payment per
//! idempotency key under concurrency, the acquirer's notifications (signature, age, replay,
//! amount, final status, any instance), the ledger, and autopay once a month.

use crate::common::{TestApp, call, demo, each_backend, form, ivanov, link_showcase, signed_in};
use server::payments::sandbox::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use shared::ApiError;
use shared::Kopecks;
use shared::payments::*;

/// Иванов with the demo's first two accounts linked.
async fn customer(app: &TestApp) -> (reqwest::Client, Vec<i64>) {
    let showcase = demo(app, 3, 6).await;
    ivanov(app, true).await;
    let client = signed_in(app, "Secret-2026!").await;
    let mut ids = Vec::new();
    for account in &showcase[..2] {
        ids.push(link_showcase(&client, app, account).await);
    }
    (client, ids)
}

async fn sheet(client: &reqwest::Client, app: &TestApp, account: Option<i64>) -> PaySheet {
    let account = account.map(|a| a.to_string());
    let fields: Vec<(&str, &str)> = account.iter().map(|a| ("account", a.as_str())).collect();
    call(client, app, "/api/payments/sheet", &fields)
        .await
        .unwrap()
}

/// [Оплатить] with `amounts` per line index (ticked), the method and the rules box.
#[allow(clippy::too_many_arguments)]
async fn pay(
    client: &reqwest::Client,
    app: &TestApp,
    account: Option<i64>,
    lines: &[PayLine],
    amounts: &[(usize, &str)],
    method: Option<&str>,
    rules: bool,
    key: &str,
) -> Result<i64, ApiError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(a) = account {
        fields.push(("account".into(), a.to_string()));
    }
    for (i, line) in lines.iter().enumerate() {
        fields.push((format!("keys[{i}]"), line.key()));
        let typed = amounts.iter().find(|(j, _)| *j == i);
        fields.push((
            format!("amounts[{i}]"),
            typed.map_or(String::new(), |(_, a)| a.to_string()),
        ));
        if typed.is_some() {
            fields.push((format!("chosen[{i}]"), line.key()));
        }
    }
    if let Some(m) = method {
        fields.push(("method".into(), m.into()));
    }
    if rules {
        fields.push(("rules".into(), "yes".into()));
    }
    fields.push(("key".into(), key.into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    call(client, app, "/api/payments/pay", &fields).await
}

async fn status(client: &reqwest::Client, app: &TestApp, id: i64) -> PaymentView {
    call(
        client,
        app,
        "/api/payments/status",
        &[("id", &id.to_string())],
    )
    .await
    .unwrap()
}

pub(crate) async fn reference(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT reference FROM payment_orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.services.db.pool)
        .await
        .unwrap()
}

async fn paid(app: &TestApp, account: i64) -> (i64, i64) {
    sqlx::query_as(
        "SELECT COUNT(*), COALESCE(CAST(SUM(amount) AS BIGINT), 0) FROM payments \
         WHERE account_id = $1 AND channel IN ('sbp', 'card', 'autopay')",
    )
    .bind(account)
    .fetch_one(&app.services.db.pool)
    .await
    .unwrap()
}

/// Posts a notification signed `age_secs` ago to `app`'s callback endpoint.
async fn notify(app: &TestApp, body: &str, age_secs: i64, secret: &str) -> reqwest::StatusCode {
    let timestamp = server::clock::Clock::unix(app.clock.as_ref()) - age_secs;
    reqwest::Client::new()
        .post(app.at("/payments/callback/sandbox"))
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            SIGNATURE_HEADER,
            sign(secret.as_bytes(), timestamp, body.as_bytes()),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

fn secret(app: &TestApp) -> String {
    app.services.config.sandbox_secret.clone()
}

/// Delivers the sandbox acquirer's queued notifications to `app`, as its background job does
/// to the public address.
pub(crate) async fn deliver(app: &TestApp) -> usize {
    let due: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, body FROM sandbox_callbacks WHERE delivered_at IS NULL")
            .fetch_all(&app.services.db.pool)
            .await
            .unwrap();
    for (id, body) in &due {
        assert_eq!(notify(app, body, 0, &secret(app)).await, 200, "{body}");
        sqlx::query("UPDATE sandbox_callbacks SET delivered_at = 1 WHERE id = $1")
            .bind(id)
            .execute(&app.services.db.pool)
            .await
            .unwrap();
    }
    due.len()
}

/// The customer's answer in the sandbox's bank app: `pay` or `decline`.
pub(crate) async fn answer_sbp(
    app: &TestApp,
    reference: &str,
    decision: &str,
) -> reqwest::StatusCode {
    app.client()
        .post(app.at(&format!("/sandbox/sbp/{reference}")))
        .form(&[("decision", decision)])
        .send()
        .await
        .unwrap()
        .status()
}

fn notification(order: &str, reference: &str, status: &str, amount: i64, event: &str) -> String {
    serde_json::json!({
        "event_id": event, "kind": "payment", "order": order, "reference": reference,
        "status": status, "amount": amount, "card_token": null, "card_caption": null
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_is_checked_by_the_shared_rule_and_changes_nothing_when_wrong() {
    each_backend(|app| async move {
        let (client, accounts) = customer(&app).await;
        let s = sheet(&client, &app, Some(accounts[0])).await;
        assert!(s.available);
        assert!(s.lines.len() >= 2, "one line per supplier");
        assert_eq!(s.receipt_email.as_deref(), Some("ivanov@bk.ru"));
        // Below 10,00 руб., no method, rules not accepted: every message by its field (U-PAY-6).
        let refused = pay(
            &client,
            &app,
            Some(accounts[0]),
            &s.lines,
            &[(0, "9,99")],
            None,
            false,
            "k1",
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("amount:0"),
            Some(BELOW_MINIMUM_MESSAGE)
        );
        assert_eq!(
            refused.field_message(METHOD_FIELD),
            Some(METHOD_MISSING_MESSAGE)
        );
        assert_eq!(
            refused.field_message(RULES_FIELD),
            Some(RULES_MISSING_MESSAGE)
        );
        // Nothing ticked.
        let refused = pay(
            &client,
            &app,
            Some(accounts[0]),
            &s.lines,
            &[],
            Some("sbp"),
            true,
            "k2",
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message(LINES_FIELD),
            Some(NOTHING_CHOSEN_MESSAGE)
        );
        // A line of another person's account is not on the page, so it cannot be paid.
        let foreign = PayLine {
            account: accounts[0] + 1000,
            ..s.lines[0].clone()
        };
        let refused = pay(
            &client,
            &app,
            Some(accounts[0]),
            &[foreign],
            &[(0, "100")],
            Some("sbp"),
            true,
            "k3",
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message(LINES_FIELD),
            Some(NOTHING_CHOSEN_MESSAGE)
        );
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payment_orders")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(orders, 0, "a refused form creates no payment");
        // Another person's account page is not found.
        assert_eq!(
            call::<PaySheet>(
                &client,
                &app,
                "/api/payments/sheet",
                &[("account", "999999")]
            )
            .await,
            Err(ApiError::NotFound)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_identical_requests_make_one_payment() {
    each_backend(|app| async move {
        let (client, accounts) = customer(&app).await;
        let s = sheet(&client, &app, Some(accounts[0])).await;
        let lines = std::sync::Arc::new(s.lines.clone());
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (client, app_url, lines) = (client.clone(), app.url.clone(), lines.clone());
            let account = accounts[0];
            tasks.push(tokio::spawn(async move {
                let fields = vec![
                    ("account".to_string(), account.to_string()),
                    ("keys[0]".into(), lines[0].key()),
                    ("amounts[0]".into(), "150,00".into()),
                    ("chosen[0]".into(), lines[0].key()),
                    ("method".into(), "sbp".into()),
                    ("rules".into(), "yes".into()),
                    ("key".into(), "double-click".into()),
                ];
                let response = client
                    .post(format!("{app_url}/api/payments/pay"))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                response.json::<i64>().await.unwrap()
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap());
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "every request answers with the same payment");
        let (orders, sandbox): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM payment_orders), (SELECT COUNT(*) FROM sandbox_payments)",
        )
        .fetch_one(&app.services.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (orders, sandbox),
            (1, 1),
            "one payment, registered once at the acquirer"
        );
        let view = status(&client, &app, ids[0]).await;
        assert_eq!(view.amount, Kopecks(15_000));
        assert!(
            matches!(view.state, PaymentState::Pending { expires_in_secs } if expires_in_secs > 0)
        );
        assert!(view.link.is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_are_signed_fresh_applied_once_and_final() {
    each_backend(|app| async move {
        let (client, accounts) = customer(&app).await;
        let s = sheet(&client, &app, Some(accounts[0])).await;
        let id = pay(
            &client,
            &app,
            Some(accounts[0]),
            &s.lines,
            &[(0, "100"), (1, "250,50")],
            Some("card"),
            true,
            "n1",
        )
        .await
        .unwrap();
        let view = status(&client, &app, id).await;
        assert_eq!(view.amount, Kopecks(35_050));
        let r = reference(&app, id).await;
        let good = notification(&view.number, &r, "succeeded", 35_050, "e1");
        let secret = secret(&app);
        // Wrong key, stale, wrong amount: refused, nothing changes.
        assert_eq!(notify(&app, &good, 0, "not-the-secret").await, 401);
        assert_eq!(
            notify(&app, &good, 301, &secret).await,
            401,
            "older than 5 minutes"
        );
        let wrong = notification(&view.number, &r, "succeeded", 1_000, "e2");
        assert_eq!(
            notify(&app, &wrong, 0, &secret).await,
            409,
            "amounts must match"
        );
        // Authentic but about no payment of ours: acknowledged and ignored.
        let unknown = notification("P000", &r, "succeeded", 35_050, "e3");
        assert_eq!(notify(&app, &unknown, 0, &secret).await, 200);
        assert_eq!(paid(&app, accounts[0]).await, (0, 0));
        // The good one lands on a second instance: the payment is in the ledger by supplier.
        let second = app.second_instance().await;
        assert_eq!(notify(&second, &good, 0, &secret).await, 200);
        assert_eq!(paid(&app, accounts[0]).await, (2, 35_050));
        assert_eq!(
            status(&client, &app, id).await.state,
            PaymentState::Succeeded
        );
        // Replayed, or a later "failed": the final status and the ledger stay.
        assert_eq!(notify(&app, &good, 0, &secret).await, 200);
        let late = notification(&view.number, &r, "failed", 35_050, "e4");
        assert_eq!(notify(&app, &late, 0, &secret).await, 200);
        assert_eq!(paid(&app, accounts[0]).await, (2, 35_050));
        assert_eq!(
            status(&client, &app, id).await.state,
            PaymentState::Succeeded
        );
        // The customer is told, and the balance shows the payment.
        let notices = app
            .services
            .outbox
            .list(Some("ivanov@bk.ru"), 5)
            .await
            .unwrap();
        assert!(
            notices
                .iter()
                .any(|m| m.subject.contains(&view.number) && m.subject.contains("выполнен"))
        );
        second.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sbp_through_the_sandbox_bank_and_an_advance_and_all_accounts() {
    each_backend(|app| async move {
        let (client, accounts) = customer(&app).await;
        let s = sheet(&client, &app, None).await;
        let first = s
            .lines
            .iter()
            .position(|l| l.account == accounts[0])
            .unwrap();
        let second = s
            .lines
            .iter()
            .position(|l| l.account == accounts[1])
            .unwrap();
        // One payment over two accounts (U-ALL-1), with a receipt by e-mail.
        let mut fields = Vec::new();
        for (i, l) in s.lines.iter().enumerate() {
            fields.push((format!("keys[{i}]"), l.key()));
            let amount = if i == first {
                "100"
            } else if i == second {
                "200"
            } else {
                ""
            };
            fields.push((format!("amounts[{i}]"), amount.to_string()));
            if !amount.is_empty() {
                fields.push((format!("chosen[{i}]"), l.key()));
            }
        }
        for (k, v) in [
            ("method", "sbp"),
            ("rules", "yes"),
            ("receipt", "yes"),
            ("key", "all-1"),
        ] {
            fields.push((k.to_string(), v.to_string()));
        }
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let id: i64 = call(&client, &app, "/api/payments/pay", &fields)
            .await
            .unwrap();
        let view = status(&client, &app, id).await;
        assert_eq!(view.lines.len(), 2);
        // The QR code of the link is served to the payer only.
        let qr = client
            .get(app.at(&format!("/payments/{id}/qr.svg")))
            .send()
            .await
            .unwrap();
        assert_eq!(qr.status(), 200);
        assert!(qr.text().await.unwrap().contains("<svg"));
        let stranger = app
            .client()
            .get(app.at(&format!("/payments/{id}/qr.svg")))
            .send()
            .await
            .unwrap();
        assert_eq!(stranger.status(), 404);
        // The "bank app" the link opens: [Оплатить].
        let link = view.link.unwrap();
        let path = link
            .split_once("/sandbox/")
            .map(|(_, p)| format!("/sandbox/{p}"))
            .unwrap();
        let page = app
            .client()
            .get(app.at(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("300,00"), "the bank shows the amount");
        let answer = app
            .client()
            .post(app.at(&path))
            .form(&[("decision", "pay")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(deliver(&app).await, 1);
        assert_eq!(
            status(&client, &app, id).await.state,
            PaymentState::Succeeded
        );
        assert_eq!(paid(&app, accounts[0]).await, (1, 10_000));
        assert_eq!(paid(&app, accounts[1]).await, (1, 20_000));
        let receipt = app
            .services
            .outbox
            .list(Some("ivanov@bk.ru"), 5)
            .await
            .unwrap();
        assert!(
            receipt
                .iter()
                .any(|m| m.subject.starts_with("Квитанция об оплате"))
        );
        // An amount other than the debt (an advance); its notice is late, so the page asks the bank.
        let s = sheet(&client, &app, Some(accounts[1])).await;
        let id = pay(
            &client,
            &app,
            Some(accounts[1]),
            &s.lines,
            &[(0, "500")],
            Some("sbp"),
            true,
            "adv",
        )
        .await
        .unwrap();
        let r = reference(&app, id).await;
        assert_eq!(answer_sbp(&app, &r, "pay").await, 200);
        assert_eq!(
            status(&client, &app, id).await.state,
            PaymentState::Succeeded,
            "asked the acquirer"
        );
        assert_eq!(paid(&app, accounts[1]).await, (2, 70_000));
        // The notice arriving afterwards changes nothing.
        assert_eq!(deliver(&app).await, 1);
        assert_eq!(paid(&app, accounts[1]).await, (2, 70_000));
        // A declined one: failed, nothing in the ledger.
        let id = pay(
            &client,
            &app,
            Some(accounts[1]),
            &s.lines,
            &[(0, "50")],
            Some("sbp"),
            true,
            "decl",
        )
        .await
        .unwrap();
        let r = reference(&app, id).await;
        answer_sbp(&app, &r, "decline").await;
        deliver(&app).await;
        assert_eq!(status(&client, &app, id).await.state, PaymentState::Failed);
        assert_eq!(paid(&app, accounts[1]).await, (2, 70_000));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autopay_saves_a_card_runs_once_a_month_and_stops_with_the_account() {
    each_backend(|app| async move {
        let (client, accounts) = customer(&app).await;
        let refused = form(
            &client,
            &app,
            "/api/payments/autopay-start",
            &[
                ("account", &accounts[0].to_string()),
                ("day", "31"),
                ("max_amount", "5"),
                ("key", "a0"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(refused.field_message(DAY_FIELD), Some(AUTOPAY_DAY_MESSAGE));
        assert_eq!(
            refused.field_message(MAX_AMOUNT_FIELD),
            Some(BELOW_MINIMUM_MESSAGE)
        );
        form(
            &client,
            &app,
            "/api/payments/autopay-start",
            &[
                ("account", &accounts[0].to_string()),
                ("day", "21"),
                ("max_amount", "100000"),
                ("key", "a1"),
            ],
        )
        .await
        .unwrap();
        let r: String = sqlx::query_scalar("SELECT reference FROM card_bindings")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        // The sandbox's card page: Luhn first, then the 3-D Secure code.
        let bank = app.client();
        let page = bank
            .post(app.at(&format!("/sandbox/card/{r}")))
            .form(&[
                ("number", "4111 1111 1111 1112"),
                ("expiry", "12/30"),
                ("cvc", "123"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Номер карты указан с ошибкой."));
        let next = bank
            .post(app.at(&format!("/sandbox/card/{r}")))
            .form(&[
                ("number", "4111 1111 1111 1111"),
                ("expiry", "12/30"),
                ("cvc", "123"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(next.status(), 303);
        let back = bank
            .post(app.at(&format!("/sandbox/card/{r}/3ds")))
            .form(&[("code", "12345"), ("action", "confirm")])
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), 303);
        assert_eq!(deliver(&app).await, 1);
        let lines: Vec<AutopayLine> = call(&client, &app, "/api/payments/autopays", &[])
            .await
            .unwrap();
        let on = lines
            .iter()
            .find(|l| l.account == accounts[0])
            .unwrap()
            .autopay
            .clone()
            .unwrap();
        assert_eq!(
            (on.card.as_str(), on.day, on.max_amount),
            ("•••• 1111", 21, Kopecks(10_000_000))
        );
        // Before the day nothing runs; on the day the debt is paid, once, by one instance.
        assert_eq!(app.services.payments.run_autopays().await.unwrap(), 0);
        let owed_before: i64 = sheet(&client, &app, Some(accounts[0]))
            .await
            .lines
            .iter()
            .map(|l| l.balance.0.max(0))
            .sum();
        app.clock.advance(jiff::SignedDuration::from_hours(24));
        let client = signed_in(&app, "Secret-2026!").await;
        let second = app.second_instance().await;
        let (a, b) = tokio::join!(
            app.services.payments.run_autopays(),
            second.services.payments.run_autopays()
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(
            paid(&app, accounts[0]).await.1,
            owed_before,
            "the whole debt, under the maximum"
        );
        let after: i64 = sheet(&client, &app, Some(accounts[0]))
            .await
            .lines
            .iter()
            .map(|l| l.balance.0.max(0))
            .sum();
        assert_eq!(after, 0);
        assert_eq!(app.services.payments.run_autopays().await.unwrap(), 0);
        let notices = app
            .services
            .outbox
            .list(Some("ivanov@bk.ru"), 5)
            .await
            .unwrap();
        assert!(notices.iter().any(|m| m.body.contains("Автоплатеж")));
        // Unbinding the account turns autopay off (U-ACC-2).
        form(
            &client,
            &app,
            "/api/accounts/unlink",
            &[("account", &accounts[0].to_string())],
        )
        .await
        .unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM autopays")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0);
        second.finish().await;
    })
    .await;
}
