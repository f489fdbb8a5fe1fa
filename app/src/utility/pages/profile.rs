//! «Профиль» → «Личные данные» (U-PRF-1, U-PRF-3, U-PRF-8), and the links between the
//! profile's sections.

use crate::api::profile::{
    ChangePassword, ConfirmContactChange, RequestContactChange, SetShowHints, UpdateNames,
};
use crate::components::field::{
    Field, FormError, PasswordChecklist, action_error, action_field_error, rule,
};
use crate::shell::{CurrentPerson, SessionVersion};
use crate::utility::api::profile::DeleteAccount;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::identity::LoginKind;
use shared::identity::PersonSummary;
use shared::password::Password;
use shared::person::check_name;
use shared::utility::delivery::{LeftDelivery, check_postal_address};

/// The sections of «Профиль» (U-PRF), a page each.
pub const PROFILE_SECTIONS: [(&str, &str); 4] = [
    ("/profile", "Личные данные"),
    ("/profile/receipts", "Способ получения квитанции"),
    (
        "/profile/notifications",
        "Рассылка уведомлений и рекламной продукции",
    ),
    ("/profile/autopay", "Подключенные платежные реквизиты"),
];

/// The links between the profile's sections; `current` is the page's own.
#[component]
pub fn ProfileNav(current: &'static str) -> impl IntoView {
    view! {
        <nav class="account-nav profile-nav" aria-label="Разделы профиля">
            {PROFILE_SECTIONS
                .into_iter()
                .map(|(href, caption)| {
                    let here = href == current;
                    view! {
                        <a class="account-nav__link" class:account-nav__link--current=here href=href
                            aria-current=here.then_some("page")>{caption}</a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let person = CurrentPerson::get();
    view! {
        <Title text="Профиль" />
        <ProfileNav current="/profile" />
        <Suspense fallback=|| view! { <p class="card skeleton" aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(Some(person)) => view! { <Profile person /> }.into_any(),
                    Ok(None) => view! {
                        <section class="card narrow">
                            <h1>"Профиль"</h1>
                            <p>"Войдите в личный кабинет, чтобы изменить личные данные."</p>
                            <p><a class="button button--primary" href="/login">"Войти"</a></p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <p class="card form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn check_middle_name(input: &str) -> Result<(), String> {
    shared::person::parse_optional_name(input).map(|_| ())
}

#[component]
fn Profile(person: PersonSummary) -> impl IntoView {
    let query = use_query_map();
    let editing = move |what: &str| query.read().get("edit").as_deref() == Some(what);
    let saved = move || match query.read().get("saved").as_deref() {
        Some("names") => Some(shared::identity::NAMES_SAVED_MESSAGE),
        Some("password") => Some(shared::identity::PASSWORD_CHANGED_MESSAGE),
        Some("hints") => Some("Настройка подсказок сохранена."),
        Some("phone") => Some(shared::identity::PHONE_CHANGED_MESSAGE),
        Some("email") => Some(shared::identity::EMAIL_CHANGED_MESSAGE),
        _ => None,
    };
    let names = ServerAction::<UpdateNames>::new();
    let password_action = ServerAction::<ChangePassword>::new();
    let hints = ServerAction::<SetShowHints>::new();
    SessionVersion::refresh_on_success(names.value());
    SessionVersion::refresh_on_success(hints.value());
    let last_name = RwSignal::new(person.last_name.clone());
    let first_name = RwSignal::new(person.first_name.clone());
    let middle_name = RwSignal::new(person.middle_name.clone().unwrap_or_default());
    let new_password = RwSignal::new(String::new());
    let phone = shared::contact::Phone::parse(&person.phone)
        .map(|p| p.display())
        .unwrap_or(person.phone.clone());
    view! {
        <section class="card profile">
            <h1>"Личные данные"</h1>
            {move || saved().map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}

            <h2>"ФИО"</h2>
            <Show
                when=move || editing("names")
                fallback={
                    let person = person.clone();
                    move || view! {
                        <dl class="summary">
                            <dt>"Фамилия"</dt><dd>{person.last_name.clone()}</dd>
                            <dt>"Имя"</dt><dd>{person.first_name.clone()}</dd>
                            <dt>"Отчество"</dt><dd>{person.middle_name.clone().unwrap_or_else(|| "не указано".into())}</dd>
                        </dl>
                        <p><a class="button button--secondary" href="/profile?edit=names" aria-label="Редактировать ФИО">"Редактировать"</a></p>
                    }
                }
            >
                <ActionForm action=names>
                    <Field label="Фамилия".to_string() name="last_name" autocomplete="family-name" required=true
                        value=last_name check=rule(check_name) server_error=action_error(names.value(), Some("last_name"))
                        hint="Не более 50 символов: русские или латинские буквы, дефис «-» и тире «—»" />
                    <Field label="Имя".to_string() name="first_name" autocomplete="given-name" required=true
                        value=first_name check=rule(check_name) server_error=action_error(names.value(), Some("first_name")) />
                    <Field label="Отчество".to_string() name="middle_name" autocomplete="additional-name"
                        value=middle_name check=rule(check_middle_name) server_error=action_error(names.value(), Some("middle_name")) />
                    <FormError message=action_error(names.value(), None) />
                    <div class="cluster">
                        <button type="submit" class="button button--primary">"Сохранить"</button>
                        <a class="button button--secondary" href="/profile">"Отменить"</a>
                    </div>
                </ActionForm>
            </Show>

            <h2>"Контакты"</h2>
            <dl class="summary">
                <dt>"Номер телефона"</dt><dd>{phone}</dd>
                <dt>"E-mail"</dt>
                <dd>
                    {person.email.clone().unwrap_or_else(|| "не указан".into())}
                    {(!person.email_confirmed && person.email.is_some()).then(|| view! {
                        " " <a href="/">"Подтвердить адрес электронной почты"</a>
                    })}
                </dd>
            </dl>
            <ContactChange kind=LoginKind::Phone />
            <ContactChange kind=LoginKind::Email />

            <h2>"Пароль"</h2>
            <Show
                when=move || editing("password")
                fallback=|| view! {
                    <p><a class="button button--secondary" href="/profile?edit=password" aria-label="Редактировать пароль">"Редактировать"</a></p>
                }
            >
                <ActionForm action=password_action>
                    <Field label="Текущий пароль".to_string() name="current_password" password=true
                        autocomplete="current-password" required=true
                        server_error=action_error(password_action.value(), Some("current_password")) />
                    <Field label="Новый пароль".to_string() name="password" password=true autocomplete="new-password"
                        required=true value=new_password check=rule(Password::check)
                        server_error=action_error(password_action.value(), Some("password"))>
                        <PasswordChecklist value=new_password />
                    </Field>
                    <Field label="Повторить новый пароль".to_string() name="password_repeat" password=true
                        autocomplete="new-password" required=true
                        check=Callback::new(move |r: String| Password::check_repeat(&new_password.get_untracked(), &r).err())
                        server_error=action_error(password_action.value(), Some("password_repeat")) />
                    <FormError message=action_error(password_action.value(), None) />
                    <div class="cluster">
                        <button type="submit" class="button button--primary">"Изменить пароль"</button>
                        <a class="button button--secondary" href="/profile">"Отменить"</a>
                    </div>
                </ActionForm>
            </Show>

            <h2>"Подсказки"</h2>
            <ActionForm action=hints>
                <label class="checkbox">
                    <input type="checkbox" name="show_hints" value="yes" checked=person.show_hints />
                    " Отображать подсказки"
                </label>
                <FormError message=action_error(hints.value(), None) />
                <button type="submit" class="button button--secondary">"Сохранить"</button>
            </ActionForm>
            <AccountDeletion email=person.email.clone().filter(|_| person.email_confirmed) />
            <p><a href="/">"Вернуться на главную"</a></p>
        </section>
    }
}

/// «Удалить учетную запись» (U-PRF-9): for each bound account how its receipts are to come
/// from now on, the current password, then [Удалить]. `email` is the confirmed address.
#[component]
fn AccountDeletion(email: Option<String>) -> impl IntoView {
    let accounts = Resource::new(|| (), |_| crate::utility::api::accounts::list_accounts());
    let email = StoredValue::new(email);
    let query = use_query_map();
    let editing = move || query.read().get("edit").as_deref() == Some("delete");
    let delete = ServerAction::<DeleteAccount>::new();
    SessionVersion::refresh_on_success(delete.value());
    view! {
        <h2>"Удалить учетную запись"</h2>
        <Show
            when=editing
            fallback=|| view! {
                <p><a class="button button--secondary" href="/profile?edit=delete">"Удалить учетную запись"</a></p>
            }
        >
            <p class="notice notice--warning">
                "Личный кабинет будет удален вместе с личными данными, войти в него будет нельзя.                  Начисления и оплаты по лицевым счетам сохранятся у поставщика."
            </p>
            <ActionForm action=delete>
                <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка лицевых счетов…"</p> }>
                    {move || {
                        let email = email.get_value();
                        Suspend::new(async move {
                            let list = accounts.await.unwrap_or_default();
                            (!list.is_empty()).then(|| view! {
                                <p>"Выберите, как получать квитанции по лицевым счетам после удаления личного кабинета:"</p>
                                {list.into_iter().enumerate().map(|(i, a)| {
                                    let name = format!("receipts[{i}]");
                                    let address = format!("addresses[{i}]");
                                    view! {
                                        <fieldset class="field receipt-choice">
                                            <legend class="field__label">{format!("Лицевой счет № {}, {}", a.number, a.address)}</legend>
                                            {email.clone().map(|email| view! {
                                                <label class="checkbox">
                                                    <input type="radio" name=name.clone() value=LeftDelivery::choice_value(a.id, "electronic") checked=true />
                                                    {format!(" Электронная квитанция на {email}")}
                                                </label>
                                            })}
                                            <label class="checkbox">
                                                <input type="radio" name=name.clone() value=LeftDelivery::choice_value(a.id, "paper") checked=email.is_none() />
                                                {format!(" Бумажная квитанция по адресу: {}", a.address)}
                                            </label>
                                            <label class="checkbox">
                                                <input type="radio" name=name.clone() value=LeftDelivery::choice_value(a.id, "other") />
                                                " Бумажная квитанция по другому почтовому адресу"
                                            </label>
                                            <Field label=format!("Другой почтовый адрес для лицевого счета № {}", a.number)
                                                name=address.clone() autocomplete="street-address"
                                                check=Callback::new(|v: String| check_postal_address(&v).err())
                                                server_error=action_field_error(delete.value(), address) />
                                        </fieldset>
                                    }
                                }).collect_view()}
                            })
                        })
                    }}
                </Suspense>
                <Field label="Текущий пароль".to_string() name="current_password" password=true
                    autocomplete="current-password" required=true
                    server_error=action_error(delete.value(), Some("current_password")) />
                <FormError message=action_error(delete.value(), None) />
                <div class="cluster">
                    <button type="submit" class="button button--danger">"Удалить"</button>
                    <a class="button button--secondary" href="/profile">"Отменить"</a>
                </div>
            </ActionForm>
        </Show>
    }
}

/// U-PRF-2: [Редактировать] the phone or the e-mail; a code to the new one confirms it.
#[component]
fn ContactChange(kind: LoginKind) -> impl IntoView {
    let query = use_query_map();
    let editing = move || query.read().get("edit").as_deref() == Some(kind.param());
    let sent_to = move || query.read().get("to").filter(|to| !to.is_empty());
    let (what, label) = match kind {
        LoginKind::Phone => ("номер телефона", "Новый номер телефона"),
        LoginKind::Email => ("адрес электронной почты", "Новый адрес электронной почты"),
    };
    let request = ServerAction::<RequestContactChange>::new();
    let confirm = ServerAction::<ConfirmContactChange>::new();
    SessionVersion::refresh_on_success(confirm.value());
    view! {
        <Show
            when=editing
            fallback=move || view! {
                <p>
                    <a class="button button--secondary" href=format!("/profile?edit={}", kind.param())
                        aria-label=format!("Редактировать {what}")>"Редактировать"</a>
                    " " {format!("— изменить {what}")}
                </p>
            }
        >
            {move || match sent_to() {
                None => view! {
                    <ActionForm action=request>
                        <input type="hidden" name="kind" value=kind.param() />
                        <Field label=label.to_string() name="value"
                            input_type=if kind == LoginKind::Phone { "tel" } else { "email" }
                            autocomplete=if kind == LoginKind::Phone { "tel" } else { "email" }
                            required=true
                            check=rule(kind.checker())
                            server_error=action_error(request.value(), Some("value")) />
                        <FormError message=action_error(request.value(), None) />
                        <div class="cluster">
                            <button type="submit" class="button button--primary">"Направить код подтверждения"</button>
                            <a class="button button--secondary" href="/profile">"Отменить"</a>
                        </div>
                    </ActionForm>
                }.into_any(),
                Some(to) => view! {
                    <p class="notice" role="status">{format!("Код подтверждения отправлен на {to}.")}</p>
                    <ActionForm action=confirm>
                        <input type="hidden" name="kind" value=kind.param() />
                        <input type="hidden" name="value" value=to.clone() />
                        <Field label="Код подтверждения".to_string() name="code" autocomplete="one-time-code"
                            inputmode=Signal::stored("numeric") required=true check=rule(shared::person::check_code)
                            server_error=action_error(confirm.value(), Some("code")) />
                        <FormError message=action_error(confirm.value(), Some("value")) />
                        <FormError message=action_error(confirm.value(), None) />
                        <div class="cluster">
                            <button type="submit" class="button button--primary">"Сохранить"</button>
                            <a class="button button--secondary" href="/profile">"Отменить"</a>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
        </Show>
    }
}
