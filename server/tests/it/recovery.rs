//! Password recovery (U-AUTH-3) and e-mail confirmation on first sign-in (U-REG-7).

use crate::common::{each_backend, form, ivanov, last_code, me, signed_in};
use server::codes::EXPIRED_MESSAGE;
use shared::ApiError;
use shared::identity::EMAIL_NOT_CONFIRMED_MESSAGE;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_replaced_with_a_code_and_old_sessions_end() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let old_device = signed_in(&app, "Secret-2026!").await;
        assert!(me(&old_device, &app).await.is_some());

        let client = app.client();
        form(
            &client,
            &app,
            "/api/auth/recover/send",
            &[("by", "email"), ("login", "ivanov@bk.ru")],
        )
        .await
        .unwrap();
        let code = last_code(&app, "ivanov@bk.ru").await;
        // The new password follows the rule (U-REG-3) and is typed twice.
        let weak = form(
            &client,
            &app,
            "/api/auth/recover/complete",
            &[
                ("by", "email"),
                ("login", "ivanov@bk.ru"),
                ("code", &code),
                ("password", "abc"),
                ("password_repeat", "abc"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            weak.field_message("password"),
            Some(shared::password::RULE_MESSAGE)
        );
        let mismatch = form(
            &client,
            &app,
            "/api/auth/recover/complete",
            &[
                ("by", "email"),
                ("login", "ivanov@bk.ru"),
                ("code", &code),
                ("password", "New-Pass-2026"),
                ("password_repeat", "New-Pass-2027"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            mismatch.field_message("password_repeat"),
            Some(shared::password::MISMATCH_MESSAGE)
        );
        form(
            &client,
            &app,
            "/api/auth/recover/complete",
            &[
                ("by", "email"),
                ("login", "ivanov@bk.ru"),
                ("code", &code),
                ("password", "New-Pass-2026"),
                ("password_repeat", "New-Pass-2026"),
            ],
        )
        .await
        .unwrap();

        assert_eq!(me(&old_device, &app).await, None, "the old session ended");
        let old = form(
            &client,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "Secret-2026!"),
            ],
        )
        .await;
        assert!(old.is_err());
        form(
            &client,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "New-Pass-2026"),
            ],
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_by_email_needs_a_confirmed_address_and_codes_expire() {
    each_backend(|app| async move {
        ivanov(&app, false).await;
        let client = app.client();
        let err = form(
            &client,
            &app,
            "/api/auth/recover/send",
            &[("by", "email"), ("login", "ivanov@bk.ru")],
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::refused(EMAIL_NOT_CONFIRMED_MESSAGE));
        form(
            &client,
            &app,
            "/api/auth/recover/send",
            &[("by", "phone"), ("login", "+79000000001")],
        )
        .await
        .unwrap();
        let code = last_code(&app, "+79000000001").await;
        app.clock.advance(jiff::SignedDuration::from_secs(301));
        let err = form(
            &client,
            &app,
            "/api/auth/recover/complete",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("code", &code),
                ("password", "New-Pass-2026"),
                ("password_repeat", "New-Pass-2026"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_message("code"), Some(EXPIRED_MESSAGE));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_is_confirmed_with_a_code_after_sign_in() {
    each_backend(|app| async move {
        ivanov(&app, false).await;
        let client = app.client();
        assert_eq!(
            form(&client, &app, "/api/auth/email/send", &[])
                .await
                .unwrap_err(),
            ApiError::Unauthorized
        );
        form(
            &client,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "Secret-2026!"),
            ],
        )
        .await
        .unwrap();
        let person = me(&client, &app).await.unwrap();
        assert!(!person.email_confirmed);
        // The cabinet asks for the confirmation.
        let home = client
            .get(app.at("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Подтверждение адреса электронной почты"));

        form(&client, &app, "/api/auth/email/send", &[])
            .await
            .unwrap();
        let code = last_code(&app, "ivanov@bk.ru").await;
        form(&client, &app, "/api/auth/email/confirm", &[("code", &code)])
            .await
            .unwrap();
        assert!(me(&client, &app).await.unwrap().email_confirmed);
        let home = client
            .get(app.at("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!home.contains("Подтверждение адреса электронной почты"));
        // Now the e-mail signs in.
        let other = app.client();
        form(
            &other,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "email"),
                ("login", "ivanov@bk.ru"),
                ("password", "Secret-2026!"),
            ],
        )
        .await
        .unwrap();
    })
    .await;
}
