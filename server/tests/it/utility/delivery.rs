//! How notices and receipts reach a customer (#8; U-PRF-4, U-PRF-5): the notification
//! settings and their advertising consent, the reminders of the reading window and of debts
//! sent once per event with two server instances, and the monthly e-receipt carrying its PDF.

use crate::common::{
    TestApp, call, demo, each_backend, form, ivanov, link_showcase, me, signed_in,
};
use server::notify::OutboxEntry;
use shared::ApiError;
use shared::utility::billing::UNLINK_E_RECEIPT_NOTICE;
use shared::utility::delivery::*;

const EMAIL: &str = "ivanov@bk.ru";
const PHONE: &str = "+79000000001";

async fn outbox(app: &TestApp, to: &str) -> Vec<OutboxEntry> {
    app.services.outbox.list(Some(to), 200).await.unwrap()
}

fn with_subject<'a>(messages: &'a [OutboxEntry], subject: &str) -> Vec<&'a OutboxEntry> {
    messages.iter().filter(|m| m.subject == subject).collect()
}

/// The notices in the cabinet with `title`.
async fn notices(client: &reqwest::Client, app: &TestApp, title: &str) -> usize {
    let list: Vec<shared::cases::Notice> =
        call(client, app, "/api/cases/notices", &[]).await.unwrap();
    list.iter().filter(|n| n.title == title).count()
}

/// Both instances look for due reminders at the same moment; the total sent.
async fn remind_from_both(app: &TestApp, second: &TestApp) -> usize {
    let (a, b) = tokio::join!(
        app.services.delivery.send_reminders(),
        second.services.delivery.send_reminders()
    );
    a.unwrap() + b.unwrap()
}

async fn set_day(app: &TestApp, at: &str) {
    app.clock.set(at.parse().unwrap());
}

#[tokio::test]
async fn reminders_go_once_per_event_with_two_instances() {
    each_backend(|app| async move {
        let showcase = demo(&app, 10, 4).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        // A late payer (a debt), one who overpays, one whose readings are already in.
        let late = link_showcase(&client, &app, &showcase[0]).await;
        let overpays = link_showcase(&client, &app, &showcase[1]).await;
        let sent_readings = link_showcase(&client, &app, &showcase[2]).await;
        sqlx::query(
            "INSERT INTO readings (meter_id, zone, period, value, source, accepted, taken_on) \
             SELECT m.id, '', 202611, 1, 'portal', 1, '2026-11-20' FROM meters m \
             WHERE m.account_id = $1",
        )
        .bind(sent_readings)
        .execute(&app.services.db.pool)
        .await
        .unwrap();
        let second = app.second_instance().await;

        // 20 November: the window (15th to 25th) is open; October's charges are overdue.
        let sent = remind_from_both(&app, &second).await;
        let mail = outbox(&app, EMAIL).await;
        let open = with_subject(&mail, "Открыт прием показаний");
        assert_eq!(open.len(), 2, "one per account without readings: {open:?}");
        for number in [&showcase[0].number, &showcase[1].number] {
            assert_eq!(
                open.iter().filter(|m| m.body.contains(number.as_str())).count(),
                1,
                "account {number}"
            );
        }
        assert!(!open.iter().any(|m| m.body.contains(showcase[2].number.as_str())));
        let debts = with_subject(&mail, "Задолженность по лицевому счету");
        assert_eq!(debts.len(), 1, "only the late payer owes: {debts:?}");
        assert!(debts[0].body.contains(showcase[0].number.as_str()));
        assert!(debts[0].body.contains(&format!("/accounts/{late}/pay")));
        assert!(!debts[0].body.contains(showcase[1].number.as_str()), "{overpays}");
        // Every channel is on by default: the same by SMS and in the cabinet.
        let sms = outbox(&app, PHONE).await;
        assert_eq!(with_subject(&sms, "Открыт прием показаний").len(), 2);
        assert_eq!(notices(&client, &app, "Открыт прием показаний").await, 2);
        assert_eq!(sent, 3, "two openings and one debt");

        // Later the same day and the next: nothing again.
        assert_eq!(remind_from_both(&app, &second).await, 0);
        set_day(&app, "2026-11-21T07:00:00Z").await;
        assert_eq!(remind_from_both(&app, &second).await, 0);

        // Two days before the window closes: the closing reminder, once.
        set_day(&app, "2026-11-23T07:00:00Z").await;
        assert_eq!(remind_from_both(&app, &second).await, 2);
        assert_eq!(remind_from_both(&app, &second).await, 0);
        let closing = with_subject(&outbox(&app, EMAIL).await, "Прием показаний завершается")
            .into_iter()
            .map(|m| m.body.clone())
            .collect::<Vec<_>>();
        assert_eq!(closing.len(), 2);
        assert!(closing.iter().all(|b| b.contains("через 2 дня")), "{closing:?}");

        // A claim left by an instance that died is taken over once it expires.
        set_day(&app, "2026-12-11T07:00:00Z").await;
        sqlx::query(
            "INSERT INTO deliveries (kind, person_id, account_id, period, sent, claimed_until, created_at) \
             SELECT 'debt', person_id, account_id, 202611, 0, 0, 0 FROM account_links WHERE account_id = $1",
        )
        .bind(late)
        .execute(&app.services.db.pool)
        .await
        .unwrap();
        assert_eq!(remind_from_both(&app, &second).await, 1, "November's debt");
        assert_eq!(
            with_subject(&outbox(&app, EMAIL).await, "Задолженность по лицевому счету").len(),
            2
        );
        second.finish().await;
    })
    .await;
}

