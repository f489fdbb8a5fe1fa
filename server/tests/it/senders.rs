//! The real senders against local stand-ins: an SMTP sink and an SMS gateway written here,
//! both on 127.0.0.1 port 0, checked for what an operator would notice at the other end.

use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use server::notify::{Channel, Message, Notifier};
use server::senders::{
    RoutingNotifier, SmsGatewayConfig, SmsGatewayNotifier, SmsGatewayStatus, SmtpConfig,
    SmtpNotifier, SmtpTls,
};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const SUBJECT: &str = "Код подтверждения — Личный кабинет";
const BODY: &str =
    "Здравствуйте!\nВаш код подтверждения: 482913.\nЕсли это были не вы, ничего не делайте.";

/// A test that hangs fails instead of stopping the whole run.
async fn within<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test took longer than 30 s")
}

fn email(to: &str) -> Message {
    Message {
        attachments: Vec::new(),
        channel: Channel::Email,
        to: to.into(),
        subject: SUBJECT.into(),
        body: BODY.into(),
    }
}

fn sms(to: &str, body: &str) -> Message {
    Message {
        attachments: Vec::new(),
        channel: Channel::Sms,
        to: to.into(),
        subject: "Код подтверждения".into(),
        body: body.into(),
    }
}

// ---------------------------------------------------------------------------------------
// The SMTP sink

/// One message as the sink received it.
#[derive(Debug)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    /// The DATA section, dot-unstuffed, without the final `.`.
    data: String,
}

async fn reply(write: &mut tokio::net::tcp::OwnedWriteHalf, text: &str) -> bool {
    write.write_all(text.as_bytes()).await.is_ok()
}

/// Accepts one connection and speaks just enough SMTP to take one message; with
/// `reject_rcpt` it refuses every recipient as a real server refuses an unknown mailbox.
async fn smtp_sink(reject_rcpt: bool) -> (SmtpConfig, oneshot::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        let mut tx = Some(tx);
        let mut mail_from = String::new();
        let mut rcpt_to = Vec::new();
        if !reply(&mut write, "220 sink.test ESMTP ready\r\n").await {
            return;
        }
        loop {
            let mut line = String::new();
            match lines.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let command = line.trim_end().to_string();
            let verb = command
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let answer = match verb.as_str() {
                "EHLO" => "250-sink.test greets you\r\n250 HELP\r\n".to_string(),
                "HELO" | "NOOP" | "RSET" => "250 OK\r\n".to_string(),
                "MAIL" => {
                    mail_from = command.clone();
                    "250 OK\r\n".to_string()
                }
                "RCPT" if reject_rcpt => "550 5.1.1 no such mailbox\r\n".to_string(),
                "RCPT" => {
                    rcpt_to.push(command.clone());
                    "250 OK\r\n".to_string()
                }
                "DATA" => {
                    if !reply(&mut write, "354 end with <CRLF>.<CRLF>\r\n").await {
                        return;
                    }
                    let mut data = String::new();
                    loop {
                        let mut line = String::new();
                        match lines.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == ".\r\n" {
                            break;
                        }
                        // Dot-stuffing: a line that starts with a dot was sent with two.
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(Received {
                            mail_from: mail_from.clone(),
                            rcpt_to: rcpt_to.clone(),
                            data,
                        });
                    }
                    "250 2.0.0 queued\r\n".to_string()
                }
                "QUIT" => {
                    let _ = reply(&mut write, "221 bye\r\n").await;
                    return;
                }
                _ => "502 command not implemented\r\n".to_string(),
            };
            if !reply(&mut write, &answer).await {
                return;
            }
        }
    });
    let config = SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        from: "Личный кабинет <noreply@example.ru>"
            .parse()
            .expect("from address"),
        tls: SmtpTls::None,
    };
    (config, rx)
}

/// A received message split into unfolded headers and the raw body.
struct Parsed {
    headers: Vec<(String, String)>,
    body: String,
}

