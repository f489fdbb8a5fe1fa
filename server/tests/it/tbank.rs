//! The T-Bank acquirer against a local fake of its API v2 (on 127.0.0.1 port 0): the fake
//! answers Init, GetQr, GetState, Charge, Cancel, AddCustomer and AddCard with the shapes of
//! the bank's documentation and refuses every request whose Token is wrong, as the bank does.
//! The fake checks tokens with its own implementation of the documented algorithm, and the
//! adapter's is held to the documentation's worked examples.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use server::clock::ManualClock;
use server::payments::acquirer::{
    Acquirer, AcquirerError, CallbackError, CallbackEvent, NewBinding, NewPayment, RemoteStatus,
    SavedCard,
};
use server::payments::tbank::{TBank, TBankConfig, token};
use sha2::{Digest, Sha256};
use shared::Kopecks;
use shared::payments::PaymentMethod;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

const TERMINAL: &str = "1234567890DEMO";
const PASSWORD: &str = "tbank-test-password";
/// 10:00 in Moscow.
const NOW: &str = "2026-11-20T07:00:00Z";
const QR_PAYLOAD: &str = "https://qr.nspk.ru/AS1000670LSS7DN18SJQDNP4B05KLJL2?type=02&bank=100000000004&sum=150000&cur=RUB&crc=C08B";
const REBILL_OK: &str = "145919";
const REBILL_DECLINED: &str = "145920";

/// A test that hangs fails instead of stopping the whole run.
async fn within<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test took longer than 30 s")
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// The documented signature, written apart from the adapter's: the root's scalar values and
/// the password, ordered by key, concatenated, SHA-256 in lowercase hex.
fn documented_token(fields: &Map<String, Value>, password: &str) -> String {
    let mut pairs: Vec<(String, String)> = fields
        .iter()
        .filter(|(key, _)| key.as_str() != "Token")
        .filter_map(|(key, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((key.clone(), text))
        })
        .collect();
    pairs.push(("Password".into(), password.into()));
    pairs.sort();
    let joined: String = pairs.into_iter().map(|(_, value)| value).collect();
    hex::encode(Sha256::digest(joined.as_bytes()))
}

/// A notification as the bank would send it: `fields` signed with `password`.
fn signed(fields: Value, password: &str) -> Vec<u8> {
    let mut fields = object(fields);
    let signature = documented_token(&fields, password);
    fields.insert("Token".into(), Value::String(signature));
    serde_json::to_vec(&fields).expect("json")
}

#[derive(Default)]
struct Fake {
    /// Every request the fake accepted, in order: the method and its fields.
    requests: Mutex<Vec<(String, Map<String, Value>)>>,
    /// PaymentId → (status, amount).
    payments: Mutex<HashMap<String, (String, i64)>>,
    customers: Mutex<HashSet<String>>,
    next_id: Mutex<u64>,
}

impl Fake {
    fn requests(&self, method: &str) -> Vec<Map<String, Value>> {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, fields)| fields.clone())
            .collect()
    }

    fn set_status(&self, payment_id: &str, status: &str) {
        if let Some(payment) = self.payments.lock().expect("lock").get_mut(payment_id) {
            payment.0 = status.into();
        }
    }

    fn new_id(&self) -> u64 {
        let mut next = self.next_id.lock().expect("lock");
        *next += 1;
        700_000_000 + *next
    }
}

fn error(code: &str, message: &str) -> Value {
    json!({
        "TerminalKey": TERMINAL,
        "Success": false,
        "ErrorCode": code,
        "Message": message,
        "Details": "",
    })
}

