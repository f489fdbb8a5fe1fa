use super::SessionVersion;
use crate::api::auth::{SendSignInCode, SignIn, SignInWithCode};
use crate::components::field::{Field, FormError, action_error, rule};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use shared::identity::LoginKind;
use shared::person::check_code;

/// The sign-in page (U-AUTH-1): tabs «По почте» / «По номеру»; by password, or by a code
/// ([Получить код авторизации]). The tab and the mode are in the address, so that the page
/// works the same with and without script.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| LoginKind::from_param(query.read().get("by").as_deref()));
    let mode = Memo::new(move |_| query.read().get("mode").unwrap_or_default());
    let by_code = Memo::new(move |_| mode.read().as_str() == "code");
    let by_qr = Memo::new(move |_| mode.read().as_str() == "qr");
    // The page to return to travels with every link of the page.
    let next = Memo::new(move |_| {
        next_page(query)
            .map(|next| format!("&next={}", shared::contact::url_encode(&next)))
            .unwrap_or_default()
    });
    let sent_to = Memo::new(move |_| query.read().get("to").filter(|to| !to.is_empty()));
    let registered = move || query.read().get("registered").is_some();
    let recovered = move || query.read().get("recovered").is_some();
    let deleted = move || query.read().get("deleted").is_some();

    view! {
        <Title text="Вход" />
        <section class="card narrow auth">
            <h1>"Вход в личный кабинет"</h1>
            <Show when=registered>
                <p class="notice notice--success" role="status">
                    "Регистрация завершена. Войдите в личный кабинет."
                </p>
            </Show>
            <Show when=deleted>
                <p class="notice notice--success" role="status">
                    {shared::identity::ACCOUNT_DELETED_MESSAGE}
                </p>
            </Show>
            <Show when=recovered>
                <p class="notice notice--success" role="status">
                    {shared::identity::PASSWORD_RECOVERED_MESSAGE}
                </p>
            </Show>
            <Show when=move || !by_qr.get()>
                <LoginTabs
                    kind
                    href=Callback::new(move |k: LoginKind| {
                        let mode = if by_code.get() { "&mode=code" } else { "" };
                        format!("/login?by={}{mode}{}", k.param(), next.read())
                    })
                />
            </Show>
            {move || {
                let k = kind.get();
                if by_qr.get() {
                    return view! { <super::qr::QrPanel /> }.into_any();
                }
                match (by_code.get(), sent_to.get()) {
                    (false, _) => view! { <PasswordForm kind=k /> }.into_any(),
                    (true, None) => view! { <SendCodeForm kind=k /> }.into_any(),
                    (true, Some(to)) => view! { <CodeForm kind=k to /> }.into_any(),
                }
            }}
            <Show when=move || !by_qr.get()>
                <super::qr::QrButton />
            </Show>
            <p class="auth__links">
                {move || if by_code.get() || by_qr.get() {
                    view! { <a href=format!("/login?by={}{}", kind.get().param(), next.read())>"Войти по паролю"</a> }.into_any()
                } else {
                    view! {
                        <a href=format!("/login?by={}&mode=code{}", kind.get().param(), next.read())>"Получить код авторизации"</a>
                    }.into_any()
                }}
            </p>
            <p class="auth__links">
                <a href=move || format!("/recover?by={}", kind.get().param())>"Восстановить пароль"</a>
            </p>
            <p class="auth__links">
                "Нет личного кабинета? "
                <a href="/register">"Зарегистрироваться"</a>
            </p>
        </section>
    }
}

/// The tabs «По почте» / «По номеру»: links, so that they work with and without script.
#[component]
pub(crate) fn LoginTabs(kind: Memo<LoginKind>, href: Callback<LoginKind, String>) -> impl IntoView {
    let tab = move |k: LoginKind, caption: &'static str| {
        view! {
            <a
                class="tabs__tab"
                href=move || href.run(k)
                aria-current=move || (kind.get() == k).then_some("page")
            >
                {caption}
            </a>
        }
    };
    view! {
        <nav class="tabs" aria-label="Способ входа">
            {tab(LoginKind::Email, "По почте")}
            {tab(LoginKind::Phone, "По номеру")}
        </nav>
    }
}

