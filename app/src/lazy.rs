//! Pages whose code the browser loads only when they are shown, split off by
//! `cargo leptos build --split`: every page but the sign-in. The first download is the shell
//! (the header, the footer, the sign-in page); the main page is the `cabinet` chunk, each
//! area of the cabinet a chunk of its own (`split_<area>.wasm`, the route table in `lib.rs`
//! names them), and the back-office is `staff`, which a customer never downloads.
//!
//! [`lazy_page!`] declares such a page. On the server the page renders as any other and names
//! its chunk, so that the HTML preloads it; in the browser the chunk is fetched before the
//! page is first shown or hydrated. A chunk that cannot be loaded (the network dropped, a
//! deploy renamed it) never panics: a page navigated to shows [`ChunkFailed`] with a reload
//! link, and a page being hydrated stays as the server rendered it (every form works without
//! script) with the same message on top.
//!
//! A chunk per area rather than per page: the splitter also makes a shared chunk for every set
//! of split points that use the same code (an earlier split of fifty pages came with some 570
//! files).

use leptos::prelude::*;

/// A chunk could not be fetched or instantiated.
#[derive(Debug, Clone, Copy)]
pub struct ChunkError;

#[cfg(feature = "hydrate")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// The split manifest of the build: each chunk's name → the files (without `.wasm`) a page of
/// it needs, read once from the site root (`__wasm_split_manifest[.<hash>].json`).
/// With the chunks this request's page has already named (a page may be rendered in parts).
#[cfg(feature = "ssr")]
#[derive(Clone)]
struct ChunkManifest(
    &'static std::collections::HashMap<String, Vec<String>>,
    std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
);

