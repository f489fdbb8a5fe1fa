//! Payments (U-PAY-6..8, U-ALL-1, U-PRF-6).
// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use shared::ApiError;
use shared::payments::{AutopayLine, PaySheet, PaymentView};

/// The payment page's lines: one account's suppliers, or every linked account's.
#[server(endpoint = "payments/sheet")]
pub async fn load_pay_sheet(account: Option<i64>) -> Result<PaySheet, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.payments.pay_sheet(&session, account).await
}

/// [Оплатить]: `keys[i]` names the line of `amounts[i]`; `chosen` holds the ticked keys.
/// The same `key` always answers with the same payment.
#[server(endpoint = "payments/pay")]
pub async fn pay(
    account: Option<i64>,
    #[server(default)] keys: Vec<String>,
    #[server(default)] amounts: Vec<String>,
    #[server(default)] chosen: Vec<String>,
    method: Option<String>,
    rules: Option<String>,
    receipt: Option<String>,
    key: String,
) -> Result<i64, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let start = ports::state()?
        .payments
        .create_payment(
            &session,
            ports::PaymentRequest {
                account,
                keys,
                amounts,
                chosen,
                method,
                rules_accepted: rules.is_some(),
                receipt: receipt.is_some(),
                idempotency_key: key,
            },
        )
        .await?;
    leptos_axum::redirect(&start.redirect);
    Ok(start.id)
}

/// [Оплатить заказ] on a shop order's card: its price, by the method chosen.
#[server(endpoint = "payments/order")]
pub async fn pay_order(
    number: String,
    method: Option<String>,
    rules: Option<String>,
    key: String,
) -> Result<i64, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let start = ports::state()?
        .payments
        .pay_order(&session, &number, method.as_deref(), rules.is_some(), &key)
        .await?;
    leptos_axum::redirect(&start.redirect);
    Ok(start.id)
}

/// A payment of the customer, with its state as of now.
#[server(endpoint = "payments/status")]
pub async fn load_payment(id: i64) -> Result<PaymentView, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.payments.payment(&session, id).await
}

/// «Подключенные платежные реквизиты».
#[server(endpoint = "payments/autopays")]
pub async fn load_autopays() -> Result<Vec<AutopayLine>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.payments.autopays(&session).await
}

/// «Подключить автоплатеж»: on to the acquirer's page to save the card. A plain form is
/// redirected there; a page with script gets the address and goes there itself (a full page
/// load: the router would look for the address among the cabinet's own pages).
#[server(endpoint = "payments/autopay-start")]
pub async fn start_autopay(
    account: i64,
    day: String,
    max_amount: String,
    key: String,
) -> Result<String, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let link = ports::state()?
        .payments
        .start_autopay(&session, account, &day, &max_amount, &key)
        .await?;
    ports::redirect_plain_form(&link);
    Ok(link)
}

/// [Отключить автоплатеж].
#[server(endpoint = "payments/autopay-stop")]
pub async fn stop_autopay(account: i64) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .payments
        .stop_autopay(&session, account)
        .await?;
    leptos_axum::redirect("/profile/autopay?done=off");
    Ok(())
}
