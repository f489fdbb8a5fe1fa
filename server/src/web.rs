//! The HTTP side: Leptos pages and server functions, health checks, the development outbox,
//! the site's static files, and the middleware every response passes (load shedding,
//! compression, security headers, cross-site refusal).

use crate::Services;
use crate::notify::OutboxEntry;
use app::ports::{ClientIp, CspNonce};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use base64::Engine;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use sha2::Digest;
pub(crate) use shared::html::escape;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;

/// The state axum handlers see.
#[derive(Clone, FromRef)]
pub struct WebState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

pub fn leptos_options(config: &crate::config::Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(app::OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(if config.is_development() {
            leptos::config::Env::DEV
        } else {
            leptos::config::Env::PROD
        })
        // The hydration scripts name the hashed files only when the build hashed them.
        .hash_files(hash_file().is_some())
        .build()
}

pub use app::ports::{HASH_FILE, hash_file, stylesheet_href};

/// Whether a file's name carries the hash of its content, as cargo-leptos' `hash-files`
/// names them: `<stem>.<hash>.<ext>` (or `<hash>.<ext>`), the hash being the unpadded
/// base64url MD5 of the file, 22 characters of `A-Z a-z 0-9 _ -`. The all-underscore
/// placeholder (`__wasm_split.______________________.js` before hashing) is no hash.
pub fn is_content_hashed(file_name: &str) -> bool {
    let mut parts = file_name.rsplit('.');
    let (Some(extension), Some(hash)) = (parts.next(), parts.next()) else {
        return false;
    };
    !extension.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && hash.bytes().any(|b| b != b'_')
}

/// A year, never revalidated: the address changes when the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` of a static file at `path`: hashed files under `/pkg` forever,
/// everything else (the service worker, the manifest, icons, unhashed builds) revalidated.
fn static_cache_control(path: &str) -> &'static str {
    match path.strip_prefix("/pkg/") {
        Some(rest) if is_content_hashed(rest.rsplit('/').next().unwrap_or_default()) => IMMUTABLE,
        _ => "no-cache",
    }
}

/// The site root's files: cargo-leptos' `--precompress` writes `X.br` and `X.gz` beside
/// every `X`, which are sent to browsers that accept them.
fn site_files(site_root: &str) -> ServeDir {
    ServeDir::new(site_root)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
}

/// The request for a file of the site root that `request` may be: a GET or HEAD.
fn file_request(request: &Request) -> Option<Request> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let mut probe = Request::new(Body::empty());
    *probe.method_mut() = request.method().clone();
    *probe.uri_mut() = request.uri().clone();
    *probe.headers_mut() = request.headers().clone();
    Some(probe)
}

/// The file of the site root a [`file_request`] asks for, with its cache headers; `None`
/// when there is no such file.
async fn static_file(files: ServeDir, probe: Request) -> Option<Response> {
    let cache_control = static_cache_control(probe.uri().path());
    let response = match files.oneshot(probe).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if matches!(
        response.status(),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    ) {
        return None;
    }
    let mut response = response.map(Body::new);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    // Which file was sent depends on Accept-Encoding; caches must know.
    let varies = headers.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(response)
}

/// What is compressed on the fly (pages, server functions' answers, files without a
/// precompressed copy): not tiny bodies, images, event streams, nor formats already
/// compressed. A response that already has a `Content-Encoding` (a precompressed file) is
/// never compressed again.
fn compress_when() -> impl Predicate {
    SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats-officedocument",
        ))
}

