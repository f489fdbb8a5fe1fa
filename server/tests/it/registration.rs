//! Registration (U-REG-1..7) and one-time codes (U-REG-4): rules, limits, expiry, single use.

use crate::common::{TestApp, each_backend, last_code};
use server::clock::Clock;
use server::codes::{
    EXPIRED_MESSAGE, NO_CODE_MESSAGE, Purpose, TOO_MANY_ATTEMPTS_MESSAGE, WRONG_CODE_MESSAGE,
};
use shared::ApiError;
use shared::identity::{
    CONSENT_REQUIRED_MESSAGE, EMAIL_NOT_CONFIRMED_MESSAGE, EMAIL_TAKEN_MESSAGE,
    PHONE_TAKEN_MESSAGE, RegistrationDraft,
};

const PHONE: &str = "+79001112233";

fn form(phone: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("last_name", "Петрова".into()),
        ("first_name", "Анна-Мария".into()),
        ("phone", phone.into()),
        ("email", email.into()),
        ("password", "Kx9#mePlank".into()),
        ("password_repeat", "Kx9#mePlank".into()),
    ]
}

async fn post<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, String)],
) -> Result<T, (u16, ApiError)> {
    let response = client.post(app.at(path)).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    if response.status().is_success() {
        Ok(response.json().await.unwrap())
    } else {
        Err((status, response.json().await.unwrap()))
    }
}

async fn start(
    client: &reqwest::Client,
    app: &TestApp,
    phone: &str,
    email: &str,
) -> Result<RegistrationDraft, (u16, ApiError)> {
    post(client, app, "/api/auth/register/start", &form(phone, email)).await
}

