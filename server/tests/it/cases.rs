//! The case engine (P-2, P-3, P-5, P-6; U-APL-1..3, U-DOC-1..3): a customer's appeal with
//! files through the staff's workflow to the rating; every transition allowed and refused;
//! the attachment limits and type sniffing; who may download a file; idempotent sending.

use crate::common::{
    STAFF_PASSWORD, TestApp, call, demo, each_backend, form, ivanov, link_showcase, me, signed_in,
    staff,
};
use shared::ApiError;
use shared::cases::*;

/// A PDF, a PNG and something that is neither (an executable).
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R',
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";

/// Иванов with the demo's first account linked; the account's id.
async fn customer(app: &TestApp) -> (reqwest::Client, i64) {
    let showcase = demo(app, 3, 6).await;
    ivanov(app, true).await;
    let client = signed_in(app, "Secret-2026!").await;
    let id = link_showcase(&client, app, &showcase[0]).await;
    (client, id)
}

/// Posts a multipart form to a server function as a page with script would.
async fn multipart<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
) -> Result<T, ApiError> {
    let mut body = reqwest::multipart::Form::new();
    for (name, value) in fields {
        body = body.text(name.to_string(), value.to_string());
    }
    for (name, bytes) in files {
        body = body.part(
            "files",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    let response = client
        .post(app.at(path))
        .multipart(body)
        .send()
        .await
        .expect("request");
    if response.status().is_success() {
        Ok(response.json().await.expect("the answer"))
    } else {
        Err(response.json().await.expect("an ApiError"))
    }
}

async fn appeal(
    client: &reqwest::Client,
    app: &TestApp,
    account: i64,
    key: &str,
    files: &[(&str, Vec<u8>)],
) -> Result<String, ApiError> {
    let account = account.to_string();
    multipart(
        client,
        app,
        "/api/cases/create",
        &[
            ("kind", "appeal"),
            ("full_name", "Иванов Иван"),
            ("account", &account),
            ("topic", "Начисления и перерасчеты"),
            ("text", "Прошу пересчитать начисления за октябрь."),
            ("phone", "+79000000001"),
            ("email", "ivanov@bk.ru"),
            ("key", key),
        ],
        files,
    )
    .await
}

async fn card(client: &reqwest::Client, app: &TestApp, number: &str) -> Result<CaseCard, ApiError> {
    call(client, app, "/api/cases/card", &[("number", number)]).await
}

async fn act(
    client: &reqwest::Client,
    app: &TestApp,
    number: &str,
    action: &str,
    comment: &str,
    files: &[(&str, Vec<u8>)],
) -> Result<(), ApiError> {
    let key = format!("{action}-{}", rand::random::<u32>());
    multipart::<serde::de::IgnoredAny>(
        client,
        app,
        "/api/staff/act",
        &[
            ("number", number),
            ("action", action),
            ("comment", comment),
            ("key", &key),
        ],
        files,
    )
    .await
    .map(|_| ())
}

fn field_message(e: &ApiError, name: &str) -> String {
    e.field_message(name)
        .unwrap_or_else(|| panic!("no message for {name}: {e:?}"))
        .to_string()
}

#[tokio::test]
async fn p_2_appeal_with_files_goes_through_staff_to_the_customers_rating() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let draft: CaseDraft = call(&client, &app, "/api/cases/draft", &[]).await.unwrap();
        assert_eq!(draft.phone, "+79000000001", "U-APL-2: phone prefilled");
        assert_eq!(draft.email, "ivanov@bk.ru", "U-APL-2: e-mail prefilled");
        assert!(
            !draft.accounts[0].suppliers.is_empty(),
            "the account's suppliers"
        );
        assert!(draft.topics.iter().any(|t| t == "Начисления и перерасчеты"));

        // U-APL-3: a file over 7 MB is refused and nothing is created.
        let big = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
        let refused = appeal(
            &client,
            &app,
            account,
            "k-big",
            &[("скан.pdf", PDF.to_vec()), ("big.txt", big)],
        )
        .await
        .unwrap_err();
        assert!(
            field_message(&refused, field::FILES).contains("7 МБ"),
            "{refused:?}"
        );
        // P-5: an executable is refused whatever its name says.
        let refused = appeal(
            &client,
            &app,
            account,
            "k-exe",
            &[("счет.pdf", EXE.to_vec())],
        )
        .await
        .unwrap_err();
        assert!(field_message(&refused, field::FILES).contains("не подходит"));
        let history: CaseHistory =
            call(&client, &app, "/api/cases/history", &[("scope", "appeals")])
                .await
                .unwrap();
        assert!(history.cases.is_empty(), "refused appeals leave nothing");

        // Two files; the same key twice makes one appeal.
        let files = [("скан.pdf", PDF.to_vec()), ("фото.png", PNG.to_vec())];
        let number = appeal(&client, &app, account, "k-1", &files).await.unwrap();
        let again = appeal(&client, &app, account, "k-1", &files).await.unwrap();
        assert_eq!(number, again);
        let history: CaseHistory =
            call(&client, &app, "/api/cases/history", &[("scope", "appeals")])
                .await
                .unwrap();
        assert_eq!(history.cases.len(), 1);
        assert_eq!(history.cases[0].status, Status::New);
        let c = card(&client, &app, &number).await.unwrap();
        assert_eq!(c.messages[0].files.len(), 2);
        let unread = me(&client, &app).await.expect("signed in").unread_notices;
        assert_eq!(unread, 1, "the registration notice");

        // Staff see it in the queue and take it.
        let operator = staff(&app, "petrova", Role::Operator).await;
        let queue: Queue = call(&operator, &app, "/api/staff/queue", &[])
            .await
            .unwrap();
        assert!(queue.cases.iter().any(|c| c.number == number));
        let found: Queue = call(&operator, &app, "/api/staff/queue", &[("search", &number)])
            .await
            .unwrap();
        assert_eq!(found.cases.len(), 1);
        act(&operator, &app, &number, "take", "", &[])
            .await
            .unwrap();
        act(
            &operator,
            &app,
            &number,
            "reply",
            "Перерасчет выполнен, акт во вложении.",
            &[("акт.pdf", PDF.to_vec())],
        )
        .await
        .unwrap();

        // The customer sees the reply, its file and the notices.
        let c = card(&client, &app, &number).await.unwrap();
        assert_eq!(c.summary.status, Status::InProgress);
        let reply = c.messages.iter().find(|m| m.from_staff).expect("the reply");
        assert!(reply.body.contains("Перерасчет выполнен"));
        let file = reply.files[0].clone();
        let download = client.get(app.at(&file.href())).send().await.unwrap();
        assert_eq!(download.status(), 200);
        let disposition = download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert_eq!(download.headers()["x-content-type-options"], "nosniff");
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        let notices: Vec<Notice> = call(&client, &app, "/api/cases/notices", &[])
            .await
            .unwrap();
        assert!(
            notices
                .iter()
                .any(|n| n.title.contains("Ответ по обращению")),
            "{notices:?}"
        );
        let unread = me(&client, &app).await.expect("signed in").unread_notices;
        assert_eq!(unread, 0, "shown notices are read");
        let mail = app
            .services
            .outbox
            .list(Some("ivanov@bk.ru"), 10)
            .await
            .unwrap();
        assert!(
            mail.iter()
                .any(|m| m.subject.contains("Ответ по обращению"))
        );

        // The customer adds a message; staff close; the customer rates once.
        multipart::<serde::de::IgnoredAny>(
            &client,
            &app,
            "/api/cases/message",
            &[
                ("number", &number),
                ("text", "Спасибо, получил."),
                ("key", "m-1"),
            ],
            &[],
        )
        .await
        .unwrap();
        act(&operator, &app, &number, "close", "", &[])
            .await
            .unwrap();
        let c = card(&client, &app, &number).await.unwrap();
        assert_eq!(c.summary.status, Status::Closed);
        assert!(c.customer_may_rate());
        let refused = multipart::<serde::de::IgnoredAny>(
            &client,
            &app,
            "/api/cases/message",
            &[("number", &number), ("text", "Еще вопрос"), ("key", "m-2")],
            &[],
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused, ApiError::Refused { .. }),
            "a closed case takes no messages"
        );
        form(
            &client,
            &app,
            "/api/cases/rate",
            &[("number", &number), ("rating", "5")],
        )
        .await
        .unwrap();
        let refused = form(
            &client,
            &app,
            "/api/cases/rate",
            &[("number", &number), ("rating", "1")],
        )
        .await
        .unwrap_err();
        assert!(refused.field_message(field::RATING).is_some());
        assert_eq!(card(&client, &app, &number).await.unwrap().rating, Some(5));
        let history = &card(&client, &app, &number).await.unwrap().history;
        let statuses: Vec<_> = history.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["Зарегистрировано", "В работе", "В работе", "Закрыто"]
        );

        // P-6: the audit log names the staff member's moves (supervisors read it).
        let supervisor = staff(&app, "sidorov", Role::Supervisor).await;
        let audit: Vec<AuditEntry> = call(&supervisor, &app, "/api/staff/audit", &[])
            .await
            .unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.target == number && a.staff.contains("petrova"))
        );
        let denied = call::<Vec<AuditEntry>>(&operator, &app, "/api/staff/audit", &[]).await;
        assert_eq!(denied.unwrap_err(), ApiError::Forbidden);
    })
    .await;
}

