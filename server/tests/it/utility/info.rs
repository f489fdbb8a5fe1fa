//! The information sections (U-INF-1): a shop order, the callback and the web consultant as
//! cases in the staff's queue; a poll answered once with its results for staff; booking a
//! free time (taken once, freed by cancelling); promotions by their dates; the sections'
//! counts that make «Опросы» and «Акции» inactive; managing them in the back-office.

use crate::common::{
    TestApp, call, demo, each_backend, form, ivanov, link_showcase, me, signed_in, staff,
};
use shared::ApiError;
use shared::cases::{CaseCard, CaseKind, Queue, Role};
use shared::utility::info::*;

/// The number of the newest case of `kind` in the staff's queue.
async fn queued(client: &reqwest::Client, app: &TestApp, kind: CaseKind) -> Vec<String> {
    let queue: Queue = call(client, app, "/api/staff/queue", &[("kind", kind.code())])
        .await
        .unwrap();
    queue
        .cases
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.number.clone())
        .collect()
}

#[tokio::test]
async fn shop_orders_callbacks_and_the_consultant_reach_staff_once() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 3).await;
        server::utility::info::ensure_demo(
            &app.services.db,
            server::clock::Clock::today(app.clock.as_ref()),
        )
        .await
        .unwrap();
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await.to_string();
        let operator = staff(&app, "operator", Role::Operator).await;

        let items: Vec<ShopItem> = call(&client, &app, "/api/info/shop", &[]).await.unwrap();
        assert_eq!(items.len(), 3);
        let item = items[0].id.to_string();
        // Without an account: refused next to the field.
        let refused = form(
            &client,
            &app,
            "/api/info/order",
            &[("item", &item), ("phone", "+79000000001"), ("key", "o-0")],
        )
        .await
        .unwrap_err();
        assert_eq!(
            refused.field_message("account"),
            Some("Выберите лицевой счет")
        );
        // Sent twice with the same key: one order.
        for _ in 0..2 {
            form(
                &client,
                &app,
                "/api/info/order",
                &[
                    ("item", &item),
                    ("account", &account),
                    ("phone", "+7 900 000-00-01"),
                    ("comment", "После 18:00"),
                    ("key", "o-1"),
                ],
            )
            .await
            .unwrap();
        }
        let orders = queued(&operator, &app, CaseKind::Order).await;
        assert_eq!(orders.len(), 1);
        let card: CaseCard = call(&client, &app, "/api/cases/card", &[("number", &orders[0])])
            .await
            .unwrap();
        assert!(
            card.fields
                .iter()
                .any(|(k, v)| k == "Цена" && v.contains("3\u{202F}500,00")),
            "{:?}",
            card.fields
        );
        assert_eq!(card.messages[0].body, "После 18:00");
        let order = card.order.expect("an order's price");
        assert_eq!((order.price, order.paid), (shared::Kopecks(350_000), false));

        // [Оплатить заказ]: checked like every payment form, then paid through the acquirer;
        // the account's ledger is not touched.
        let refused = call::<i64>(
            &client,
            &app,
            "/api/payments/order",
            &[("number", &orders[0]), ("key", "p-0")],
        )
        .await
        .unwrap_err();
        assert!(
            refused.field_message("method").is_some() && refused.field_message("rules").is_some()
        );
        let pay = [
            ("number", orders[0].as_str()),
            ("method", "sbp"),
            ("rules", "yes"),
            ("key", "p-1"),
        ];
        let id: i64 = call(&client, &app, "/api/payments/order", &pay)
            .await
            .unwrap();
        let again: i64 = call(&client, &app, "/api/payments/order", &pay)
            .await
            .unwrap();
        assert_eq!(id, again, "one payment per key");
        let ledger_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        let reference = crate::payments::reference(&app, id).await;
        assert!(
            crate::payments::answer_sbp(&app, &reference, "pay")
                .await
                .is_success()
        );
        crate::payments::deliver(&app).await;
        let view: shared::payments::PaymentView = call(
            &client,
            &app,
            "/api/payments/status",
            &[("id", &id.to_string())],
        )
        .await
        .unwrap();
        assert_eq!(view.state, shared::payments::PaymentState::Succeeded);
        assert_eq!(view.amount, shared::Kopecks(350_000));
        assert_eq!(view.order_case.as_deref(), Some(orders[0].as_str()));
        let card: CaseCard = call(&client, &app, "/api/cases/card", &[("number", &orders[0])])
            .await
            .unwrap();
        assert!(card.order.unwrap().paid);
        assert!(card.history.iter().any(|e| e.comment == "Заказ оплачен"));
        let ledger_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        assert_eq!(ledger_before, ledger_after);
        let twice = call::<i64>(
            &client,
            &app,
            "/api/payments/order",
            &[
                ("number", orders[0].as_str()),
                ("method", "sbp"),
                ("rules", "yes"),
                ("key", "p-2"),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(twice.form_message().as_deref(), Some("Заказ уже оплачен."));

        // A callback: checked, then a case.
        let refused = form(
            &client,
            &app,
            "/api/info/callback",
            &[
                ("phone", "12"),
                ("time", "ночью"),
                ("topic", ""),
                ("key", "c-0"),
            ],
        )
        .await
        .unwrap_err();
        for field in ["phone", "time", "topic"] {
            assert!(
                refused.field_message(field).is_some(),
                "{field}: {refused:?}"
            );
        }
        form(
            &client,
            &app,
            "/api/info/callback",
            &[
                ("phone", "+79000000001"),
                ("time", CALLBACK_TIMES[1]),
                ("topic", "Перерасчет за октябрь"),
                ("key", "c-1"),
            ],
        )
        .await
        .unwrap();
        assert_eq!(queued(&operator, &app, CaseKind::Callback).await.len(), 1);

        // The web consultant: the question is the first message; staff answer in it.
        form(
            &client,
            &app,
            "/api/info/consult",
            &[
                ("question", "Как поменять тариф на двухзонный?"),
                ("key", "q-1"),
            ],
        )
        .await
        .unwrap();
        let talks = queued(&operator, &app, CaseKind::Consultation).await;
        assert_eq!(talks.len(), 1);
        let card: CaseCard = call(&client, &app, "/api/cases/card", &[("number", &talks[0])])
            .await
            .unwrap();
        assert_eq!(card.messages[0].body, "Как поменять тариф на двухзонный?");
        let empty = form(
            &client,
            &app,
            "/api/info/consult",
            &[("question", " "), ("key", "q-2")],
        )
        .await
        .unwrap_err();
        assert!(empty.field_message("text").is_some());
    })
    .await;
}

