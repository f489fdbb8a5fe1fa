//! Kabinet's user interface: pages and components rendered on the server and hydrated in the
//! browser, and the server functions they call.
//!
//! Server functions stay thin: they take [`ports::AppState`] from the context, parse their
//! input with `shared` types and call one port. The server crate implements the ports.
// The payment form's view types nest deeper than the compiler's default query depth.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The name cargo-leptos gives the compiled WASM, JS and CSS (`/pkg/kabinet.*`).
pub const OUTPUT_NAME: &str = "kabinet";

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        ports::provide_request_nonce();
        if let Some(state) = use_context::<ports::AppState>() {
            ports::provide_form_echo(state.secure_cookies);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    pages::SessionVersion::provide();
    pages::CurrentPerson::provide();
    // Effects run only in the browser, after hydration: mark the page as interactive
    // (for styles that need it, and for the browser tests).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
        register_service_worker();
    });

    view! {
        <Stylesheet id="kabinet-css" href=format!("/pkg/{OUTPUT_NAME}.css") />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        // Installable on a phone's home screen (a PWA): the manifest, its icons, the colour.
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="apple-touch-icon" href="/apple-touch-icon.png" />
        <Meta name="theme-color" content="#0b5cad" />
        <Meta name="color-scheme" content="light dark" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Личный кабинет".to_string() } else { format!("{page} — Личный кабинет") }
        } />
        <Router>
            <div class="page">
                <components::top_bar::TopBar />
                <components::network::NetworkBanner />
                <main id="main" class="page__main">
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=StaticSegment("") view=pages::home::HomePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("login") view=pages::sign_in::SignInPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("register") view=pages::register::RegisterPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("recover") view=pages::recover::RecoverPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("profile") view=pages::profile::ProfilePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("agreement") view=pages::agreement::AgreementPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("qr") view=pages::qr::QrHelpPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("qr"), ParamSegment("token")) view=pages::qr::QrConfirmPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), StaticSegment("add")) view=pages::accounts::AddAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("rename")) view=pages::accounts::RenameAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("remove")) view=pages::accounts::RemoveAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("details")) view=pages::details::DetailsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("billing")) view=pages::billing::BillingPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("meters")) view=pages::meters::MetersPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("readings") view=pages::meters::AllReadingsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("pay")) view=pages::pay::PayPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("pay-all") view=pages::pay::PayAllPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), StaticSegment("rules")) view=pages::pay::PaymentRulesPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), ParamSegment("id")) view=pages::pay::PaymentPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("receipts")) view=pages::delivery::ReceiptsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("notifications")) view=pages::delivery::NotificationsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("autopay")) view=pages::pay::AutopayPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("appeals") view=pages::cases::AppealsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("appeals"), StaticSegment("new")) view=pages::cases::NewAppealPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("documents") view=pages::cases::DocumentsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("applications"), StaticSegment("new")) view=pages::cases::NewApplicationPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), ParamSegment("number")) view=pages::cases::CasePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("notices") view=pages::cases::NoticesPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("assistant") view=pages::help::AssistantPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("video") view=pages::help::VideoPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("faq") view=pages::help::FaqPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("shop") view=pages::info::ShopPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("shop"), ParamSegment("id")) view=pages::info::OrderPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("promotions") view=pages::info::PromotionsPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("polls") view=pages::info::PollsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("polls"), ParamSegment("id")) view=pages::info::PollPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("contacts") view=pages::info::ContactsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("booking")) view=pages::info::BookingPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("callback")) view=pages::info::CallbackPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("consultant") view=pages::info::ConsultantPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("staff") view=pages::staff::StaffQueuePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("shop")) view=pages::staff_info::StaffShopPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("promotions")) view=pages::staff_info::StaffPromotionsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("polls")) view=pages::staff_info::StaffPollsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("offices")) view=pages::staff_info::StaffOfficesPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("login")) view=pages::staff::StaffLoginPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("cases"), ParamSegment("number")) view=pages::staff::StaffCasePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("settings")) view=pages::staff::StaffSettingsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("team")) view=pages::staff::StaffTeamPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("audit")) view=pages::staff::StaffAuditPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <components::footer::Footer />
            </div>
        </Router>
    }
}

/// Registers `/sw.js`, which answers a page that cannot load offline with `/offline.html`
/// (and makes the portal installable). Browsers without service workers, or pages not served
/// over HTTPS or from localhost, simply go without.
#[cfg(feature = "hydrate")]
fn register_service_worker() {
    use leptos::wasm_bindgen::{JsValue, closure::Closure};
    let navigator = window().navigator();
    if js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        // A refusal (private mode, a policy) changes nothing for the page: it is caught
        // rather than left to the console. One small closure for the page's lifetime.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = navigator.service_worker().register("/sw.js").catch(&ignore);
        ignore.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
fn register_service_worker() {}
