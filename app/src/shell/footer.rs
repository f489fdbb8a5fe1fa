use crate::api::portal::get_portal_info;
use leptos::prelude::*;

/// Provider, version and schema level, read from the server's configuration and database.
#[component]
pub fn Footer() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_portal_info());
    view! {
        <footer class="page__footer">
            <Suspense fallback=|| view! { <p class="skeleton">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! {
                            <p>
                                <span class="footer__provider">{info.provider_name}</span>
                                " · Служба поддержки: "
                                <a href=format!("tel:{}", info.support_phone.replace([' ', '(', ')', '-'], ""))>
                                    {info.support_phone.clone()}
                                </a>
                            </p>
                            <p class="footer__version">
                                {format!("Версия {} · схема данных {}", info.version, info.schema_version)}
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p class="footer__version">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </footer>
    }
}