#[tokio::test]
async fn p_2_every_move_only_from_its_statuses_and_roles() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let number = appeal(&client, &app, account, "k-1", &[]).await.unwrap();
        let operator = staff(&app, "oper", Role::Operator).await;
        let supervisor = staff(&app, "boss", Role::Supervisor).await;

        // Nothing but take or reject from «Зарегистрировано».
        for action in ["reply", "request_info", "close", "reopen"] {
            let e = act(&operator, &app, &number, action, "текст", &[])
                .await
                .unwrap_err();
            assert!(
                matches!(e, ApiError::Refused { .. } | ApiError::Forbidden),
                "{action}: {e:?}"
            );
        }
        // Reject needs a comment.
        let e = act(&operator, &app, &number, "reject", " ", &[])
            .await
            .unwrap_err();
        assert!(e.field_message(field::COMMENT).is_some());
        act(&operator, &app, &number, "take", "", &[])
            .await
            .unwrap();
        let e = act(&operator, &app, &number, "take", "", &[])
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Refused { .. }), "taken twice: {e:?}");
        let e = act(&operator, &app, &number, "request_info", "", &[])
            .await
            .unwrap_err();
        assert!(
            e.field_message(field::COMMENT).is_some(),
            "a request says what is needed"
        );
        act(
            &operator,
            &app,
            &number,
            "request_info",
            "Приложите фото счетчика.",
            &[],
        )
        .await
        .unwrap();
        assert_eq!(
            card(&client, &app, &number).await.unwrap().summary.status,
            Status::InfoRequested
        );
        // The customer's answer brings the case back to work.
        multipart::<serde::de::IgnoredAny>(
            &client,
            &app,
            "/api/cases/message",
            &[("number", &number), ("text", ""), ("key", "m-1")],
            &[("счетчик.png", PNG.to_vec())],
        )
        .await
        .unwrap();
        assert_eq!(
            card(&client, &app, &number).await.unwrap().summary.status,
            Status::InProgress
        );
        act(&operator, &app, &number, "reject", "Показания верны.", &[])
            .await
            .unwrap();
        // Only a supervisor reopens.
        let e = act(&operator, &app, &number, "reopen", "ошибка", &[])
            .await
            .unwrap_err();
        assert_eq!(e, ApiError::Forbidden);
        act(
            &supervisor,
            &app,
            &number,
            "reopen",
            "Проверим еще раз.",
            &[],
        )
        .await
        .unwrap();
        assert_eq!(
            card(&client, &app, &number).await.unwrap().summary.status,
            Status::InProgress
        );

        // Without a staff session there is no back-office.
        let e = call::<Queue>(&client, &app, "/api/staff/queue", &[])
            .await
            .unwrap_err();
        assert_eq!(e, ApiError::Unauthorized);
        let e = form(
            &app.client(),
            &app,
            "/api/staff/sign_in",
            &[("login", "oper"), ("password", "wrong-Pass1!")],
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ApiError::Refused { .. }));
    })
    .await;
}

