//! «Введите регистрационные данные» (U-REG-1..7): the details, [Направить код подтверждения],
//! then the code, the consent and [Зарегистрироваться]. The step is in the address
//! (`?draft=…`), so the page works the same with and without script.

use crate::api::auth::{
    CompleteRegistration, ResendRegistrationCode, StartRegistration, registration_draft,
};
use crate::components::field::{
    Field, FormError, PasswordChecklist, action_error, rule, use_interactive,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::contact::{Phone, check_email, check_phone};
use shared::identity::{RegistrationDraft, RegistrationInput};
use shared::password::Password;
use shared::person::{check_code, check_name};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("draft"));
    let draft = Resource::new(
        move || token.get(),
        |token| async move {
            match token {
                Some(token) => registration_draft(token).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Регистрация" />
        <section class="card narrow auth">
            <h1>"Введите регистрационные данные"</h1>
            <Suspense fallback=|| view! { <p class="skeleton" aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(Some(draft)) => view! { <CodeStep draft /> }.into_any(),
                        Ok(None) => view! { <DetailsStep stale=token.get_untracked().is_some() /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The details and [Направить код подтверждения].
#[component]
fn DetailsStep(stale: bool) -> impl IntoView {
    let action = ServerAction::<StartRegistration>::new();
    let interactive = use_interactive();
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let valid = Signal::derive(move || {
        RegistrationInput {
            last_name: last_name.get(),
            first_name: first_name.get(),
            phone: phone.get(),
            email: email.get(),
            password: password.get(),
            password_repeat: repeat.get(),
        }
        .validate()
        .is_ok()
    });
    let value = action.value();
    view! {
        <Show when=move || stale>
            <p class="form-error" role="alert">
                {shared::identity::DRAFT_EXPIRED_MESSAGE}
            </p>
        </Show>
        <p>"Поля, отмеченные символом «*», обязательны для заполнения."</p>
        <ActionForm action>
            <Field label="Фамилия".to_string() name="last_name" autocomplete="family-name" required=true
                value=last_name check=rule(check_name) server_error=action_error(value, Some("last_name"))
                hint="Не более 50 символов: русские или латинские буквы, дефис «-» и тире «—»" />
            <Field label="Имя".to_string() name="first_name" autocomplete="given-name" required=true
                value=first_name check=rule(check_name) server_error=action_error(value, Some("first_name")) />
            <Field label="Номер телефона".to_string() name="phone" input_type="tel" autocomplete="tel"
                inputmode=Signal::stored("tel") required=true value=phone check=rule(check_phone)
                server_error=action_error(value, Some("phone")) hint="Например, +7 (900) 000-00-01" />
            <Field label="E-mail".to_string() name="email" input_type="email" autocomplete="email"
                inputmode=Signal::stored("email") required=true value=email check=rule(check_email)
                server_error=action_error(value, Some("email")) />
            <Field label="Пароль".to_string() name="password" password=true autocomplete="new-password"
                required=true value=password check=rule(Password::check)
                server_error=action_error(value, Some("password"))>
                <PasswordChecklist value=password />
            </Field>
            <Field label="Повторите пароль".to_string() name="password_repeat" password=true
                autocomplete="new-password" required=true value=repeat
                check=Callback::new(move |r: String| Password::check_repeat(&password.get_untracked(), &r).err())
                server_error=action_error(value, Some("password_repeat")) />
            <FormError message=action_error(value, None) />
            <p class="field__hint" id="send-code-hint">
                {move || if interactive.get() && !valid.get() {
                    "Кнопка станет доступна, когда все поля будут заполнены верно."
                } else {
                    "На номер телефона придет код подтверждения."
                }}
            </p>
            <div class="cluster">
                <button type="submit" class="button button--primary"
                    aria-describedby="send-code-hint"
                    disabled=move || action.pending().get() || (interactive.get() && !valid.get())>
                    "Направить код подтверждения"
                </button>
                <a class="button button--secondary" href="/login">"Отменить"</a>
            </div>
        </ActionForm>
    }
}

/// The code, the consent and [Зарегистрироваться].
#[component]
fn CodeStep(draft: RegistrationDraft) -> impl IntoView {
    let complete = ServerAction::<CompleteRegistration>::new();
    let resend = ServerAction::<ResendRegistrationCode>::new();
    let interactive = use_interactive();
    let code = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let ready = Signal::derive(move || consent.get() && check_code(&code.get()).is_ok());
    let phone = Phone::parse(&draft.phone)
        .map(|p| p.display())
        .unwrap_or(draft.phone.clone());
    let value = complete.value();
    let consent_error = action_error(value, Some("consent"));
    let resent = move || matches!(resend.value().get(), Some(Ok(())));
    let (token, resend_token) = (draft.token.clone(), draft.token.clone());
    view! {
        <dl class="summary">
            <dt>"Фамилия"</dt><dd>{draft.last_name.clone()}</dd>
            <dt>"Имя"</dt><dd>{draft.first_name.clone()}</dd>
            <dt>"Номер телефона"</dt><dd>{phone.clone()}</dd>
            <dt>"E-mail"</dt><dd>{draft.email.clone()}</dd>
        </dl>
        <p><a href="/register">"Изменить данные"</a></p>
        <p class="notice" role="status">
            {format!("Код подтверждения отправлен на номер {phone}. Код действует 5 минут.")}
        </p>
        <ActionForm action=complete>
            <input type="hidden" name="draft" value=token />
            <Field label="Код подтверждения".to_string() name="code" autocomplete="one-time-code"
                inputmode=Signal::stored("numeric") required=true value=code check=rule(check_code)
                server_error=action_error(value, Some("code")) />
            <p>
                <a href="/agreement" target="_blank">"Соглашение об использовании личного кабинета"</a>
            </p>
            <div class="field" class:field--invalid=move || consent_error.get().is_some()>
                <label class="checkbox">
                    <input type="checkbox" name="consent" value="yes" required=true
                        aria-describedby="f-consent-error"
                        on:change=move |ev| consent.set(event_target_checked(&ev)) />
                    " Я ознакомился и согласился с политикой обработки персональных данных"
                </label>
                <p class="field__error" id="f-consent-error" aria-live="polite">{move || consent_error.get()}</p>
            </div>
            <FormError message=action_error(value, None) />
            <p class="field__hint" id="register-hint">
                {move || if interactive.get() && !ready.get() {
                    "Кнопка станет доступна, когда будет введен код и принято соглашение."
                } else {
                    ""
                }}
            </p>
            <div class="cluster">
                <button type="submit" class="button button--primary" aria-describedby="register-hint"
                    disabled=move || complete.pending().get() || (interactive.get() && !ready.get())>
                    "Зарегистрироваться"
                </button>
                <a class="button button--secondary" href="/login">"Отменить"</a>
            </div>
        </ActionForm>
        <ActionForm action=resend>
            <input type="hidden" name="draft" value=resend_token />
            <Show when=resent>
                <p class="notice" role="status">"Новый код отправлен."</p>
            </Show>
            <FormError message=action_error(resend.value(), None) />
            <button type="submit" class="button button--ghost">"Направить код повторно"</button>
        </ActionForm>
    }
}