#[tokio::test]
async fn notification_settings_choose_channels_and_advertising_needs_consent() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 4).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        link_showcase(&client, &app, &showcase[0]).await;

        let prefs: NoticePrefs = call(&client, &app, "/api/profile/notifications", &[])
            .await
            .unwrap();
        assert_eq!(prefs, NoticePrefs::default(), "advertising off by default");

        // Advertising by e-mail without the consent: refused, nothing changes.
        let ads = pref_field(NoticeKind::Promotions, NoticeChannel::Email);
        let readings_sms = pref_field(NoticeKind::Readings, NoticeChannel::Sms);
        let refused = form(
            &client,
            &app,
            "/api/profile/notifications/save",
            &[("on[0]", &readings_sms), ("on[5]", &ads)],
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("advertising_consent"),
            Some(ADVERTISING_CONSENT_REQUIRED)
        );
        let unchanged: NoticePrefs = call(&client, &app, "/api/profile/notifications", &[])
            .await
            .unwrap();
        assert_eq!(unchanged, NoticePrefs::default());

        // With the consent: saved, and the consent recorded.
        form(
            &client,
            &app,
            "/api/profile/notifications/save",
            &[
                ("on[0]", &readings_sms),
                ("on[5]", &ads),
                ("advertising_consent", "yes"),
            ],
        )
        .await
        .unwrap();
        let saved: NoticePrefs = call(&client, &app, "/api/profile/notifications", &[])
            .await
            .unwrap();
        assert!(saved.advertising_consent);
        assert!(saved.is_on(NoticeKind::Promotions, NoticeChannel::Email));
        assert!(saved.is_on(NoticeKind::Readings, NoticeChannel::Sms));
        assert!(!saved.is_on(NoticeKind::Readings, NoticeChannel::Email));
        assert!(!saved.is_on(NoticeKind::Cases, NoticeChannel::Cabinet));
        let consents: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE document = 'advertising'")
                .fetch_one(&app.services.db.pool)
                .await
                .unwrap();
        assert_eq!(consents, 1);

        // The reminder now goes by SMS only: no e-mail, no notice in the cabinet.
        app.services.delivery.send_reminders().await.unwrap();
        assert!(with_subject(&outbox(&app, EMAIL).await, "Открыт прием показаний").is_empty());
        assert_eq!(
            with_subject(&outbox(&app, PHONE).await, "Открыт прием показаний").len(),
            1
        );
        assert_eq!(notices(&client, &app, "Открыт прием показаний").await, 0);
        // Debts were switched off everywhere.
        assert!(
            with_subject(
                &outbox(&app, PHONE).await,
                "Задолженность по лицевому счету"
            )
            .is_empty()
        );

        // Signed out, nothing is read or saved.
        let stranger = app.client();
        let anonymous = form(&stranger, &app, "/api/profile/notifications/save", &[]).await;
        assert_eq!(anonymous, Err(ApiError::Unauthorized));
    })
    .await;
}