impl Parsed {
    fn new(data: &str) -> Parsed {
        let (head, body) = data
            .split_once("\r\n\r\n")
            .expect("a blank line between headers and body");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                let last = headers.last_mut().expect("a continuation after a header");
                last.1.push_str(line);
            } else {
                let (name, value) = line.split_once(':').expect("a header line");
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        Parsed {
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }

    /// The body as the recipient's mail program shows it.
    fn decoded_body(&self) -> String {
        let encoding = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Transfer-Encoding"))
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_else(|| "7bit".into());
        let bytes = match encoding.as_str() {
            "base64" => {
                let compact: String = self.body.split_whitespace().collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .expect("valid base64 body")
            }
            "quoted-printable" => decode_quoted_printable(&self.body),
            "7bit" | "8bit" | "binary" => self.body.clone().into_bytes(),
            other => panic!("unexpected Content-Transfer-Encoding {other}"),
        };
        String::from_utf8(bytes)
            .expect("a UTF-8 body")
            .replace("\r\n", "\n")
    }
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes[i + 1..].starts_with(b"\r\n") {
                i += 3; // soft line break
                continue;
            }
            let byte = bytes
                .get(i + 1..i + 3)
                .and_then(hex_byte)
                .expect("=XX in quoted-printable");
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Decodes a header value made of RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`)
/// and plain words; the space between two encoded words is not part of the text.
fn decode_rfc2047(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut previous_encoded = false;
    for word in value.split_whitespace() {
        let encoded = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                Some((parts.next()?, parts.next()?, parts.next()?))
            });
        match encoded {
            Some((charset, encoding, text)) => {
                assert!(
                    charset.eq_ignore_ascii_case("utf-8"),
                    "charset {charset} in {value}"
                );
                let bytes = if encoding.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .expect("base64 encoded word")
                } else {
                    assert!(encoding.eq_ignore_ascii_case("q"), "encoding {encoding}");
                    decode_quoted_printable(&text.replace('_', " "))
                };
                if !previous_encoded && !out.is_empty() {
                    out.push(' ');
                }
                pending.extend(bytes);
                previous_encoded = true;
            }
            None => {
                out.push_str(&String::from_utf8(std::mem::take(&mut pending)).expect("UTF-8"));
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
                previous_encoded = false;
            }
        }
    }
    out.push_str(&String::from_utf8(pending).expect("UTF-8 in encoded words"));
    out
}

#[test]
fn the_header_decoder_handles_split_and_plain_words() {
    // "Код" split inside a character across two encoded words, then a plain word.
    let value = "=?utf-8?b?0JrQ?= =?utf-8?b?vtC0?= ok =?UTF-8?Q?=D0=B4=D0=B0_=D0=B4=D0=B0?=";
    assert_eq!(decode_rfc2047(value), "Код ok да да");
    assert_eq!(decode_rfc2047("plain subject"), "plain subject");
}

#[tokio::test]
async fn an_email_arrives_at_the_smtp_server_with_subject_and_cyrillic_body_intact() {
    within(async {
        let (config, received) = smtp_sink(false).await;
        let notifier = SmtpNotifier::new(&config).expect("notifier");
        notifier
            .send(&email("ivan.petrov@example.ru"))
            .await
            .expect("sent");
        let received = received.await.expect("the sink received a message");

        assert_eq!(received.mail_from, "MAIL FROM:<noreply@example.ru>");
        assert_eq!(received.rcpt_to, vec!["RCPT TO:<ivan.petrov@example.ru>"]);

        let parsed = Parsed::new(&received.data);
        assert!(
            parsed.header("To").contains("ivan.petrov@example.ru"),
            "{}",
            parsed.header("To")
        );
        let from = parsed.header("From");
        assert!(from.contains("<noreply@example.ru>"), "{from}");
        assert_eq!(decode_rfc2047(from), "Личный кабинет <noreply@example.ru>");
        let subject = parsed.header("Subject");
        assert!(
            subject.is_ascii(),
            "headers are 7-bit on the wire: {subject}"
        );
        assert_eq!(decode_rfc2047(subject), SUBJECT);
        let content_type = parsed.header("Content-Type").to_ascii_lowercase();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        assert!(content_type.contains("charset=utf-8"), "{content_type}");
        assert!(parsed.header("Date").contains(':'));
        assert!(parsed.header("Message-ID").starts_with('<'));
        assert_eq!(parsed.decoded_body().trim_end(), BODY);
    })
    .await;
}

#[tokio::test]
async fn starttls_is_required_so_nothing_is_sent_in_plain_text() {
    within(async {
        // The sink does not offer STARTTLS: the message must not go out unencrypted.
        let (mut config, received) = smtp_sink(false).await;
        config.tls = SmtpTls::StartTls;
        let notifier = SmtpNotifier::new(&config).expect("notifier with rustls");
        let error = notifier
            .send(&email("ivan.petrov@example.ru"))
            .await
            .expect_err("no STARTTLS, no e-mail");
        assert!(!format!("{error:#}").contains("482913"));
        assert!(received.await.is_err(), "no message reached the server");

        // Implicit TLS sets up too (the connection itself is not tried here).
        config.tls = SmtpTls::Tls;
        assert!(SmtpNotifier::new(&config).is_ok());
    })
    .await;
}

#[tokio::test]
async fn a_refused_recipient_is_an_error() {
    within(async {
        let (config, received) = smtp_sink(true).await;
        let notifier = SmtpNotifier::new(&config).expect("notifier");
        let error = notifier
            .send(&email("nobody@example.ru"))
            .await
            .expect_err("the server refused the recipient");
        let text = format!("{error:#}");
        assert!(text.contains("@example.ru"), "{text}");
        assert!(!text.contains("482913"), "no code in errors: {text}");
        assert!(received.await.is_err(), "no message was accepted");
    })
    .await;
}

#[tokio::test]
async fn a_malformed_address_or_a_wrong_channel_is_refused_before_connecting() {
    within(async {
        let (config, _received) = smtp_sink(false).await;
        let notifier = SmtpNotifier::new(&config).expect("notifier");
        assert!(notifier.send(&email("not an address")).await.is_err());
        assert!(
            notifier
                .send(&sms("+79991234567", "Код: 482913"))
                .await
                .is_err()
        );
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// The SMS gateway

/// One request as the gateway stand-in saw it: the JSON and the `Authorization` header.
type GatewayRequest = (serde_json::Value, Option<String>);

#[derive(Clone, Default)]
struct Gateway {
    requests: Arc<Mutex<Vec<GatewayRequest>>>,
}

impl Gateway {
    fn requests(&self) -> Vec<GatewayRequest> {
        self.requests.lock().expect("lock").clone()
    }
}

async fn record(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Json<serde_json::Value> {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    gateway
        .requests
        .lock()
        .expect("lock")
        .push((body, authorization));
    Json(serde_json::json!({"status": "queued"}))
}

/// The gateway on port 0: `/send` records and answers 200, `/broken` answers 500.
async fn sms_gateway() -> (String, Gateway, tokio::task::JoinHandle<()>) {
    let gateway = Gateway::default();
    let router = axum::Router::new()
        .route("/send", post(record))
        .route(
            "/broken",
            post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "gateway down") }),
        )
        .with_state(gateway.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (base, gateway, server)
}

fn gateway_config(url: &str, token: Option<&str>) -> SmsGatewayConfig {
    SmsGatewayConfig {
        url: url.parse().expect("gateway url"),
        token: token.map(str::to_string),
    }
}

#[tokio::test]
async fn an_sms_is_posted_as_json_with_the_bearer_token() {
    within(async {
        let (base, gateway, server) = sms_gateway().await;
        let config = gateway_config(&format!("{base}/send"), Some("gw-t0ken"));
        let notifier = SmsGatewayNotifier::new(&config).expect("notifier");
        notifier
            .send(&sms("+79991234567", "Код подтверждения: 482913"))
            .await
            .expect("sent");
        let requests = gateway.requests();
        assert_eq!(requests.len(), 1);
        let (json, authorization) = &requests[0];
        assert_eq!(
            json,
            &serde_json::json!({"to": "+79991234567", "text": "Код подтверждения: 482913"})
        );
        assert_eq!(authorization.as_deref(), Some("Bearer gw-t0ken"));

        // Without a token there is no Authorization header at all.
        let notifier = SmsGatewayNotifier::new(&gateway_config(&format!("{base}/send"), None))
            .expect("notifier");
        notifier
            .send(&sms("+79990000000", "Показания приняты"))
            .await
            .expect("sent");
        let requests = gateway.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].0["to"], "+79990000000");
        assert_eq!(requests[1].0["text"], "Показания приняты");
        assert_eq!(requests[1].1, None);
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn a_gateway_error_status_is_an_error_carrying_the_status() {
    within(async {
        let (base, gateway, server) = sms_gateway().await;
        let notifier =
            SmsGatewayNotifier::new(&gateway_config(&format!("{base}/broken"), Some("gw-t0ken")))
                .expect("notifier");
        let error = notifier
            .send(&sms("+79991234567", "Код: 482913"))
            .await
            .expect_err("a 500 is a failure");
        let status = error
            .downcast_ref::<SmsGatewayStatus>()
            .expect("the error carries the status");
        assert_eq!(status.status, StatusCode::INTERNAL_SERVER_ERROR);
        let text = format!("{error:#}");
        assert!(text.contains("500"), "{text}");
        assert!(!text.contains("482913"), "no code in errors: {text}");
        assert!(gateway.requests().is_empty());
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn an_unreachable_gateway_is_an_error() {
    within(async {
        // A port that was free a moment ago and has nobody listening now.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        drop(listener);
        let notifier = SmsGatewayNotifier::new(&gateway_config(
            &format!("http://{addr}/send?key=secret-in-url"),
            None,
        ))
        .expect("notifier");
        let error = notifier
            .send(&sms("+79991234567", "Код: 482913"))
            .await
            .expect_err("nobody answers");
        let text = format!("{error:#}");
        assert!(text.contains("cannot reach the SMS gateway"), "{text}");
        assert!(!text.contains("secret-in-url"), "{text}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Routing

/// The fallback in these tests: keeps every message it is given.
#[derive(Default)]
struct Recorder {
    messages: Mutex<Vec<Message>>,
}

impl Recorder {
    fn recipients(&self) -> Vec<(Channel, String)> {
        self.messages
            .lock()
            .expect("lock")
            .iter()
            .map(|m| (m.channel, m.to.clone()))
            .collect()
    }
}

#[async_trait]
impl Notifier for Recorder {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        self.messages.lock().expect("lock").push(message.clone());
        Ok(())
    }
}

#[tokio::test]
async fn routing_sends_email_over_smtp_and_sms_through_the_gateway() {
    within(async {
        let (smtp, received) = smtp_sink(false).await;
        let (base, gateway, server) = sms_gateway().await;
        let fallback = Arc::new(Recorder::default());
        let notifier = RoutingNotifier::from_configs(
            Some(&smtp),
            Some(&gateway_config(&format!("{base}/send"), Some("gw-t0ken"))),
            fallback.clone(),
        )
        .expect("notifier");

        notifier
            .send(&email("ivan.petrov@example.ru"))
            .await
            .expect("e-mail sent");
        let received = received.await.expect("the SMTP sink received the e-mail");
        assert_eq!(received.rcpt_to, vec!["RCPT TO:<ivan.petrov@example.ru>"]);
        assert_eq!(Parsed::new(&received.data).decoded_body().trim_end(), BODY);

        notifier
            .send(&sms("+79991234567", "Код: 482913"))
            .await
            .expect("sms sent");
        let requests = gateway.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].0["to"], "+79991234567");

        assert!(fallback.recipients().is_empty(), "nothing fell back");
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn routing_falls_back_for_a_channel_without_a_sender() {
    within(async {
        // E-mail configured, SMS not: the SMS goes to the fallback.
        let (smtp, received) = smtp_sink(false).await;
        let fallback = Arc::new(Recorder::default());
        let notifier = RoutingNotifier::new(
            Some(Arc::new(SmtpNotifier::new(&smtp).expect("smtp"))),
            None,
            fallback.clone(),
        );
        notifier
            .send(&sms("+79991234567", "Код: 482913"))
            .await
            .expect("kept");
        notifier
            .send(&email("ivan.petrov@example.ru"))
            .await
            .expect("sent");
        assert!(received.await.is_ok(), "the e-mail went over SMTP");
        assert_eq!(
            fallback.recipients(),
            vec![(Channel::Sms, "+79991234567".to_string())]
        );

        // SMS configured, e-mail not: the e-mail goes to the fallback.
        let (base, gateway, server) = sms_gateway().await;
        let fallback = Arc::new(Recorder::default());
        let notifier = RoutingNotifier::new(
            None,
            Some(Arc::new(
                SmsGatewayNotifier::new(&gateway_config(&format!("{base}/send"), None))
                    .expect("sms"),
            )),
            fallback.clone(),
        );
        notifier
            .send(&email("ivan.petrov@example.ru"))
            .await
            .expect("kept");
        notifier
            .send(&sms("+79991234567", "Код: 482913"))
            .await
            .expect("sent");
        assert_eq!(gateway.requests().len(), 1);
        let kept = fallback.messages.lock().expect("lock").clone();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].channel, Channel::Email);
        assert_eq!(kept[0].subject, SUBJECT);
        assert_eq!(kept[0].body, BODY);

        // Nothing configured: everything goes to the fallback.
        let fallback = Arc::new(Recorder::default());
        let notifier =
            RoutingNotifier::from_configs(None, None, fallback.clone()).expect("notifier");
        notifier.send(&email("a@example.ru")).await.expect("kept");
        notifier
            .send(&sms("+79990000000", "x"))
            .await
            .expect("kept");
        assert_eq!(fallback.recipients().len(), 2);
        server.abort();
    })
    .await;
}
