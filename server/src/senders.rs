//! The notifiers that deliver messages for real: e-mail over SMTP (`lettre`, rustls) and SMS
//! through an HTTP gateway (`reqwest`, rustls), plus the router that sends each message
//! through its channel's sender, or through the fallback (the development outbox) when the
//! channel has none.
//!
//! Message bodies carry confirmation codes, so nothing here logs a body or a whole
//! recipient: only the channel and, for e-mail, the recipient's domain.

use crate::notify::{Channel, Message, Notifier};
use anyhow::{Context, bail};
use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How long one SMTP command may take before the send fails.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one request to the SMS gateway may take before the send fails.
const SMS_TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text throughout (a relay on the same machine, tests).
    None,
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Where and how e-mail is sent (`KABINET_SMTP_*`).
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The `From` of every message, e.g. `Kabinet <noreply@example.ru>`.
    pub from: Mailbox,
    pub tls: SmtpTls,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from.to_string())
            .field("tls", &self.tls)
            .finish()
    }
}

/// Where SMS messages are posted (`KABINET_SMS_GATEWAY_*`).
#[derive(Clone)]
pub struct SmsGatewayConfig {
    pub url: reqwest::Url,
    /// Sent as `Authorization: Bearer <token>` when set.
    pub token: Option<String>,
}

impl fmt::Debug for SmsGatewayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsGatewayConfig")
            .field("url", &self.url.as_str())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Reads the senders' settings through `lookup` (as [`crate::config::Config::from_lookup`]
