//! «Способ получения квитанции» (U-PRF-4) and «Рассылка уведомлений и рекламной продукции»
//! (U-PRF-5).

use leptos::prelude::*;
use shared::ApiError;
use shared::utility::delivery::{NoticePrefs, ReceiptSettings};

#[server(endpoint = "profile/receipts")]
pub async fn load_receipt_settings() -> Result<ReceiptSettings, ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .utility
        .delivery
        .receipt_settings(&token)
        .await
}

/// [Сохранить] of one account: «Электронная квитанция» (an unticked box is not sent) and
/// the address (empty: the profile's confirmed e-mail).
#[server(endpoint = "profile/receipts/save")]
pub async fn save_receipt_setting(
    account: i64,
    electronic: Option<String>,
    #[server(default)] email: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .utility
        .delivery
        .save_receipt_setting(&token, account, electronic.is_some(), &email)
        .await?;
    leptos_axum::redirect(&format!("/profile/receipts?account={account}&saved=1"));
    Ok(())
}

#[server(endpoint = "profile/notifications")]
pub async fn load_notice_prefs() -> Result<NoticePrefs, ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?.utility.delivery.notice_prefs(&token).await
}

/// [Сохранить] of the notification settings: the ticked «kind.channel» boxes and the
/// advertising consent.
#[server(endpoint = "profile/notifications/save")]
pub async fn save_notice_prefs(
    #[server(default)] on: Vec<String>,
    advertising_consent: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    let prefs = NoticePrefs::from_form(&on, advertising_consent.is_some());
    ports::state()?
        .utility
        .delivery
        .save_notice_prefs(&token, &prefs, ports::client_info())
        .await?;
    leptos_axum::redirect("/profile/notifications?saved=1");
    Ok(())
}
