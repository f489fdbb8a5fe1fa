//! The platform's ports: the services every portal's server functions call, as traits the
//! server crate implements (server functions cannot be generic, so the ports are trait
//! objects in [`AppState`]): the portal, identity and sessions, sign-in by QR code, payments,
//! the case engine with its uploads; and the request helpers (cookies, the client, the form
//! echo). Each module declares its own ports beside its server functions
//! ([`crate::utility::ports`], [`crate::staff::ports`]); `AppState` holds one handle per module.

use async_trait::async_trait;
use leptos::prelude::*;
use shared::ApiError;
use shared::portal::PortalInfo;
use std::sync::Arc;

/// What the portal says about itself.
#[async_trait]
pub trait PortalPort: Send + Sync {
    async fn info(&self) -> Result<PortalInfo, ApiError>;
}

/// Everything a server function may use, provided to every request's context.
#[derive(Clone)]
pub struct AppState {
    pub portal: Arc<dyn PortalPort>,
    pub identity: Arc<dyn IdentityPort>,
    pub qr_sign_in: Arc<dyn QrSignInPort>,
    pub payments: Arc<dyn PaymentsPort>,
    pub cases: Arc<dyn CasesPort>,
    /// The utility cabinet's ports.
    pub utility: crate::utility::ports::UtilityPorts,
    /// The back-office's ports.
    pub staff: crate::staff::ports::StaffPorts,
    /// Cookies get `Secure` when the portal is served over https.
    pub secure_cookies: bool,
}

/// The state of the running server, from the request's context.
pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        ApiError::Unavailable
    })
}

