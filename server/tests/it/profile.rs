//! «Профиль» → «Личные данные» (U-PRF-1, U-PRF-2, U-PRF-3, U-PRF-8, U-PRF-9).

use crate::common::{each_backend, form, ivanov, last_code, me, page_text, signed_in};
use shared::ApiError;
use shared::identity::{SAME_PASSWORD_MESSAGE, WRONG_CURRENT_PASSWORD_MESSAGE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_changed_by_the_rule_of_registration() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let err = form(
            &client,
            &app,
            "/api/profile/names",
            &[
                ("last_name", "Иванов2"),
                ("first_name", ""),
                ("middle_name", "Petrovich!"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("last_name"),
            Some(shared::person::NAME_CHARS_MESSAGE)
        );
        assert_eq!(
            err.field_message("first_name"),
            Some("Поле обязательно для заполнения")
        );
        assert_eq!(
            err.field_message("middle_name"),
            Some(shared::person::NAME_CHARS_MESSAGE)
        );
        assert_eq!(
            me(&client, &app).await.unwrap().full_name(),
            "Иванов Иван",
            "nothing changed"
        );
        form(
            &client,
            &app,
            "/api/profile/names",
            &[
                ("last_name", "Иванов-Петров"),
                ("first_name", "Иван"),
                ("middle_name", "Ильич"),
            ],
        )
        .await
        .unwrap();
        assert_eq!(
            me(&client, &app).await.unwrap().full_name(),
            "Иванов-Петров Иван Ильич"
        );
        let anonymous = app.client();
        let err = form(
            &anonymous,
            &app,
            "/api/profile/names",
            &[("last_name", "А"), ("first_name", "Б"), ("middle_name", "")],
        )
        .await
        .unwrap_err();
        assert_eq!(err, ApiError::Unauthorized);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_is_changed_with_the_current_one_and_other_devices_sign_out() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let other_device = signed_in(&app, "Secret-2026!").await;
        let client = signed_in(&app, "Secret-2026!").await;
        let change = |current: &'static str, new: &'static str, repeat: &'static str| {
            let client = client.clone();
            let app = app.clone();
            async move {
                form(
                    &client,
                    &app,
                    "/api/profile/password",
                    &[
                        ("current_password", current),
                        ("password", new),
                        ("password_repeat", repeat),
                    ],
                )
                .await
            }
        };
        let err = change("Wrong-2026!", "Nw7$garden", "Nw7$garden")
            .await
            .unwrap_err();
        assert_eq!(
            err.field_message("current_password"),
            Some(WRONG_CURRENT_PASSWORD_MESSAGE)
        );
        let err = change("Secret-2026!", "Secret-2026!", "Secret-2026!")
            .await
            .unwrap_err();
        assert_eq!(err.field_message("password"), Some(SAME_PASSWORD_MESSAGE));
        let err = change("Secret-2026!", "abc", "abd").await.unwrap_err();
        assert_eq!(
            err.field_message("password"),
            Some(shared::password::RULE_MESSAGE)
        );
        assert_eq!(
            err.field_message("password_repeat"),
            Some(shared::password::MISMATCH_MESSAGE)
        );
        change("Secret-2026!", "Nw7$garden", "Nw7$garden")
            .await
            .unwrap();

        assert!(
            me(&client, &app).await.is_some(),
            "this device stays signed in"
        );
        assert_eq!(
            me(&other_device, &app).await,
            None,
            "the other device is signed out"
        );
        let fresh = app.client();
        assert!(
            form(
                &fresh,
                &app,
                "/api/auth/sign_in",
                &[
                    ("by", "phone"),
                    ("login", "+79000000001"),
                    ("password", "Secret-2026!")
                ]
            )
            .await
            .is_err()
        );
        form(
            &fresh,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "Nw7$garden"),
            ],
        )
        .await
        .unwrap();
    })
    .await;
}