/// Makes the split manifest known to the pages of this request (the document's shell calls it).
#[cfg(feature = "ssr")]
pub fn provide_chunk_manifest(options: &LeptosOptions) {
    use std::collections::HashMap;
    static MANIFEST: std::sync::OnceLock<HashMap<String, Vec<String>>> = std::sync::OnceLock::new();
    let manifest = MANIFEST.get_or_init(|| {
        let hashes = crate::ports::hash_file().and_then(|path| std::fs::read_to_string(path).ok());
        let name = match hashes
            .as_deref()
            .and_then(|h| crate::ports::recorded_hash(h, "manifest"))
        {
            Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
            None => "__wasm_split_manifest.json".to_string(),
        };
        let path = std::path::Path::new(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join(name);
        // A build without --split has no manifest: nothing to preload.
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    });
    provide_context(ChunkManifest(manifest, Default::default()));
}

/// Puts `<link rel="preload">` for the files of `chunk` into the page's head, so that the
/// browser fetches them with the shell instead of after it. (Leptos' own
/// `prefetch_lazy_fn_on_server` loses them now and then: its list may be set up after the
/// page has begun to render.)
#[cfg(feature = "ssr")]
pub fn preload_chunk(chunk: &str) {
    use leptos_meta::Link;
    let Some(ChunkManifest(manifest, named)) = use_context::<ChunkManifest>() else {
        return;
    };
    let first_time = named
        .lock()
        .map(|mut named| named.insert(chunk.to_string()))
        .unwrap_or(true);
    if !first_time {
        return;
    }
    for file in manifest.get(chunk).into_iter().flatten() {
        // Rendering a head element registers it with the page's head; the body gets nothing.
        let _ = view! {
            <Link rel="preload" href=format!("/pkg/{file}.wasm") as_="fetch"
                type_="application/wasm" crossorigin="anonymous" />
        }
        .to_html();
    }
}

/// What the customer reads when a page's code could not be loaded.
pub const CHUNK_FAILED: &str =
    "Не удалось загрузить страницу. Проверьте соединение с интернетом и обновите страницу.";
/// The reload link's caption.
pub const RELOAD: &str = "Обновить страницу";

/// The message shown in place of a page whose chunk failed to load. The link reloads the
/// whole document (`rel="external"` keeps the router out), which also picks up the chunk
/// names of a new deploy.
#[component]
pub fn ChunkFailed() -> impl IntoView {
    let here = current_address();
    view! {
        <section class="card narrow chunk-failed" role="alert">
            <h1>"Страница не загрузилась"</h1>
            <p>{CHUNK_FAILED}</p>
            <p>
                <a class="button" href=here rel="external">
                    {RELOAD}
                </a>
            </p>
        </section>
    }
}

/// The page's own address, path and query, for the reload link: the router's, which is the
/// page being navigated to even before the browser's address bar shows it.
fn current_address() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// Turns a chunk's result into the page's view. While the page is being hydrated the server's
/// HTML is already there and must not be replaced by a different view, so hydration waits
/// forever (the page keeps working as plain HTML) and the message is put above the content.
pub async fn page_or_message(page: Result<AnyView, ChunkError>) -> AnyView {
    match page {
        Ok(view) => view,
        Err(ChunkError) => {
            #[cfg(feature = "hydrate")]
            if Owner::current_shared_context().is_some_and(|sc| sc.during_hydration()) {
                show_message_over_server_html();
                std::future::pending::<()>().await;
            }
            view! { <ChunkFailed /> }.into_any()
        }
    }
}

/// Puts the failure message at the top of the main column without the framework (which is
/// still waiting for the page to hydrate).
#[cfg(feature = "hydrate")]
fn show_message_over_server_html() {
    let document = document();
    let Some(main) = document.get_element_by_id("main") else {
        return;
    };
    let Ok(section) = document.create_element("section") else {
        return;
    };
    section.set_class_name("card narrow chunk-failed");
    let _ = section.set_attribute("role", "alert");
    let text = document.create_element("p");
    let link = document.create_element("a");
    if let (Ok(text), Ok(link)) = (text, link) {
        text.set_text_content(Some(CHUNK_FAILED));
        link.set_class_name("button");
        // While hydrating, the page is the document the browser loaded.
        let location = window().location();
        let here = format!(
            "{}{}",
            location.pathname().unwrap_or_else(|_| "/".into()),
            location.search().unwrap_or_default()
        );
        let _ = link.set_attribute("href", &here);
        // A whole new document, not the router's navigation to the same address.
        let _ = link.set_attribute("rel", "external");
        link.set_text_content(Some(RELOAD));
        let _ = section.append_child(&text);
        let _ = section.append_child(&link);
        let _ = main.prepend_with_node_1(&section);
    }
}

/// Declares a lazily loaded page: `lazy_page!(Route, module, chunk, path::to::Component);`
/// makes `Route`, used in the route table as `Lazy::<Route>::new()`, and a module `module`
/// holding the page's split function and its preload. The chunk's name is what the build's
/// split manifest, the size budgets and the server's preload links call it.
///
/// The router awaits `LazyRoute::preload` before it shows or hydrates a route: the chunk is
/// fetched there, so that the page's view is ready at once when the router asks for it. A
/// view that was not ready would be built anew beside the server's HTML instead of hydrating
/// it (the page twice, or a hydration error).
// rustfmt re-indents the `cfg_attr` below on every run: the macro keeps its own layout.
#[rustfmt::skip]
macro_rules! lazy_page {
    ($route:ident, $module:ident, $chunk:ident, $component:path) => {
        pub struct $route;

        #[allow(non_snake_case)]
        pub mod $module {
            #[cfg_attr(
                feature = "hydrate",
                ::leptos::wasm_split::wasm_split(
                    $chunk,
                    wasm_split_path = ::leptos::wasm_split,
                    preload(preload),
                    fallible
                )
            )]
            pub fn page(
            ) -> ::std::result::Result<::leptos::prelude::AnyView, $crate::lazy::ChunkError> {
                use ::leptos::prelude::IntoAny;
                Ok($component().into_any())
            }
        }

        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn preload() {
                // A failure is met again, and shown, when the view is asked for.
                #[cfg(feature = "hydrate")]
                let _ = $module::preload().await;
            }

            async fn view(_this: Self) -> ::leptos::prelude::AnyView {
                #[cfg(feature = "hydrate")]
                let page = $module::page().await;
                #[cfg(not(feature = "hydrate"))]
                let page = {
                    $crate::lazy::preload_chunk(stringify!($chunk));
                    $module::page()
                };
                $crate::lazy::page_or_message(page).await
            }
        }
    };
}