async fn complete(
    client: &reqwest::Client,
    app: &TestApp,
    draft: &str,
    code: &str,
    consent: bool,
) -> Result<(), (u16, ApiError)> {
    let mut f = vec![("draft", draft.to_string()), ("code", code.to_string())];
    if consent {
        f.push(("consent", "yes".into()));
    }
    post::<()>(client, app, "/api/auth/register/complete", &f).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_registers_with_the_code_from_the_phone_and_signs_in() {
    each_backend(|app| async move {
        let client = app.client();
        let draft = start(&client, &app, "8 (900) 111-22-33", "Anna@Mail.ru")
            .await
            .unwrap();
        assert_eq!(draft.phone, PHONE);
        assert_eq!(draft.email, "anna@mail.ru");
        let code = last_code(&app, PHONE).await;
        complete(&client, &app, &draft.token, &code, true)
            .await
            .unwrap();

        // The consent is recorded with its time, address and version.
        let (version, accepted_at) =
            sqlx::query_as::<_, (String, i64)>("SELECT version, accepted_at FROM consents")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap();
        assert_eq!(version, shared::identity::CONSENT_VERSION);
        assert_eq!(accepted_at, app.clock.now().as_second());

        // The draft is gone: the same code cannot register twice.
        let again = complete(&client, &app, &draft.token, &code, true)
            .await
            .unwrap_err();
        assert_eq!(
            again.1,
            ApiError::refused(shared::identity::DRAFT_EXPIRED_MESSAGE)
        );

        let sign_in = |by: &'static str, login: &'static str| {
            client
                .post(app.at("/api/auth/sign_in"))
                .form(&[("by", by), ("login", login), ("password", "Kx9#mePlank")])
                .send()
        };
        assert!(
            sign_in("phone", "+7 900 111 22 33")
                .await
                .unwrap()
                .status()
                .is_success()
        );
        let by_email: ApiError = sign_in("email", "anna@mail.ru")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            by_email,
            ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE),
            "the e-mail is not confirmed yet"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_field_is_reported_and_nothing_is_sent() {
    each_backend(|app| async move {
        let client = app.client();
        let bad = vec![
            ("last_name", "Петрова1".to_string()),
            ("first_name", "".to_string()),
            ("phone", "12345".to_string()),
            ("email", "anna@".to_string()),
            ("password", "qwerty".to_string()),
            ("password_repeat", "qwerty1".to_string()),
        ];
        let (status, err) =
            post::<RegistrationDraft>(&client, &app, "/api/auth/register/start", &bad)
                .await
                .unwrap_err();
        assert_eq!(status, 422);
        assert_eq!(
            err.field_message("last_name"),
            Some(shared::person::NAME_CHARS_MESSAGE)
        );
        assert_eq!(
            err.field_message("first_name"),
            Some("Поле обязательно для заполнения")
        );
        assert_eq!(
            err.field_message("phone"),
            Some(shared::contact::PHONE_FORMAT_MESSAGE)
        );
        assert_eq!(
            err.field_message("email"),
            Some(shared::contact::EMAIL_FORMAT_MESSAGE)
        );
        assert_eq!(
            err.field_message("password"),
            Some(shared::password::RULE_MESSAGE)
        );
        assert_eq!(
            err.field_message("password_repeat"),
            Some(shared::password::MISMATCH_MESSAGE)
        );
        assert!(app.services.outbox.list(None, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_phone_and_a_confirmed_email_cannot_register_again() {
    each_backend(|app| async move {
        let client = app.client();
        let draft = start(&client, &app, PHONE, "anna@mail.ru").await.unwrap();
        complete(
            &client,
            &app,
            &draft.token,
            &last_code(&app, PHONE).await,
            true,
        )
        .await
        .unwrap();

        let other = app.client();
        let (_, err) = start(&other, &app, PHONE, "other@mail.ru")
            .await
            .unwrap_err();
        assert_eq!(err.field_message("phone"), Some(PHONE_TAKEN_MESSAGE));

        // Not confirmed yet: the address may be used by someone else (U-REG-6 speaks of confirmed ones).
        assert!(
            start(&other, &app, "+79004445566", "anna@mail.ru")
                .await
                .is_ok()
        );
        sqlx::query("UPDATE people SET email_confirmed = 1")
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        app.clock.advance(jiff::SignedDuration::from_secs(61));
        let (_, err) = start(&other, &app, "+79004445567", "anna@mail.ru")
            .await
            .unwrap_err();
        assert_eq!(err.field_message("email"), Some(EMAIL_TAKEN_MESSAGE));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consent_is_required() {
    each_backend(|app| async move {
        let client = app.client();
        let draft = start(&client, &app, PHONE, "anna@mail.ru").await.unwrap();
        let (_, err) = complete(
            &client,
            &app,
            &draft.token,
            &last_code(&app, PHONE).await,
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_message("consent"), Some(CONSENT_REQUIRED_MESSAGE));
        let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(people, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_expires_after_five_minutes() {
    each_backend(|app| async move {
        let client = app.client();
        let draft = start(&client, &app, PHONE, "anna@mail.ru").await.unwrap();
        let code = last_code(&app, PHONE).await;
        app.clock
            .advance(jiff::SignedDuration::from_secs(5 * 60 + 1));
        let (_, err) = complete(&client, &app, &draft.token, &code, true)
            .await
            .unwrap_err();
        assert_eq!(err.field_message("code"), Some(EXPIRED_MESSAGE));
        // A new code works.
        post::<()>(
            &client,
            &app,
            "/api/auth/register/resend",
            &[("draft", draft.token.clone())],
        )
        .await
        .unwrap();
        complete(
            &client,
            &app,
            &draft.token,
            &last_code(&app, PHONE).await,
            true,
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_tries_end_a_code() {
    each_backend(|app| async move {
        let client = app.client();
        let draft = start(&client, &app, PHONE, "anna@mail.ru").await.unwrap();
        let code = last_code(&app, PHONE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for attempt in 1..=5 {
            let (_, err) = complete(&client, &app, &draft.token, wrong, true)
                .await
                .unwrap_err();
            let expected = if attempt < 5 {
                WRONG_CODE_MESSAGE
            } else {
                TOO_MANY_ATTEMPTS_MESSAGE
            };
            assert_eq!(
                err.field_message("code"),
                Some(expected),
                "attempt {attempt}"
            );
        }
        let (_, err) = complete(&client, &app, &draft.token, &code, true)
            .await
            .unwrap_err();
        assert_eq!(err.field_message("code"), Some(TOO_MANY_ATTEMPTS_MESSAGE));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_good_once() {
    each_backend(|app| async move {
        let codes = app.services.codes.clone();
        codes
            .send(Purpose::SignIn, server::notify::Channel::Sms, PHONE, None)
            .await
            .unwrap();
        let code = last_code(&app, PHONE).await;
        assert_eq!(
            codes.verify(Purpose::Register, PHONE, &code).await,
            Err(ApiError::field("code", NO_CODE_MESSAGE)),
            "another purpose"
        );
        codes.verify(Purpose::SignIn, PHONE, &code).await.unwrap();
        assert_eq!(
            codes.verify(Purpose::SignIn, PHONE, &code).await,
            Err(ApiError::field("code", NO_CODE_MESSAGE))
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_are_limited_per_minute_and_per_hour() {
    each_backend(|app| async move {
        let codes = app.services.codes.clone();
        let send = || {
            codes.send(
                Purpose::SignIn,
                server::notify::Channel::Sms,
                PHONE,
                Some("203.0.113.7"),
            )
        };
        send().await.unwrap();
        assert!(
            matches!(send().await, Err(ApiError::TooManyRequests { .. })),
            "a second code within the minute"
        );
        for _ in 0..9 {
            app.clock.advance(jiff::SignedDuration::from_secs(61));
            send().await.unwrap();
        }
        app.clock.advance(jiff::SignedDuration::from_secs(61));
        assert!(
            matches!(send().await, Err(ApiError::TooManyRequests { .. })),
            "the eleventh within the hour"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_works_without_javascript() {
    each_backend(|app| async move {
        let client = app.client();
        let response = client
            .post(app.at("/api/auth/register/start"))
            .header("accept", "text/html")
            .header("referer", app.at("/register"))
            .form(&form(PHONE, "anna@mail.ru"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/register?draft="), "{location}");
        let page = client
            .get(app.at(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Код подтверждения отправлен на номер +7 (900) 111-22-33"),
            "{page}"
        );
        assert!(page.contains("Анна-Мария"));
        assert!(
            page.contains("Я ознакомился и согласился с политикой обработки персональных данных")
        );
    })
    .await;
}