#[tokio::test]
async fn a_poll_is_answered_once_and_staff_see_the_results() {
    each_backend(|app| async move {
        demo(&app, 3, 3).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        // No polls and no promotions: both sections inactive.
        let person = me(&client, &app).await.unwrap();
        assert_eq!((person.polls, person.promotions), (0, 0));

        let supervisor = staff(&app, "supervisor", Role::Supervisor).await;
        let operator = staff(&app, "operator", Role::Operator).await;
        let poll_form = [
            ("title", "Качество обслуживания"),
            ("ends_on", "2026-12-31"),
            ("questions[0]", "Оцените"),
            ("kinds[0]", "single"),
            ("options[0]", "Хорошо\nПлохо"),
            ("questions[1]", "Чем пользуетесь"),
            ("kinds[1]", "multiple"),
            ("options[1]", "Сайт\nОфис\n"),
            ("questions[2]", "Пожелания"),
            ("kinds[2]", "text"),
        ];
        let denied = form(&operator, &app, "/api/staff/info/polls/create", &poll_form).await;
        assert_eq!(
            denied,
            Err(ApiError::Forbidden),
            "operators do not create polls"
        );
        let refused = form(
            &supervisor,
            &app,
            "/api/staff/info/polls/create",
            &[
                ("title", "Пустой"),
                ("questions[0]", "Вопрос"),
                ("kinds[0]", "single"),
                ("options[0]", "Один"),
            ],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message("options[0]").is_some());
        form(
            &supervisor,
            &app,
            "/api/staff/info/polls/create",
            &poll_form,
        )
        .await
        .unwrap();
        assert_eq!(me(&client, &app).await.unwrap().polls, 1);

        let polls: Vec<Poll> = call(&client, &app, "/api/info/polls", &[]).await.unwrap();
        let poll = &polls[0];
        assert!(poll.open && !poll.answered);
        let (single, multiple, text) = (&poll.questions[0], &poll.questions[1], &poll.questions[2]);
        assert_eq!(multiple.options.len(), 2, "blank lines are not options");
        let id = poll.id.to_string();
        // An answer missing: refused, nothing recorded.
        let q0 = format!("a[q{}]", single.id);
        let good = single.options[0].id.to_string();
        let refused = form(
            &client,
            &app,
            "/api/info/polls/answer",
            &[("poll", &id), (&q0, &good)],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message(&multiple.field()).is_some());
        assert!(refused.field_message(&text.field()).is_some());
        let m0 = format!("a[q{}_{}]", multiple.id, multiple.options[0].id);
        let m1 = format!("a[q{}_{}]", multiple.id, multiple.options[1].id);
        let t = format!("a[q{}]", text.id);
        let v0 = multiple.options[0].id.to_string();
        let v1 = multiple.options[1].id.to_string();
        let answer = [
            ("poll", id.as_str()),
            (q0.as_str(), good.as_str()),
            (m0.as_str(), v0.as_str()),
            (m1.as_str(), v1.as_str()),
            (t.as_str(), "Больше способов оплаты"),
        ];
        form(&client, &app, "/api/info/polls/answer", &answer)
            .await
            .unwrap();
        let again = form(&client, &app, "/api/info/polls/answer", &answer)
            .await
            .unwrap_err();
        assert_eq!(again.form_message().as_deref(), Some(POLL_ALREADY_ANSWERED));
        let polls: Vec<Poll> = call(&client, &app, "/api/info/polls", &[]).await.unwrap();
        assert!(polls[0].answered);

        let results: Vec<Poll> = call(&operator, &app, "/api/staff/info/polls", &[])
            .await
            .unwrap();
        let r = &results[0];
        assert_eq!(r.answers, 1);
        assert_eq!(r.questions[0].options[0].votes, 1);
        assert_eq!(r.questions[0].options[1].votes, 0);
        assert_eq!(
            r.questions[1].options.iter().map(|o| o.votes).sum::<i64>(),
            2
        );
        assert_eq!(
            r.questions[2].texts,
            vec!["Больше способов оплаты".to_string()]
        );

        // Closed: customers who answered still see it; nobody else can answer.
        form(
            &supervisor,
            &app,
            "/api/staff/info/polls/close",
            &[("id", &id)],
        )
        .await
        .unwrap();
        assert_eq!(me(&client, &app).await.unwrap().polls, 1);
    })
    .await;
}

