//! «Удалить учетную запись» as the cabinet does it (U-PRF-9): each bound account's receipts
//! are left to the provider before the platform deletes the person.

use leptos::prelude::*;
use shared::ApiError;

/// [Удалить] of «Удалить учетную запись» (U-PRF-9): how each account's receipts are to come
/// from now on (`receipts`: «<account id>:electronic» or «<account id>:paper»), then the
/// cabinet is deleted and the browser signed out.
#[server(endpoint = "profile/delete")]
pub async fn delete_account(
    current_password: String,
    #[server(default)] receipts: Vec<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    let state = ports::state()?;
    state
        .identity
        .verify_password(&token, &current_password)
        .await?;
    let choices: Vec<(i64, bool)> = receipts
        .iter()
        .filter_map(|choice| {
            let (id, how) = choice.split_once(':')?;
            Some((id.parse().ok()?, how == "electronic"))
        })
        .collect();
    state
        .utility
        .accounts
        .leave_receipt_instructions(&token, &choices)
        .await?;
    state
        .identity
        .delete_account(&token, &current_password)
        .await?;
    ports::set_session_cookie(None, state.secure_cookies);
    leptos_axum::redirect("/login?deleted=1");
    Ok(())
}
