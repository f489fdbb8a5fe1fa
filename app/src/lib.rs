//! Kabinet's user interface: pages and components rendered on the server and hydrated in the
//! browser, and the server functions they call.
//!
//! The platform is at the top of the crate: [`components`], the platform's server functions
//! ([`api`]) and ports (`ports`, server only). [`shell`] is what every portal shows around its
//! pages. Each module has its own folder with `pages`, `api` and `ports`: [`utility`] (the
//! utility cabinet) and [`staff`] (the back-office).
//!
//! Server functions stay thin: they take [`ports::AppState`] from the context, parse their
//! input with `shared` types and call one port. The server crate implements the ports.
// The payment form's view types nest deeper than the compiler's default query depth.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
#[macro_use]
pub mod lazy;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod shell;
pub mod staff;
pub mod utility;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The name cargo-leptos gives the compiled WASM, JS and CSS (`/pkg/kabinet.*`).
pub const OUTPUT_NAME: &str = "kabinet";

/// The back-office's pages, loaded by the browser only when one is shown (see [`lazy`]): one
/// chunk, `staff`, that a customer never downloads.
#[rustfmt::skip]
mod routes {
    lazy_page!(LazyStaffQueuePage, staff_queue_page, staff, crate::staff::pages::StaffQueuePage);
    lazy_page!(LazyStaffShopPage, staff_shop_page, staff, crate::utility::pages::staff_info::StaffShopPage);
    lazy_page!(LazyStaffPromotionsPage, staff_promotions_page, staff, crate::utility::pages::staff_info::StaffPromotionsPage);
    lazy_page!(LazyStaffPollsPage, staff_polls_page, staff, crate::utility::pages::staff_info::StaffPollsPage);
    lazy_page!(LazyStaffOfficesPage, staff_offices_page, staff, crate::utility::pages::staff_info::StaffOfficesPage);
    lazy_page!(LazyStaffLoginPage, staff_login_page, staff, crate::staff::pages::StaffLoginPage);
    lazy_page!(LazyStaffCasePage, staff_case_page, staff, crate::staff::pages::StaffCasePage);
    lazy_page!(LazyStaffSettingsPage, staff_settings_page, staff, crate::staff::pages::StaffSettingsPage);
    lazy_page!(LazyStaffTeamPage, staff_team_page, staff, crate::staff::pages::StaffTeamPage);
    lazy_page!(LazyStaffAuditPage, staff_audit_page, staff, crate::staff::pages::StaffAuditPage);
    lazy_page!(LazyStaffCalendarPage, staff_calendar_page, staff, crate::staff::calendar::StaffCalendarPage);
    lazy_page!(LazyStaffCompaniesPage, staff_companies_page, staff, crate::staff::registry::StaffCompaniesPage);
    lazy_page!(LazyStaffCompanyPage, staff_company_page, staff, crate::staff::registry::StaffCompanyPage);
}

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
    shell::SessionVersion::provide();
    shell::CurrentPerson::provide();
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
                <shell::top_bar::TopBar />
                <shell::network::NetworkBanner />
                <main id="main" class="page__main">
                    <Routes fallback=shell::not_found::NotFound>
                        <Route path=StaticSegment("") view=utility::pages::home::HomePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("login") view=shell::sign_in::SignInPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("register") view=shell::register::RegisterPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("recover") view=shell::recover::RecoverPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("profile") view=utility::pages::profile::ProfilePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("agreement") view=shell::agreement::AgreementPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("qr") view=shell::qr::QrHelpPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("qr"), ParamSegment("token")) view=shell::qr::QrConfirmPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), StaticSegment("add")) view=utility::pages::accounts::AddAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("rename")) view=utility::pages::accounts::RenameAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("remove")) view=utility::pages::accounts::RemoveAccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("details")) view=utility::pages::details::DetailsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("billing")) view=utility::pages::billing::BillingPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("meters")) view=utility::pages::meters::MetersPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("readings") view=utility::pages::meters::AllReadingsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("pay")) view=utility::pages::pay::PayPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("pay-all") view=utility::pages::pay::PayAllPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), StaticSegment("rules")) view=utility::pages::pay::PaymentRulesPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), ParamSegment("id")) view=utility::pages::pay::PaymentPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("receipts")) view=utility::pages::delivery::ReceiptsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("notifications")) view=utility::pages::delivery::NotificationsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("autopay")) view=utility::pages::pay::AutopayPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("appeals") view=utility::pages::cases::AppealsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("appeals"), StaticSegment("new")) view=utility::pages::cases::NewAppealPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("documents") view=utility::pages::cases::DocumentsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("applications"), StaticSegment("new")) view=utility::pages::cases::NewApplicationPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), ParamSegment("number")) view=utility::pages::cases::CasePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("notices") view=utility::pages::cases::NoticesPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("assistant") view=utility::pages::help::AssistantPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("video") view=utility::pages::help::VideoPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("faq") view=utility::pages::help::FaqPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("shop") view=utility::pages::info::ShopPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("shop"), ParamSegment("id")) view=utility::pages::info::OrderPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("promotions") view=utility::pages::info::PromotionsPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("polls") view=utility::pages::info::PollsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("polls"), ParamSegment("id")) view=utility::pages::info::PollPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("contacts") view=utility::pages::info::ContactsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("booking")) view=utility::pages::info::BookingPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("callback")) view=utility::pages::info::CallbackPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("consultant") view=utility::pages::info::ConsultantPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("staff") view={Lazy::<routes::LazyStaffQueuePage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("shop")) view={Lazy::<routes::LazyStaffShopPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("promotions")) view={Lazy::<routes::LazyStaffPromotionsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("polls")) view={Lazy::<routes::LazyStaffPollsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("offices")) view={Lazy::<routes::LazyStaffOfficesPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("login")) view={Lazy::<routes::LazyStaffLoginPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("cases"), ParamSegment("number")) view={Lazy::<routes::LazyStaffCasePage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("settings")) view={Lazy::<routes::LazyStaffSettingsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("team")) view={Lazy::<routes::LazyStaffTeamPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("audit")) view={Lazy::<routes::LazyStaffAuditPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("calendar")) view={Lazy::<routes::LazyStaffCalendarPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("companies")) view={Lazy::<routes::LazyStaffCompaniesPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("staff"), StaticSegment("companies"), ParamSegment("id")) view={Lazy::<routes::LazyStaffCompanyPage>::new()} ssr=SsrMode::Async />
                    </Routes>
                </main>
                <shell::footer::Footer />
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
