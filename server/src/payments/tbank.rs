//! T-Bank (Tinkoff) Internet Acquiring, API v2: the bank's card page, SBP payment links,
//! saved cards charged for autopay, refunds, and the bank's signed notifications.
//!
//! Every request is a JSON POST to `<base>/<Method>` signed with a `Token` (see [`token`]);
//! every answer carries `Success` and, when it is `false`, `ErrorCode` with `Message`.
//!
//! What the adapter asks of the terminal's settings (the bank's merchant cabinet): the
//! notification address must be Kabinet's `/payments/callback/tbank` for card bindings, and
//! the «Success/Fail Add Card URL» the page to send the customer back to after a binding —
//! `AddCard` takes neither address in the request, unlike `Init`.

use super::acquirer::{
    Acquirer, AcquirerError, Callback, CallbackError, CallbackEvent, Created, NewBinding,
    NewPayment, RemoteStatus, SavedCard,
};
use crate::clock::{Clock, PROVIDER_UTC_OFFSET_SECS};
use anyhow::bail;
use async_trait::async_trait;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use shared::Kopecks;
use shared::payments::PaymentMethod;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// The production address of the API.
pub const DEFAULT_BASE_URL: &str = "https://securepay.tinkoff.ru/v2/";
/// How long a payment link (the card page or the SBP link) stays valid.
pub const LINK_LIFETIME_SECS: i64 = 20 * 60;
/// How long the bank keeps a card binding page open (the documentation says two days).
pub const BINDING_LIFETIME_SECS: i64 = 2 * 24 * 3600;
/// Each request to the bank gives up after this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest description the bank shows for an SBP payment.
const DESCRIPTION_MAX_CHARS: usize = 140;

/// `KABINET_TBANK_*`: the terminal's key and password from the bank's merchant cabinet.
#[derive(Clone)]
pub struct TBankConfig {
    /// `KABINET_TBANK_TERMINAL_KEY`.
    pub terminal_key: String,
    /// `KABINET_TBANK_PASSWORD`: signs requests and the bank's notifications.
    pub password: String,
    /// `KABINET_TBANK_URL`, default [`DEFAULT_BASE_URL`] (a test terminal or a local fake).
    pub base_url: String,
}

impl fmt::Debug for TBankConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TBankConfig")
            .field("terminal_key", &self.terminal_key)
            .field("password", &"<redacted>")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl TBankConfig {
    /// Reads the settings through `lookup` (empty values count as unset). `None` when
    /// `KABINET_TBANK_TERMINAL_KEY` is unset: T-Bank is then not configured.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Option<TBankConfig>> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let key = get("KABINET_TBANK_TERMINAL_KEY");
        let password = get("KABINET_TBANK_PASSWORD");
        let (terminal_key, password) = match (key, password) {
            (None, None) => {
                if get("KABINET_TBANK_URL").is_some() {
                    bail!(
                        "KABINET_TBANK_URL is set but KABINET_TBANK_TERMINAL_KEY is not: \
                         set the terminal's key and password too"
                    );
                }
                return Ok(None);
            }
            (Some(_), None) => bail!(
                "KABINET_TBANK_TERMINAL_KEY is set but KABINET_TBANK_PASSWORD is not: \
                 set the terminal's password too"
            ),
            (None, Some(_)) => bail!(
                "KABINET_TBANK_PASSWORD is set but KABINET_TBANK_TERMINAL_KEY is not: \
                 set the terminal's key too"
            ),
            (Some(key), Some(password)) => (key, password),
        };
        let base_url = get("KABINET_TBANK_URL").unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| {
            anyhow::anyhow!(
                "KABINET_TBANK_URL must be an http:// or https:// address, not {base_url:?}: {e}"
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            bail!("KABINET_TBANK_URL must be an http:// or https:// address, not {base_url:?}");
        }
        Ok(Some(TBankConfig {
            terminal_key,
            password,
            base_url,
        }))
    }
}