/// does; empty values count as unset). Nothing set gives `(None, None)`: every message then
/// goes to the fallback.
pub fn senders_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<(Option<SmtpConfig>, Option<SmsGatewayConfig>)> {
    let get = |name: &str| {
        lookup(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Ok((smtp_from_lookup(&get)?, sms_from_lookup(&get)?))
}

fn smtp_from_lookup(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<SmtpConfig>> {
    const OTHERS: [&str; 5] = [
        "KABINET_SMTP_PORT",
        "KABINET_SMTP_USERNAME",
        "KABINET_SMTP_PASSWORD",
        "KABINET_SMTP_FROM",
        "KABINET_SMTP_TLS",
    ];
    let Some(host) = get("KABINET_SMTP_HOST") else {
        if let Some(name) = OTHERS.iter().find(|name| get(name).is_some()) {
            bail!(
                "{name} is set but KABINET_SMTP_HOST is not: set the SMTP server's host name too"
            );
        }
        return Ok(None);
    };
    // One colon is a port written into the host; more would be an IPv6 address.
    if host.contains(['/', ' ']) || host.matches(':').count() == 1 {
        bail!(
            "KABINET_SMTP_HOST must be a host name such as smtp.example.ru, not {host:?} \
             (the port goes into KABINET_SMTP_PORT)"
        );
    }
    let tls = match get("KABINET_SMTP_TLS")
        .map(|v| v.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("starttls") => SmtpTls::StartTls,
        Some("tls") => SmtpTls::Tls,
        Some("none") => SmtpTls::None,
        Some(other) => bail!("KABINET_SMTP_TLS must be starttls, tls or none, not {other:?}"),
    };
    let port = match get("KABINET_SMTP_PORT") {
        // Implicit TLS lives on 465; 587 would wait for a TLS greeting that never comes.
        None if tls == SmtpTls::Tls => 465,
        None => 587,
        Some(value) => match value.parse::<u16>() {
            Ok(port) if port != 0 => port,
            _ => bail!("KABINET_SMTP_PORT must be a port number from 1 to 65535, not {value:?}"),
        },
    };
    let username = get("KABINET_SMTP_USERNAME");
    let password = get("KABINET_SMTP_PASSWORD");
    match (&username, &password) {
        (Some(_), None) => bail!("KABINET_SMTP_USERNAME is set but KABINET_SMTP_PASSWORD is not"),
        (None, Some(_)) => bail!("KABINET_SMTP_PASSWORD is set but KABINET_SMTP_USERNAME is not"),
        (Some(_), Some(_)) if tls == SmtpTls::None => bail!(
            "KABINET_SMTP_TLS=none would send KABINET_SMTP_PASSWORD unencrypted: \
             use starttls or tls with a user name and password"
        ),
        _ => {}
    }
    let Some(from) = get("KABINET_SMTP_FROM") else {
        bail!(
            "KABINET_SMTP_FROM is required with KABINET_SMTP_HOST: the sender's address, \
             e.g. \"Kabinet <noreply@example.ru>\""
        );
    };
    let from = from.parse::<Mailbox>().map_err(|e| {
        anyhow::anyhow!(
            "KABINET_SMTP_FROM must be an e-mail address such as noreply@example.ru or \
             \"Kabinet <noreply@example.ru>\", not {from:?}: {e}"
        )
    })?;
    Ok(Some(SmtpConfig {
        host,
        port,
        username,
        password,
        from,
        tls,
    }))
}

fn sms_from_lookup(
    get: &impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<SmsGatewayConfig>> {
    let token = get("KABINET_SMS_GATEWAY_TOKEN");
    let Some(url) = get("KABINET_SMS_GATEWAY_URL") else {
        if token.is_some() {
            bail!(
                "KABINET_SMS_GATEWAY_TOKEN is set but KABINET_SMS_GATEWAY_URL is not: \
                 set the gateway's address too"
            );
        }
        return Ok(None);
    };
    let parsed = reqwest::Url::parse(&url).map_err(|e| {
        anyhow::anyhow!(
            "KABINET_SMS_GATEWAY_URL must be an http:// or https:// address, not {url:?}: {e}"
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        bail!("KABINET_SMS_GATEWAY_URL must be an http:// or https:// address, not {url:?}");
    }
    Ok(Some(SmsGatewayConfig { url: parsed, token }))
}

/// The part of a recipient that may be logged: the domain of an e-mail address, nothing of
/// a phone number.
fn loggable_recipient(message: &Message) -> &str {
    match message.channel {
        Channel::Email => message
            .to
            .rsplit_once('@')
            .map(|(_, domain)| domain)
            .unwrap_or("?"),
        Channel::Sms => "-",
    }
}

fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
    }
}

/// Sends e-mail messages through an SMTP server.
pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpNotifier {
    /// Prepares the transport; no connection is made until the first message.
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Self> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .timeout(Some(SMTP_TIMEOUT));
        builder = match config.tls {
            SmtpTls::None => builder.tls(Tls::None),
            SmtpTls::StartTls => builder.tls(Tls::Required(
                TlsParameters::new(config.host.clone()).context("cannot set up TLS for SMTP")?,
            )),
            SmtpTls::Tls => builder.tls(Tls::Wrapper(
                TlsParameters::new(config.host.clone()).context("cannot set up TLS for SMTP")?,
            )),
        };
        if let (Some(username), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            from: config.from.clone(),
        })
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        if message.channel != Channel::Email {
            bail!(
                "the SMTP sender only sends e-mail, not {}",
                channel_name(message.channel)
            );
        }
        let domain = loggable_recipient(message);
        let to = message.to.parse::<Mailbox>().map_err(|e| {
            anyhow::anyhow!("the recipient (@{domain}) is not an e-mail address: {e}")
        })?;
        let builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.as_str())
            .message_id(None);
        let email = if message.attachments.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(message.body.clone())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(message.body.clone()));
            for file in &message.attachments {
                let kind = ContentType::parse(&file.content_type)
                    .with_context(|| format!("bad content type of {}", file.name))?;
                parts = parts.singlepart(
                    lettre::message::Attachment::new(file.name.clone())
                        .body(file.bytes.clone(), kind),
                );
            }
            builder.multipart(parts)
        }
        .context("cannot compose the e-mail")?;
        self.transport
            .send(email)
            .await
            .with_context(|| format!("SMTP server did not accept the e-mail to @{domain}"))?;
        tracing::info!(
            channel = "email",
            recipient_domain = domain,
            "message sent over SMTP"
        );
        Ok(())
    }
}

/// The SMS gateway answered with a status other than 2xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the SMS gateway answered {status}")]
pub struct SmsGatewayStatus {
    pub status: reqwest::StatusCode,
}

#[derive(Serialize)]
struct SmsRequest<'a> {
    to: &'a str,
    text: &'a str,
}

/// Sends SMS messages as `POST <url>` with `{"to": "+7…", "text": "…"}`.
pub struct SmsGatewayNotifier {
    client: reqwest::Client,
    config: SmsGatewayConfig,
}

impl SmsGatewayNotifier {
    pub fn new(config: &SmsGatewayConfig) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(SMS_TIMEOUT)
            .build()
            .context("cannot set up the HTTP client for the SMS gateway")?;
        Ok(Self {
            client,
            config: config.clone(),
        })
    }
}

#[async_trait]
impl Notifier for SmsGatewayNotifier {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        if message.channel != Channel::Sms {
            bail!(
                "the SMS gateway only sends SMS, not {}",
                channel_name(message.channel)
            );
        }
        let mut request = self.client.post(self.config.url.clone()).json(&SmsRequest {
            to: &message.to,
            text: &message.body,
        });
        if let Some(token) = &self.config.token {
            request = request.bearer_auth(token);
        }
        // The address is left out of the error: an operator may have put a key in it.
        let response = request
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("cannot reach the SMS gateway: {}", e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(SmsGatewayStatus { status }.into());
        }
        tracing::info!(
            channel = "sms",
            status = status.as_u16(),
            "message sent to the SMS gateway"
        );
        Ok(())
    }
}