/// The application's routes, generated once per process. Leptos suppresses resource loading
/// for the whole process while it generates a route list, so a second generation while
/// another server instance in the process renders a page would stall that page.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(services: Services) -> Router {
    let leptos_options = leptos_options(&services.config);
    let routes = route_list();
    let app_state = services.app_state.clone();
    let state = WebState {
        leptos_options: leptos_options.clone(),
        services: services.clone(),
    };
    let in_flight = Arc::new(InFlight::new(max_in_flight(&services)));
    let not_found = {
        let options = leptos_options.clone();
        let app_state = app_state.clone();
        let state = state.clone();
        leptos_axum::render_app_async_with_context(
            move || {
                provide_context(state.clone());
                provide_context(app_state.clone());
            },
            move || app::shell(options.clone()),
        )
    };
    let files = site_files(&leptos_options.site_root);
    let fallback = move |request: Request| {
        let (files, not_found) = (files.clone(), not_found.clone());
        async move {
            if let Some(probe) = file_request(&request)
                && let Some(response) = static_file(files, probe).await
            {
                return response;
            }
            let mut response = not_found(request).await;
            // The «not found» page sets 404 itself; a page that redirects keeps its status.
            if response.status() == StatusCode::OK {
                *response.status_mut() = StatusCode::NOT_FOUND;
            }
            response
        }
    };
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        // Browsers ask for /favicon.ico on their own; the icon is an SVG.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
        .route("/readyz", get(readyz))
        // The stylesheet under a name that does not change, for the offline page and the
        // service worker (the one under /pkg carries its content hash).
        .route(
            "/style.css",
            get(|| async { axum::response::Redirect::to(stylesheet_href()) }),
        )
        .route("/login/qr.svg", get(qr_sign_in_code))
        .route("/accounts/{id}/receipt.pdf", get(receipt_pdf))
        .route("/accounts/{id}/tariffs.pdf", get(tariff_pdf))
        .route("/provider/readings.csv", get(provider_readings))
        .route(
            "/provider/receipt-delivery.csv",
            get(provider_receipt_delivery),
        )
        .route("/files/{id}", get(case_file))
        .merge(crate::payments::web::routes(
            services.config.is_development(),
        ));
    if services.config.is_development() {
        router = router
            .route("/dev/outbox", get(outbox_page))
            .route(
                "/dev/clock",
                get(crate::dev_clock::page).post(crate::dev_clock::submit),
            )
            .route("/dev/outbox.json", get(outbox_json))
            .route("/dev/outbox/files/{id}", get(outbox_file));
    }
    router
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(app_state.clone()),
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(fallback)
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(middleware::from_fn_with_state(
            services.config.secure_cookies(),
            echo_refused_forms,
        ))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span))
        .layer(middleware::from_fn_with_state(
            Arc::new(services.config.trusted_proxies.clone()),
            client_address,
        ))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(compress_when()),
        )
        .layer(middleware::from_fn_with_state(in_flight, shed_load))
        .with_state(state)
}

/// `KABINET_MAX_IN_FLIGHT`, else [`crate::config::default_max_in_flight`] of this machine's
/// cores and the database pool.
fn max_in_flight(services: &Services) -> usize {
    services.config.max_in_flight.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let connections = services.db.pool.options().get_max_connections();
        crate::config::default_max_in_flight(cores, connections as usize)
    })
}

/// The requests in progress, at most `limit`; and how many were turned away.
struct InFlight {
    permits: Arc<Semaphore>,
    limit: usize,
    shed: AtomicU64,
    /// The second (since `started`) of the last warning, so that a storm logs once a second.
    warned_at: AtomicU64,
    started: std::time::Instant,
}

impl InFlight {
    fn new(limit: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            shed: AtomicU64::new(0),
            warned_at: AtomicU64::new(u64::MAX),
            started: std::time::Instant::now(),
        }
    }

    fn note_shed(&self) {
        let shed = self.shed.fetch_add(1, Ordering::Relaxed) + 1;
        let second = self.started.elapsed().as_secs();
        if self.warned_at.swap(second, Ordering::Relaxed) != second {
            tracing::warn!(
                limit = self.limit,
                shed_so_far = shed,
                "overloaded: requests past KABINET_MAX_IN_FLIGHT answered 503"
            );
        }
    }
}

/// The customer's answer when the server is overloaded.
pub const OVERLOADED_MESSAGE: &str = "Сервер перегружен, повторите через секунду.";

/// Graceful overload: past the limit of requests in progress a request is answered 503
/// with `Retry-After: 1` at once, instead of queueing until everyone's pages are slow. The
/// health checks are never turned away. A server function called by a page gets the
/// message as its `ApiError`, so the page shows it where it shows errors.
async fn shed_load(
    State(in_flight): State<Arc<InFlight>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(request.uri().path(), "/healthz" | "/readyz") {
        return next.run(request).await;
    }
    let Ok(permit) = in_flight.permits.clone().try_acquire_owned() else {
        in_flight.note_shed();
        return overloaded(&request);
    };
    let response = next.run(request).await;
    drop(permit);
    response
}

