//! «Восстановление пароля» (U-AUTH-3): by phone or by confirmed e-mail, a code, the new
//! password twice, [Сменить пароль], then the sign-in page.

use super::sign_in::{LoginField, LoginTabs};
use crate::api::auth::{RecoverPassword, SendRecoveryCode};
use crate::api::portal::get_portal_info;
use crate::components::field::{Field, FormError, PasswordChecklist, action_error, rule};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::identity::LoginKind;
use shared::password::Password;
use shared::person::check_code;

#[component]
pub fn RecoverPage() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| LoginKind::from_param(query.read().get("by").as_deref()));
    let sent_to = Memo::new(move |_| query.read().get("to").filter(|to| !to.is_empty()));
    let info = Resource::new(|| (), |_| get_portal_info());
    view! {
        <Title text="Восстановление пароля" />
        <section class="card narrow auth">
            <h1>"Восстановление пароля"</h1>
            <LoginTabs kind href=Callback::new(|k: LoginKind| format!("/recover?by={}", k.param())) />
            {move || {
                let k = kind.get();
                match sent_to.get() {
                    None => view! { <SendForm kind=k /> }.into_any(),
                    Some(to) => view! { <NewPasswordForm kind=k to /> }.into_any(),
                }
            }}
            <p class="auth__links"><a href="/login">"Вернуться ко входу"</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    info.await.ok().map(|info| view! {
                        <p class="field__hint">
                            "Если при восстановлении пароля возникают ошибки, обратитесь за консультацией в информационный центр по телефону "
                            <a href=format!("tel:{}", info.support_phone.replace([' ', '(', ')', '-'], ""))>{info.support_phone.clone()}</a>
                            "."
                        </p>
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SendForm(kind: LoginKind) -> impl IntoView {
    let action = ServerAction::<SendRecoveryCode>::new();
    view! {
        <ActionForm action>
            <input type="hidden" name="by" value=kind.param() />
            <LoginField kind server_error=action_error(action.value(), Some("login")) />
            {(kind == LoginKind::Email).then(|| view! {
                <p class="field__hint">"Восстановить пароль по почте можно, только если адрес электронной почты подтвержден."</p>
            })}
            <FormError message=action_error(action.value(), None) />
            <button type="submit" class="button button--primary button--wide" disabled=move || action.pending().get()>
                "Направить код подтверждения"
            </button>
        </ActionForm>
    }
}

#[component]
fn NewPasswordForm(kind: LoginKind, to: String) -> impl IntoView {
    let action = ServerAction::<RecoverPassword>::new();
    let password = RwSignal::new(String::new());
    let shown = shared::contact::Phone::parse(&to)
        .map(|p| p.display())
        .unwrap_or_else(|_| to.clone());
    let value = action.value();
    view! {
        <p class="notice" role="status">{format!("Код подтверждения отправлен на {shown}. Код действует 5 минут.")}</p>
        <ActionForm action>
            <input type="hidden" name="by" value=kind.param() />
            <input type="hidden" name="login" value=to />
            <Field label="Код подтверждения".to_string() name="code" autocomplete="one-time-code"
                inputmode=Signal::stored("numeric") required=true check=rule(check_code)
                server_error=action_error(value, Some("code")) />
            <Field label="Введите новый пароль".to_string() name="password" password=true
                autocomplete="new-password" required=true value=password check=rule(Password::check)
                server_error=action_error(value, Some("password"))>
                <PasswordChecklist value=password />
            </Field>
            <Field label="Подтверждение пароля".to_string() name="password_repeat" password=true
                autocomplete="new-password" required=true
                check=Callback::new(move |r: String| Password::check_repeat(&password.get_untracked(), &r).err())
                server_error=action_error(value, Some("password_repeat")) />
            <FormError message=action_error(value, None) />
            <button type="submit" class="button button--primary button--wide" disabled=move || action.pending().get()>
                "Сменить пароль"
            </button>
        </ActionForm>
        <p class="auth__links">
            <a href=format!("/recover?by={}", kind.param())>"Направить код повторно"</a>
        </p>
    }
}
