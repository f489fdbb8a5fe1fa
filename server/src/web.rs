//! The HTTP side: Leptos pages and server functions, health checks, the development outbox,
//! and the middleware every response passes (security headers, cross-site refusal).

use crate::Services;
use crate::notify::OutboxEntry;
use app::ports::{CspNonce, PeerIp};
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
        .build()
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
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        // Browsers ask for /favicon.ico on their own; the icon is an SVG.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
        .route("/readyz", get(readyz))
        .route("/login/qr.svg", get(qr_sign_in_code))
        .route("/accounts/{id}/receipt.pdf", get(receipt_pdf))
        .route("/accounts/{id}/tariffs.pdf", get(tariff_pdf))
        .route("/provider/readings.csv", get(provider_readings))
        .route("/files/{id}", get(case_file))
        .merge(crate::payments::web::routes(
            services.config.is_development(),
        ));
    if services.config.is_development() {
        router = router
            .route("/dev/outbox", get(outbox_page))
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
        .fallback(leptos_axum::file_and_error_handler::<WebState, _>(
            app::shell,
        ))
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(middleware::from_fn_with_state(
            services.config.secure_cookies(),
            echo_refused_forms,
        ))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
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
    let Some(token) = state.services.config.provider_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = sha2::Sha256::digest(token.as_bytes());
    if sha2::Sha256::digest(given.as_bytes()) != expected {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid provider token is required",
        )
            .into_response();
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
    match crate::utility::billing::export::readings_csv(&state.services.db, since).await {
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
         <title>{}</title><link rel=\"stylesheet\" href=\"/pkg/{}.css\"></head>\
         <body><main class=\"page__main\"><section class=\"card\">{body}</section></main></body></html>",
        escape(title),
        app::OUTPUT_NAME,
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

/// A fresh CSP nonce per response, security headers, and the peer address for the pages.
async fn security_headers(mut request: Request, next: Next) -> Response {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    if let Some(ConnectInfo(addr)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned()
    {
        request
            .extensions_mut()
            .insert(PeerIp(addr.ip().to_string()));
    }
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
    fn outbox_text_is_escaped() {
        assert_eq!(
            escape("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
    }
}