#[tokio::test]
async fn a_free_time_is_booked_once_and_cancelling_frees_it() {
    each_backend(|app| async move {
        demo(&app, 3, 3).await;
        let today = server::clock::Clock::today(app.clock.as_ref());
        server::utility::info::ensure_demo(&app.services.db, today)
            .await
            .unwrap();
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        // A second customer.
        app.services
            .identity
            .create_person(server::identity::NewPerson {
                last_name: "Петрова".into(),
                first_name: "Анна".into(),
                phone: shared::contact::Phone::parse("+79000000002").unwrap(),
                email: shared::contact::Email::parse("petrova@mail.ru").unwrap(),
                email_confirmed: true,
                password: "Secret-2026!".into(),
            })
            .await
            .unwrap();
        let other = app.client();
        form(
            &other,
            &app,
            "/api/auth/sign_in",
            &[
                ("by", "phone"),
                ("login", "+79000000002"),
                ("password", "Secret-2026!"),
            ],
        )
        .await
        .unwrap();

        let tomorrow = "2026-11-21";
        let sheet: BookingSheet = call(&client, &app, "/api/info/booking", &[]).await.unwrap();
        assert_eq!(sheet.offices.len(), 2);
        assert!(sheet.slots.is_empty(), "no office and day chosen yet");
        let office = sheet.offices[0].id.to_string();
        let sheet: BookingSheet = call(
            &client,
            &app,
            "/api/info/booking",
            &[("office", &office), ("day", tomorrow)],
        )
        .await
        .unwrap();
        assert_eq!(sheet.slots.len(), 14, "09:00 to 15:30 every 30 minutes");
        assert_eq!(sheet.slots[0].time, "09:00");
        let slot = sheet.slots[0].id.to_string();
        let fields = [
            ("office", office.as_str()),
            ("day", tomorrow),
            ("slot", slot.as_str()),
            ("topic", "Замена счетчика"),
        ];
        form(&client, &app, "/api/info/book", &fields)
            .await
            .unwrap();
        // Sent again: still one booking.
        form(&client, &app, "/api/info/book", &fields)
            .await
            .unwrap();
        let taken = form(&other, &app, "/api/info/book", &fields)
            .await
            .unwrap_err();
        assert_eq!(taken.field_message("slot"), Some(SLOT_TAKEN_MESSAGE));
        let sheet: BookingSheet = call(
            &client,
            &app,
            "/api/info/booking",
            &[("office", &office), ("day", tomorrow)],
        )
        .await
        .unwrap();
        assert_eq!(sheet.slots.len(), 13, "the booked time is gone");
        assert_eq!(sheet.bookings.len(), 1);
        assert!(sheet.bookings[0].upcoming);
        assert_eq!(sheet.bookings[0].when, "21.11.2026 09:00");

        // Staff see it; the other customer cannot cancel it.
        let operator = staff(&app, "operator", Role::Operator).await;
        let day: Vec<Booking> = call(
            &operator,
            &app,
            "/api/staff/info/bookings",
            &[("day", tomorrow)],
        )
        .await
        .unwrap();
        assert_eq!(day.len(), 1);
        assert!(day[0].customer.contains("Иванов"));
        let booking = sheet.bookings[0].id.to_string();
        let foreign = form(
            &other,
            &app,
            "/api/info/book/cancel",
            &[("booking", &booking)],
        )
        .await;
        assert_eq!(foreign, Err(ApiError::NotFound));
        form(
            &client,
            &app,
            "/api/info/book/cancel",
            &[("booking", &booking)],
        )
        .await
        .unwrap();
        form(&other, &app, "/api/info/book", &fields).await.unwrap();

        // A day in the past or too far ahead shows no times; a topic is needed.
        let past: BookingSheet = call(
            &client,
            &app,
            "/api/info/booking",
            &[("office", &office), ("day", "2026-11-19")],
        )
        .await
        .unwrap();
        assert!(past.slots.is_empty() && past.day.is_none());
        let slot2 = sheet.slots[1].id.to_string();
        let no_topic = form(
            &client,
            &app,
            "/api/info/book",
            &[
                ("office", office.as_str()),
                ("day", tomorrow),
                ("slot", slot2.as_str()),
            ],
        )
        .await
        .unwrap_err();
        assert!(no_topic.field_message("topic").is_some());

        // Staff open more times; the same ones again add nothing.
        let opened = [
            ("office", office.as_str()),
            ("day", "2026-12-10"),
            ("from", "10:00"),
            ("to", "12:00"),
            ("step", "60"),
        ];
        form(&operator, &app, "/api/staff/info/slots", &opened)
            .await
            .unwrap();
        let sheet: BookingSheet = call(
            &client,
            &app,
            "/api/info/booking",
            &[("office", &office), ("day", "2026-12-10")],
        )
        .await
        .unwrap();
        assert_eq!(
            sheet
                .slots
                .iter()
                .map(|s| s.time.as_str())
                .collect::<Vec<_>>(),
            ["10:00", "11:00"]
        );
    })
    .await;
}

