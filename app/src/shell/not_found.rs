use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Страница не найдена" />
        <section class="card narrow">
            <h1>"Страница не найдена"</h1>
            <p>"Проверьте адрес или вернитесь на главную страницу личного кабинета."</p>
            <p><a class="button" href="/">"На главную"</a></p>
        </section>
    }
}
