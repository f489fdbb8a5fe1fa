//! A banner while the browser has no network (DESIGN: the offline state of every page).

use leptos::prelude::*;

/// What the banner says.
pub const OFFLINE: &str = "Нет соединения с интернетом. Введенные данные останутся на странице: \
     отправьте их, когда связь вернется.";

/// «Нет соединения с интернетом» at the top of the page while the browser is offline, gone
/// when the network is back. It follows the browser's `offline` and `online` events once the
/// page is live; a request made meanwhile still shows its own error next to its form.
#[component]
pub fn NetworkBanner() -> impl IntoView {
    let offline = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        offline.set(!window().navigator().on_line());
        let gone = window_event_listener(leptos::ev::offline, move |_| offline.set(true));
        let back = window_event_listener(leptos::ev::online, move |_| offline.set(false));
        on_cleanup(move || {
            gone.remove();
            back.remove();
        });
    });
    move || {
        offline
            .get()
            .then(|| view! { <p class="network-banner" role="status">{OFFLINE}</p> })
    }
}