#[tokio::test]
async fn promotions_follow_their_dates_and_staff_manage_the_shop() {
    each_backend(|app| async move {
        demo(&app, 3, 3).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let supervisor = staff(&app, "supervisor", Role::Supervisor).await;
        for (title, starts, ends) in [
            ("Идет", "2026-11-01", "2026-11-30"),
            ("Прошла", "2026-10-01", "2026-10-31"),
            ("Будет", "2026-12-10", "2026-12-31"),
        ] {
            form(
                &supervisor,
                &app,
                "/api/staff/info/promotions/save",
                &[("title", title), ("starts_on", starts), ("ends_on", ends)],
            )
            .await
            .unwrap();
        }
        let refused = form(
            &supervisor,
            &app,
            "/api/staff/info/promotions/save",
            &[
                ("title", "Наоборот"),
                ("starts_on", "2026-11-10"),
                ("ends_on", "2026-11-01"),
            ],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message("ends_on").is_some());
        let current: Vec<Promotion> = call(&client, &app, "/api/info/promotions", &[])
            .await
            .unwrap();
        assert_eq!(
            current.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
            ["Идет"]
        );
        assert_eq!(me(&client, &app).await.unwrap().promotions, 1);

        // The shop: a price is checked; a hidden item is not sold.
        let refused = form(
            &supervisor,
            &app,
            "/api/staff/info/shop/save",
            &[("title", "Поверка"), ("price", "дорого")],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message("price").is_some());
        form(
            &supervisor,
            &app,
            "/api/staff/info/shop/save",
            &[
                ("title", "Поверка"),
                ("price", "900,50"),
                ("unit", "за прибор"),
                ("active", "1"),
            ],
        )
        .await
        .unwrap();
        let items: Vec<ShopItem> = call(&client, &app, "/api/info/shop", &[]).await.unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].price, shared::Kopecks(90_050));
        let id = items[0].id.to_string();
        form(
            &supervisor,
            &app,
            "/api/staff/info/shop/save",
            &[("id", &id), ("title", "Поверка"), ("price", "900,50")],
        )
        .await
        .unwrap();
        let items: Vec<ShopItem> = call(&client, &app, "/api/info/shop", &[]).await.unwrap();
        assert!(items.is_empty());
        // Signed out: no booking sheet, no polls.
        let stranger = app.client();
        assert_eq!(
            call::<Vec<Poll>>(&stranger, &app, "/api/info/polls", &[]).await,
            Err(ApiError::Unauthorized)
        );
    })
    .await;
}