/// Failed staff sign-ins are limited per login; successful ones never use the limit up.
#[tokio::test]
async fn p_1_only_failed_staff_sign_ins_count_against_the_login() {
    each_backend(|app| async move {
        staff(&app, "smirnova", Role::Operator).await;
        let sign_in = |password: &'static str| {
            let app = &app;
            async move {
                form(
                    &app.client(),
                    app,
                    "/api/staff/sign_in",
                    &[("login", "smirnova"), ("password", password)],
                )
                .await
            }
        };
        // A working day of sign-ins, more than the limit of failures.
        for _ in 0..12 {
            sign_in(STAFF_PASSWORD).await.expect("signs in");
        }
        for _ in 0..10 {
            assert!(matches!(
                sign_in("wrong-password").await,
                Err(ApiError::Refused { .. })
            ));
        }
        // The eleventh failure in the window is refused before the password is looked at,
        // and so is the right password until the window ends.
        for password in ["wrong-password", STAFF_PASSWORD] {
            assert!(matches!(
                sign_in(password).await,
                Err(ApiError::TooManyRequests { .. })
            ));
        }
    })
    .await;
}

#[tokio::test]
async fn p_5_files_reach_only_their_customer_and_staff() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let number = appeal(&client, &app, account, "k-1", &[("скан.pdf", PDF.to_vec())])
            .await
            .unwrap();
        let file = card(&client, &app, &number).await.unwrap().messages[0].files[0].clone();

        // Another customer: 403; nobody signed in: 401; staff: 200.
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
        assert_eq!(
            other
                .get(app.at(&file.href()))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        assert_eq!(
            card(&other, &app, &number).await.unwrap_err(),
            ApiError::NotFound
        );
        assert_eq!(
            app.client()
                .get(app.at(&file.href()))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        let operator = staff(&app, "oper", Role::Operator).await;
        assert_eq!(
            operator
                .get(app.at(&file.href()))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        assert_eq!(
            app.client()
                .get(app.at("/files/999999"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    })
    .await;
}

#[tokio::test]
async fn u_doc_2_applications_check_their_topics_fields_and_documents_download() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let account = account.to_string();
        let base = [
            ("kind", "application"),
            ("full_name", "Иванов Иван"),
            ("account", account.as_str()),
            ("phone", "+79000000001"),
            ("consent", "1"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut fields = base.to_vec();
            fields.extend_from_slice(extra);
            fields
        };
        // A refund with a settlement account that does not match the БИК.
        let e = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &with(&[
                ("topic", "refund"),
                ("amount", "1500,50"),
                ("recipient", "Иванов Иван"),
                ("bic", "044525225"),
                ("bank_account", "40817810938160925983"),
                ("key", "a-1"),
            ]),
            &[],
        )
        .await
        .unwrap_err();
        assert!(e.field_message("bank_account").is_some(), "{e:?}");
        // Recalculation for absence: dates ordered and a supporting document.
        let e = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &with(&[
                ("topic", "absence_recalculation"),
                ("date_from", "2026-10-20"),
                ("date_to", "2026-10-01"),
                ("key", "a-2"),
            ]),
            &[],
        )
        .await
        .unwrap_err();
        assert!(e.field_message("date_to").is_some());
        assert_eq!(e.field_message(field::FILES), Some(FILE_REQUIRED));
        let number = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &with(&[
                ("topic", "absence_recalculation"),
                ("date_from", "2026-10-01"),
                ("date_to", "2026-10-20"),
                ("key", "a-3"),
            ]),
            &[("справка.pdf", PDF.to_vec())],
        )
        .await
        .unwrap();
        let c = card(&client, &app, &number).await.unwrap();
        assert!(c.fields.contains(&(
            "Дата начала отсутствия".to_string(),
            "01.10.2026".to_string()
        )));
        // Without the 152-ФЗ consent nothing is sent.
        let e = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &[
                ("kind", "application"),
                ("full_name", "Иванов Иван"),
                ("account", account.as_str()),
                ("phone", "+79000000001"),
                ("topic", "free_form"),
                ("text", "Прошу"),
                ("key", "a-4"),
            ],
            &[],
        )
        .await
        .unwrap_err();
        assert!(e.field_message(field::CONSENT).is_some());
        // A topic the provider stopped accepting.
        let admin = staff(&app, "admin", Role::Administrator).await;
        form(
            &admin,
            &app,
            "/api/staff/application_topic",
            &[("code", "free_form"), ("active", "0")],
        )
        .await
        .unwrap();
        let e = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &with(&[("topic", "free_form"), ("text", "Прошу"), ("key", "a-5")]),
            &[],
        )
        .await
        .unwrap_err();
        assert!(e.field_message(field::TOPIC).is_some());
        let history: CaseHistory = call(
            &client,
            &app,
            "/api/cases/history",
            &[("scope", "applications")],
        )
        .await
        .unwrap();
        assert_eq!(history.cases.len(), 1);

        // U-DOC-1: a document sent and downloaded from «Мои документы».
        let number = multipart::<String>(
            &client,
            &app,
            "/api/cases/create",
            &[
                ("kind", "document"),
                ("account", account.as_str()),
                ("doc_type", "Судебный приказ"),
                ("key", "d-1"),
            ],
            &[("приказ.pdf", PDF.to_vec())],
        )
        .await
        .unwrap();
        let docs: CaseHistory = call(
            &client,
            &app,
            "/api/cases/history",
            &[("scope", "documents")],
        )
        .await
        .unwrap();
        assert_eq!(docs.cases[0].number, number);
        let file = &docs.cases[0].files[0];
        let download = client.get(app.at(&file.href())).send().await.unwrap();
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        // Documents have their own workflow: accepted, not taken.
        let e = act(&admin, &app, &number, "take", "", &[])
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Refused { .. }));
        act(&admin, &app, &number, "accept", "", &[]).await.unwrap();
        assert_eq!(
            card(&client, &app, &number)
                .await
                .unwrap()
                .summary
                .status_caption(),
            "Принят"
        );
    })
    .await;
}

