//! «Удалить учетную запись» as the cabinet does it (U-PRF-9): each bound account's receipts
//! are left to the provider before the platform deletes the person.

use leptos::prelude::*;
use shared::ApiError;

/// [Удалить] of «Удалить учетную запись» (U-PRF-9): how each account's receipts are to come
/// from now on (`receipts[i]` as `LeftDelivery::choice_value` writes it, `addresses[i]` the
/// other postal address typed beside it), then the cabinet is deleted and the browser signed
/// out. A wrong address is named next to its field (`addresses[i]`) and nothing is deleted.
#[server(endpoint = "profile/delete")]
pub async fn delete_account(
    current_password: String,
    #[server(default)] receipts: Vec<String>,
    #[server(default)] addresses: Vec<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    use shared::utility::delivery::LeftDelivery;
    let token = ports::require_session()?;
    let state = ports::state()?;
    let mut choices = Vec::with_capacity(receipts.len());
    let mut errors = shared::error::FieldErrors::new();
    for (i, choice) in receipts.iter().enumerate() {
        let address = addresses.get(i).map(String::as_str).unwrap_or_default();
        match LeftDelivery::from_form(choice, address) {
            Some((id, Ok(delivery))) => choices.push((id, delivery)),
            Some((_, Err(message))) => errors.add(format!("addresses[{i}]"), message),
            None => {}
        }
    }
    errors.into_result()?;
    state
        .identity
        .verify_password(&token, &current_password)
        .await?;
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
