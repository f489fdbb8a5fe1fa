//! Hydrates the page the server rendered, turning its forms into live ones. Every page but the
//! sign-in is a chunk of its own (`app::lazy`): hydration waits for the chunk of the page shown,
//! and only then is the page marked as live (`<body data-hydrated>`).
// The pages' view types nest deeper than the compiler's default query depth.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The framework starts its executor on the first poll of the hydration.
    wasm_bindgen_futures::spawn_local(app::hydrate_document());
}
