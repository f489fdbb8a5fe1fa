//! The bar at the top of every page: the portal's name and, for a signed-in customer, the
//! sections and [Выход]. On a phone the sections fold into «Меню» (seed 003 §3.6: the
//! mobile menu, with «Вход через QR-код» and the version); the menu is a `<details>`
//! element, so it opens without script too.

use crate::api::auth::SignOut;
use crate::shell::{CurrentPerson, SessionVersion};
use leptos::prelude::*;

/// The sections of the cabinet: address and caption.
const SECTIONS: &[(&str, &str)] = &[
    ("/", "Главная"),
    ("/appeals", "Обращения"),
    ("/documents", "Заявления и документы"),
    ("/notices", "Уведомления"),
    ("/faq", "Вопросы и ответы"),
    ("/contacts", "Контакты"),
    ("/profile", "Профиль"),
    ("/qr", "Вход через QR-код"),
];

/// The sections the phone's menu adds (on a desktop the main page links them, U-ACC-3).
pub const MORE_SECTIONS: &[(&str, &str)] = &[
    ("/pay-all", "Комплексные операции по лицевым счетам"),
    ("/shop", "Интернет-магазин"),
    ("/polls", "Опросы"),
    ("/promotions", "Акции"),
];

/// Whether a section has something to show: «Опросы» and «Акции» are inactive when empty
/// (U-INF-1).
pub fn section_active(href: &str, person: &shared::identity::PersonSummary) -> bool {
    match href {
        "/polls" => person.polls > 0,
        "/promotions" => person.promotions > 0,
        _ => true,
    }
}

#[component]
pub fn TopBar() -> impl IntoView {
    let person = CurrentPerson::get();
    view! {
        <header class="topbar">
            <a class="topbar__brand" href="/">"Личный кабинет"</a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match person.await {
                        Ok(Some(p)) => Some(view! { <Sections person=p /> }),
                        _ => None,
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn Sections(person: shared::identity::PersonSummary) -> impl IntoView {
    let unread = person.unread_notices;
    // «Отображать подсказки» off (U-PRF-8): the style sheet hides every hint of every page
    // while this mark is in the top bar (`body:has(.hints-off)`), with and without script.
    let hints_off = (!person.show_hints).then(|| view! { <span class="hints-off" hidden></span> });
    let sign_out = ServerAction::<SignOut>::new();
    SessionVersion::refresh_on_success(sign_out.value());
    let menu = NodeRef::<leptos::html::Details>::new();
    // A link followed inside the menu closes it (the page changes without a reload).
    let close = move |_| {
        if let Some(menu) = menu.get() {
            let _ = menu.remove_attribute("open");
        }
    };
    let links = move |on_phone: bool| {
        SECTIONS
            .iter()
            .map(|(href, caption)| {
                // The unread notices come with the signed-in person (no resource of their own).
                let badge = (*href == "/notices" && unread > 0).then(|| {
                    view! {
                        <span class="badge">{unread}<span class="visually-hidden">" непрочитанных"</span></span>
                    }
                });
                view! {
                    <a class="topbar__link" href=*href on:click=move |e| if on_phone { close(e) }>
                        {*caption}
                        {badge}
                    </a>
                }
            })
            .collect_view()
    };
    view! {
        {hints_off}
        <nav class="topbar__nav" aria-label="Разделы">
            {links(false)}
            <ActionForm action=sign_out>
                <button type="submit" class="button button--secondary">"Выход"</button>
            </ActionForm>
        </nav>
        <details class="topbar__menu" node_ref=menu>
            <summary class="button button--secondary">"Меню"</summary>
            <nav class="topbar__menu-list" aria-label="Меню">
                {links(true)}
                <ActionForm action=sign_out>
                    <button type="submit" class="button button--secondary button--wide">"Выйти"</button>
                </ActionForm>
                {MORE_SECTIONS.iter().map(|(href, caption)| {
                    if section_active(href, &person) {
                        view! { <a class="topbar__link" href=*href on:click=close>{*caption}</a> }.into_any()
                    } else {
                        view! { <span class="topbar__link topbar__link--off" aria-disabled="true">{*caption}</span> }.into_any()
                    }
                }).collect_view()}
                <p class="topbar__version">{format!("Версия {}", env!("CARGO_PKG_VERSION"))}</p>
            </nav>
        </details>
    }
}
