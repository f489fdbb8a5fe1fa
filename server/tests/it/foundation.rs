//! The foundation as a browser or an operator meets it: pages, health, headers, the outbox.

use crate::common::{Options, each_backend, each_backend_with};
use server::notify::{Channel, Message};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_is_rendered_on_the_server_in_russian() {
    each_backend(|app| async move {
        let response = app.client().get(app.at("/")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"ru\""), "{html}");
        assert!(html.contains("Вход в личный кабинет"));
        assert!(html.contains("По почте") && html.contains("По номеру"));
        assert!(html.contains(">Войти<"));
        // The footer is filled from the database before the page is sent.
        let schema = app.services.db.schema_version().await.unwrap();
        assert!(html.contains(&format!("схема данных {schema}")), "{html}");

        // The hydration script carries the response's CSP nonce; nothing else inline runs.
        let csp = headers["content-security-policy"].to_str().unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "hydration script has the nonce"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "same-origin");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_tab_is_rendered_without_javascript() {
    each_backend(|app| async move {
        let html = app
            .client()
            .get(app.at("/login?by=phone"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Телефон"));
        assert!(html.contains("type=\"tel\""));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_are_404_in_russian() {
    each_backend(|app| async move {
        let response = app
            .client()
            .get(app.at("/no-such-page"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Страница не найдена")
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness() {
    each_backend(|app| async move {
        let client = app.client();
        let health = client.get(app.at("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        let ready = client.get(app.at("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 200);

        // Without its database the server says so, and when to ask again.
        app.services.db.pool.close().await;
        let started = std::time::Instant::now();
        let ready = client.get(app.at("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 503);
        assert_eq!(ready.headers()["retry-after"], "5");
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        assert_eq!(
            client
                .get(app.at("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_footer_reports_version_and_schema_from_the_database() {
    each_backend(|app| async move {
        let response = app
            .client()
            .post(app.at("/api/portal/info"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let info: shared::portal::PortalInfo = response.json().await.unwrap();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(
            info.schema_version,
            app.services.db.schema_version().await.unwrap()
        );
        assert!(info.schema_version >= 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_development_outbox_shows_every_message() {
    each_backend(|app| async move {
        let message = Message {
            attachments: Vec::new(),
            channel: Channel::Sms,
            to: "+79000000001".into(),
            subject: "Код подтверждения".into(),
            body: "Ваш код: 123456 <не сообщайте его никому>".into(),
        };
        app.services.notifier.send(&message).await.unwrap();

        let client = app.client();
        let listed: serde_json::Value = client
            .get(app.at("/dev/outbox.json?to=%2B79000000001"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            listed[0]["body"],
            "Ваш код: 123456 <не сообщайте его никому>"
        );
        assert_eq!(listed[0]["channel"], "sms");
        let nobody: serde_json::Value = client
            .get(app.at("/dev/outbox.json?to=someone@else.ru"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(nobody.as_array().map(Vec::len), Some(0));

        let page = client
            .get(app.at("/dev/outbox"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Ваш код: 123456 &lt;не сообщайте его никому&gt;"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_has_no_outbox_page() {
    each_backend_with(
        Options {
            production: true,
            ..Options::default()
        },
        |app| async move {
            let response = app
                .client()
                .get(app.at("/dev/outbox.json"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_post_is_refused() {
    each_backend(|app| async move {
        let response = app
            .client()
            .post(app.at("/api/auth/sign_out"))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
    })
    .await;
}

/// A transaction that reads and then writes is not refused with «database is locked» when
/// another connection wrote in between (it was, now and then, on SQLite: a billing import
/// failed in CI). Here the other write lands, or waits, between the read and the write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_then_write_transaction_survives_a_concurrent_write() {
    each_backend(|app| async move {
        let db = app.services.db.clone();
        sqlx::query("CREATE TABLE lock_probe (n INTEGER NOT NULL)")
            .execute(&db.pool)
            .await
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lock_probe")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let pool = db.pool.clone();
        let other = tokio::spawn(async move {
            sqlx::query("INSERT INTO lock_probe (n) VALUES (2)")
                .execute(&pool)
                .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        sqlx::query("INSERT INTO lock_probe (n) VALUES ($1)")
            .bind(before + 1)
            .execute(&mut *tx)
            .await
            .expect("the write after the read is not refused");
        tx.commit().await.unwrap();
        other
            .await
            .unwrap()
            .expect("the other write is not refused either");
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lock_probe")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 2);
    })
    .await;
}