#[tokio::test]
async fn the_e_receipt_comes_with_its_pdf_once_per_month() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 4).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await;
        let id = account.to_string();

        let settings: ReceiptSettings = call(&client, &app, "/api/profile/receipts", &[])
            .await
            .unwrap();
        assert_eq!(settings.profile_email.as_deref(), Some(EMAIL));
        let line = &settings.accounts[0];
        assert!(line.allowed && !line.electronic);

        // Wrong address: refused next to the field.
        let refused = form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[("account", &id), ("electronic", "yes"), ("email", "flat@")],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message("email").is_some(), "{refused:?}");

        // Electronic, to an address of its own: the profile keeps its e-mail.
        form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[
                ("account", &id),
                ("electronic", "yes"),
                ("email", "flat@example.ru"),
            ],
        )
        .await
        .unwrap();
        let settings: ReceiptSettings = call(&client, &app, "/api/profile/receipts", &[])
            .await
            .unwrap();
        assert!(settings.accounts[0].electronic);
        assert_eq!(
            settings.accounts[0].email.as_deref(),
            Some("flat@example.ru")
        );
        let person = me(&client, &app).await.unwrap();
        assert_eq!(
            person.email.as_deref(),
            Some(EMAIL),
            "U-PRF-4: profile e-mail unchanged"
        );

        // The months already charged do not come again: the next month's charges do.
        assert_eq!(app.services.delivery.send_e_receipts().await.unwrap(), 0);
        charge_month(&app, account, 202611).await;
        let second = app.second_instance().await;
        let (a, b) = tokio::join!(
            app.services.delivery.send_e_receipts(),
            second.services.delivery.send_e_receipts()
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1, "one e-mail for two instances");
        assert_eq!(app.services.delivery.send_e_receipts().await.unwrap(), 0);
        let mail = outbox(&app, "flat@example.ru").await;
        assert_eq!(mail.len(), 1);
        assert!(
            mail[0].subject.contains("ноябрь 2026"),
            "{}",
            mail[0].subject
        );
        assert!(mail[0].subject.contains(showcase[0].number.as_str()));
        let pdf = &mail[0].attachments;
        assert_eq!(pdf.len(), 1);
        assert_eq!(pdf[0].content_type, "application/pdf");
        assert_eq!(
            pdf[0].file_name,
            format!("kvitanciya-{}-2026-11.pdf", showcase[0].number)
        );
        let (_, _, bytes) = app
            .services
            .outbox
            .attachment(pdf[0].id)
            .await
            .unwrap()
            .unwrap();
        assert!(bytes.starts_with(b"%PDF"), "a PDF");
        assert!(bytes.len() > 1000);
        assert!(
            outbox(&app, EMAIL)
                .await
                .iter()
                .all(|m| !m.subject.contains("квитанция"))
        );

        // Back to paper: the next month sends nothing.
        form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[("account", &id), ("email", "")],
        )
        .await
        .unwrap();
        charge_month(&app, account, 202612).await;
        assert_eq!(app.services.delivery.send_e_receipts().await.unwrap(), 0);
        second.finish().await;
    })
    .await;
}

