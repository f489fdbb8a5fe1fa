//! Personal accounts and their billing data (U-ACC, U-DET, U-PAY): one thin server function
//! per action, each for the session's person only.
// A plain form's fields are a server function's arguments: the application of U-DET-2 has
// more than clippy's seven (the browser build's generated client function repeats them).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use shared::ApiError;
use shared::utility::billing::{
    AccountCard, AccountDetails, AccountOverview, BillingHistory, BranchOption, Statistics,
    TariffHistory,
};

/// The signed-in person's accounts (U-ACC-3).
#[server(endpoint = "accounts/list")]
pub async fn list_accounts() -> Result<Vec<AccountCard>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.utility.accounts.list(&session).await
}

/// The selected account's block (U-ACC-4): the account asked for when it is the customer's,
/// else the first one; `None` without accounts.
#[server(endpoint = "accounts/overview")]
pub async fn load_overview(account: Option<i64>) -> Result<Option<AccountOverview>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let state = ports::state()?;
    let list = state.utility.accounts.list(&session).await?;
    let chosen = account
        .filter(|id| list.iter().any(|a| a.id == *id))
        .or_else(|| list.first().map(|a| a.id));
    match chosen {
        Some(id) => state
            .utility
            .accounts
            .overview(&session, id)
            .await
            .map(Some),
        None => Ok(None),
    }
}

/// The branches of the [+ Добавить лицевой счет] drop-down.
#[server(endpoint = "accounts/branches")]
pub async fn list_branches() -> Result<Vec<BranchOption>, ApiError> {
    use crate::ports;
    ports::state()?.utility.accounts.branches().await
}

/// [Добавить] of «Добавление лицевого счета» (U-ACC-1); an unticked checkbox is not sent.
#[server(endpoint = "accounts/link")]
pub async fn link_account(
    branch: String,
    number: String,
    proof: String,
    e_receipt: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let request = crate::utility::ports::LinkRequest {
        branch,
        number,
        proof,
        e_receipt: e_receipt.is_some(),
    };
    let account = ports::state()?
        .utility
        .accounts
        .link(&session, request, ports::client_info())
        .await?;
    leptos_axum::redirect(&format!("/?account={account}&done=linked"));
    Ok(())
}

/// [Удалить] after its confirmation (U-ACC-2).
#[server(endpoint = "accounts/unlink")]
pub async fn unlink_account(account: i64) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .unlink(&session, account)
        .await?;
    leptos_axum::redirect("/?done=unlinked");
    Ok(())
}

/// [Редактировать] on the main page: the customer's own name for the account.
#[server(endpoint = "accounts/rename")]
pub async fn rename_account(account: i64, name: String) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .rename(&session, account, &name)
        .await?;
    leptos_axum::redirect(&format!("/?account={account}&done=renamed"));
    Ok(())
}

/// [Подписаться на электронную квитанцию] (U-ACC-4).
#[server(endpoint = "accounts/e-receipt")]
pub async fn subscribe_e_receipt(account: i64) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .subscribe_e_receipt(&session, account)
        .await?;
    leptos_axum::redirect(&format!("/?account={account}&done=e-receipt"));
    Ok(())
}

/// «Реквизиты лицевого счета» (U-DET-1, U-DET-2).
#[server(endpoint = "accounts/details")]
pub async fn load_details(account: i64) -> Result<AccountDetails, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .details(&session, account)
        .await
}

/// «История тарифов» (U-DET-4) for the chosen months.
#[server(endpoint = "accounts/tariffs")]
pub async fn load_tariffs(
    account: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<TariffHistory, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .tariffs(&session, account, from, to)
        .await
}

/// «Начисления и оплаты» for the chosen months (U-PAY-1..5, U-PAY-10).
#[server(endpoint = "accounts/history")]
pub async fn load_history(
    account: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<BillingHistory, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .history(&session, account, from, to)
        .await
}

/// «Статистика» (U-PAY-9).
#[server(endpoint = "accounts/statistics")]
pub async fn load_statistics(
    account: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<Statistics, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .accounts
        .statistics(&session, account, from, to)
        .await
}

/// [Редактировать] of «Реквизиты лицевого счета» (U-DET-2): an application to change the
/// data, not a change. Each field holds the value the customer wants (empty: unchanged).
#[server(endpoint = "accounts/details/change")]
pub async fn request_details_change(
    account: i64,
    owner_name: String,
    total_area: String,
    living_area: String,
    owners: String,
    residents: String,
    rooms: String,
    stove: String,
    electric_heating: String,
    comment: String,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let fields = [
        ("owner_name", owner_name),
        ("total_area", total_area),
        ("living_area", living_area),
        ("owners", owners),
        ("residents", residents),
        ("rooms", rooms),
        ("stove", stove),
        ("electric_heating", electric_heating),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let number = ports::state()?
        .utility
        .accounts
        .request_details_change(
            &session,
            account,
            crate::utility::ports::DetailsChange { fields, comment },
            &key,
        )
        .await?;
    leptos_axum::redirect(&format!("/accounts/{account}/details?sent={number}"));
    Ok(())
}

/// [Уведомить о неисправности] (U-DET-3).
#[server(endpoint = "accounts/meters/fault")]
pub async fn report_meter_fault(
    account: i64,
    meter: i64,
    description: String,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let number = ports::state()?
        .utility
        .accounts
        .report_meter_fault(&session, account, meter, &description, &key)
        .await?;
    leptos_axum::redirect(&format!("/accounts/{account}/details?sent={number}"));
    Ok(())
}
