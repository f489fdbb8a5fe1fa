//! Sign-in by QR code (U-AUTH-2): the waiting browser's side and the confirming phone's side.

use leptos::prelude::*;
use shared::ApiError;
use shared::qr_sign_in::{QrRequest, QrSignInStatus};

/// [QR-код]: a new QR code for this browser (replacing its previous one); the sign-in page
/// then shows it.
#[server(endpoint = "auth/qr/start")]
pub async fn start_qr_sign_in() -> Result<(), ApiError> {
    use crate::ports;
    let state = ports::state()?;
    let previous = ports::cookie(ports::QR_COOKIE);
    let start = state
        .qr_sign_in
        .start(previous.as_deref(), ports::client_info())
        .await?;
    ports::set_cookie(
        ports::QR_COOKIE,
        &start.cookie,
        start.max_age_secs,
        state.secure_cookies,
    );
    leptos_axum::redirect("/login?mode=qr");
    Ok(())
}

/// Where this browser's QR sign-in stands; the page asks every second while the code is
/// shown. Once a phone confirmed, this signs the browser in and sends it to the cabinet.
#[server(endpoint = "auth/qr/status")]
pub async fn poll_qr_sign_in() -> Result<QrSignInStatus, ApiError> {
    use crate::ports;
    let Some(cookie) = ports::cookie(ports::QR_COOKIE) else {
        return Ok(QrSignInStatus::Absent);
    };
    let state = ports::state()?;
    let (status, session) = state
        .qr_sign_in
        .status(&cookie, ports::client_info())
        .await?;
    if let Some(session) = session {
        ports::set_cookie(ports::QR_COOKIE, "", 0, state.secure_cookies);
        super::auth::enter(&state, session, None).await?;
    }
    Ok(status)
}

/// The request a QR code names, for the signed-in phone that opened the code's link.
#[server(endpoint = "auth/qr/request")]
pub async fn find_qr_request(token: String) -> Result<QrRequest, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.qr_sign_in.request(&session, &token).await
}

/// [Подтвердить вход] (`answer` = "confirm") or [Отклонить] on the phone.
#[server(endpoint = "auth/qr/answer")]
pub async fn answer_qr_request(token: String, answer: String) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .qr_sign_in
        .answer(&session, &token, answer == "confirm")
        .await?;
    leptos_axum::redirect(&shared::qr_sign_in::confirmation_path(&token));
    Ok(())
}