/// U-PRF-8: with «Отображать подсказки» off every page's top bar carries the mark under which
/// the style sheet hides hints (`body:has(.hints-off) .field__hint`), the profile's and the
/// others' alike; on, the mark is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hints_can_be_turned_off_and_on() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let hint = "class=\"hints-off\"";
        let page = |path: &'static str| page_text(&client, &app, path);
        assert!(me(&client, &app).await.unwrap().show_hints);
        assert!(!page("/profile?edit=names").await.contains(hint));
        assert!(!page("/accounts/add").await.contains(hint));
        form(&client, &app, "/api/profile/hints", &[])
            .await
            .unwrap();
        assert!(!me(&client, &app).await.unwrap().show_hints);
        for path in ["/profile?edit=names", "/accounts/add", "/appeals"] {
            assert!(
                page(path).await.contains(hint),
                "hints are hidden on {path}"
            );
        }
        form(
            &client,
            &app,
            "/api/profile/hints",
            &[("show_hints", "yes")],
        )
        .await
        .unwrap();
        assert!(me(&client, &app).await.unwrap().show_hints);
        assert!(!page("/accounts/add").await.contains(hint));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_and_the_email_change_with_a_code_sent_to_the_new_one() {
    each_backend(|app| async move {
        ivanov(&app, false).await;
        let client = signed_in(&app, "Secret-2026!").await;
        // U-REG-6 applies: a phone with another cabinet is refused.
        app.services
            .identity
            .create_person(server::identity::NewPerson {
                last_name: "Петров".into(),
                first_name: "Петр".into(),
                phone: shared::contact::Phone::parse("+79000000002").unwrap(),
                email: shared::contact::Email::parse("petrov@bk.ru").unwrap(),
                email_confirmed: true,
                password: "Secret-2026!".into(),
            })
            .await
            .unwrap();
        let err = form(
            &client,
            &app,
            "/api/profile/contact/request",
            &[("kind", "phone"), ("value", "+7 900 000-00-02")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("value"),
            Some(shared::identity::PHONE_TAKEN_MESSAGE)
        );
        let err = form(
            &client,
            &app,
            "/api/profile/contact/request",
            &[("kind", "email"), ("value", "petrov@bk.ru")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("value"),
            Some(shared::identity::EMAIL_TAKEN_MESSAGE)
        );
        let err = form(
            &client,
            &app,
            "/api/profile/contact/request",
            &[("kind", "phone"), ("value", "+79000000001")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("value"),
            Some(shared::identity::SAME_CONTACT_MESSAGE)
        );

        form(
            &client,
            &app,
            "/api/profile/contact/request",
            &[("kind", "phone"), ("value", "8 900 123-45-67")],
        )
        .await
        .unwrap();
        let code = last_code(&app, "+79001234567").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let err = form(
            &client,
            &app,
            "/api/profile/contact/confirm",
            &[
                ("kind", "phone"),
                ("value", "+79001234567"),
                ("code", wrong),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("code"),
            Some(server::codes::WRONG_CODE_MESSAGE)
        );
        assert_eq!(
            me(&client, &app).await.unwrap().phone,
            "+79000000001",
            "unchanged"
        );
        form(
            &client,
            &app,
            "/api/profile/contact/confirm",
            &[
                ("kind", "phone"),
                ("value", "+79001234567"),
                ("code", &code),
            ],
        )
        .await
        .unwrap();
        assert_eq!(me(&client, &app).await.unwrap().phone, "+79001234567");

        form(
            &client,
            &app,
            "/api/profile/contact/request",
            &[("kind", "email"), ("value", "Ivan.New@Mail.ru")],
        )
        .await
        .unwrap();
        let code = last_code(&app, "ivan.new@mail.ru").await;
        form(
            &client,
            &app,
            "/api/profile/contact/confirm",
            &[
                ("kind", "email"),
                ("value", "ivan.new@mail.ru"),
                ("code", &code),
            ],
        )
        .await
        .unwrap();
        let person = me(&client, &app).await.unwrap();
        assert_eq!(person.email.as_deref(), Some("ivan.new@mail.ru"));
        assert!(person.email_confirmed, "the code proved the address");
        // The new phone signs in.
        let fresh = app.client();
        form(
            &fresh,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79001234567"),
                ("password", "Secret-2026!"),
            ],
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_account_needs_the_password_and_removes_the_cabinet() {
    each_backend(|app| async move {
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let other_device = signed_in(&app, "Secret-2026!").await;

        let err = form(
            &client,
            &app,
            "/api/profile/delete",
            &[("current_password", "")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("current_password"),
            Some(shared::contact::REQUIRED_MESSAGE)
        );
        let err = form(
            &client,
            &app,
            "/api/profile/delete",
            &[("current_password", "Secret-2027!")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.field_message("current_password"),
            Some(WRONG_CURRENT_PASSWORD_MESSAGE)
        );
        assert!(me(&client, &app).await.is_some(), "nothing was deleted");

        form(
            &client,
            &app,
            "/api/profile/delete",
            &[("current_password", "Secret-2026!")],
        )
        .await
        .unwrap();
        assert_eq!(me(&client, &app).await, None);
        assert_eq!(me(&other_device, &app).await, None, "every device is out");
        // A second press finds nothing to delete and changes nothing.
        assert_eq!(
            form(
                &client,
                &app,
                "/api/profile/delete",
                &[("current_password", "Secret-2026!")],
            )
            .await,
            Err(ApiError::Unauthorized)
        );
        // The phone and e-mail are free again: the person can register anew.
        let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(people, 0);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(sessions, 0);
        let refused = form(
            &app.client(),
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000001"),
                ("password", "Secret-2026!"),
            ],
        )
        .await;
        assert_eq!(
            refused,
            Err(ApiError::refused(
                shared::identity::WRONG_CREDENTIALS_MESSAGE
            ))
        );
    })
    .await;
}