/// Sends each message through its channel's sender, or through `fallback` (the development
/// outbox) when that channel has none.
pub struct RoutingNotifier {
    email: Option<Arc<dyn Notifier>>,
    sms: Option<Arc<dyn Notifier>>,
    fallback: Arc<dyn Notifier>,
}

impl RoutingNotifier {
    pub fn new(
        email: Option<Arc<dyn Notifier>>,
        sms: Option<Arc<dyn Notifier>>,
        fallback: Arc<dyn Notifier>,
    ) -> Self {
        Self {
            email,
            sms,
            fallback,
        }
    }

    /// The SMTP and SMS gateway senders that are configured, the fallback for the rest.
    pub fn from_configs(
        smtp: Option<&SmtpConfig>,
        sms: Option<&SmsGatewayConfig>,
        fallback: Arc<dyn Notifier>,
    ) -> anyhow::Result<Self> {
        let email = match smtp {
            Some(config) => Some(Arc::new(SmtpNotifier::new(config)?) as Arc<dyn Notifier>),
            None => None,
        };
        let sms = match sms {
            Some(config) => Some(Arc::new(SmsGatewayNotifier::new(config)?) as Arc<dyn Notifier>),
            None => None,
        };
        Ok(Self::new(email, sms, fallback))
    }
}

