//! The bar at the top of every page: the portal's name and, for a signed-in customer, the
//! sections and [Выход]. On a phone the sections fold into «Меню» (seed 003 §3.6: the
//! mobile menu, with «Вход через QR-код» and the version); the menu is a `<details>`
//! element, so it opens without script too.

use crate::api::auth::SignOut;
use crate::pages::{CurrentPerson, SessionVersion};
use leptos::prelude::*;

/// The sections of the cabinet: address and caption.
const SECTIONS: &[(&str, &str)] = &[
    ("/", "Главная"),
    ("/appeals", "Обращения"),
    ("/documents", "Заявления и документы"),
    ("/notices", "Уведомления"),
    ("/faq", "Вопросы и ответы"),
    ("/profile", "Профиль"),
    ("/qr", "Вход через QR-код"),
];

#[component]
pub fn TopBar() -> impl IntoView {
    let person = CurrentPerson::get();
    view! {
        <header class="topbar">
            <a class="topbar__brand" href="/">"Личный кабинет"</a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match person.await {
                        Ok(Some(p)) => Some(view! { <Sections unread=p.unread_notices /> }),
                        _ => None,
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn Sections(unread: u32) -> impl IntoView {
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
                <p class="topbar__version">{format!("Версия {}", env!("CARGO_PKG_VERSION"))}</p>
            </nav>
        </details>
    }
}
