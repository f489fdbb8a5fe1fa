use super::info::PromotionList;
use crate::api::auth::{ConfirmEmail, SendEmailConfirmation};
use crate::components::field::{Field, FormError, action_error, rule};
use crate::shell::sign_in::SignInPage;
use crate::shell::{CurrentPerson, SessionVersion};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::identity::PersonSummary;

/// `/`: the cabinet of the signed-in person, or the sign-in form.
#[component]
pub fn HomePage() -> impl IntoView {
    let person = CurrentPerson::get();
    view! {
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true">"Загрузка…"</div> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(Some(person)) => view! { <Cabinet person /> }.into_any(),
                    Ok(None) => view! { <SignInPage /> }.into_any(),
                    Err(e) => view! {
                        <section class="card narrow" role="alert">
                            <h1>"Не удалось открыть личный кабинет"</h1>
                            <p>{e.to_string()}</p>
                            <p><a class="button" href="/">"Повторить"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The cabinet's header with the person (U-ACC-3); [Выход] is in the top bar.
#[component]
fn Cabinet(person: PersonSummary) -> impl IntoView {
    let query = use_query_map();
    let confirmed = move || query.read().get("confirmed").is_some();
    let unconfirmed = (!person.email_confirmed)
        .then(|| person.email.clone())
        .flatten();
    view! {
        <Title text="Главная" />
        <Show when=confirmed>
            <p class="notice notice--success" role="status">{shared::identity::EMAIL_CONFIRMED_MESSAGE}</p>
        </Show>
        {unconfirmed.map(|email| view! { <EmailConfirmation email /> })}
        <header class="cabinet-header card">
            <div>
                <p class="cabinet-header__greeting">"Личный кабинет"</p>
                <h1 class="cabinet-header__name">{person.full_name()}</h1>
            </div>
            <GeneralLinks person=person.clone() />
        </header>
        {(person.promotions > 0).then(|| view! { <PromotionSlider /> })}
        <super::accounts::AccountsPanel />
    }
}

/// The main page's general links (U-ACC-3); «Опросы» and «Акции» are inactive when empty.
#[component]
fn GeneralLinks(person: PersonSummary) -> impl IntoView {
    use crate::shell::top_bar::section_active;
    let links = [
        ("/pay-all", "Комплексные операции по лицевым счетам"),
        ("/shop", "Интернет-магазин"),
        ("/faq", "Вопросы и ответы"),
        ("/polls", "Опросы"),
        ("/promotions", "Акции"),
        ("/contacts", "Контакты"),
        ("/notices", "Уведомления"),
    ];
    view! {
        <nav class="general-links" aria-label="Общие разделы">
            {links.into_iter().map(|(href, caption)| {
                if section_active(href, &person) {
                    view! { <a class="general-links__link" href=href>{caption}</a> }.into_any()
                } else {
                    view! {
                        <span class="general-links__link general-links__link--off" aria-disabled="true"
                            title=format!("Раздел «{caption}» сейчас пуст")>{caption}</span>
                    }.into_any()
                }
            }).collect_view()}
        </nav>
    }
}

/// The current promotions as a slider (U-ACC-7): cards that scroll sideways on a phone.
#[component]
fn PromotionSlider() -> impl IntoView {
    let promotions = Resource::new(|| (), |_| crate::utility::api::info::load_promotions());
    view! {
        <section class="card promotion-slider" aria-labelledby="slider-title">
            <h2 id="slider-title">"Акции"</h2>
            <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    promotions.await.ok().map(|list| view! { <PromotionList list /> })
                })}
            </Suspense>
        </section>
    }
}

/// «Подтверждение адреса электронной почты» (U-REG-7), shown while the address is unconfirmed.
#[component]
fn EmailConfirmation(email: String) -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("confirm").as_deref() == Some("sent");
    let send = ServerAction::<SendEmailConfirmation>::new();
    let confirm = ServerAction::<ConfirmEmail>::new();
    SessionVersion::refresh_on_success(confirm.value());
    view! {
        <section class="card confirm-email" aria-labelledby="confirm-email-title">
            <h2 id="confirm-email-title">"Подтверждение адреса электронной почты"</h2>
            <p>
                "Подтвердите адрес " <strong>{email.clone()}</strong>
                ": на него будет отправлен код подтверждения. Без подтверждения нельзя входить и восстанавливать пароль по почте."
            </p>
            <ActionForm action=send>
                <FormError message=action_error(send.value(), None) />
                <button type="submit" class="button button--secondary">"Направить код подтверждения"</button>
            </ActionForm>
            <Show when=sent>
                <p class="notice" role="status">{format!("Код подтверждения отправлен на {email}.")}</p>
                <ActionForm action=confirm>
                    <Field label="Код подтверждения".to_string() name="code" autocomplete="one-time-code"
                        inputmode=Signal::stored("numeric") required=true check=rule(shared::person::check_code)
                        server_error=action_error(confirm.value(), Some("code")) />
                    <FormError message=action_error(confirm.value(), None) />
                    <button type="submit" class="button button--primary">"Сохранить"</button>
                </ActionForm>
            </Show>
        </section>
    }
}