#[tokio::test]
async fn u_apl_4_the_assistant_answers_from_the_accounts_data_and_the_faq() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let account = account.to_string();
        let ask = |q: &'static str| {
            let client = client.clone();
            let app = app.clone();
            let account = account.clone();
            async move {
                call::<shared::utility::assistant::Answer>(
                    &client,
                    &app,
                    "/api/cases/ask",
                    &[("account", account.as_str()), ("question", q)],
                )
                .await
                .unwrap()
            }
        };
        let balance = ask("Сколько я должен?").await;
        assert!(
            balance.text.contains("руб.") || balance.text.contains("задолженности нет"),
            "{balance:?}"
        );
        let window = ask("Когда передавать показания счетчика?").await;
        assert!(window.text.contains("принимаются с"), "{window:?}");
        let faq = ask("Как получать квитанцию по почте").await;
        assert!(faq.text.contains("Подтвердите адрес"), "{faq:?}");
        let unknown = ask("Какая завтра погода").await;
        assert!(!unknown.understood);
        assert_eq!(unknown.links[0].1, "/appeals/new");
    })
    .await;
}

/// #18 item 11: «по всем лицевым счетам» gets an answer for each account, each with its link;
/// without those words the selected account answers alone.
#[tokio::test]
async fn the_assistant_answers_for_all_accounts_when_asked_so() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 6).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let first = link_showcase(&client, &app, &showcase[0]).await;
        link_showcase(&client, &app, &showcase[1]).await;
        let ask = |q: &'static str| {
            let client = client.clone();
            let app = app.clone();
            async move {
                call::<shared::utility::assistant::Answer>(
                    &client,
                    &app,
                    "/api/cases/ask",
                    &[("account", first.to_string().as_str()), ("question", q)],
                )
                .await
                .unwrap()
            }
        };
        let all = ask("Сколько я должен по всем лицевым счетам?").await;
        for account in &showcase[..2] {
            assert!(all.text.contains(&account.number), "{all:?}");
        }
        assert_eq!(all.links.len(), 2, "{all:?}");
        assert_eq!(
            all.links[0].0,
            format!("Оплатить (№ {})", showcase[0].number)
        );
        let one = ask("Сколько я должен?").await;
        assert!(one.text.contains(&showcase[0].number), "{one:?}");
        assert!(!one.text.contains(&showcase[1].number), "{one:?}");
        assert_eq!(
            one.links,
            [("Оплатить".to_string(), format!("/accounts/{first}/pay"))]
        );
    })
    .await;
}

