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
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The name cargo-leptos gives the compiled WASM, JS and CSS (`/pkg/kabinet.*`).
pub const OUTPUT_NAME: &str = "kabinet";

/// The pages loaded by the browser only when one is shown (see [`lazy`]): `entry` for the
/// shell's pages other than the sign-in (registration, recovery, the agreement, the QR
/// pages), `cabinet` for the main page, a chunk per area of the cabinet, and `staff` for the back-office, which a customer
/// never downloads. The sign-in page (`/login`) is the first download.
#[rustfmt::skip]
mod routes {
    lazy_page!(LazyRegisterPage, register_page, entry, crate::shell::register::RegisterPage);
    lazy_page!(LazyRecoverPage, recover_page, entry, crate::shell::recover::RecoverPage);
    lazy_page!(LazyAgreementPage, agreement_page, entry, crate::shell::agreement::AgreementPage);
    lazy_page!(LazyQrHelpPage, qr_help_page, entry, crate::shell::qr::QrHelpPage);
    lazy_page!(LazyQrConfirmPage, qr_confirm_page, entry, crate::shell::qr::QrConfirmPage);
    lazy_page!(LazyHomePage, home_page, cabinet, crate::utility::pages::home::HomePage);
    lazy_page!(LazyAddAccountPage, add_account_page, accounts, crate::utility::pages::accounts::AddAccountPage);
    lazy_page!(LazyRenameAccountPage, rename_account_page, accounts, crate::utility::pages::accounts::RenameAccountPage);
    lazy_page!(LazyRemoveAccountPage, remove_account_page, accounts, crate::utility::pages::accounts::RemoveAccountPage);
    lazy_page!(LazyDetailsPage, details_page, accounts, crate::utility::pages::details::DetailsPage);
    lazy_page!(LazyBillingPage, billing_page, billing, crate::utility::pages::billing::BillingPage);
    lazy_page!(LazyMetersPage, meters_page, meters, crate::utility::pages::meters::MetersPage);
    lazy_page!(LazyAllReadingsPage, all_readings_page, meters, crate::utility::pages::meters::AllReadingsPage);
    lazy_page!(LazyPayPage, pay_page, pay, crate::utility::pages::pay::PayPage);
    lazy_page!(LazyPayAllPage, pay_all_page, pay, crate::utility::pages::pay::PayAllPage);
    lazy_page!(LazyPaymentRulesPage, payment_rules_page, pay, crate::utility::pages::pay::PaymentRulesPage);
    lazy_page!(LazyPaymentPage, payment_page, pay, crate::utility::pages::pay::PaymentPage);
    lazy_page!(LazyAutopayPage, autopay_page, pay, crate::utility::pages::pay::AutopayPage);
    lazy_page!(LazyProfilePage, profile_page, profile, crate::utility::pages::profile::ProfilePage);
    lazy_page!(LazyReceiptsPage, receipts_page, profile, crate::utility::pages::delivery::ReceiptsPage);
    lazy_page!(LazyNotificationsPage, notifications_page, profile, crate::utility::pages::delivery::NotificationsPage);
    lazy_page!(LazyAppealsPage, appeals_page, cases, crate::utility::pages::cases::AppealsPage);
    lazy_page!(LazyNewAppealPage, new_appeal_page, cases, crate::utility::pages::cases::NewAppealPage);
    lazy_page!(LazyDocumentsPage, documents_page, cases, crate::utility::pages::cases::DocumentsPage);
    lazy_page!(LazyNewApplicationPage, new_application_page, cases, crate::utility::pages::cases::NewApplicationPage);
    lazy_page!(LazyCasePage, case_page, cases, crate::utility::pages::cases::CasePage);
    lazy_page!(LazyNoticesPage, notices_page, cases, crate::utility::pages::cases::NoticesPage);
    lazy_page!(LazyAssistantPage, assistant_page, help, crate::utility::pages::help::AssistantPage);
    lazy_page!(LazyVideoPage, video_page, help, crate::utility::pages::help::VideoPage);
    lazy_page!(LazyFaqPage, faq_page, help, crate::utility::pages::help::FaqPage);
    lazy_page!(LazyShopPage, shop_page, info, crate::utility::pages::info::ShopPage);
    lazy_page!(LazyOrderPage, order_page, info, crate::utility::pages::info::OrderPage);
    lazy_page!(LazyPromotionsPage, promotions_page, info, crate::utility::pages::info::PromotionsPage);
    lazy_page!(LazyPollsPage, polls_page, info, crate::utility::pages::info::PollsPage);
    lazy_page!(LazyPollPage, poll_page, info, crate::utility::pages::info::PollPage);
    lazy_page!(LazyContactsPage, contacts_page, info, crate::utility::pages::info::ContactsPage);
    lazy_page!(LazyBookingPage, booking_page, info, crate::utility::pages::info::BookingPage);
    lazy_page!(LazyCallbackPage, callback_page, info, crate::utility::pages::info::CallbackPage);
    lazy_page!(LazyConsultantPage, consultant_page, info, crate::utility::pages::info::ConsultantPage);
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

/// The stylesheet's address (the document's head is rendered on the server only).
fn ssr_stylesheet_href() -> &'static str {
    #[cfg(feature = "ssr")]
    {
        ports::stylesheet_href()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ""
    }
}

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        ports::provide_request_nonce();
        lazy::provide_chunk_manifest(&options);
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
                // The stylesheet under its content-hashed name; the head is the server's alone.
                <link rel="stylesheet" id="kabinet-css" href=ssr_stylesheet_href() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Hydrates the document the server rendered and, once all of it is live, marks `<body>` with
