//! Hydrates the page the server rendered, turning its forms into live ones.
// The pages' view types nest deeper than the compiler's default query depth.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