fn overloaded(request: &Request) -> Response {
    let from_script = request.uri().path().starts_with("/api/")
        && !request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let (content_type, body) = match from_script
        .then(|| serde_json::to_string(&shared::ApiError::refused(OVERLOADED_MESSAGE)).ok())
        .flatten()
    {
        Some(json) => ("application/json", json),
        None => ("text/plain; charset=utf-8", OVERLOADED_MESSAGE.to_string()),
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "1"),
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Server functions are routed by `leptos_routes_with_context` (one route per function, at
/// its fixed endpoint) and answer every error with 500; this gives each kind of `ApiError`
/// its HTTP status (and `Retry-After` where the customer should wait), so that logs, proxies
/// and rate limits tell a refused password from a failure.
async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<shared::ApiError>(&bytes) {
        parts.status = error_status(&error);
        let retry_after = match &error {
            shared::ApiError::TooManyRequests { retry_after_secs } => {
                Some(retry_after_secs.to_string())
            }
            shared::ApiError::Unavailable => Some("5".to_string()),
            _ => None,
        };
        if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
            parts.headers.insert(header::RETRY_AFTER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn error_status(error: &shared::ApiError) -> StatusCode {
    use shared::ApiError as E;
    match error {
        E::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        E::Refused { .. } => StatusCode::CONFLICT,
        E::Unauthorized => StatusCode::UNAUTHORIZED,
        E::Forbidden => StatusCode::FORBIDDEN,
        E::NotFound => StatusCode::NOT_FOUND,
        E::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        E::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        E::Internal { .. } | E::Network { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The largest form body the echo reads.
const FORM_LIMIT: usize = 64 * 1024;

/// Without script, a form the server refuses comes back by a redirect to its page with the
/// error in the address. What was typed (never a password) rides along in a cookie that
/// lives a minute, so that the page shows it again instead of empty fields.
async fn echo_refused_forms(State(secure): State<bool>, request: Request, next: Next) -> Response {
    let plain_form_post = {
        let header_has = |name: header::HeaderName, needle: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains(needle))
        };
        request.method() == Method::POST
            && request.uri().path().starts_with("/api/")
            && header_has(header::ACCEPT, "text/html")
            && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
    };
    if !plain_form_post {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "the form is too large").into_response();
    };
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let refused = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|location| location.contains("__err="));
    if let Some(echo) = refused.then(|| app::ports::form_echo(&bytes)).flatten() {
        let cookie = app::ports::cookie_header(app::ports::ECHO_COOKIE, &echo, 60, secure);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The QR code of the browser's waiting sign-in request (U-AUTH-2), as an image: its link
/// opens the confirmation page on the phone. Only the browser holding the request's cookie
/// gets it; a used, replaced or expired request has no image.
async fn qr_sign_in_code(State(state): State<WebState>, request: Request) -> Response {
    let Some(cookie) = app::ports::cookie_in(request.headers(), app::ports::QR_COOKIE) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let services = &state.services;
    let svg = match services.qr_sign_in.pending_token(&cookie).await {
        Ok(Some(token)) => crate::qr_sign_in::qr_svg(&format!(
            "{}{}",
            services.config.public_url,
            shared::qr_sign_in::confirmation_path(&token)
        )),
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => Err(e),
    };
    match svg {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                // Each code has its own address (`?v=`), so the browser may keep it while the
                // page without script reloads itself; no shared cache may.
                (header::CACHE_CONTROL, "private, max-age=120"),
            ],
            svg,
        )
            .into_response(),
        Err(e) => (error_status(&e), e.to_string()).into_response(),
    }
}

/// A file of a case (P-5), only to the case's customer or to staff: always as an attachment
/// with the type recognised at upload, never rendered by the browser.
async fn case_file(
    State(state): State<WebState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let headers = request.headers();
    let session = app::ports::cookie_in(headers, app::ports::SESSION_COOKIE);
    let staff = app::ports::cookie_in(headers, app::ports::STAFF_COOKIE);
    match state
        .services
        .cases
        .file_for(id, session.as_deref(), staff.as_deref())
        .await
    {
        Ok((name, mime, bytes)) => {
            let disposition = format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                name.replace(|c: char| !c.is_ascii() || c == '"' || c == '\\', "_"),
                shared::contact::url_encode(&name)
            );
            let mut response = (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                bytes,
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(e) => (error_status(&e), e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

/// [Скачать квитанцию] (U-PAY-11): the receipt of a month of a linked account, as a PDF.
async fn receipt_pdf(
    State(state): State<WebState>,
    Path(account): Path<i64>,
    Query(query): Query<PeriodQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    account_pdf(&state, account, &query, &headers, Document::Receipt).await
}

/// [Скачать] of «История тарифов» (U-DET-4): the document approving a month's tariffs.
async fn tariff_pdf(
    State(state): State<WebState>,
    Path(account): Path<i64>,
    Query(query): Query<PeriodQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    account_pdf(&state, account, &query, &headers, Document::Tariffs).await
}

enum Document {
    Receipt,
    Tariffs,
}

/// A document of a month of an account bound to the request's session.
async fn account_pdf(
    state: &WebState,
    account: i64,
    query: &PeriodQuery,
    headers: &axum::http::HeaderMap,
    document: Document,
) -> Response {
    let Some(session) = app::ports::cookie_in(headers, app::ports::SESSION_COOKIE) else {
        return sign_in_first(account);
    };
    let accounts = &state.services.accounts;
    let period = query.period.as_deref().unwrap_or_default();
    let file = match document {
        Document::Receipt => accounts.receipt_pdf(&session, account, period).await,
        Document::Tariffs => accounts.tariff_pdf(&session, account, period).await,
    };
    pdf_response(file, account)
}

#[derive(Deserialize)]
struct SinceQuery {
    since: Option<String>,
}

/// For the provider: the readings customers sent since a moment, as CSV, with the bearer
/// token of `KABINET_PROVIDER_TOKEN` (404 when none is configured).
async fn provider_readings(
    State(state): State<WebState>,
    Query(query): Query<SinceQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(refused) = provider_refused(&state, &headers) {
        return refused;
    }
    let Some(since) = query
        .since
        .as_deref()
        .and_then(crate::utility::billing::export::parse_since)
    else {
        return (
            StatusCode::BAD_REQUEST,
            "since: an RFC 3339 instant or a date (YYYY-MM-DD) is required",
        )
            .into_response();
    };
    csv_response(crate::utility::billing::export::readings_csv(&state.services.db, since).await)
}

/// For the provider: how each account's receipts are to be delivered (U-PRF-4, U-PRF-9), as
/// CSV, with the provider's bearer token.
async fn provider_receipt_delivery(
    State(state): State<WebState>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(refused) = provider_refused(&state, &headers) {
        return refused;
    }
    csv_response(crate::utility::billing::export::receipt_delivery_csv(&state.services.db).await)
}

/// The answer to a provider's request without the bearer token of `KABINET_PROVIDER_TOKEN`
/// (404 when none is configured, 401 for a wrong one); `None` lets it through.
fn provider_refused(state: &WebState, headers: &axum::http::HeaderMap) -> Option<Response> {
    let Some(token) = state.services.config.provider_token.as_deref() else {
        return Some(StatusCode::NOT_FOUND.into_response());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = sha2::Sha256::digest(token.as_bytes());
    if sha2::Sha256::digest(given.as_bytes()) != expected {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "a valid provider token is required",
            )
                .into_response(),
        );
    }
    None
}

/// An export as a CSV download that no cache keeps.
fn csv_response(csv: Result<String, sqlx::Error>) -> Response {
    match csv {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(e) => {
            let e = crate::error::db(e);
            (error_status(&e), e.to_string()).into_response()
        }
    }
}

/// A download asked for without a session: the sign-in page, then the account's history.
fn sign_in_first(account: i64) -> Response {
    axum::response::Redirect::to(&format!("/login?next=/accounts/{account}/billing"))
        .into_response()
}

fn pdf_response(
    file: Result<crate::utility::billing::receipt::PdfFile, shared::ApiError>,
    account: i64,
) -> Response {
    match file {
        Ok(file) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", file.name),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            file.bytes,
        )
            .into_response(),
        Err(shared::ApiError::Unauthorized) => sign_in_first(account),
        Err(e) => (
            error_status(&e),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            match e {
                shared::ApiError::NotFound => {
                    "Документ не найден: за этот месяц нет начислений или он вне доступного периода.".to_string()
                }
                other => other.to_string(),
            },
        )
            .into_response(),
    }
}

/// 200 while the database answers; 503 with Retry-After when it does not.
async fn readyz(State(state): State<WebState>) -> Response {
    let ping =
        tokio::time::timeout(std::time::Duration::from_secs(2), state.services.db.ping()).await;
    if matches!(ping, Ok(true)) {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            "database unavailable",
        )
            .into_response()
    }
}

#[derive(Deserialize)]
struct OutboxQuery {
    to: Option<String>,
}

async fn outbox_entries(
    state: &WebState,
    query: &OutboxQuery,
) -> Result<Vec<OutboxEntry>, Response> {
    state
        .services
        .outbox
        .list(
            query.to.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            200,
        )
        .await
        .map_err(|e| {
            let _ = crate::error::db(e);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "database unavailable",
            )
                .into_response()
        })
}

/// Every message the portal sent, newest first, as JSON (for tests and tools).
async fn outbox_json(State(state): State<WebState>, Query(query): Query<OutboxQuery>) -> Response {
    match outbox_entries(&state, &query).await {
        Ok(entries) => Json(entries).into_response(),
        Err(response) => response,
    }
}

/// Every message the portal sent, newest first, as a page a developer reads.
async fn outbox_page(State(state): State<WebState>, Query(query): Query<OutboxQuery>) -> Response {
    let entries = match outbox_entries(&state, &query).await {
        Ok(entries) => entries,
        Err(response) => return response,
    };
    let rows: String = entries
        .iter()
        .map(|e| {
            let when = jiff::Timestamp::from_second(e.created_at)
                .map(|t| t.strftime("%d.%m.%Y %H:%M:%S UTC").to_string())
                .unwrap_or_default();
            let files: String = e
                .attachments
                .iter()
                .map(|f| {
                    format!(
                        "<li><a href=\"/dev/outbox/files/{}\">{}</a> ({} байт)</li>",
                        f.id,
                        escape(&f.file_name),
                        f.size
                    )
                })
                .collect();
            let files = if files.is_empty() {
                String::new()
            } else {
                format!("<ul>{files}</ul>")
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre>{files}</td></tr>",
                escape(&when),
                escape(&e.channel),
                escape(&e.recipient),
                escape(&e.subject),
                escape(&e.body)
            )
        })
        .collect();
    let body = if entries.is_empty() {
        "<p>Сообщений пока нет.</p>".to_string()
    } else {
        format!(
            "<table><caption>Отправленные сообщения</caption><thead><tr><th scope=\"col\">Время</th><th scope=\"col\">Канал</th>\
             <th scope=\"col\">Получатель</th><th scope=\"col\">Тема</th><th scope=\"col\">Текст</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    plain_page(
        "Исходящие сообщения (режим разработки)",
        &format!(
            "<h1>Исходящие сообщения</h1>\
             <p>Режим разработки: письма и SMS не отправляются, а сохраняются здесь.</p>\
             <form method=\"get\"><label for=\"to\">Получатель</label> <input id=\"to\" name=\"to\" value=\"{}\"> <button class=\"button\" type=\"submit\">Показать</button></form>\
             {body}",
            escape(query.to.as_deref().unwrap_or(""))
        ),
    )
    .into_response()
}

/// A file attached to a message of the outbox (an e-receipt's PDF), as a download.
async fn outbox_file(State(state): State<WebState>, Path(id): Path<i64>) -> Response {
    match state.services.outbox.attachment(id).await {
        Ok(Some((name, content_type, bytes))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", name.replace('"', "")),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            let _ = crate::error::db(e);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
            )
                .into_response()
        }
    }
}

/// A page outside the cabinet's application (development tools, the sandbox acquirer): the
/// cabinet's stylesheet, `body` inside a card.
pub(crate) fn plain_page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"{}\"></head>\
         <body><main class=\"page__main\"><section class=\"card\">{body}</section></main></body></html>",
        escape(title),
        stylesheet_href(),
    ))
}