/// An appeal with a PDF, taken and closed by an operator: its number and its file.
async fn closed_appeal_with_file(
    app: &TestApp,
    client: &reqwest::Client,
    account: i64,
) -> (String, CaseFile) {
    let number = appeal(
        client,
        app,
        account,
        "k-closed",
        &[("акт.pdf", PDF.to_vec())],
    )
    .await
    .unwrap();
    let operator = staff(app, "oper", Role::Operator).await;
    act(&operator, app, &number, "take", "", &[]).await.unwrap();
    act(&operator, app, &number, "close", "", &[])
        .await
        .unwrap();
    let file = card(client, app, &number).await.unwrap().messages[0].files[0].clone();
    (number, file)
}

/// P-5: the files of a case over for longer than `KABINET_CASE_FILES_DAYS` are removed, once
/// with two instances running the job; an open case keeps its files however old.
#[tokio::test]
async fn p_5_files_of_long_closed_cases_expire_once() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let (closed, file) = closed_appeal_with_file(&app, &client, account).await;
        let open = appeal(
            &client,
            &app,
            account,
            "k-open",
            &[("фото.png", PNG.to_vec())],
        )
        .await
        .unwrap();
        let key: String = sqlx::query_scalar("SELECT storage_key FROM case_files WHERE id = $1")
            .bind(file.id)
            .fetch_one(&app.services.db.pool)
            .await
            .unwrap();
        let stored = app
            .services
            .config
            .data_dir
            .join("files")
            .join(&key[..2])
            .join(&key);
        assert!(stored.exists());
        let days = app.services.config.case_files_days;
        assert_eq!(days, 1_095, "three years unless configured");

        // A day short of the period: kept.
        app.clock
            .advance(jiff::SignedDuration::from_hours(24 * (days - 1)));
        assert_eq!(app.services.cases.expire_files(days).await.unwrap(), 0);
        // (The session of three years ago has long expired: the customer signs in again.)
        let client = signed_in(&app, "Secret-2026!").await;
        let fetched = client.get(app.at(&file.href())).send().await.unwrap();
        assert_eq!(fetched.status(), 200);

        // Past it: removed once, whichever instance gets there first.
        app.clock.advance(jiff::SignedDuration::from_hours(48));
        let client = signed_in(&app, "Secret-2026!").await;
        let second = app.second_instance().await;
        let (a, b) = tokio::join!(
            app.services.cases.expire_files(days),
            second.services.cases.expire_files(days)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert!(!stored.exists(), "the bytes are gone too");
        let fetched = client.get(app.at(&file.href())).send().await.unwrap();
        assert_eq!(fetched.status(), 404);
        let c = card(&client, &app, &closed).await.unwrap();
        assert!(c.messages.iter().all(|m| m.files.is_empty()));
        // The open appeal keeps its photo.
        let c = card(&client, &app, &open).await.unwrap();
        assert_eq!(c.messages[0].files.len(), 1);
        second.finish().await;
    })
    .await;
}