/// The request signature of the API: SHA-256 (lowercase hex) of the values of the root's
/// scalar fields and of `Password`, concatenated in the order of their keys. Nested objects
/// and arrays (`DATA`, `Receipt`), nulls and `Token` itself take no part; `true`/`false` and
/// numbers count as their JSON text («true», «19200»). The bank signs its notifications the
/// same way, so this one function both signs requests and checks notifications.
pub fn token(fields: &Map<String, Value>, password: &str) -> String {
    let mut pairs: BTreeMap<&str, String> = BTreeMap::new();
    for (key, value) in fields {
        if key == "Token" {
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => continue,
        };
        pairs.insert(key.as_str(), text);
    }
    pairs.insert("Password", password.to_string());
    let mut hasher = Sha256::new();
    for value in pairs.values() {
        hasher.update(value.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Whether `fields` carry the right `Token` for `password`, compared in constant time.
pub fn token_is_valid(fields: &Map<String, Value>, password: &str) -> bool {
    let Some(given) = fields.get("Token").and_then(Value::as_str) else {
        return false;
    };
    let expected = token(fields, password);
    let given = given.to_ascii_lowercase();
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// Where a payment stands, from the bank's status (the documentation's «статусная модель
/// платежа»):
///
/// - `CONFIRMED` (money taken) and `AUTHORIZED` (money held; with `PayType` `O` the bank
///   confirms it itself) are [`RemoteStatus::Succeeded`]. So are `PARTIAL_REFUNDED` and
///   `PARTIAL_REVERSED` (part of the money is still taken) and `REFUNDING`/`REVERSING` (a
///   return is under way: until it completes the money stays taken).
/// - `REJECTED`, `AUTH_FAIL`, `CANCELED`, `DEADLINE_EXPIRED`, `ATTEMPTS_EXPIRED` (the payment
///   never took money) and `REFUNDED`/`REVERSED` (all of it went back) are
///   [`RemoteStatus::Failed`].
/// - Everything else — `NEW`, `FORM_SHOWED`, `AUTHORIZING`, `3DS_CHECKING`, `3DS_CHECKED`,
///   `PAY_CHECKING`, `CONFIRMING`, `CONFIRM_CHECKING`, and any status the bank adds — is
///   [`RemoteStatus::Pending`]: a later notification or status check settles it.
pub fn map_status(status: &str) -> RemoteStatus {
    match status {
        "CONFIRMED" | "AUTHORIZED" | "PARTIAL_REFUNDED" | "PARTIAL_REVERSED" | "REFUNDING"
        | "REVERSING" => RemoteStatus::Succeeded,
        "REJECTED" | "AUTH_FAIL" | "CANCELED" | "DEADLINE_EXPIRED" | "ATTEMPTS_EXPIRED"
        | "REFUNDED" | "REVERSED" => RemoteStatus::Failed,
        _ => RemoteStatus::Pending,
    }
}

/// The bank's date format for `RedirectDueDate`: Moscow time with its offset,
/// `2016-08-31T12:28:00+03:00`.
pub fn moscow_date(unix: i64) -> String {
    let offset_hours = PROVIDER_UTC_OFFSET_SECS / 3600;
    let local = jiff::Timestamp::from_second(unix + PROVIDER_UTC_OFFSET_SECS)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .datetime();
    format!(
        "{}{}{:02}:00",
        local.strftime("%Y-%m-%dT%H:%M:%S"),
        if offset_hours < 0 { '-' } else { '+' },
        offset_hours.abs()
    )
}

/// A field the bank sends sometimes as a string and sometimes as a number (`PaymentId`,
/// `Amount`, `RebillId`, `CardId`), as text.
fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The last four digits of a masked card number («430000******0777» → «0777»).
fn last_four(pan: &str) -> Option<String> {
    let digits: Vec<char> = pan.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 4).then(|| digits[digits.len() - 4..].iter().collect())
}

/// The fields of a JSON object (nothing for any other value).
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Up to `max` characters of `s`.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// T-Bank's acquiring.
pub struct TBank {
    config: TBankConfig,
    client: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl TBank {
    pub fn new(config: TBankConfig, clock: Arc<dyn Clock>) -> anyhow::Result<TBank> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(TBank {
            config,
            client,
            clock,
        })
    }

    fn url(&self, method: &str) -> String {
        format!("{}/{method}", self.config.base_url.trim_end_matches('/'))
    }

    /// Signs and sends one request; the answer's fields when it says `Success: true`.
    async fn call(
        &self,
        method: &str,
        mut body: Map<String, Value>,
    ) -> Result<Map<String, Value>, AcquirerError> {
        body.insert(
            "TerminalKey".into(),
            Value::String(self.config.terminal_key.clone()),
        );
        let signature = token(&body, &self.config.password);
        body.insert("Token".into(), Value::String(signature));
        let response = self
            .client
            .post(self.url(method))
            .json(&body)
            .send()
            .await
            .map_err(|e| AcquirerError::Unavailable(format!("{method}: {e}")))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(AcquirerError::Unavailable(format!(
                "{method}: HTTP {status}"
            )));
        }
        if !status.is_success() {
            return Err(AcquirerError::Refused(format!("{method}: HTTP {status}")));
        }
        let answer: Value = response
            .json()
            .await
            .map_err(|e| AcquirerError::Unavailable(format!("{method}: unreadable answer: {e}")))?;
        let Value::Object(fields) = answer else {
            return Err(AcquirerError::Unavailable(format!(
                "{method}: the answer is not a JSON object"
            )));
        };
        if fields.get("Success").and_then(Value::as_bool) != Some(true) {
            let part = |key: &str| text(&fields, key).unwrap_or_default();
            let mut reason = format!("{method}: error {}", part("ErrorCode"));
            for key in ["Message", "Details"] {
                let value = part(key);
                if !value.is_empty() {
                    reason.push_str(": ");
                    reason.push_str(&value);
                }
            }
            return Err(AcquirerError::Refused(reason));
        }
        Ok(fields)
    }

    /// A field the answer must have.
    fn required(
        method: &str,
        fields: &Map<String, Value>,
        key: &str,
    ) -> Result<String, AcquirerError> {
        text(fields, key)
            .ok_or_else(|| AcquirerError::Unavailable(format!("{method}: the answer has no {key}")))
    }

    /// `Init`: registers a payment; its `PaymentId` and the whole answer.
    async fn init(
        &self,
        payment: &NewPayment,
        due_unix: i64,
        initiator: &str,
    ) -> Result<(String, Map<String, Value>), AcquirerError> {
        if payment.amount <= Kopecks::ZERO {
            return Err(AcquirerError::Refused(format!(
                "Init: the amount must be positive, not {} kopecks",
                payment.amount.0
            )));
        }
        let mut body = object(json!({
            "Amount": payment.amount.0,
            "OrderId": payment.order,
            "Description": clip(&payment.description, DESCRIPTION_MAX_CHARS),
            "PayType": "O",
            "NotificationURL": payment.notification_url,
            "SuccessURL": payment.return_url,
            "FailURL": payment.return_url,
            "RedirectDueDate": moscow_date(due_unix),
            // Who starts the operation (the bank requires it): «0» the customer paying with
            // a card they type, «R» the merchant charging a saved card for recurring bills.
            "DATA": { "OperationInitiatorType": initiator },
        }));
        if !payment.customer.is_empty() {
            body.insert(
                "CustomerKey".into(),
                Value::String(payment.customer.clone()),
            );
        }
        let answer = self.call("Init", body).await?;
        let payment_id = Self::required("Init", &answer, "PaymentId")?;
        Ok((payment_id, answer))
    }
}

#[async_trait]
impl Acquirer for TBank {
    fn name(&self) -> &'static str {
        "tbank"
    }

    async fn create(&self, payment: &NewPayment) -> Result<Created, AcquirerError> {
        if payment.method == PaymentMethod::Autopay {
            return Err(AcquirerError::Refused(
                "autopay charges a saved card (charge_saved), it has no payment page".into(),
            ));
        }
        let due = self.clock.unix() + LINK_LIFETIME_SECS;
        let (payment_id, answer) = self.init(payment, due, "0").await?;
        let link = match payment.method {
            PaymentMethod::Sbp => {
                let mut body = Map::new();
                body.insert("PaymentId".into(), Value::String(payment_id.clone()));
                body.insert("DataType".into(), Value::String("PAYLOAD".into()));
                let qr = self.call("GetQr", body).await?;
                Self::required("GetQr", &qr, "Data")?
            }
            PaymentMethod::Card | PaymentMethod::Autopay => {
                Self::required("Init", &answer, "PaymentURL")?
            }
        };
        Ok(Created {
            reference: payment_id,
            link,
            expires_at: Some(due),
        })
    }

    async fn status(&self, reference: &str) -> Result<RemoteStatus, AcquirerError> {
        let mut body = Map::new();
        body.insert("PaymentId".into(), Value::String(reference.to_string()));
        let answer = self.call("GetState", body).await?;
        Ok(map_status(&Self::required("GetState", &answer, "Status")?))
    }

    async fn bind_card(&self, binding: &NewBinding) -> Result<Created, AcquirerError> {
        let mut body = Map::new();
        body.insert(
            "CustomerKey".into(),
            Value::String(binding.customer.clone()),
        );
        // The customer may be registered already (an earlier binding): the bank then refuses
        // AddCustomer, and AddCard below works all the same. A customer who is truly missing
        // makes AddCard fail with the bank's own reason.
        match self.call("AddCustomer", body.clone()).await {
            Ok(_) => {}
            Err(AcquirerError::Refused(reason)) => {
                tracing::debug!(%reason, "T-Bank AddCustomer refused; binding the card anyway");
            }
            Err(unavailable) => return Err(unavailable),
        }
        // «3DS»: the bank checks the card with 3-D Secure and gives a RebillId (what autopay
        // charges) for the cards that pass it.
        body.insert("CheckType".into(), Value::String("3DS".into()));
        let answer = self.call("AddCard", body).await?;
        Ok(Created {
            reference: Self::required("AddCard", &answer, "RequestKey")?,
            link: Self::required("AddCard", &answer, "PaymentURL")?,
            expires_at: Some(self.clock.unix() + BINDING_LIFETIME_SECS),
        })
    }

    async fn charge_saved(
        &self,
        card_token: &str,
        payment: &NewPayment,
    ) -> Result<(String, RemoteStatus), AcquirerError> {
        let due = self.clock.unix() + LINK_LIFETIME_SECS;
        let (payment_id, _) = self.init(payment, due, "R").await?;
        let mut body = Map::new();
        body.insert("PaymentId".into(), Value::String(payment_id.clone()));
        body.insert("RebillId".into(), Value::String(card_token.to_string()));
        let answer = self.call("Charge", body).await?;
        let status = Self::required("Charge", &answer, "Status")?;
        Ok((payment_id, map_status(&status)))
    }

    async fn refund(&self, reference: &str, amount: Kopecks) -> Result<(), AcquirerError> {
        if amount <= Kopecks::ZERO {
            return Err(AcquirerError::Refused(format!(
                "Cancel: the amount must be positive, not {} kopecks",
                amount.0
            )));
        }
        let mut body = Map::new();
        body.insert("PaymentId".into(), Value::String(reference.to_string()));
        body.insert("Amount".into(), Value::from(amount.0));
        self.call("Cancel", body).await?;
        Ok(())
    }

    /// Checks a notification's `TerminalKey` and `Token`. T-Bank's notifications carry no
    /// time of their own, so `now` is not used: a replayed notification is recognised by its
    /// event id (`<PaymentId>:<Status>:<Amount>` for payments, where the amount tells two
    /// partial refunds apart; `binding:<RequestKey>:<Status>` for card bindings), which a
    /// repeated notification repeats.
    fn verify_callback(
        &self,
        _headers: &http::HeaderMap,
        body: &[u8],
        _now: i64,
    ) -> Result<Callback, CallbackError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| CallbackError::Malformed(format!("not JSON: {e}")))?;
        let Value::Object(fields) = value else {
            return Err(CallbackError::Malformed("not a JSON object".into()));
        };
        let terminal = fields.get("TerminalKey").and_then(Value::as_str);
        if terminal != Some(self.config.terminal_key.as_str())
            || !token_is_valid(&fields, &self.config.password)
        {
            return Err(CallbackError::BadSignature);
        }
        let field = |key: &str| {
            text(&fields, key)
                .ok_or_else(|| CallbackError::Malformed(format!("the notification has no {key}")))
        };
        let status = field("Status")?;
        let success = fields.get("Success").and_then(Value::as_bool) == Some(true);
        // A card binding's notification names its RequestKey and no order; some terminals
        // also mark it with `NotificationType: LINKCARD`.
        let is_binding = fields.get("NotificationType").and_then(Value::as_str) == Some("LINKCARD")
            || (fields.contains_key("RequestKey") && !fields.contains_key("OrderId"));
        if is_binding {
            let request = field("RequestKey")?;
            // The saved card is what autopay charges: its RebillId. A binding that completed
            // without one (a card without 3-D Secure) cannot be charged, so it counts as failed.
            let card = match (success && status == "COMPLETED", text(&fields, "RebillId")) {
                (true, Some(rebill)) => Some(SavedCard {
                    token: rebill,
                    caption: format!(
                        "•••• {}",
                        text(&fields, "Pan")
                            .as_deref()
                            .and_then(last_four)
                            .unwrap_or_else(|| "????".into())
                    ),
                }),
                _ => None,
            };
            return Ok(Callback {
                event_id: format!("binding:{request}:{status}"),
                event: CallbackEvent::Binding { request, card },
            });
        }
        let order = field("OrderId")?;
        let reference = field("PaymentId")?;
        let amount_text = field("Amount")?;
        let amount = amount_text
            .parse::<i64>()
            .map(Kopecks)
            .map_err(|_| CallbackError::Malformed(format!("Amount {amount_text:?}")))?;
        // `Success: false` with a status that would otherwise read as taken money is an error
        // report: the payment failed.
        let remote = match map_status(&status) {
            RemoteStatus::Succeeded if !success => RemoteStatus::Failed,
            other => other,
        };
        Ok(Callback {
            event_id: format!("{reference}:{status}:{}", amount.0),
            event: CallbackEvent::Payment {
                order,
                reference,
                status: remote,
                amount,
            },
        })
    }

    fn callback_ack(&self) -> &'static str {
        "OK"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_as_documented() {
        for s in ["CONFIRMED", "AUTHORIZED", "PARTIAL_REFUNDED"] {
            assert_eq!(map_status(s), RemoteStatus::Succeeded, "{s}");
        }
        for s in [
            "REJECTED",
            "CANCELED",
            "DEADLINE_EXPIRED",
            "AUTH_FAIL",
            "REFUNDED",
        ] {
            assert_eq!(map_status(s), RemoteStatus::Failed, "{s}");
        }
        for s in ["NEW", "FORM_SHOWED", "3DS_CHECKING", "SOMETHING_NEW"] {
            assert_eq!(map_status(s), RemoteStatus::Pending, "{s}");
        }
    }

    #[test]
    fn due_dates_are_moscow_time_with_the_offset() {
        // 2026-11-20T07:00:00Z is 10:00 in Moscow.
        assert_eq!(moscow_date(1_795_158_000), "2026-11-20T10:00:00+03:00");
    }

    #[test]
    fn the_configuration_needs_both_key_and_password() {
        let lookup = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(TBankConfig::from_lookup(lookup(&[])).unwrap().is_none());
        assert!(TBankConfig::from_lookup(lookup(&[("KABINET_TBANK_TERMINAL_KEY", "T")])).is_err());
        assert!(TBankConfig::from_lookup(lookup(&[("KABINET_TBANK_PASSWORD", "p")])).is_err());
        let config = TBankConfig::from_lookup(lookup(&[
            ("KABINET_TBANK_TERMINAL_KEY", "T"),
            ("KABINET_TBANK_PASSWORD", "p"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(config.base_url, DEFAULT_BASE_URL);
        assert!(!format!("{config:?}").contains("\"p\""));
        assert!(
            TBankConfig::from_lookup(lookup(&[
                ("KABINET_TBANK_TERMINAL_KEY", "T"),
                ("KABINET_TBANK_PASSWORD", "p"),
                ("KABINET_TBANK_URL", "ftp://x"),
            ]))
            .is_err()
        );
    }
}
