use leptos::prelude::*;
use shared::ApiError;
use shared::identity::PersonSummary;

/// Sign-in by e-mail or phone and password (U-AUTH-1). `by` is the form's tab; `next` the
/// page of this site to return to.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    by: String,
    login: String,
    password: String,
    next: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    use shared::error::FieldErrors;
    use shared::identity::LoginKind;
    let kind = LoginKind::from_param(Some(&by));
    let mut errors = FieldErrors::new();
    let login = errors.check("login", kind.parse(&login));
    if password.is_empty() {
        errors.add("password", shared::contact::REQUIRED_MESSAGE);
    }
    errors.into_result()?;
    let Some(login) = login else {
        return Err(ApiError::Unavailable);
    };
    let state = ports::state()?;
    let session = state
        .identity
        .sign_in_with_password(login, password, ports::client_info())
        .await?;
    enter(&state, session, next.as_deref()).await
}

/// Opens the cabinet with a new session: the previous one of this browser is closed (the
/// session id changes at sign-in), the cookie set, and the browser sent to `next` (a page of
/// this site) or home.
#[cfg(feature = "ssr")]
pub(crate) async fn enter(
    state: &crate::ports::AppState,
    session: crate::ports::NewSession,
    next: Option<&str>,
) -> Result<(), ApiError> {
    use crate::ports;
    if let Some(old) = ports::session_token() {
        state.identity.sign_out(&old).await?;
    }
    ports::set_session_cookie(Some(&session), state.secure_cookies);
    leptos_axum::redirect(shared::identity::return_path(next));
    Ok(())
}

/// [Направить код подтверждения] of sign-in by code (U-AUTH-1): a code to the phone or the
/// confirmed e-mail; the page then asks for the code.
#[server(endpoint = "auth/code/send")]
pub async fn send_sign_in_code(
    by: String,
    login: String,
    next: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let (kind, login) = parse_login(&by, &login)?;
    let address = login_address(&login);
    ports::state()?
        .identity
        .send_sign_in_code(login, ports::client_info())
        .await?;
    let page = match shared::identity::next_page(next.as_deref()) {
        Some(next) => format!(
            "/login?mode=code&next={}&",
            shared::contact::url_encode(next)
        ),
        None => "/login?mode=code&".to_string(),
    };
    redirect_to_code_step(&page, kind, &address);
    Ok(())
}

/// [Войти] with the code (U-AUTH-1).
#[server(endpoint = "auth/code/sign_in")]
pub async fn sign_in_with_code(
    by: String,
    login: String,
    code: String,
    next: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let (_, login) = parse_login(&by, &login)?;
    let state = ports::state()?;
    let session = state
        .identity
        .sign_in_with_code(login, &code, ports::client_info())
        .await?;
    enter(&state, session, next.as_deref()).await
}

/// [Выход] (U-AUTH-4): closes the session and forgets the cookie.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::ports;
    let state = ports::state()?;
    if let Some(token) = ports::session_token() {
        state.identity.sign_out(&token).await?;
    }
    ports::set_session_cookie(None, state.secure_cookies);
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in person, or `None`.
#[server(endpoint = "auth/me")]
pub async fn current_person() -> Result<Option<PersonSummary>, ApiError> {
    use crate::ports;
    let state = ports::state()?;
    match ports::session_token() {
        Some(token) => state.identity.person_by_session(&token).await,
        None => Ok(None),
    }
}

/// [Направить код подтверждения] on «Введите регистрационные данные» (U-REG-1..4, U-REG-6):
/// checks every field, sends a code to the phone and opens the code step.
#[server(endpoint = "auth/register/start")]
pub async fn start_registration(
    last_name: String,
    first_name: String,
    phone: String,
    email: String,
    password: String,
    password_repeat: String,
) -> Result<shared::identity::RegistrationDraft, ApiError> {
    use crate::ports;
    let input = shared::identity::RegistrationInput {
        last_name,
        first_name,
        phone,
        email,
        password,
        password_repeat,
    };
    let draft = ports::state()?
        .identity
        .start_registration(input, ports::client_info())
        .await?;
    leptos_axum::redirect(&format!("/register?draft={}", draft.token));
    Ok(draft)
}

