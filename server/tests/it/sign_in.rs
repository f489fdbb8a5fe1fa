//! Sign-in by password and sessions (U-AUTH-1, U-AUTH-4).

use crate::common::{TestApp, each_backend, ivanov, last_code, me};
use server::identity::SESSION_IDLE_SECS;
use shared::ApiError;
use shared::identity::{EMAIL_NOT_CONFIRMED_MESSAGE, WRONG_CREDENTIALS_MESSAGE};

async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    by: &str,
    login: &str,
    password: &str,
) -> Result<(), ApiError> {
    let response = client
        .post(app.at("/api/auth/sign_in"))
        .form(&[("by", by), ("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    if response.status().is_success() {
        Ok(())
    } else {
        Err(response.json::<ApiError>().await.unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_by_phone_or_email_opens_a_session_and_sign_out_closes_it() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        assert_eq!(me(&client, &app).await, None);

        sign_in(&client, &app, "phone", "8 900 000-00-01", "Secret-2026!")
            .await
            .unwrap();
        assert_eq!(me(&client, &app).await.unwrap().full_name(), "Иванов Иван");

        let out = client
            .post(app.at("/api/auth/sign_out"))
            .send()
            .await
            .unwrap();
        assert!(out.status().is_success());
        assert_eq!(me(&client, &app).await, None);

        sign_in(&client, &app, "email", "IVANOV@bk.ru", "Secret-2026!")
            .await
            .unwrap();
        assert!(me(&client, &app).await.is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_login_get_the_same_answer() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        let wrong = sign_in(&client, &app, "phone", "+79000000001", "Secret-2027!")
            .await
            .unwrap_err();
        let unknown = sign_in(&client, &app, "phone", "+79000000002", "Secret-2026!")
            .await
            .unwrap_err();
        assert_eq!(wrong, ApiError::refused(WRONG_CREDENTIALS_MESSAGE));
        assert_eq!(unknown, wrong);
        assert_eq!(me(&client, &app).await, None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_reported_per_field_and_changes_nothing() {
    each_backend(|app| async move {
        let client = app.client();
        let err = sign_in(&client, &app, "email", "ivanov", "")
            .await
            .unwrap_err();
        assert_eq!(
            err.field_message("login"),
            Some(shared::contact::EMAIL_FORMAT_MESSAGE)
        );
        assert_eq!(
            err.field_message("password"),
            Some("Поле обязательно для заполнения")
        );
        let err = sign_in(&client, &app, "phone", "+7 (495) 123-45-67", "x")
            .await
            .unwrap_err();
        assert_eq!(
            err.field_message("login"),
            Some(shared::contact::PHONE_FORMAT_MESSAGE)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_sign_in_needs_a_confirmed_address() {
    each_backend(|app| async move {
        ivanov(&app, false).await;
        let client = app.client();
        let err = sign_in(&client, &app, "email", "ivanov@bk.ru", "Secret-2026!")
            .await
            .unwrap_err();
        assert_eq!(err, ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE));
        // By phone the same person gets in.
        sign_in(&client, &app, "phone", "9000000001", "Secret-2026!")
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_and_rotate_at_sign_in() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        sign_in(&client, &app, "phone", "9000000001", "Secret-2026!")
            .await
            .unwrap();
        let sessions = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap()
        };
        assert_eq!(sessions().await, 1);
        // Signing in again replaces the session instead of adding one.
        sign_in(&client, &app, "phone", "9000000001", "Secret-2026!")
            .await
            .unwrap();
        assert_eq!(sessions().await, 1);

        app.clock
            .advance(jiff::SignedDuration::from_secs(SESSION_IDLE_SECS - 60));
        assert!(
            me(&client, &app).await.is_some(),
            "used within the idle limit"
        );
        app.clock
            .advance(jiff::SignedDuration::from_secs(SESSION_IDLE_SECS + 1));
        assert_eq!(me(&client, &app).await, None, "idle too long");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_seen_by_a_second_server_instance() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        sign_in(&client, &app, "phone", "9000000001", "Secret-2026!")
            .await
            .unwrap();
        let second = app.second_instance().await;
        let cookie = client.post(app.at("/api/auth/me")).send().await.unwrap();
        assert!(cookie.status().is_success());
        // The same cookie jar talks to the second instance (same host, other port).
        let html = client
            .get(second.at("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Иванов Иван"), "{html}");
        second.finish().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_javascript_come_back_with_the_error_or_go_home() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        let referer = app.at("/login?by=phone");
        let post = |password: &'static str| {
            client
                .post(app.at("/api/auth/sign_in"))
                .header("accept", "text/html")
                .header("referer", referer.clone())
                .form(&[
                    ("by", "phone"),
                    ("login", "9000000001"),
                    ("password", password),
                ])
                .send()
        };
        let failed = post("wrong").await.unwrap();
        assert_eq!(failed.status(), 302);
        let location = failed.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with(&referer) && location.contains("__err="),
            "{location}"
        );
        let page = client
            .get(&location)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(WRONG_CREDENTIALS_MESSAGE),
            "the error is rendered without JavaScript"
        );

        let ok = post("Secret-2026!").await.unwrap();
        assert_eq!(ok.status(), 302);
        assert_eq!(ok.headers()["location"], "/");
        let home = client
            .get(app.at("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Иванов Иван") && home.contains("Выход"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_carry_their_http_status() {
    each_backend(|app| async move {
        let client = app.client();
        let post = |login: &'static str| {
            client
                .post(app.at("/api/auth/sign_in"))
                .form(&[
                    ("by", "phone"),
                    ("login", login),
                    ("password", "Secret-2026!"),
                ])
                .send()
        };
        assert_eq!(
            post("+7 (495) 000-00-00").await.unwrap().status(),
            422,
            "bad input"
        );
        assert_eq!(
            post("+7 (900) 555-00-00").await.unwrap().status(),
            409,
            "refused sign-in"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_by_a_code_sent_to_the_phone_or_the_confirmed_email() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        let send = |by: &'static str, login: &'static str| {
            client
                .post(app.at("/api/auth/code/send"))
                .form(&[("by", by), ("login", login)])
                .send()
        };
        assert!(
            send("phone", "8 900 000-00-01")
                .await
                .unwrap()
                .status()
                .is_success()
        );
        let code = last_code(&app, "+79000000001").await;
        let wrong = client
            .post(app.at("/api/auth/code/sign_in"))
            .form(&[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("code", "000000"),
            ])
            .send()
            .await
            .unwrap();
        if code != "000000" {
            assert_eq!(wrong.status(), 422);
            assert_eq!(me(&client, &app).await, None);
        }
        let ok = client
            .post(app.at("/api/auth/code/sign_in"))
            .form(&[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(ok.status().is_success());
        assert_eq!(me(&client, &app).await.unwrap().full_name(), "Иванов Иван");

        let other = app.client();
        assert!(
            other
                .post(app.at("/api/auth/code/send"))
                .form(&[("by", "email"), ("login", "ivanov@bk.ru")])
                .send()
                .await
                .unwrap()
                .status()
                .is_success()
        );
        let code = last_code(&app, "ivanov@bk.ru").await;
        let ok = other
            .post(app.at("/api/auth/code/sign_in"))
            .form(&[
                ("by", "email"),
                ("login", "ivanov@bk.ru"),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(ok.status().is_success());
        assert!(me(&other, &app).await.is_some());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_go_only_to_known_phones_and_confirmed_emails() {
    each_backend(|app| async move {
        ivanov(&app, false).await;
        let client = app.client();
        let unknown: ApiError = client
            .post(app.at("/api/auth/code/send"))
            .form(&[("by", "phone"), ("login", "+79005550000")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            unknown.field_message("login"),
            Some(shared::identity::UNKNOWN_PHONE_MESSAGE)
        );
        let unconfirmed: ApiError = client
            .post(app.at("/api/auth/code/send"))
            .form(&[("by", "email"), ("login", "ivanov@bk.ru")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(unconfirmed, ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE));
        assert!(app.services.outbox.list(None, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_passwords_are_throttled() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        for _ in 0..10 {
            let err = sign_in(&client, &app, "phone", "9000000001", "Wrong-2026!").await.unwrap_err();
            assert_eq!(err, ApiError::refused(WRONG_CREDENTIALS_MESSAGE));
        }
        // Even the right password waits now, and the message says how long.
        let err = sign_in(&client, &app, "phone", "9000000001", "Secret-2026!").await.unwrap_err();
        assert!(matches!(err, ApiError::TooManyRequests { retry_after_secs } if retry_after_secs <= 900), "{err:?}");
        assert!(err.to_string().starts_with("Слишком много попыток"));
        app.clock.advance(jiff::SignedDuration::from_mins(15));
        sign_in(&client, &app, "phone", "9000000001", "Secret-2026!").await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_script_a_refused_form_comes_back_with_what_was_typed_but_the_password() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = app.client();
        let response = client
            .post(app.at("/api/auth/sign_in"))
            .header("accept", "text/html")
            .header("referer", app.at("/login?by=phone"))
            .form(&[
                ("by", "phone"),
                ("login", "+7 (900) 000-00-01"),
                ("password", "Wrong-2026!"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let cookies: Vec<_> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let echo = cookies
            .iter()
            .find(|c| c.starts_with("kabinet_echo="))
            .expect("the typed fields are kept");
        assert!(
            echo.contains("Max-Age=60") && echo.contains("HttpOnly"),
            "{echo}"
        );
        assert!(!echo.contains("Wrong"), "never the password: {echo}");

        let location = response.headers()["location"].to_str().unwrap().to_string();
        let page = client
            .get(&location)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let forgets = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("kabinet_echo=;"));
        assert!(forgets, "the echo is shown once");
        let html = page.text().await.unwrap();
        assert!(html.contains(r#"value="+7 (900) 000-00-01""#), "{html}");
        assert!(html.contains(WRONG_CREDENTIALS_MESSAGE), "{html}");
        assert!(!html.contains("Wrong-2026!"), "{html}");

        // Shown once: the next visit starts empty.
        let again = client
            .get(app.at("/login?by=phone"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!again.contains(r#"value="+7 (900) 000-00-01""#));
    })
    .await;
}
