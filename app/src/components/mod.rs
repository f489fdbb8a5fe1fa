//! The platform's components, shared by the shell and every module's pages.

pub mod case;
pub mod chart;
pub mod field;
pub mod idempotency;
pub mod table;
pub mod upload;

use leptos::prelude::*;

/// What a page shows while its data is on the way.
pub fn loading() -> impl IntoView {
    view! { <p class="card skeleton" aria-busy="true">"Загрузка…"</p> }
}