#[async_trait]
impl Notifier for RoutingNotifier {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        let sender = match message.channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        };
        match sender {
            Some(sender) => sender.send(message).await,
            None => {
                tracing::debug!(
                    channel = channel_name(message.channel),
                    recipient_domain = loggable_recipient(message),
                    "no sender configured for this channel: using the fallback"
                );
                self.fallback.send(message).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn senders(
        vars: &[(&str, &str)],
    ) -> anyhow::Result<(Option<SmtpConfig>, Option<SmsGatewayConfig>)> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        senders_from_lookup(|k| map.get(k).cloned())
    }

    fn error(vars: &[(&str, &str)]) -> String {
        match senders(vars) {
            Ok(result) => panic!("expected an error, got {result:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn nothing_set_means_no_senders() {
        let (smtp, sms) = senders(&[]).unwrap();
        assert!(smtp.is_none());
        assert!(sms.is_none());
        let (smtp, sms) =
            senders(&[("KABINET_SMTP_HOST", "  "), ("KABINET_SMS_GATEWAY_URL", "")]).unwrap();
        assert!(
            smtp.is_none() && sms.is_none(),
            "empty values count as unset"
        );
    }

    #[test]
    fn smtp_defaults_to_starttls_on_587_without_credentials() {
        let (smtp, sms) = senders(&[
            ("KABINET_SMTP_HOST", "smtp.example.ru"),
            ("KABINET_SMTP_FROM", "Личный кабинет <noreply@example.ru>"),
        ])
        .unwrap();
        let smtp = smtp.unwrap();
        assert!(sms.is_none());
        assert_eq!(smtp.host, "smtp.example.ru");
        assert_eq!(smtp.port, 587);
        assert_eq!(smtp.tls, SmtpTls::StartTls);
        assert_eq!(smtp.username, None);
        assert_eq!(smtp.password, None);
        assert_eq!(smtp.from.email.to_string(), "noreply@example.ru");
        assert_eq!(smtp.from.name.as_deref(), Some("Личный кабинет"));
    }

    #[test]
    fn smtp_reads_every_setting() {
        let (smtp, _) = senders(&[
            ("KABINET_SMTP_HOST", "mail.example.ru"),
            ("KABINET_SMTP_PORT", "2525"),
            ("KABINET_SMTP_USERNAME", "portal"),
            ("KABINET_SMTP_PASSWORD", "s3cret"),
            ("KABINET_SMTP_FROM", "noreply@example.ru"),
            ("KABINET_SMTP_TLS", "TLS"),
        ])
        .unwrap();
        let smtp = smtp.unwrap();
        assert_eq!(smtp.port, 2525);
        assert_eq!(smtp.tls, SmtpTls::Tls);
        assert_eq!(smtp.username.as_deref(), Some("portal"));
        assert_eq!(smtp.password.as_deref(), Some("s3cret"));
        let debug = format!("{smtp:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn implicit_tls_defaults_to_465_and_none_to_587() {
        let base = [
            ("KABINET_SMTP_HOST", "mail.example.ru"),
            ("KABINET_SMTP_FROM", "noreply@example.ru"),
        ];
        let with = |tls: &'static str| {
            let mut vars = base.to_vec();
            vars.push(("KABINET_SMTP_TLS", tls));
            senders(&vars).unwrap().0.unwrap()
        };
        assert_eq!(with("tls").port, 465);
        let plain = with("none");
        assert_eq!((plain.tls, plain.port), (SmtpTls::None, 587));
        assert_eq!(with("starttls").tls, SmtpTls::StartTls);
    }

    #[test]
    fn bad_smtp_settings_are_named_in_the_error() {
        let host = ("KABINET_SMTP_HOST", "smtp.example.ru");
        let from = ("KABINET_SMTP_FROM", "noreply@example.ru");
        assert!(error(&[host]).contains("KABINET_SMTP_FROM is required"));
        assert!(
            error(&[host, ("KABINET_SMTP_FROM", "not an address")])
                .contains("KABINET_SMTP_FROM must be")
        );
        for port in ["0", "65536", "smtp", "-1"] {
            let e = error(&[host, from, ("KABINET_SMTP_PORT", port)]);
            assert!(e.contains("KABINET_SMTP_PORT must be a port number"), "{e}");
        }
        let e = error(&[host, from, ("KABINET_SMTP_TLS", "ssl")]);
        assert!(
            e.contains("KABINET_SMTP_TLS must be starttls, tls or none"),
            "{e}"
        );
        let e = error(&[host, from, ("KABINET_SMTP_USERNAME", "portal")]);
        assert!(e.contains("KABINET_SMTP_PASSWORD is not"), "{e}");
        let e = error(&[host, from, ("KABINET_SMTP_PASSWORD", "s3cret")]);
        assert!(e.contains("KABINET_SMTP_USERNAME is not"), "{e}");
        assert!(!e.contains("s3cret"), "the password is never repeated: {e}");
        let e = error(&[
            host,
            from,
            ("KABINET_SMTP_TLS", "none"),
            ("KABINET_SMTP_USERNAME", "portal"),
            ("KABINET_SMTP_PASSWORD", "s3cret"),
        ]);
        assert!(e.contains("unencrypted"), "{e}");
        let e = error(&[("KABINET_SMTP_HOST", "smtp.example.ru:587"), from]);
        assert!(e.contains("KABINET_SMTP_HOST must be a host name"), "{e}");
        let e = error(&[from]);
        assert!(
            e.contains("KABINET_SMTP_FROM is set but KABINET_SMTP_HOST is not"),
            "{e}"
        );
    }

    #[test]
    fn sms_gateway_reads_url_and_token() {
        let (smtp, sms) = senders(&[
            ("KABINET_SMS_GATEWAY_URL", "https://sms.example.ru/api/send"),
            ("KABINET_SMS_GATEWAY_TOKEN", "t0ken"),
        ])
        .unwrap();
        assert!(smtp.is_none());
        let sms = sms.unwrap();
        assert_eq!(sms.url.as_str(), "https://sms.example.ru/api/send");
        assert_eq!(sms.token.as_deref(), Some("t0ken"));
        assert!(!format!("{sms:?}").contains("t0ken"));
        let (_, sms) =
            senders(&[("KABINET_SMS_GATEWAY_URL", "http://127.0.0.1:9000/sms")]).unwrap();
        assert_eq!(sms.unwrap().token, None);
    }

    #[test]
    fn bad_sms_settings_are_named_in_the_error() {
        for url in ["sms.example.ru/send", "ftp://sms.example.ru/", "https://"] {
            let e = error(&[("KABINET_SMS_GATEWAY_URL", url)]);
            assert!(
                e.contains("KABINET_SMS_GATEWAY_URL must be an http"),
                "{url}: {e}"
            );
        }
        let e = error(&[("KABINET_SMS_GATEWAY_TOKEN", "t0ken")]);
        assert!(e.contains("KABINET_SMS_GATEWAY_URL is not"), "{e}");
        assert!(!e.contains("t0ken"), "{e}");
    }

    #[test]
    fn only_the_email_domain_is_loggable() {
        let message = |channel, to: &str| Message {
            attachments: Vec::new(),
            channel,
            to: to.into(),
            subject: "s".into(),
            body: "b".into(),
        };
        assert_eq!(
            loggable_recipient(&message(Channel::Email, "ivan@example.ru")),
            "example.ru"
        );
        assert_eq!(
            loggable_recipient(&message(Channel::Sms, "+79991234567")),
            "-"
        );
    }
}
