//! Hydrates the page the server rendered, turning its forms into live ones. The back-office's
//! pages are a chunk of their own (`app::lazy`): hydration waits for the chunk of the page shown.
// The pages' view types nest deeper than the compiler's default query depth.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