#[tokio::test]
async fn an_electronic_receipt_needs_an_address_and_the_providers_leave() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 4).await;
        ivanov(&app, false).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await.to_string();
        // No confirmed e-mail and no address of its own.
        let refused = form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[("account", &account), ("electronic", "yes")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("email"),
            Some(RECEIPT_NO_EMAIL_MESSAGE)
        );
        // An account whose provider sends paper only.
        sqlx::query("UPDATE accounts SET e_receipt_allowed = 0 WHERE number = $1")
            .bind(&showcase[0].number)
            .execute(&app.services.db.pool)
            .await
            .unwrap();
        let refused = form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[
                ("account", &account),
                ("electronic", "yes"),
                ("email", "flat@example.ru"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("electronic"),
            Some(RECEIPT_NOT_ALLOWED_MESSAGE)
        );
        // Another customer's account: not found.
        let foreign = form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[("account", "999999"), ("email", "")],
        )
        .await;
        assert_eq!(foreign, Err(ApiError::NotFound));
    })
    .await;
}

/// The charges of 2026-10 copied to `period`: a new month for the account.
async fn charge_month(app: &TestApp, account: i64, period: i64) {
    sqlx::query(
        "INSERT INTO charges (account_id, period, service_id, supplier_id, zone, quantity, price, amount) \
         SELECT account_id, $2, service_id, supplier_id, zone, quantity, price, amount \
         FROM charges WHERE account_id = $1 AND period = 202610",
    )
    .bind(account)
    .bind(period)
    .execute(&app.services.db.pool)
    .await
    .unwrap();
}

/// U-ACC-2: [Удалить] detaches the account (not shown, no reminders) but its e-receipt
/// subscription stays, as the page says; linked again, the account comes back subscribed.
#[tokio::test]
async fn a_detached_account_keeps_its_e_receipt() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 4).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await;
        let id = account.to_string();
        form(
            &client,
            &app,
            "/api/profile/receipts/save",
            &[("account", &id), ("electronic", "yes"), ("email", "")],
        )
        .await
        .unwrap();
        form(&client, &app, "/api/accounts/unlink", &[("account", &id)])
            .await
            .unwrap();
        let list: Vec<shared::utility::billing::AccountCard> =
            call(&client, &app, "/api/accounts/list", &[])
                .await
                .unwrap();
        assert!(list.is_empty(), "detached: no longer shown");
        let settings: ReceiptSettings = call(&client, &app, "/api/profile/receipts", &[])
            .await
            .unwrap();
        assert!(settings.accounts.is_empty());

        // The next month's receipt still comes to the profile's e-mail.
        charge_month(&app, account, 202611).await;
        assert_eq!(app.services.delivery.send_e_receipts().await.unwrap(), 1);
        let mail = outbox(&app, EMAIL).await;
        let receipt = mail
            .iter()
            .find(|m| {
                m.subject.contains("ноябрь 2026") && m.subject.contains(showcase[0].number.as_str())
            })
            .expect("the e-receipt of the detached account");
        assert_eq!(receipt.attachments.len(), 1);
        assert!(
            receipt
                .body
                .contains("Лицевой счет удален из личного кабинета")
                && receipt.body.contains(UNLINK_E_RECEIPT_NOTICE),
            "{}",
            receipt.body
        );

        // Linked again: the subscription is there, and the receipt already sent is not resent.
        link_showcase(&client, &app, &showcase[0]).await;
        let settings: ReceiptSettings = call(&client, &app, "/api/profile/receipts", &[])
            .await
            .unwrap();
        assert_eq!(settings.accounts.len(), 1);
        assert!(settings.accounts[0].electronic, "still subscribed");
        assert_eq!(app.services.delivery.send_e_receipts().await.unwrap(), 0);
        // Linking an account that is linked is still refused.
        let branch = crate::common::branch_id(&app, showcase[0].branch_code).await;
        let again = form(
            &client,
            &app,
            "/api/accounts/link",
            &[
                ("branch", &branch),
                ("number", &showcase[0].number),
                ("proof", &showcase[0].proof.format_number()),
            ],
        )
        .await;
        assert!(matches!(again, Err(ApiError::Refused { .. })), "{again:?}");
    })
    .await;
}