/// Refuses state-changing requests that another site makes the browser send.
async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(&request) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Запрос с другого сайта отклонен.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    // Older browsers: compare Origin with Host.
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host != host
        }
        _ => false,
    }
}

/// The client's address ([`crate::client_addr`]) in the request's extensions, for the pages,
/// the rate limits and the request's log span.
async fn client_address(
    State(proxies): State<Arc<crate::client_addr::TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(addr)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned()
    {
        let client = proxies.client(addr.ip(), request.headers());
        request
            .extensions_mut()
            .insert(ClientIp(client.to_string()));
    }
    next.run(request).await
}

/// The log span of a request: method, path (never the query, which may carry a token) and
/// the client's address.
fn request_span(request: &Request) -> tracing::Span {
    let client = request
        .extensions()
        .get::<ClientIp>()
        .map_or("-", |c| c.0.as_str());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        client = %client,
    )
}

/// A fresh CSP nonce per response and the security headers.
async fn security_headers(mut request: Request, next: Next) -> Response {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(), microphone=()"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri("/api/auth/sign_in");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        assert!(is_cross_site(&request(
            Method::POST,
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(is_cross_site(&request(
            Method::POST,
            &[("sec-fetch-site", "same-site")]
        )));
        assert!(!is_cross_site(&request(
            Method::POST,
            &[("sec-fetch-site", "same-origin")]
        )));
        assert!(is_cross_site(&request(
            Method::POST,
            &[
                ("origin", "https://evil.example"),
                ("host", "lk.example.ru")
            ]
        )));
        assert!(!is_cross_site(&request(
            Method::POST,
            &[
                ("origin", "https://lk.example.ru"),
                ("host", "lk.example.ru")
            ]
        )));
        assert!(
            !is_cross_site(&request(Method::POST, &[])),
            "non-browser clients send neither header"
        );
    }

    #[test]
    fn content_hashed_names_are_recognised() {
        for hashed in [
            "kabinet.Ab3_9xYz-0123456789abc.wasm",
            "kabinet.Ab3_9xYz-0123456789abc.js",
            "kabinet.Ab3_9xYz-0123456789abc.css",
            "__wasm_split.Ab3_9xYz-0123456789abc.js",
            "__wasm_split_manifest.Ab3_9xYz-0123456789abc.json",
            "split_accounts.Ab3_9xYz-0123456789abc.wasm",
            "chunk_3.Ab3_9xYz-0123456789abc.wasm",
            "Ab3_9xYz-0123456789abc.wasm",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "kabinet.wasm",
            "kabinet_bg.wasm",
            "kabinet.js",
            "sw.js",
            "manifest.webmanifest",
            // The placeholder before hashing.
            "__wasm_split.______________________.js",
            // 21 and 23 characters.
            "kabinet.Ab3_9xYz-0123456789ab.wasm",
            "kabinet.Ab3_9xYz-0123456789abcd.wasm",
            // A character outside base64url.
            "kabinet.Ab3_9xYz+0123456789abc.wasm",
            "kabinet.Ab3_9xYz=0123456789abc.wasm",
            "kabinet.Ab3_9xYz-0123456789abc.",
            "Ab3_9xYz-0123456789abc",
            "",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn only_hashed_files_under_pkg_are_immutable() {
        assert_eq!(
            static_cache_control("/pkg/kabinet.Ab3_9xYz-0123456789abc.wasm"),
            IMMUTABLE
        );
        assert_eq!(static_cache_control("/pkg/kabinet.css"), "no-cache");
        assert_eq!(
            static_cache_control("/pkg/snippets/leptos-0a1b2c3d4e5f6a7b/inline0.js"),
            "no-cache"
        );
        assert_eq!(
            static_cache_control("/icons/x.Ab3_9xYz-0123456789abc.png"),
            "no-cache"
        );
        assert_eq!(static_cache_control("/sw.js"), "no-cache");
        assert_eq!(static_cache_control("/manifest.webmanifest"), "no-cache");
    }

    #[test]
    fn the_hash_file_names_each_kind() {
        let hashes = "js: Ab3_9xYz-0123456789abc\nwasm: Zz3_9xYz-0123456789abc\ncss: Cc3_9xYz-0123456789abc\n";
        assert_eq!(
            app::ports::recorded_hash(hashes, "css"),
            Some("Cc3_9xYz-0123456789abc")
        );
        assert_eq!(
            app::ports::recorded_hash(hashes, "wasm"),
            Some("Zz3_9xYz-0123456789abc")
        );
        assert_eq!(app::ports::recorded_hash(hashes, "manifest"), None);
        assert_eq!(app::ports::recorded_hash("css:\n", "css"), None);
    }

    #[test]
    fn outbox_text_is_escaped() {
        assert_eq!(
            escape("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
    }
}
