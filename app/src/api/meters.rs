//! Meters and readings (U-MTR-2..4).

use leptos::prelude::*;
use shared::ApiError;
use shared::readings::{ReadingHistory, ReadingSheet};

/// «Передать показания»: the rows, the window and what was sent in it.
#[server(endpoint = "meters/sheet")]
pub async fn load_reading_sheet(account: i64) -> Result<ReadingSheet, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
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
        .meters
        .submit_readings(&session, account, values, confirm.is_some(), &key)
        .await?;
    leptos_axum::redirect(&format!("/accounts/{account}/meters?tab=send&done=sent"));
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
        .meters
        .reading_history(&session, account, from, to)
        .await
}
