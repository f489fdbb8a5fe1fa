//! «Профиль» (U-PRF-1, U-PRF-3, U-PRF-8).

use leptos::prelude::*;
use shared::ApiError;

/// [Сохранить] of «Личные данные»: Фамилия, Имя, Отчество.
#[server(endpoint = "profile/names")]
pub async fn update_names(
    last_name: String,
    first_name: String,
    middle_name: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .update_names(&token, &last_name, &first_name, &middle_name)
        .await?;
    leptos_axum::redirect("/profile?saved=names");
    Ok(())
}

/// [Изменить пароль] (U-PRF-3).
#[server(endpoint = "profile/password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .change_password(&token, &current_password, &password, &password_repeat)
        .await?;
    leptos_axum::redirect("/profile?saved=password");
    Ok(())
}

/// «Отображать подсказки» (U-PRF-8); an unticked checkbox is not sent.
#[server(endpoint = "profile/hints")]
pub async fn set_show_hints(show_hints: Option<String>) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .set_show_hints(&token, show_hints.is_some())
        .await?;
    leptos_axum::redirect("/profile?saved=hints");
    Ok(())
}

/// U-PRF-2, first step: a code to the new phone (`kind=phone`) or e-mail (`kind=email`).
#[server(endpoint = "profile/contact/request")]
pub async fn request_contact_change(kind: String, value: String) -> Result<(), ApiError> {
    use crate::ports;
    let login_kind = shared::identity::LoginKind::from_param(Some(&kind));
    let token = ports::require_session()?;
    let address = ports::state()?
        .identity
        .request_contact_change(&token, login_kind, &value, ports::client_info())
        .await?;
    leptos_axum::redirect(&format!(
        "/profile?edit={}&to={}",
        login_kind.param(),
        shared::contact::url_encode(&address)
    ));
    Ok(())
}

/// U-PRF-2, second step: the code from the new phone or e-mail; then the change is saved.
#[server(endpoint = "profile/contact/confirm")]
pub async fn confirm_contact_change(
    kind: String,
    value: String,
    code: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let login_kind = shared::identity::LoginKind::from_param(Some(&kind));
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .confirm_contact_change(&token, login_kind, &value, &code)
        .await?;
    leptos_axum::redirect(&format!("/profile?saved={}", login_kind.param()));
    Ok(())
}