fn text(fields: &Map<String, Value>, key: &str) -> String {
    match fields.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

async fn fake_api(
    State(fake): State<Arc<Fake>>,
    Path(method): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let Value::Object(fields) = body else {
        return (StatusCode::BAD_REQUEST, "not an object").into_response();
    };
    if fields.get("TerminalKey").and_then(Value::as_str) != Some(TERMINAL) {
        return Json(error("501", "Терминал не найден")).into_response();
    }
    let given = fields.get("Token").and_then(Value::as_str).unwrap_or("");
    if given != documented_token(&fields, PASSWORD) {
        return Json(error(
            "204",
            "Неверный токен. Проверьте пару TerminalKey/SecretKey.",
        ))
        .into_response();
    }
    if text(&fields, "OrderId") == "bank-down" {
        return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response();
    }
    fake.requests
        .lock()
        .expect("lock")
        .push((method.clone(), fields.clone()));
    let payment_id = text(&fields, "PaymentId");
    let known = fake
        .payments
        .lock()
        .expect("lock")
        .get(&payment_id)
        .cloned();
    let answer = match method.as_str() {
        "Init" => {
            let amount = fields.get("Amount").and_then(Value::as_i64).unwrap_or(0);
            let id = fake.new_id().to_string();
            fake.payments
                .lock()
                .expect("lock")
                .insert(id.clone(), ("NEW".into(), amount));
            json!({
                "TerminalKey": TERMINAL,
                "Amount": amount,
                "OrderId": text(&fields, "OrderId"),
                "Success": true,
                "Status": "NEW",
                "PaymentId": id,
                "ErrorCode": "0",
                "PaymentURL": format!("https://securepay.tinkoff.ru/new/pay{id}"),
            })
        }
        "GetQr" => match (known, text(&fields, "DataType").as_str()) {
            (Some(_), "PAYLOAD") => json!({
                "TerminalKey": TERMINAL,
                "OrderId": "",
                "Success": true,
                "Data": QR_PAYLOAD,
                "PaymentId": payment_id.parse::<u64>().unwrap_or(0),
                "ErrorCode": "0",
            }),
            (None, _) => error("9999", "Платёж не найден"),
            (Some(_), _) => error("9999", "Неверный тип данных"),
        },
        "GetState" => match known {
            Some((status, amount)) => json!({
                "TerminalKey": TERMINAL,
                "Amount": amount,
                "OrderId": "",
                "Success": true,
                "Status": status,
                "PaymentId": payment_id,
                "ErrorCode": "0",
            }),
            None => error("9999", "Платёж не найден"),
        },
        "Charge" => match (known, text(&fields, "RebillId").as_str()) {
            (Some((_, amount)), REBILL_OK) => {
                fake.set_status(&payment_id, "CONFIRMED");
                json!({
                    "TerminalKey": TERMINAL,
                    "Amount": amount,
                    "OrderId": "",
                    "Success": true,
                    "Status": "CONFIRMED",
                    "PaymentId": payment_id,
                    "ErrorCode": "0",
                })
            }
            (Some((_, amount)), _) => {
                fake.set_status(&payment_id, "REJECTED");
                json!({
                    "TerminalKey": TERMINAL,
                    "Amount": amount,
                    "OrderId": "",
                    "Success": false,
                    "Status": "REJECTED",
                    "PaymentId": payment_id,
                    "ErrorCode": "1051",
                    "Message": "Недостаточно средств на карте",
                })
            }
            (None, _) => error("9999", "Платёж не найден"),
        },
        "Cancel" => match known {
            Some((status, amount)) if status == "CONFIRMED" || status == "PARTIAL_REFUNDED" => {
                let refund = fields
                    .get("Amount")
                    .and_then(Value::as_i64)
                    .unwrap_or(amount);
                let left = amount - refund;
                let status = if left > 0 {
                    "PARTIAL_REFUNDED"
                } else {
                    "REFUNDED"
                };
                fake.payments
                    .lock()
                    .expect("lock")
                    .insert(payment_id.clone(), (status.into(), left));
                json!({
                    "TerminalKey": TERMINAL,
                    "OrderId": "",
                    "Success": true,
                    "Status": status,
                    "OriginalAmount": amount,
                    "NewAmount": left,
                    "PaymentId": payment_id.parse::<u64>().unwrap_or(0),
                    "ErrorCode": "0",
                })
            }
            Some(_) => error("9999", "Неверный статус платежа"),
            None => error("9999", "Платёж не найден"),
        },
        "AddCustomer" => {
            let customer = text(&fields, "CustomerKey");
            if fake
                .customers
                .lock()
                .expect("lock")
                .insert(customer.clone())
            {
                json!({
                    "TerminalKey": TERMINAL,
                    "CustomerKey": customer,
                    "Success": true,
                    "ErrorCode": "0",
                })
            } else {
                error("9999", "Покупатель уже существует")
            }
        }
        "AddCard" => {
            let customer = text(&fields, "CustomerKey");
            if !fake.customers.lock().expect("lock").contains(&customer) {
                error("9999", "Покупатель не найден")
            } else {
                let id = fake.new_id();
                let key = format!("13021e10-a3ed-4f14-bcd1-{id:012}");
                json!({
                    "PaymentId": id,
                    "TerminalKey": TERMINAL,
                    "CustomerKey": customer,
                    "RequestKey": key,
                    "Success": true,
                    "ErrorCode": "0",
                    "PaymentURL": format!("https://securepay.tinkoff.ru/e2e/AddCard/{key}"),
                })
            }
        }
        _ => error("9999", "Неизвестный метод"),
    };
    Json(answer).into_response()
}

/// The fake on 127.0.0.1 port 0: its base address (as `KABINET_TBANK_URL`) and its state.
async fn fake_tbank() -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let router = axum::Router::new()
        .route("/v2/{method}", post(fake_api))
        .with_state(fake.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{address}/v2/"), fake)
}

fn adapter(base_url: &str, password: &str) -> TBank {
    let vars: HashMap<&str, String> = HashMap::from([
        ("KABINET_TBANK_TERMINAL_KEY", TERMINAL.to_string()),
        ("KABINET_TBANK_PASSWORD", password.to_string()),
        ("KABINET_TBANK_URL", base_url.to_string()),
    ]);
    let config = TBankConfig::from_lookup(|name| vars.get(name).cloned())
        .expect("valid configuration")
        .expect("configured");
    let clock = Arc::new(ManualClock::new(NOW.parse().expect("instant")));
    TBank::new(config, clock).expect("adapter")
}

fn now_unix() -> i64 {
    NOW.parse::<jiff::Timestamp>().expect("instant").as_second()
}

fn payment(order: &str, method: PaymentMethod) -> NewPayment {
    NewPayment {
        order: order.into(),
        amount: Kopecks(150_000),
        description: "Оплата по л/с 100000003".into(),
        method,
        return_url: "https://kabinet.example.ru/payments/return".into(),
        notification_url: "https://kabinet.example.ru/payments/callback/tbank".into(),
        customer: "person-42".into(),
    }
}

#[test]
fn tbank_token_matches_the_documentations_examples() {
    // The «Токен» section's example of an Init request: nested DATA and Receipt take no part.
    let init = object(json!({
        "TerminalKey": "MerchantTerminalKey",
        "Amount": 19200,
        "OrderId": "21090",
        "Description": "Подарочная карта на 1000 рублей",
        "DATA": { "Phone": "+71234567890", "Email": "a@test.com" },
        "Receipt": { "Email": "a@test.ru", "Taxation": "osn", "Items": [{ "Name": "Товар", "Price": 10000 }] },
    }));
    assert_eq!(
        token(&init, "usaf8fw8fsw21g"),
        "0024a00af7c350a3a67ca168ce06502aa72772456662e38696d48b56ee9c97d9"
    );
    // The notifications section's example («Проверка токенов»): booleans sign as «true».
    let notification = object(json!({
        "TerminalKey": "1321054611234DEMO",
        "OrderId": "201709",
        "Success": true,
        "Status": "AUTHORIZED",
        "PaymentId": "8742591",
        "ErrorCode": "0",
        "Amount": 9855,
        "CardId": 322264,
        "Pan": "430000******0777",
        "ExpDate": "1122",
        "RebillId": "101709",
        "Token": "b906d28e76c6428e37b25fcf86c0adc52c63d503013fdd632e300593d165766b",
    }));
    assert_eq!(
        token(&notification, "Dfsfh56dgKl"),
        "b906d28e76c6428e37b25fcf86c0adc52c63d503013fdd632e300593d165766b"
    );
    assert_eq!(
        documented_token(&notification, "Dfsfh56dgKl"),
        token(&notification, "Dfsfh56dgKl")
    );
}

#[tokio::test]
async fn tbank_sbp_and_card_payments_give_the_qr_payload_and_the_card_page() {
    within(async {
        let (url, fake) = fake_tbank().await;
        let tbank = adapter(&url, PASSWORD);
        assert_eq!(tbank.name(), "tbank");
        assert_eq!(tbank.callback_ack(), "OK");

        let sbp = tbank
            .create(&payment("P-1", PaymentMethod::Sbp))
            .await
            .expect("SBP payment");
        assert_eq!(sbp.link, QR_PAYLOAD);
        assert_eq!(sbp.expires_at, Some(now_unix() + 20 * 60));
        let init = &fake.requests("Init")[0];
        assert_eq!(text(init, "PaymentId"), "");
        assert_eq!(init["Amount"], json!(150_000));
        assert_eq!(init["OrderId"], json!("P-1"));
        assert_eq!(init["Description"], json!("Оплата по л/с 100000003"));
        assert_eq!(init["PayType"], json!("O"));
        assert_eq!(init["CustomerKey"], json!("person-42"));
        assert_eq!(
            init["NotificationURL"],
            json!("https://kabinet.example.ru/payments/callback/tbank")
        );
        assert_eq!(
            init["SuccessURL"],
            json!("https://kabinet.example.ru/payments/return")
        );
        assert_eq!(init["FailURL"], init["SuccessURL"]);
        // Twenty minutes after 10:00 in Moscow, in the bank's format.
        assert_eq!(init["RedirectDueDate"], json!("2026-11-20T10:20:00+03:00"));
        assert_eq!(init["DATA"]["OperationInitiatorType"], json!("0"));
        let qr = &fake.requests("GetQr")[0];
        assert_eq!(qr["DataType"], json!("PAYLOAD"));
        assert_eq!(text(qr, "PaymentId"), sbp.reference);

        let card = tbank
            .create(&payment("P-2", PaymentMethod::Card))
            .await
            .expect("card payment");
        assert_eq!(
            card.link,
            format!("https://securepay.tinkoff.ru/new/pay{}", card.reference)
        );
        assert_ne!(card.reference, sbp.reference);
        assert_eq!(fake.requests("GetQr").len(), 1, "no QR for a card payment");

        let autopay = tbank.create(&payment("P-3", PaymentMethod::Autopay)).await;
        assert!(matches!(autopay, Err(AcquirerError::Refused(_))));
    })
    .await;
}

#[tokio::test]
async fn tbank_status_maps_the_banks_statuses() {
    within(async {
        let (url, fake) = fake_tbank().await;
        let tbank = adapter(&url, PASSWORD);
        let created = tbank
            .create(&payment("P-10", PaymentMethod::Card))
            .await
            .expect("payment");
        let id = created.reference.as_str();
        for (bank, ours) in [
            ("NEW", RemoteStatus::Pending),
            ("FORM_SHOWED", RemoteStatus::Pending),
            ("3DS_CHECKING", RemoteStatus::Pending),
            ("AUTHORIZED", RemoteStatus::Succeeded),
            ("CONFIRMED", RemoteStatus::Succeeded),
            ("PARTIAL_REFUNDED", RemoteStatus::Succeeded),
            ("REJECTED", RemoteStatus::Failed),
            ("AUTH_FAIL", RemoteStatus::Failed),
            ("CANCELED", RemoteStatus::Failed),
            ("DEADLINE_EXPIRED", RemoteStatus::Failed),
            ("REVERSED", RemoteStatus::Failed),
            ("REFUNDED", RemoteStatus::Failed),
        ] {
            fake.set_status(id, bank);
            assert_eq!(tbank.status(id).await.expect("status"), ours, "{bank}");
        }
        let unknown = tbank.status("1").await;
        assert!(
            matches!(&unknown, Err(AcquirerError::Refused(reason)) if reason.contains("Платёж не найден")),
            "{unknown:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn tbank_charges_a_saved_card_and_refunds() {
    within(async {
        let (url, fake) = fake_tbank().await;
        let tbank = adapter(&url, PASSWORD);

        let (reference, status) = tbank
            .charge_saved(REBILL_OK, &payment("A-1", PaymentMethod::Autopay))
            .await
            .expect("charge");
        assert_eq!(status, RemoteStatus::Succeeded);
        let init = &fake.requests("Init")[0];
        assert_eq!(init["DATA"]["OperationInitiatorType"], json!("R"));
        assert_eq!(init["PayType"], json!("O"));
        let charge = &fake.requests("Charge")[0];
        assert_eq!(text(charge, "PaymentId"), reference);
        assert_eq!(charge["RebillId"], json!(REBILL_OK));
        assert_eq!(tbank.status(&reference).await.expect("status"), status);

        let declined = tbank
            .charge_saved(REBILL_DECLINED, &payment("A-2", PaymentMethod::Autopay))
            .await;
        assert!(
            matches!(&declined, Err(AcquirerError::Refused(reason)) if reason.contains("1051") && reason.contains("Недостаточно средств")),
            "{declined:?}"
        );

        tbank
            .refund(&reference, Kopecks(50_000))
            .await
            .expect("partial refund");
        assert_eq!(fake.requests("Cancel")[0]["Amount"], json!(50_000));
        assert_eq!(
            tbank.status(&reference).await.expect("status"),
            RemoteStatus::Succeeded,
            "part of the money is still taken"
        );
        tbank
            .refund(&reference, Kopecks(100_000))
            .await
            .expect("the rest");
        assert_eq!(
            tbank.status(&reference).await.expect("status"),
            RemoteStatus::Failed
        );
        let again = tbank.refund(&reference, Kopecks(100)).await;
        assert!(matches!(again, Err(AcquirerError::Refused(_))), "{again:?}");
    })
    .await;
}

#[tokio::test]
async fn tbank_binds_a_card_for_a_new_and_a_known_customer() {
    within(async {
        let (url, fake) = fake_tbank().await;
        let tbank = adapter(&url, PASSWORD);
        let binding = NewBinding {
            request: "B-1".into(),
            customer: "person-42".into(),
            return_url: "https://kabinet.example.ru/profile".into(),
            notification_url: "https://kabinet.example.ru/payments/callback/tbank".into(),
        };
        let first = tbank.bind_card(&binding).await.expect("binding");
        assert_eq!(
            first.link,
            format!(
                "https://securepay.tinkoff.ru/e2e/AddCard/{}",
                first.reference
            )
        );
        assert_eq!(first.expires_at, Some(now_unix() + 2 * 24 * 3600));
        let add_card = &fake.requests("AddCard")[0];
        assert_eq!(add_card["CustomerKey"], json!("person-42"));
        assert_eq!(add_card["CheckType"], json!("3DS"));

        // The customer exists now: the bank refuses AddCustomer, the binding goes on.
        let second = tbank.bind_card(&binding).await.expect("second binding");
        assert_ne!(second.reference, first.reference);
        assert_eq!(fake.requests("AddCustomer").len(), 2);
        assert_eq!(fake.requests("AddCard").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn tbank_errors_say_refused_or_unavailable() {
    within(async {
        let (url, fake) = fake_tbank().await;

        // A wrong password: the bank refuses the token.
        let wrong = adapter(&url, "not-the-password");
        let refused = wrong.create(&payment("P-20", PaymentMethod::Card)).await;
        assert!(
            matches!(&refused, Err(AcquirerError::Refused(reason)) if reason.contains("204")),
            "{refused:?}"
        );
        assert!(fake.requests("Init").is_empty());

        // A server error: try again later.
        let tbank = adapter(&url, PASSWORD);
        let down = tbank
            .create(&payment("bank-down", PaymentMethod::Card))
            .await;
        assert!(
            matches!(&down, Err(AcquirerError::Unavailable(reason)) if reason.contains("503")),
            "{down:?}"
        );

        // Nobody listening.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let closed = format!("http://{}/v2/", listener.local_addr().expect("address"));
        drop(listener);
        let unreachable = adapter(&closed, PASSWORD).status("700000001").await;
        assert!(
            matches!(unreachable, Err(AcquirerError::Unavailable(_))),
            "{unreachable:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn tbank_notifications_are_verified_and_read() {
    within(async {
        let tbank = adapter("http://127.0.0.1:9/v2/", PASSWORD);
        let headers = http::HeaderMap::new();
        let now = now_unix();
        let confirmed = json!({
            "TerminalKey": TERMINAL,
            "OrderId": "P-1",
            "Success": true,
            "Status": "CONFIRMED",
            "PaymentId": 700000001,
            "ErrorCode": "0",
            "Amount": 150000,
            "CardId": 10452089,
            "Pan": "430000******0777",
            "ExpDate": "1130",
            "DATA": { "Route": "ACQ", "Source": "cards" },
        });

        let body = signed(confirmed.clone(), PASSWORD);
        let callback = tbank
            .verify_callback(&headers, &body, now)
            .expect("a signed notification");
        assert_eq!(
            callback.event,
            CallbackEvent::Payment {
                order: "P-1".into(),
                reference: "700000001".into(),
                status: RemoteStatus::Succeeded,
                amount: Kopecks(150_000),
            }
        );
        // The same notification again (the bank repeats until it reads «OK»): the same id,
        // whenever it comes.
        let repeated = tbank
            .verify_callback(&headers, &body, now + 86_400)
            .expect("repeated");
        assert_eq!(repeated.event_id, callback.event_id);
        // Another status of the same payment is another event.
        let mut refunded = confirmed.clone();
        refunded["Status"] = json!("REFUNDED");
        let other = tbank
            .verify_callback(&headers, &signed(refunded, PASSWORD), now)
            .expect("refund notification");
        assert_ne!(other.event_id, callback.event_id);
        assert!(matches!(
            other.event,
            CallbackEvent::Payment {
                status: RemoteStatus::Failed,
                ..
            }
        ));

        // A changed amount breaks the signature.
        let mut tampered: Value = serde_json::from_slice(&body).expect("json");
        tampered["Amount"] = json!(1);
        let tampered = serde_json::to_vec(&tampered).expect("json");
        assert_eq!(
            tbank.verify_callback(&headers, &tampered, now),
            Err(CallbackError::BadSignature)
        );
        // Another terminal's notification, even signed with the same password.
        let mut foreign = confirmed.clone();
        foreign["TerminalKey"] = json!("OtherTerminalDEMO");
        assert_eq!(
            tbank.verify_callback(&headers, &signed(foreign, PASSWORD), now),
            Err(CallbackError::BadSignature)
        );
        // Signed with another password, or not signed at all.
        assert_eq!(
            tbank.verify_callback(&headers, &signed(confirmed.clone(), "guess"), now),
            Err(CallbackError::BadSignature)
        );
        let unsigned = serde_json::to_vec(&confirmed).expect("json");
        assert_eq!(
            tbank.verify_callback(&headers, &unsigned, now),
            Err(CallbackError::BadSignature)
        );
        assert!(matches!(
            tbank.verify_callback(&headers, b"TerminalKey=x", now),
            Err(CallbackError::Malformed(_))
        ));

        // A card binding (AddCard's page): the saved card is its RebillId.
        let linked = json!({
            "TerminalKey": TERMINAL,
            "CustomerKey": "person-42",
            "RequestKey": "13021e10-a3ed-4f14-bcd1-823b5ac37390",
            "Success": true,
            "Status": "COMPLETED",
            "PaymentId": 700000002,
            "ErrorCode": "0",
            "RebillId": "3207469334",
            "CardId": "10452089",
            "Pan": "220070******4242",
            "ExpDate": "0229",
            "NotificationType": "LINKCARD",
        });
        let binding = tbank
            .verify_callback(&headers, &signed(linked.clone(), PASSWORD), now)
            .expect("binding notification");
        assert_eq!(
            binding.event,
            CallbackEvent::Binding {
                request: "13021e10-a3ed-4f14-bcd1-823b5ac37390".into(),
                card: Some(SavedCard {
                    token: "3207469334".into(),
                    caption: "•••• 4242".into(),
                }),
            }
        );
        let mut rejected = linked.clone();
        rejected["Status"] = json!("REJECTED");
        rejected["Success"] = json!(false);
        rejected["ErrorCode"] = json!("1051");
        let failed = tbank
            .verify_callback(&headers, &signed(rejected, PASSWORD), now)
            .expect("failed binding");
        assert!(matches!(
            failed.event,
            CallbackEvent::Binding { card: None, .. }
        ));
        assert_ne!(failed.event_id, binding.event_id);
        let signature = documented_token(&object(linked.clone()), PASSWORD);
        let mut tampered_card = linked;
        tampered_card["Token"] = json!(signature);
        tampered_card["RebillId"] = json!("1");
        assert_eq!(
            tbank.verify_callback(
                &headers,
                &serde_json::to_vec(&tampered_card).expect("json"),
                now
            ),
            Err(CallbackError::BadSignature)
        );
    })
    .await;
}