/// `data-hydrated` (for styles that need it, and for the browser tests). "All of it" includes
/// the page's own chunk: an effect of [`App`] would run as soon as the shell is hydrated,
/// while the page's code may still be on its way.
#[cfg(feature = "hydrate")]
pub async fn hydrate_document() {
    let Some(body) = document().body() else {
        return;
    };
    let live = leptos::mount::hydrate_from_async(body.clone(), App).await;
    // The application lives as long as the page.
    live.forget();
    // The effects the hydration scheduled run first.
    leptos::task::tick().await;
    let _ = body.set_attribute("data-hydrated", "");
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    shell::SessionVersion::provide();
    shell::CurrentPerson::provide();
    // Effects run only in the browser.
    Effect::new(move |_| register_service_worker());

    view! {
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
                        <Route path=StaticSegment("") view={Lazy::<routes::LazyHomePage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("login") view=shell::sign_in::SignInPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("register") view={Lazy::<routes::LazyRegisterPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("recover") view={Lazy::<routes::LazyRecoverPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("profile") view={Lazy::<routes::LazyProfilePage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("agreement") view={Lazy::<routes::LazyAgreementPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("qr") view={Lazy::<routes::LazyQrHelpPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("qr"), ParamSegment("token")) view={Lazy::<routes::LazyQrConfirmPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), StaticSegment("add")) view={Lazy::<routes::LazyAddAccountPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("rename")) view={Lazy::<routes::LazyRenameAccountPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("remove")) view={Lazy::<routes::LazyRemoveAccountPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("details")) view={Lazy::<routes::LazyDetailsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("billing")) view={Lazy::<routes::LazyBillingPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("meters")) view={Lazy::<routes::LazyMetersPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("readings") view={Lazy::<routes::LazyAllReadingsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("accounts"), ParamSegment("id"), StaticSegment("pay")) view={Lazy::<routes::LazyPayPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("pay-all") view={Lazy::<routes::LazyPayAllPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), StaticSegment("rules")) view={Lazy::<routes::LazyPaymentRulesPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("payments"), ParamSegment("id")) view={Lazy::<routes::LazyPaymentPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("receipts")) view={Lazy::<routes::LazyReceiptsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("notifications")) view={Lazy::<routes::LazyNotificationsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("profile"), StaticSegment("autopay")) view={Lazy::<routes::LazyAutopayPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("appeals") view={Lazy::<routes::LazyAppealsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("appeals"), StaticSegment("new")) view={Lazy::<routes::LazyNewAppealPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("documents") view={Lazy::<routes::LazyDocumentsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("applications"), StaticSegment("new")) view={Lazy::<routes::LazyNewApplicationPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), ParamSegment("number")) view={Lazy::<routes::LazyCasePage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("notices") view={Lazy::<routes::LazyNoticesPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("assistant") view={Lazy::<routes::LazyAssistantPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("video") view={Lazy::<routes::LazyVideoPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("faq") view={Lazy::<routes::LazyFaqPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("shop") view={Lazy::<routes::LazyShopPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("shop"), ParamSegment("id")) view={Lazy::<routes::LazyOrderPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("promotions") view={Lazy::<routes::LazyPromotionsPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("polls") view={Lazy::<routes::LazyPollsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("polls"), ParamSegment("id")) view={Lazy::<routes::LazyPollPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("contacts") view={Lazy::<routes::LazyContactsPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("booking")) view={Lazy::<routes::LazyBookingPage>::new()} ssr=SsrMode::Async />
                        <Route path=(StaticSegment("contacts"), StaticSegment("callback")) view={Lazy::<routes::LazyCallbackPage>::new()} ssr=SsrMode::Async />
                        <Route path=StaticSegment("consultant") view={Lazy::<routes::LazyConsultantPage>::new()} ssr=SsrMode::Async />
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