/// The e-mail or phone field of a tab.
#[component]
pub(crate) fn LoginField(
    kind: LoginKind,
    #[prop(into)] server_error: Signal<Option<String>>,
) -> impl IntoView {
    let phone = kind == LoginKind::Phone;
    view! {
        <Field
            label=kind.field_label().to_string()
            name="login"
            input_type=if phone { "tel" } else { "email" }
            autocomplete=if phone { "tel" } else { "username" }
            inputmode=Signal::stored(if phone { "tel" } else { "email" })
            required=true
            check=rule(kind.checker())
            server_error
            hint=if phone { "Например, +7 (900) 000-00-01" } else { "Например, ivanov@mail.ru" }
        />
    }
}

#[component]
fn PasswordForm(kind: LoginKind) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    SessionVersion::refresh_on_success(action.value());
    view! {
        <ActionForm action>
            <input type="hidden" name="by" value=kind.param() />
            <NextField />
            <LoginField kind server_error=action_error(action.value(), Some("login")) />
            <Field
                label="Пароль".to_string()
                name="password"
                password=true
                autocomplete="current-password"
                required=true
                server_error=action_error(action.value(), Some("password"))
            />
            <FormError message=action_error(action.value(), None) />
            <button type="submit" class="button button--primary button--wide" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Вход…" } else { "Войти" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn SendCodeForm(kind: LoginKind) -> impl IntoView {
    let action = ServerAction::<SendSignInCode>::new();
    let target = if kind == LoginKind::Phone {
        "номер телефона"
    } else {
        "подтвержденный адрес электронной почты"
    };
    view! {
        <ActionForm action>
            <input type="hidden" name="by" value=kind.param() />
            <NextField />
            <LoginField kind server_error=action_error(action.value(), Some("login")) />
            <p class="field__hint">{format!("Код подтверждения придет на {target} и будет действовать 5 минут.")}</p>
            <FormError message=action_error(action.value(), None) />
            <button type="submit" class="button button--primary button--wide" disabled=move || action.pending().get()>
                "Направить код подтверждения"
            </button>
        </ActionForm>
    }
}

#[component]
fn CodeForm(kind: LoginKind, to: String) -> impl IntoView {
    let action = ServerAction::<SignInWithCode>::new();
    let resend = ServerAction::<SendSignInCode>::new();
    SessionVersion::refresh_on_success(action.value());
    let shown = shared::contact::Phone::parse(&to)
        .map(|p| p.display())
        .unwrap_or_else(|_| to.clone());
    let resend_to = to.clone();
    view! {
        <p class="notice" role="status">{format!("Код подтверждения отправлен на {shown}.")}</p>
        <ActionForm action>
            <input type="hidden" name="by" value=kind.param() />
            <input type="hidden" name="login" value=to />
            <NextField />
            <Field
                label="Код подтверждения".to_string()
                name="code"
                autocomplete="one-time-code"
                inputmode=Signal::stored("numeric")
                required=true
                check=rule(check_code)
                server_error=action_error(action.value(), Some("code"))
            />
            <FormError message=action_error(action.value(), None) />
            <button type="submit" class="button button--primary button--wide" disabled=move || action.pending().get()>
                "Войти"
            </button>
        </ActionForm>
        <ActionForm action=resend>
            <input type="hidden" name="by" value=kind.param() />
            <input type="hidden" name="login" value=resend_to />
            <NextField />
            <FormError message=action_error(resend.value(), None) />
            <button type="submit" class="button button--ghost">"Направить код повторно"</button>
        </ActionForm>
    }
}

/// The page to return to after signing in (`next` in the address), carried by the forms.
#[component]
fn NextField() -> impl IntoView {
    let query = use_query_map();
    move || next_page(query).map(|next| view! { <input type="hidden" name="next" value=next /> })
}

/// The page to return to after signing in, from `next` in the address (see
/// [`shared::identity::next_page`]).
fn next_page(query: Memo<ParamsMap>) -> Option<String> {
    let next = query.read().get("next")?;
    shared::identity::next_page(Some(&next)).map(str::to_string)
}
