//! Meters and readings (U-MTR-2..4).

use leptos::prelude::*;
use shared::ApiError;
use shared::utility::readings::{ReadingHistory, ReadingSheet};

/// Shown on «Передать показания по всем лицевым счетам» once everything is sent.
pub const ALL_SENT: &str = "sent";

/// «Передать показания»: the rows, the window and what was sent in it.
#[server(endpoint = "meters/sheet")]
pub async fn load_reading_sheet(account: i64) -> Result<ReadingSheet, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .meters
        .reading_sheet(&session, account)
        .await
}

/// [Передать показания]: `rows[i]` names the meter and zone of `values[i]`; `confirm` is sent
/// once the customer confirmed a consumption far above the usual.
#[server(endpoint = "meters/submit")]
pub async fn submit_readings(
    account: i64,
    #[server(default)] rows: Vec<String>,
    #[server(default)] values: Vec<String>,
    confirm: Option<String>,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let values = rows.into_iter().zip(values).collect();
    ports::state()?
        .utility
        .meters
        .submit_readings(&session, account, values, confirm.is_some(), &key)
        .await?;
    ports::redirect_plain_form(&format!("/accounts/{account}/meters?tab=send&done=sent"));
    Ok(())
}

/// «Показания прибора учета» for the chosen months.
#[server(endpoint = "meters/history")]
pub async fn load_reading_history(
    account: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<ReadingHistory, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .meters
        .reading_history(&session, account, from, to)
        .await
}

/// The sheets of every bound account (U-ALL-2).
#[server(endpoint = "meters/sheets")]
pub async fn load_reading_sheets() -> Result<Vec<ReadingSheet>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .meters
        .reading_sheets(&session)
        .await
}

/// [Передать показания] of «Передать показания по всем лицевым счетам»: `rows[i]` is
/// «<account>:<meter>:<zone>». Each account is sent on its own; the rows of the accounts that
/// were refused come back with their messages, the others are stored.
#[server(endpoint = "meters/submit-all")]
pub async fn submit_all_readings(
    #[server(default)] rows: Vec<String>,
    #[server(default)] values: Vec<String>,
    confirm: Option<String>,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    use std::collections::BTreeMap;
    let session = ports::require_session()?;
    let state = ports::state()?;
    let mut by_account: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    for (row, value) in rows.into_iter().zip(values) {
        let Some((account, rest)) = row.split_once(':') else {
            return Err(ApiError::refused(shared::error::MALFORMED_REQUEST_MESSAGE));
        };
        let account = account
            .parse()
            .map_err(|_| ApiError::refused(shared::error::MALFORMED_REQUEST_MESSAGE))?;
        if !value.trim().is_empty() {
            by_account
                .entry(account)
                .or_default()
                .push((rest.to_string(), value));
        }
    }
    if by_account.is_empty() {
        return Err(ApiError::refused(
            "Введите текущие показания хотя бы одного прибора учета.",
        ));
    }
    let mut fields = Vec::new();
    for (account, values) in by_account {
        let result = state
            .utility
            .meters
            .submit_readings(
                &session,
                account,
                values,
                confirm.is_some(),
                &format!("{key}:{account}"),
            )
            .await;
        match result {
            Ok(()) => {}
            Err(ApiError::Invalid { fields: refused }) => {
                fields.extend(refused.into_iter().map(|f| shared::FieldError {
                    field: f.field.replacen("value:", &format!("value:{account}:"), 1),
                    message: f.message,
                }));
            }
            Err(ApiError::Refused { message }) => {
                fields.push(shared::FieldError::new(
                    format!("account:{account}"),
                    message,
                ));
            }
            Err(other) => return Err(other),
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Invalid { fields });
    }
    ports::redirect_plain_form(&format!("/readings?done={ALL_SENT}"));
    Ok(())
}