/// The Content-Security-Policy nonce of the current request, set by the server's middleware.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Whether the request is a plain HTML form post (a page without script), which follows a
/// redirect itself; a page with script handles the answer of the server function instead.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// After a form's success, sends a plain form post (a page without script) to `path`. The
/// hydrated page stays where it is and shows the outcome of its action itself: a navigation
/// started when the answer arrives would undo a link the customer clicked in the meantime.
pub fn redirect_plain_form(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// Hands the request's CSP nonce to Leptos so that its hydration scripts carry it.
pub(crate) fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

/// Where a request comes from, recorded with sessions and used by rate limits.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A session just opened: the secret for the cookie and how long it may live.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

/// People, their credentials and their sessions.
#[async_trait]
pub trait IdentityPort: Send + Sync {
    async fn sign_in_with_password(
        &self,
        login: shared::identity::Login,
        password: String,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError>;
    /// The person a session cookie belongs to, if the session is alive (and marks it used).
    async fn person_by_session(
        &self,
        token: &str,
    ) -> Result<Option<shared::identity::PersonSummary>, ApiError>;
    async fn sign_out(&self, token: &str) -> Result<(), ApiError>;
    /// Sends a sign-in code to a known phone or confirmed e-mail (U-AUTH-1).
    async fn send_sign_in_code(
        &self,
        login: shared::identity::Login,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
    async fn sign_in_with_code(
        &self,
        login: shared::identity::Login,
        code: &str,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError>;
    /// [Восстановить пароль] (U-AUTH-3): a code to a known phone or a confirmed e-mail…
    async fn send_recovery_code(
        &self,
        login: shared::identity::Login,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
    /// …then the new password; every session of the person is closed.
    async fn recover_password(
        &self,
        login: shared::identity::Login,
        code: &str,
        password: &str,
        repeat: &str,
    ) -> Result<(), ApiError>;
    /// «Подтверждение адреса электронной почты» (U-REG-7): a code to the session's address…
    async fn send_email_confirmation(
        &self,
        session: &str,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
    /// …and [Сохранить] with it.
    async fn confirm_email(&self, session: &str, code: &str) -> Result<(), ApiError>;
    /// «Личные данные» (U-PRF-1): Фамилия, Имя, Отчество (U-REG-2).
    async fn update_names(
        &self,
        session: &str,
        last_name: &str,
        first_name: &str,
        middle_name: &str,
    ) -> Result<(), ApiError>;
    /// [Изменить пароль] (U-PRF-3): the current password and the new one twice.
    async fn change_password(
        &self,
        session: &str,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Result<(), ApiError>;
    /// U-PRF-2: a code to the new phone (`LoginKind::Phone`) or e-mail, after the U-REG-6 checks…
    async fn request_contact_change(
        &self,
        session: &str,
        kind: shared::identity::LoginKind,
        value: &str,
        client: ClientInfo,
    ) -> Result<String, ApiError>;
    /// …and the change once the code from it is right.
    async fn confirm_contact_change(
        &self,
        session: &str,
        kind: shared::identity::LoginKind,
        value: &str,
        code: &str,
    ) -> Result<(), ApiError>;
    /// «Удалить учетную запись» (U-PRF-9): with the current password, the person and every
    /// session of theirs are deleted.
    async fn delete_account(&self, session: &str, current_password: &str) -> Result<(), ApiError>;
    /// Whether `password` is the session person's current password (a field error if not).
    async fn verify_password(&self, session: &str, password: &str) -> Result<(), ApiError>;
    /// «Отображать подсказки» (U-PRF-8).
    async fn set_show_hints(&self, session: &str, show: bool) -> Result<(), ApiError>;

    /// Checks the registration form, keeps it as a draft and sends a code to the phone.
    async fn start_registration(
        &self,
        input: shared::identity::RegistrationInput,
        client: ClientInfo,
    ) -> Result<shared::identity::RegistrationDraft, ApiError>;
    /// Sends the draft's phone a new code.
    async fn resend_registration_code(
        &self,
        draft: &str,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
    /// The draft a page shows while the customer types the code.
    async fn registration_draft(
        &self,
        draft: &str,
    ) -> Result<Option<shared::identity::RegistrationDraft>, ApiError>;
    /// Creates the person once the code is right and the consent given.
    async fn complete_registration(
        &self,
        draft: &str,
        code: &str,
        consent: bool,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
}

/// A QR sign-in just asked for: the secret for the asking browser's cookie.
#[derive(Clone, Debug)]
pub struct QrStart {
    pub cookie: String,
    pub max_age_secs: i64,
}

/// Sign-in by QR code (U-AUTH-2).
#[async_trait]
pub trait QrSignInPort: Send + Sync {
    /// A new request for the browser that is not signed in; replaces its previous one.
    async fn start(&self, previous: Option<&str>, client: ClientInfo) -> Result<QrStart, ApiError>;
    /// Where the browser's request stands; a confirmed one is turned into a session, once.
    async fn status(
        &self,
        cookie: &str,
        client: ClientInfo,
    ) -> Result<(shared::qr_sign_in::QrSignInStatus, Option<NewSession>), ApiError>;
    /// The request a QR code names, for the signed-in phone that opened its link.
    async fn request(
        &self,
        session: &str,
        token: &str,
    ) -> Result<shared::qr_sign_in::QrRequest, ApiError>;
    /// The phone's answer: [Подтвердить вход] or [Отклонить].
    async fn answer(&self, session: &str, token: &str, confirm: bool) -> Result<(), ApiError>;
}

/// [Оплатить] as the form sent it: a key («<account>:<supplier>»), an amount and a tick per
/// line of the page; the method; the rules box; «Получить квитанцию».
#[derive(Clone, Debug, Default)]
pub struct PaymentRequest {
    /// The account of the page, or `None` for «Оплатить по всем лицевым счетам».
    pub account: Option<i64>,
    pub keys: Vec<String>,
    pub amounts: Vec<String>,
    /// The keys of the ticked lines.
    pub chosen: Vec<String>,
    pub method: Option<String>,
    pub rules_accepted: bool,
    pub receipt: bool,
    pub idempotency_key: String,
}

/// A payment created (or found again by its key) and where the customer goes next.
#[derive(Clone, Debug)]
pub struct PaymentStart {
    pub id: i64,
    /// The acquirer's card page, or the payment's own page.
    pub redirect: String,
}

/// Payments (U-PAY-6..8, U-ALL-1, U-PRF-6).
#[async_trait]
pub trait PaymentsPort: Send + Sync {
    /// The payment page: one account's suppliers, or those of every linked account.
    async fn pay_sheet(
        &self,
        session: &str,
        account: Option<i64>,
    ) -> Result<shared::payments::PaySheet, ApiError>;
    /// [Оплатить]: checks the form by the rule of `shared`, creates the payment once per
    /// idempotency key and asks the acquirer for its link.
    async fn create_payment(
        &self,
        session: &str,
        request: PaymentRequest,
    ) -> Result<PaymentStart, ApiError>;
    /// A payment of the session's person, asking the acquirer when its notice is late.
    async fn payment(
        &self,
        session: &str,
        id: i64,
    ) -> Result<shared::payments::PaymentView, ApiError>;
    /// «Подключенные платежные реквизиты»: autopay of every linked account.
    async fn autopays(&self, session: &str)
    -> Result<Vec<shared::payments::AutopayLine>, ApiError>;
    /// «Подключить автоплатеж»: checks the settings and sends the customer to the acquirer's
    /// page to save a card; returns that page's address.
    async fn start_autopay(
        &self,
        session: &str,
        account: i64,
        day: &str,
        max_amount: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
    async fn stop_autopay(&self, session: &str, account: i64) -> Result<(), ApiError>;
    /// [Оплатить заказ] of a shop order's case: a payment of its price, once per key.
    async fn pay_order(
        &self,
        session: &str,
        number: &str,
        method: Option<&str>,
        rules_accepted: bool,
        idempotency_key: &str,
    ) -> Result<PaymentStart, ApiError>;
}

/// A file as it arrived in a form: its name and content (the limits of `shared::cases` already
/// applied while it was read).
#[derive(Clone, Debug)]
pub struct IncomingFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form read whole: its text fields (the first value of each name, and every
/// value of repeated names) and its files.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    pub fields: std::collections::BTreeMap<String, Vec<String>>,
    pub files: Vec<IncomingFile>,
}

impl Upload {
    pub fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    /// The names and sizes of the files, for the `shared` attachment rule.
    pub fn picked(&self) -> Vec<shared::cases::PickedFile> {
        picked(&self.files)
    }
}

/// The names and sizes of files, for the `shared` attachment rule.
pub fn picked(files: &[IncomingFile]) -> Vec<shared::cases::PickedFile> {
    files
        .iter()
        .map(|f| shared::cases::PickedFile {
            name: f.name.clone(),
            size: f.bytes.len() as u64,
        })
        .collect()
}

/// Reads a multipart form, refusing (next to the `files` field) a file over 7 MB or more than
/// 100 MB in all before it is read whole. Empty file inputs are skipped.
pub async fn read_upload(data: server_fn::codec::MultipartData) -> Result<Upload, ApiError> {
    use shared::cases::{MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, PickedFile, field};
    let malformed = || ApiError::refused(shared::error::MALFORMED_REQUEST_MESSAGE);
    let mut form = data.into_inner().ok_or_else(malformed)?;
    let mut upload = Upload::default();
    let mut total: u64 = 0;
    while let Some(mut part) = form.next_field().await.map_err(|_| malformed())? {
        let name = part.name().unwrap_or_default().to_string();
        let file_name = part.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        let limit = if file_name.is_some() {
            MAX_FILE_BYTES
        } else {
            64 * 1024
        };
        while let Some(chunk) = part.chunk().await.map_err(|_| malformed())? {
            bytes.extend_from_slice(&chunk);
            total += chunk.len() as u64;
            let size = bytes.len() as u64;
            if size > limit || total > MAX_TOTAL_BYTES + 1024 * 1024 {
                // The page shows again what was typed before the refused part.
                echo_upload(&upload);
                let picked = PickedFile {
                    name: file_name.clone().unwrap_or_default(),
                    size: size.max(limit + 1),
                };
                let message = if total > MAX_TOTAL_BYTES + 1024 * 1024 {
                    shared::cases::check_attachments(&[PickedFile {
                        size: total,
                        ..picked
                    }])
                } else {
                    shared::cases::check_attachments(&[picked])
                };
                return Err(ApiError::field(
                    field::FILES,
                    message
                        .err()
                        .unwrap_or_else(|| shared::cases::FILE_TYPES_HINT.to_string()),
                ));
            }
        }
        match file_name {
            // A file input left empty arrives as a part with no name and no content.
            Some(file_name) if file_name.is_empty() && bytes.is_empty() => {}
            Some(file_name) => {
                if upload.files.len() >= MAX_FILES {
                    return Err(ApiError::field(
                        field::FILES,
                        format!("Можно приложить не больше {MAX_FILES} файлов"),
                    ));
                }
                upload.files.push(IncomingFile {
                    name: file_name,
                    bytes,
                });
            }
            None => {
                let value = String::from_utf8(bytes).map_err(|_| malformed())?;
                upload.fields.entry(name).or_default().push(value);
            }
        }
    }
    Ok(upload)
}

/// Without script, a refused multipart form comes back to its page: what was typed (never a
/// password, never a file) rides along in the echo cookie, as with plain forms.
pub fn echo_upload(upload: &Upload) {
    if !is_plain_form_post() {
        return;
    }
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (name, values) in &upload.fields {
        for value in values {
            body.append_pair(name, value);
        }
    }
    if let (Some(echo), Some(state)) = (
        form_echo(body.finish().as_bytes()),
        use_context::<AppState>(),
    ) {
        set_cookie(ECHO_COOKIE, &echo, 60, state.secure_cookies);
    }
}

/// The session's own case list: appeals, or applications and documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseScope {
    Appeals,
    Applications,
    Documents,
}

/// Appeals, applications, documents and notices of a customer (U-APL-1..4, U-DOC-1..3,
/// U-INF-1 «Уведомления»).
#[async_trait]
pub trait CasesPort: Send + Sync {
    /// What the new appeal and application forms are prefilled with.
    async fn draft(&self, session: &str) -> Result<shared::cases::CaseDraft, ApiError>;
    /// Sends a case once per idempotency key; returns its number.
    async fn create(
        &self,
        session: &str,
        form: shared::cases::CaseForm,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
    /// The customer's cases of a scope within the chosen months (3 years at most), of one of
    /// the customer's accounts when `account` is given.
    async fn history(
        &self,
        session: &str,
        scope: CaseScope,
        from: Option<String>,
        to: Option<String>,
        account: Option<i64>,
    ) -> Result<shared::cases::CaseHistory, ApiError>;
    /// A case of the customer's, with its messages, files and history.
    async fn card(&self, session: &str, number: &str) -> Result<shared::cases::CaseCard, ApiError>;
    /// A message (and files) to an open case, once per key.
    async fn add_message(
        &self,
        session: &str,
        number: &str,
        text: &str,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<(), ApiError>;
    /// The customer's rating of the answer to a closed case.
    async fn rate(
        &self,
        session: &str,
        number: &str,
        rating: &str,
        comment: &str,
    ) -> Result<(), ApiError>;
    /// «Уведомления»: every notice, newest first; marks them read.
    async fn notices(&self, session: &str) -> Result<Vec<shared::cases::Notice>, ApiError>;
    /// «Вопросы и ответы».
    async fn faq(&self) -> Result<Vec<shared::cases::FaqEntry>, ApiError>;
}

/// The name of the staff session cookie (apart from customers').
pub const STAFF_COOKIE: &str = "kabinet_staff";

/// The staff session's secret from the request, or `Unauthorized`.
pub fn require_staff() -> Result<String, ApiError> {
    cookie(STAFF_COOKIE).ok_or(ApiError::Unauthorized)
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "kabinet_session";
/// The name of the cookie of a browser waiting for a QR sign-in.
pub const QR_COOKIE: &str = "kabinet_qr";

/// The value of the request's cookie `name`, if any.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie_in(&parts.headers, name)
}

/// The value of the cookie `name` among request headers, if any.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The request's session cookie, if any.
pub fn session_token() -> Option<String> {
    cookie(SESSION_COOKIE)
}

/// The session cookie, or `Unauthorized` for a request without one.
pub fn require_session() -> Result<String, ApiError> {
    session_token().ok_or(ApiError::Unauthorized)
}

/// The caller's address and browser.
pub fn client_info() -> ClientInfo {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return ClientInfo::default();
    };
    let header = |name: http::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    ClientInfo {
        ip: parts.extensions.get::<ClientIp>().map(|p| p.0.clone()),
        user_agent: header(http::header::USER_AGENT),
    }
}

/// The client's address, put in the request's extensions by the server: the socket's peer, or
/// what a trusted reverse proxy forwarded.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// Sets (or, with `None`, removes) the session cookie on the response.
pub fn set_session_cookie(session: Option<&NewSession>, secure: bool) {
    match session {
        Some(s) => set_cookie(SESSION_COOKIE, &s.token, s.max_age_secs, secure),
        None => set_cookie(SESSION_COOKIE, "", 0, secure),
    }
}

/// The `Set-Cookie` value of every cookie the portal sets: HttpOnly, for the whole site,
/// `SameSite=Lax`, `Secure` over https.
pub fn cookie_header(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Sets an HttpOnly cookie for the whole site on the response (`max_age` 0 removes it).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    match http::HeaderValue::from_str(&cookie_header(name, value, max_age, secure)) {
        Ok(v) => response.append_header(http::header::SET_COOKIE, v),
        Err(e) => tracing::error!(error = %e, cookie = name, "cookie is not a valid header"),
    }
}

/// The cookie that brings a refused form's fields back to its page (without script).
pub const ECHO_COOKIE: &str = "kabinet_echo";
/// The most a form echo may hold (a cookie holds about 4 KB).
const ECHO_LIMIT: usize = 3000;

/// The fields of a refused plain form post (`application/x-www-form-urlencoded`) worth
/// showing again, as a cookie value: never a password, never an empty field.
pub fn form_echo(body: &[u8]) -> Option<String> {
    let mut echo = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (name, value) in form_urlencoded::parse(body) {
        if name.contains("password") || value.is_empty() {
            continue;
        }
        echo.append_pair(&name, &value);
        any = true;
    }
    let echo = echo.finish();
    (any && echo.len() <= ECHO_LIMIT).then_some(echo)
}

/// Reads the request's form echo (see [`form_echo`]) for the page's fields, once: the
/// response forgets the cookie.
pub fn provide_form_echo(secure: bool) {
    let Some(echo) = cookie(ECHO_COOKIE) else {
        return;
    };
    let fields = form_urlencoded::parse(echo.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    provide_context(crate::components::field::FormEcho(std::sync::Arc::new(
        fields,
    )));
    set_cookie(ECHO_COOKIE, "", 0, secure);
}

// The build's content-hashed file names (cargo-leptos' `hash-files`).

/// The name of the file in which cargo-leptos' `hash-files` records the hashes of the
/// compiled files (`js: …`, `wasm: …`, `css: …`), beside the server executable.
pub const HASH_FILE: &str = "hash.txt";

/// [`HASH_FILE`] beside the running executable, when the build wrote one.
pub fn hash_file() -> Option<std::path::PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(HASH_FILE);
    path.is_file().then_some(path)
}

/// The hash recorded for `kind` (`js`, `wasm`, `css`) in the text of a hash file.
pub fn recorded_hash<'a>(hashes: &'a str, kind: &str) -> Option<&'a str> {
    hashes.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == kind && !hash.trim().is_empty()).then(|| hash.trim())
    })
}

/// The stylesheet's address, for the rendered pages and those the server writes itself:
/// `/pkg/kabinet.<hash>.css` when the build hashed its files, else `/pkg/kabinet.css`.
pub fn stylesheet_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = hash_file().and_then(|path| std::fs::read_to_string(path).ok());
        match hashes.as_deref().and_then(|h| recorded_hash(h, "css")) {
            Some(hash) => format!("/pkg/{}.{hash}.css", crate::OUTPUT_NAME),
            None => format!("/pkg/{}.css", crate::OUTPUT_NAME),
        }
    })
}