/// Sends the registration code again.
#[server(endpoint = "auth/register/resend")]
pub async fn resend_registration_code(draft: String) -> Result<(), ApiError> {
    use crate::ports;
    ports::state()?
        .identity
        .resend_registration_code(&draft, ports::client_info())
        .await
}

/// The registration waiting for its code, as the page shows it.
#[server(endpoint = "auth/register/draft")]
pub async fn registration_draft(
    draft: String,
) -> Result<Option<shared::identity::RegistrationDraft>, ApiError> {
    crate::ports::state()?
        .identity
        .registration_draft(&draft)
        .await
}

/// [Зарегистрироваться] (U-REG-5, U-REG-7): the code and the consent; then the sign-in page.
#[server(endpoint = "auth/register/complete")]
pub async fn complete_registration(
    draft: String,
    code: String,
    consent: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    ports::state()?
        .identity
        .complete_registration(&draft, &code, consent.is_some(), ports::client_info())
        .await?;
    leptos_axum::redirect("/login?registered=1");
    Ok(())
}

/// [Направить код подтверждения] of «Восстановление пароля» (U-AUTH-3).
#[server(endpoint = "auth/recover/send")]
pub async fn send_recovery_code(by: String, login: String) -> Result<(), ApiError> {
    use crate::ports;
    let (kind, login) = parse_login(&by, &login)?;
    let address = login_address(&login);
    ports::state()?
        .identity
        .send_recovery_code(login, ports::client_info())
        .await?;
    redirect_to_code_step("/recover?", kind, &address);
    Ok(())
}

/// [Сменить пароль] (U-AUTH-3): the code and the new password twice; then the sign-in page.
#[server(endpoint = "auth/recover/complete")]
pub async fn recover_password(
    by: String,
    login: String,
    code: String,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let (_, login) = parse_login(&by, &login)?;
    ports::state()?
        .identity
        .recover_password(login, &code, &password, &password_repeat)
        .await?;
    leptos_axum::redirect("/login?recovered=1");
    Ok(())
}

/// [Направить код подтверждения] of «Подтверждение адреса электронной почты» (U-REG-7).
#[server(endpoint = "auth/email/send")]
pub async fn send_email_confirmation() -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .send_email_confirmation(&token, ports::client_info())
        .await?;
    leptos_axum::redirect("/?confirm=sent");
    Ok(())
}

/// [Сохранить] with the code from the e-mail (U-REG-7).
#[server(endpoint = "auth/email/confirm")]
pub async fn confirm_email(code: String) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_session()?;
    ports::state()?
        .identity
        .confirm_email(&token, &code)
        .await?;
    leptos_axum::redirect("/?confirmed=1");
    Ok(())
}

/// The tab (`by`) and the checked login of a form.
#[cfg(feature = "ssr")]
fn parse_login(
    by: &str,
    login: &str,
) -> Result<(shared::identity::LoginKind, shared::identity::Login), ApiError> {
    let kind = shared::identity::LoginKind::from_param(Some(by));
    let login = kind
        .parse(login)
        .map_err(|e| ApiError::field("login", e.to_string()))?;
    Ok((kind, login))
}

/// After a code was sent: the page asks for it (`page` ends in `?` or `&`).
#[cfg(feature = "ssr")]
fn redirect_to_code_step(page: &str, kind: shared::identity::LoginKind, address: &str) {
    leptos_axum::redirect(&format!(
        "{page}by={}&to={}",
        kind.param(),
        shared::contact::url_encode(address)
    ));
}

/// The phone or e-mail a login names, as stored.
#[cfg(feature = "ssr")]
fn login_address(login: &shared::identity::Login) -> String {
    match login {
        shared::identity::Login::Email(e) => e.as_str().to_string(),
        shared::identity::Login::Phone(p) => p.as_str().to_string(),
    }
}
