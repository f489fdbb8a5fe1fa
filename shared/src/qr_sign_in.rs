//! Sign-in by QR code (U-AUTH-2): a browser that is not signed in shows a QR code; a phone on
//! which the customer is signed in opens its link, sees which device asks, and confirms.

use serde::{Deserialize, Serialize};

/// A QR code is valid this long after it is shown.
pub const QR_TTL_SECS: i64 = 120;

/// After a confirmation, the waiting browser has this long to take its session.
pub const QR_CONFIRMED_GRACE_SECS: i64 = 60;

/// What the browser that shows the QR code learns when it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QrSignInStatus {
    /// No QR code was asked for in this browser, or its sign-in is done.
    Absent,
    /// Waiting for a phone. `version` changes with every new code.
    Pending { version: i64, expires_in_secs: i64 },
    /// Nobody confirmed in time; a new code is needed.
    Expired,
    /// The phone's owner answered «Отклонить».
    Declined,
    /// Confirmed: this browser now has a session.
    SignedIn,
}

/// The state of a request as the confirming phone sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QrRequestState {
    Pending,
    Confirmed,
    Declined,
    Expired,
}

/// A sign-in request, shown on the phone before the customer confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrRequest {
    /// The browser and system that asks, e.g. «Chrome, Windows».
    pub device: String,
    /// The address it asks from.
    pub ip: Option<String>,
    pub expires_in_secs: i64,
    pub state: QrRequestState,
}

/// The link a QR code encodes: the confirmation page of the request `token`.
pub fn confirmation_path(token: &str) -> String {
    format!("/qr/{token}")
}

/// Whether a string can be a request token (URL-safe base64 of at least 128 bits), so that
/// anything else is refused before it reaches the database.
pub fn is_token(token: &str) -> bool {
    (22..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub const QR_EXPIRED_MESSAGE: &str =
    "Срок действия QR-кода истек. Обновите QR-код на компьютере и отсканируйте его снова.";
pub const QR_UNKNOWN_MESSAGE: &str =
    "QR-код не найден. Обновите QR-код на компьютере и отсканируйте его снова.";
pub const QR_ANSWERED_MESSAGE: &str = "На этот запрос входа уже дан ответ.";
pub const QR_CONFIRMED_MESSAGE: &str =
    "Вход подтвержден. Личный кабинет откроется на другом устройстве.";
pub const QR_DECLINED_MESSAGE: &str = "Вход отклонен.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_url_safe_and_long_enough() {
        assert!(is_token("AAAAAAAAAAAAAAAAAAAAAA"));
        assert!(is_token("abcDEF123-_abcDEF123-_xyz"));
        assert!(!is_token("short"));
        assert!(!is_token("AAAAAAAAAAAAAAAAAAAAAA/"));
        assert!(!is_token(&"A".repeat(65)));
        assert!(!is_token("ААААААААААААААААААААААА"));
    }

    #[test]
    fn the_code_links_to_the_confirmation_page() {
        assert_eq!(confirmation_path("abc"), "/qr/abc");
    }
}