/// M-7: moving the development clock (`/dev/clock`) past the retention runs the jobs at once:
/// the closed case's file is gone when the page answers.
#[tokio::test]
async fn p_5_moving_the_development_clock_expires_files_at_once() {
    each_backend(|app| async move {
        let (client, account) = customer(&app).await;
        let (_, file) = closed_appeal_with_file(&app, &client, account).await;
        let moved = app
            .client()
            .post(app.at("/dev/clock"))
            .form(&[(
                "by",
                format!("{}d", app.services.config.case_files_days + 1),
            )])
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 303);
        let client = signed_in(&app, "Secret-2026!").await;
        let fetched = client.get(app.at(&file.href())).send().await.unwrap();
        assert_eq!(fetched.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn u_acc_6_an_accounts_appeals_and_applications_are_shown_for_it_alone() {
    each_backend(|app| async move {
        let showcase = demo(&app, 3, 6).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let first = link_showcase(&client, &app, &showcase[0]).await;
        let second = link_showcase(&client, &app, &showcase[1]).await;
        let on_first = appeal(&client, &app, first, "acc-1", &[]).await.unwrap();
        let on_second = appeal(&client, &app, second, "acc-2", &[]).await.unwrap();
        let history = |account: Option<i64>| {
            let client = client.clone();
            let app = &app;
            async move {
                let account = account.map(|a| a.to_string());
                let mut args = vec![("scope", "appeals")];
                if let Some(a) = account.as_deref() {
                    args.push(("account", a));
                }
                call::<CaseHistory>(&client, app, "/api/cases/history", &args).await
            }
        };

        let all = history(None).await.unwrap();
        assert_eq!(all.cases.len(), 2);
        assert_eq!(all.account, None);
        let of_first = history(Some(first)).await.unwrap();
        let numbers: Vec<_> = of_first.cases.iter().map(|c| c.number.clone()).collect();
        assert_eq!(numbers, vec![on_first], "only the first account's appeal");
        assert_eq!(
            of_first.account.as_deref(),
            Some(showcase[0].number.as_str())
        );
        let of_second = history(Some(second)).await.unwrap();
        assert_eq!(of_second.cases.len(), 1);
        assert_eq!(of_second.cases[0].number, on_second);

        // An account that is not one of the customer's is not found.
        let e = history(Some(first.max(second) + 100)).await.unwrap_err();
        assert!(matches!(e, ApiError::NotFound), "{e:?}");
    })
    .await;
}
