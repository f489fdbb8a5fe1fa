//! Sign-in by QR code (U-AUTH-2): the browser that shows the code, the phone that confirms it.

use crate::common::{
    Options, TestApp, each_backend, each_backend_with, form, ivanov, me, signed_in,
};
use reqwest::cookie::{CookieStore, Jar};
use shared::ApiError;
use shared::qr_sign_in::{
    QR_ANSWERED_MESSAGE, QR_EXPIRED_MESSAGE, QR_TTL_SECS, QR_UNKNOWN_MESSAGE, QrRequestState,
    QrSignInStatus,
};
use std::sync::Arc;
use std::time::Duration;

const DESKTOP_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                             (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// A desktop browser: its cookie jar is open to the test, which reads the QR token from it
/// (what the phone's camera would read from the screen).
struct Desktop {
    client: reqwest::Client,
    jar: Arc<Jar>,
}

impl Desktop {
    fn new() -> Self {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(DESKTOP_AGENT)
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Desktop { client, jar }
    }

    fn qr_cookie(&self, app: &TestApp) -> Option<String> {
        let url = app.url.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .unwrap()
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{}=", app::ports::QR_COOKIE)))
            .map(str::to_string)
    }

    /// The token in the QR code now shown.
    fn token(&self, app: &TestApp) -> String {
        let cookie = self.qr_cookie(app).expect("a QR cookie");
        cookie.split_once('.').unwrap().1.to_string()
    }

    async fn start(&self, app: &TestApp) {
        form(&self.client, app, "/api/auth/qr/start", &[])
            .await
            .unwrap();
    }

    /// Asks for a code through a reverse proxy that says the browser is at `forwarded`.
    async fn start_via(&self, app: &TestApp, forwarded: &str) -> Result<(), ApiError> {
        let response = self
            .client
            .post(app.at("/api/auth/qr/start"))
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .unwrap();
        if response.status().is_success() {
            Ok(())
        } else {
            Err(response.json().await.unwrap())
        }
    }

    async fn poll(&self, app: &TestApp) -> QrSignInStatus {
        let response = self
            .client
            .post(app.at("/api/auth/qr/status"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }
}

/// A phone on which Иванов is signed in.
async fn phone(app: &TestApp) -> reqwest::Client {
    signed_in(app, "Secret-2026!").await
}

/// What a browser holding the QR cookie `cookie` (copied, forged) learns when it asks.
async fn poll_as(client: &reqwest::Client, app: &TestApp, cookie: &str) -> QrSignInStatus {
    client
        .post(app.at("/api/auth/qr/status"))
        .header("cookie", format!("{}={cookie}", app::ports::QR_COOKIE))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn request(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
) -> Result<shared::qr_sign_in::QrRequest, ApiError> {
    let response = client
        .post(app.at("/api/auth/qr/request"))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    if response.status().is_success() {
        Ok(response.json().await.unwrap())
    } else {
        Err(response.json().await.unwrap())
    }
}

async fn answer(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    answer: &str,
) -> Result<(), ApiError> {
    form(
        client,
        app,
        "/api/auth/qr/answer",
        &[("token", token), ("answer", answer)],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_phone_confirms_and_the_waiting_browser_enters_once() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let version = match desktop.poll(&app).await {
            QrSignInStatus::Pending {
                version,
                expires_in_secs,
            } => {
                assert_eq!(expires_in_secs, QR_TTL_SECS);
                version
            }
            other => panic!("{other:?}"),
        };

        // The image is the QR code of the confirmation link, for this browser only.
        let token = desktop.token(&app);
        assert!(token.len() >= 22, "at least 128 bits: {token}");
        let svg = desktop
            .client
            .get(app.at(&format!("/login/qr.svg?v={version}")))
            .send()
            .await
            .unwrap();
        assert_eq!(svg.status(), 200);
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        assert_eq!(svg.headers()["cache-control"], "private, max-age=120");
        let link = format!("{}/qr/{token}", app.services.config.public_url);
        let expected = server::qr_sign_in::qr_svg(&link).unwrap();
        assert!(
            svg.text().await.unwrap() == expected,
            "the QR code of {link}"
        );
        let stranger = app
            .client()
            .get(app.at("/login/qr.svg"))
            .send()
            .await
            .unwrap();
        assert_eq!(stranger.status(), 404);

        // The phone (served by a second instance) sees who asks, then confirms.
        let other = app.second_instance().await;
        let phone = phone(&other).await;
        let asked = request(&phone, &other, &token).await.unwrap();
        assert_eq!(asked.state, QrRequestState::Pending);
        assert!(asked.device.starts_with("Chrome 120"), "{}", asked.device);
        assert!(asked.device.contains("Windows"), "{}", asked.device);
        assert_eq!(asked.ip.as_deref(), Some("127.0.0.1"));
        assert!(matches!(
            desktop.poll(&app).await,
            QrSignInStatus::Pending { .. }
        ));
        assert_eq!(me(&desktop.client, &app).await, None);

        answer(&phone, &other, &token, "confirm").await.unwrap();
        let stolen = desktop.qr_cookie(&app).unwrap();
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::SignedIn);
        assert_eq!(
            me(&desktop.client, &app).await.unwrap().full_name(),
            "Иванов Иван"
        );
        // Once: the cookie is gone, and a copy of it opens nothing.
        assert_eq!(desktop.qr_cookie(&app), None);
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::Absent);
        let copy = app.client();
        assert_eq!(poll_as(&copy, &app, &stolen).await, QrSignInStatus::Absent);
        assert_eq!(me(&copy, &app).await, None);

        // The phone's answer is recorded; the same answer again changes nothing.
        assert_eq!(
            request(&phone, &other, &token).await.unwrap().state,
            QrRequestState::Confirmed
        );
        answer(&phone, &other, &token, "confirm").await.unwrap();
        assert_eq!(
            answer(&phone, &other, &token, "decline").await,
            Err(ApiError::refused(QR_ANSWERED_MESSAGE))
        );
        assert!(
            me(&phone, &other).await.is_some(),
            "the phone stays signed in"
        );
        other.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_browser_that_asked_gets_the_session() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let token = desktop.token(&app);
        // Someone who read the code off the screen has the token, not the browser's secret.
        let onlooker = app.client();
        let forged = format!("{}.{token}", "A".repeat(43));
        assert_eq!(
            poll_as(&onlooker, &app, &forged).await,
            QrSignInStatus::Absent
        );
        let phone = phone(&app).await;
        answer(&phone, &app, &token, "confirm").await.unwrap();
        assert_eq!(
            poll_as(&onlooker, &app, &forged).await,
            QrSignInStatus::Absent
        );
        assert_eq!(me(&onlooker, &app).await, None);
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::SignedIn);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_expires_after_two_minutes_and_a_new_one_replaces_it() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let old = desktop.token(&app);
        let phone = phone(&app).await;
        app.clock
            .advance(jiff::SignedDuration::from_secs(QR_TTL_SECS + 1));
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::Expired);
        let svg = desktop
            .client
            .get(app.at("/login/qr.svg"))
            .send()
            .await
            .unwrap();
        assert_eq!(svg.status(), 404);
        assert_eq!(
            request(&phone, &app, &old).await.unwrap().state,
            QrRequestState::Expired
        );
        assert_eq!(
            answer(&phone, &app, &old, "confirm").await,
            Err(ApiError::refused(QR_EXPIRED_MESSAGE))
        );
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::Expired);

        // [Обновить QR-код]: a new code; the old one is gone.
        desktop.start(&app).await;
        let new = desktop.token(&app);
        assert_ne!(new, old);
        assert!(matches!(
            desktop.poll(&app).await,
            QrSignInStatus::Pending { .. }
        ));
        assert_eq!(
            request(&phone, &app, &old).await,
            Err(ApiError::refused(QR_UNKNOWN_MESSAGE))
        );
        answer(&phone, &app, &new, "confirm").await.unwrap();
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::SignedIn);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_request_opens_nothing() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let token = desktop.token(&app);
        let phone = phone(&app).await;
        answer(&phone, &app, &token, "decline").await.unwrap();
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::Declined);
        assert_eq!(me(&desktop.client, &app).await, None);
        assert_eq!(
            request(&phone, &app, &token).await.unwrap().state,
            QrRequestState::Declined
        );
        assert_eq!(
            answer(&phone, &app, &token, "confirm").await,
            Err(ApiError::refused(QR_ANSWERED_MESSAGE))
        );
        assert_eq!(desktop.poll(&app).await, QrSignInStatus::Declined);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_signed_in_phone_can_see_or_answer_a_request() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let token = desktop.token(&app);
        let anonymous = app.client();
        assert_eq!(
            request(&anonymous, &app, &token).await,
            Err(ApiError::Unauthorized)
        );
        assert_eq!(
            answer(&anonymous, &app, &token, "confirm").await,
            Err(ApiError::Unauthorized)
        );
        let phone = phone(&app).await;
        assert_eq!(
            request(&phone, &app, "not a token").await,
            Err(ApiError::refused(QR_UNKNOWN_MESSAGE))
        );
        assert_eq!(
            request(&phone, &app, &"B".repeat(24)).await,
            Err(ApiError::refused(QR_UNKNOWN_MESSAGE))
        );
        assert!(matches!(
            desktop.poll(&app).await,
            QrSignInStatus::Pending { .. }
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_script_the_page_reloads_itself_and_enters_once_confirmed() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        // [QR-код] as a plain form post: back to the page that shows the code.
        let response = desktop
            .client
            .post(app.at("/api/auth/qr/start"))
            .header("accept", "text/html")
            .header("referer", app.at("/login"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/login?mode=qr");

        let page = desktop
            .client
            .get(app.at("/login?mode=qr"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("/login/qr.svg?v="), "{html}");
        assert!(html.contains("QR-код для входа в личный кабинет"), "{html}");
        assert!(html.contains(r#"http-equiv="refresh""#), "{html}");

        let phone = phone(&app).await;
        answer(&phone, &app, &desktop.token(&app), "confirm")
            .await
            .unwrap();
        let page = desktop
            .client
            .get(app.at("/login?mode=qr"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 302, "the page sends the browser home");
        assert_eq!(page.headers()["location"], "/");
        assert_eq!(
            me(&desktop.client, &app).await.unwrap().full_name(),
            "Иванов Иван"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_page_names_the_device_and_offers_both_answers() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start(&app).await;
        let token = desktop.token(&app);
        let anonymous = app.client();
        let html = anonymous
            .get(app.at(&format!("/qr/{token}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("войдите в личный кабинет на этом телефоне"),
            "{html}"
        );
        assert!(html.contains(&format!("next=%2Fqr%2F{token}")), "{html}");

        let phone = phone(&app).await;
        let html = phone
            .get(app.at(&format!("/qr/{token}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Chrome 120"), "{html}");
        assert!(html.contains("Подтвердить вход"), "{html}");
        assert!(html.contains("Отклонить"), "{html}");
    })
    .await;
}

/// Starts codes through a proxy claiming `forwarded` until the per-address limit refuses one;
/// returns how many were given.
async fn codes_until_refused(desktop: &Desktop, app: &TestApp, forwarded: &str) -> i64 {
    let mut given = 0;
    loop {
        match desktop.start_via(app, forwarded).await {
            Ok(()) => given += 1,
            Err(ApiError::TooManyRequests { .. }) => return given,
            Err(other) => panic!("{other:?}"),
        }
        assert!(given <= 100, "never refused");
    }
}

/// #18 item 1: behind a reverse proxy named in `KABINET_TRUSTED_PROXIES` the client is the
/// address the proxy forwarded (the right-most one it did not add itself): the phone sees it
/// on the confirmation page, and each customer has a limit of their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_forwarded_client_is_itself() {
    let options = Options {
        env: vec![("KABINET_TRUSTED_PROXIES", "127.0.0.1, ::1".to_string())],
        ..Options::default()
    };
    each_backend_with(options, |app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        // The browser wrote a false address itself; the proxy appended the real one.
        desktop
            .start_via(&app, "10.9.8.7, 203.0.113.7")
            .await
            .unwrap();
        let seen = request(&phone(&app).await, &app, &desktop.token(&app))
            .await
            .unwrap();
        assert_eq!(seen.ip.as_deref(), Some("203.0.113.7"));
        let limit = server::qr_sign_in::QR_START_PER_IP.limit;
        assert_eq!(
            codes_until_refused(&desktop, &app, "203.0.113.7").await,
            limit - 1
        );
        // Another customer behind the same proxy is not refused.
        let other = Desktop::new();
        other.start_via(&app, "203.0.113.8").await.unwrap();
    })
    .await;
}

/// #18 item 1: without trusted proxies a forwarding header is the client's own claim and is
/// ignored: the socket's peer is counted, whatever addresses the requests name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_forwarded_headers_are_ignored() {
    let options = Options {
        production: true,
        ..Options::default()
    };
    each_backend_with(options, |app| async move {
        ivanov(&app, true).await;
        let desktop = Desktop::new();
        desktop.start_via(&app, "203.0.113.7").await.unwrap();
        let seen = request(&phone(&app).await, &app, &desktop.token(&app))
            .await
            .unwrap();
        assert_eq!(seen.ip.as_deref(), Some("127.0.0.1"));
        let limit = server::qr_sign_in::QR_START_PER_IP.limit;
        let mut given = 1;
        for n in 0.. {
            match desktop
                .start_via(&app, &format!("203.0.113.{}", n % 250))
                .await
            {
                Ok(()) => given += 1,
                Err(ApiError::TooManyRequests { .. }) => break,
                Err(other) => panic!("{other:?}"),
            }
            assert!(given <= limit, "a new claimed address is not a new client");
        }
        assert_eq!(given, limit);
    })
    .await;
}
