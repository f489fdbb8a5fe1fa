//! Graceful overload (#17): past `KABINET_MAX_IN_FLIGHT` requests in progress the server
//! answers 503 with `Retry-After` at once while the health checks still answer, and a burst
//! of sign-ins that saturates password hashing is answered 503 after
//! `KABINET_PASSWORD_WAIT_MS` instead of waiting forever, without starving the pages and
//! without counting as failed sign-ins.

use crate::common::{Options, TestApp, each_backend_with, ivanov, me};
use server::password::HashPermit;
use std::time::{Duration, Instant};

/// Takes every password-hashing slot of the server (until one does not come within 50 ms).
async fn saturate_hasher(app: &TestApp) -> Vec<HashPermit> {
    let hasher = app.services.identity.hasher();
    let mut held = Vec::new();
    while let Ok(Ok(permit)) =
        tokio::time::timeout(Duration::from_millis(50), hasher.permit()).await
    {
        held.push(permit);
    }
    assert!(!held.is_empty());
    held
}

fn sign_in(app: &TestApp) -> impl Future<Output = reqwest::Response> + Send + 'static {
    let request = app.client().post(app.at("/api/auth/sign_in")).form(&[
        ("by", "phone"),
        ("login", "+79000000001"),
        ("password", "Secret-2026!"),
    ]);
    async move { request.send().await.expect("request") }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn p17_past_the_limit_requests_are_shed_at_once_and_health_still_answers() {
    let options = Options {
        env: vec![
            ("KABINET_MAX_IN_FLIGHT", "2".to_string()),
            ("KABINET_PASSWORD_WAIT_MS", "4000".to_string()),
        ],
        ..Options::default()
    };
    each_backend_with(options, |app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        assert_eq!(
            client.get(app.at("/login")).send().await.unwrap().status(),
            200
        );
        // Two slow requests take the two places: sign-ins waiting for a hashing slot.
        let held = saturate_hasher(&app).await;
        let slow: Vec<_> = (0..2).map(|_| tokio::spawn(sign_in(&app))).collect();
        // Give them time to arrive; a request of ours meanwhile could take one's place.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(slow.iter().all(|s| !s.is_finished()));

        for _ in 0..5 {
            let started = Instant::now();
            let page = client.get(app.at("/login")).send().await.unwrap();
            let elapsed = started.elapsed();
            assert_eq!(page.status(), 503);
            assert_eq!(page.headers()["retry-after"], "1");
            assert!(elapsed < Duration::from_millis(100), "{elapsed:?}");
            assert!(
                page.text()
                    .await
                    .unwrap()
                    .contains("Сервер перегружен, повторите через секунду")
            );
        }
        // A page's server function gets the message as its error.
        let call = client
            .post(app.at("/api/auth/me"))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(call.status(), 503);
        assert_eq!(call.headers()["retry-after"], "1");
        let error: shared::ApiError = call.json().await.unwrap();
        assert_eq!(
            error.to_string(),
            "Сервер перегружен, повторите через секунду."
        );
        // The health checks are never turned away.
        for path in ["/healthz", "/readyz"] {
            let started = Instant::now();
            let health = client.get(app.at(path)).send().await.unwrap();
            assert_eq!(health.status(), 200, "{path}");
            assert!(started.elapsed() < Duration::from_secs(1), "{path}");
        }

        // Once the slow requests are done, pages are served again.
        drop(held);
        for request in slow {
            assert_eq!(request.await.unwrap().status(), 200);
        }
        assert_eq!(
            client.get(app.at("/login")).send().await.unwrap().status(),
            200
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn p17_a_saturated_hasher_answers_503_to_sign_in_while_pages_load() {
    let options = Options {
        env: vec![("KABINET_PASSWORD_WAIT_MS", "300".to_string())],
        ..Options::default()
    };
    each_backend_with(options, |app| async move {
        ivanov(&app, true).await;
        let held = saturate_hasher(&app).await;

        let started = Instant::now();
        let waiting = tokio::spawn(sign_in(&app));
        // Meanwhile (the sign-in waiting for a slot) a page is served as usual.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let page = app.client().get(app.at("/login")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Вход в личный кабинет"));

        let refused = waiting.await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(refused.status(), 503);
        assert!(refused.headers().contains_key("retry-after"));
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        let error: shared::ApiError = refused.json().await.unwrap();
        assert_eq!(error, shared::ApiError::Unavailable);

        // The refused try is not a failed sign-in: nothing was counted against the login.
        let counted: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE key LIKE 'signin:%'")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap();
        assert_eq!(counted, 0);

        // Once hashing frees, the same sign-in goes through.
        drop(held);
        let client = app.client();
        let response = client
            .post(app.at("/api/auth/sign_in"))
            .form(&[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "Secret-2026!"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(me(&client, &app).await.is_some());
    })
    .await;
}
