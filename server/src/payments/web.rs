//! The HTTP side of payments: acquirers' notifications, the SBP QR code of a payment, and (in
//! development) the sandbox acquirer's pages: the bank app an SBP link opens and the card page.

use super::sandbox::{CONFIRMATION_CODE, DECLINED_CARD, SandboxPayment, card_caption, luhn_valid};
use super::service::CallbackRefusal;
use crate::web::{WebState, escape, plain_page};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shared::Kopecks;

pub fn routes(sandbox: bool) -> Router<WebState> {
    let router = Router::new()
        .route("/payments/callback/{acquirer}", post(callback))
        .route("/payments/{id}/qr.svg", get(payment_qr));
    if !sandbox {
        return router;
    }
    router
        .route("/sandbox/sbp/{reference}", get(sbp_page).post(sbp_answer))
        .route(
            "/sandbox/card/{reference}",
            get(card_page).post(card_submit),
        )
        .route(
            "/sandbox/card/{reference}/3ds",
            get(secure_page).post(secure_submit),
        )
}

/// An acquirer's notification: 200 with the acquirer's acknowledgement when accepted (also
/// when repeated); otherwise an error status, so that a real acquirer tries again.
async fn callback(
    State(state): State<WebState>,
    Path(acquirer): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match state
        .services
        .payments
        .handle_callback(&acquirer, &headers, &body)
        .await
    {
        Ok(ack) => (StatusCode::OK, ack).into_response(),
        Err(refusal) => {
            tracing::warn!(acquirer, %refusal, "payment notice refused");
            let status = match refusal {
                CallbackRefusal::UnknownAcquirer => StatusCode::NOT_FOUND,
                CallbackRefusal::Invalid(super::acquirer::CallbackError::Malformed(_)) => {
                    StatusCode::BAD_REQUEST
                }
                CallbackRefusal::Invalid(_) => StatusCode::UNAUTHORIZED,
                CallbackRefusal::AmountMismatch { .. } => StatusCode::CONFLICT,
                CallbackRefusal::Storage => StatusCode::SERVICE_UNAVAILABLE,
            };
            (status, refusal.to_string()).into_response()
        }
    }
}

/// The QR code of a pending SBP payment of the session's person (U-PAY-7).
async fn payment_qr(
    State(state): State<WebState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    use app::ports::PaymentsPort;
    let Some(session) = app::ports::cookie_in(&headers, app::ports::SESSION_COOKIE) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let view = match state.services.payments.payment(&session, id).await {
        Ok(view) => view,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let Some(link) = view
        .link
        .filter(|_| view.method == shared::payments::PaymentMethod::Sbp)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::qr_sign_in::qr_svg(&link) {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "private, max-age=600"),
            ],
            svg,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The sandbox's payment, or the page saying there is none.
async fn sandbox_payment(state: &WebState, reference: &str) -> Result<SandboxPayment, Response> {
    let Some(sandbox) = &state.services.sandbox else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match sandbox.find(reference).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err((
            StatusCode::NOT_FOUND,
            bank_page("Платеж не найден", "<p>Такого платежа нет.</p>"),
        )
            .into_response()),
        Err(e) => {
            tracing::error!(error = %e, "sandbox lookup failed");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

fn bank_page(title: &str, body: &str) -> Response {
    plain_page(
        title,
        &format!(
            "<p class=\"notice\">Тестовый банк (песочница): настоящие деньги не списываются.</p>\
             <h1>{}</h1>{body}",
            escape(title)
        ),
    )
    .into_response()
}

/// What a settled sandbox payment shows.
fn settled_page(p: &SandboxPayment) -> Response {
    let text = match p.status.as_str() {
        "succeeded" => "Платеж выполнен. Вернитесь в личный кабинет: он покажет результат сам.",
        _ => "Платеж отклонен. Деньги не списаны.",
    };
    bank_page("Оплата", &format!("<p role=\"status\">{text}</p>"))
}

fn summary(state: &WebState, p: &SandboxPayment) -> String {
    format!(
        "<dl class=\"facts\"><dt>Получатель</dt><dd>{}</dd><dt>Назначение</dt><dd>{}</dd>\
         <dt>Сумма</dt><dd>{}</dd></dl>",
        escape(&state.services.config.provider_name),
        escape(&p.description),
        escape(&Kopecks(p.amount).to_string())
    )
}

/// The page an SBP link opens: standing for the customer's bank app.
async fn sbp_page(State(state): State<WebState>, Path(reference): Path<String>) -> Response {
    let p = match sandbox_payment(&state, &reference).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if p.status != "pending" {
        return settled_page(&p);
    }
    let expired = state
        .services
        .sandbox
        .as_ref()
        .is_some_and(|s| s.is_expired(&p));
    if expired {
        return bank_page(
            "Оплата по СБП",
            "<p role=\"alert\">Срок действия ссылки истек.</p>",
        );
    }
    bank_page(
        "Оплата по СБП",
        &format!(
            "{}<form method=\"post\" class=\"cluster\">\
             <button class=\"button button--primary\" type=\"submit\" name=\"decision\" value=\"pay\">Оплатить</button>\
             <button class=\"button button--secondary\" type=\"submit\" name=\"decision\" value=\"decline\">Отклонить</button>\
             </form>",
            summary(&state, &p)
        ),
    )
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
}

async fn sbp_answer(
    State(state): State<WebState>,
    Path(reference): Path<String>,
    Form(form): Form<Decision>,
) -> Response {
    let Some(sandbox) = state.services.sandbox.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(e) = sandbox.settle(&reference, form.decision == "pay").await {
        tracing::error!(error = %e, "sandbox settlement failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    match sandbox_payment(&state, &reference).await {
        Ok(p) => settled_page(&p),
        Err(r) => r,
    }
}

/// A form's error message, tied to its control by `id`; nothing without one.
fn error_paragraph(id: &str, error: Option<&str>) -> String {
    error
        .map(|e| {
            format!(
                "<p class=\"form-error\" id=\"{id}\" role=\"alert\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default()
}

fn card_form(state: &WebState, p: &SandboxPayment, error: Option<&str>) -> Response {
    let error = error_paragraph("card-error", error);
    let described = if error.is_empty() {
        ""
    } else {
        " aria-describedby=\"card-error\" aria-invalid=\"true\""
    };
    let title = if p.kind == "binding" {
        "Сохранение карты"
    } else {
        "Оплата банковской картой"
    };
    bank_page(
        title,
        &format!(
            "{}<form method=\"post\" class=\"form\">\
             <div class=\"field\"><label class=\"field__label\" for=\"number\">Номер карты</label>\
             <input class=\"field__input\" id=\"number\" name=\"number\" inputmode=\"numeric\" autocomplete=\"cc-number\" required{described}></div>\
             {error}\
             <div class=\"field\"><label class=\"field__label\" for=\"expiry\">Срок действия (ММ/ГГ)</label>\
             <input class=\"field__input\" id=\"expiry\" name=\"expiry\" inputmode=\"numeric\" autocomplete=\"cc-exp\" placeholder=\"12/30\" required></div>\
             <div class=\"field\"><label class=\"field__label\" for=\"cvc\">CVC</label>\
             <input class=\"field__input\" id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required></div>\
             <button class=\"button button--primary\" type=\"submit\">Продолжить</button></form>\
             <p>Тестовые карты: любой номер, проходящий проверку Луна (например, 4111 1111 1111 1111); \
             карта {DECLINED_CARD} отклоняется банком.</p>",
            if p.kind == "binding" {
                "<p>Карта сохраняется у банка для автоплатежа; личный кабинет хранит только ее последние цифры.</p>".to_string()
            } else {
                summary(state, p)
            }
        ),
    )
}

async fn card_page(State(state): State<WebState>, Path(reference): Path<String>) -> Response {
    match sandbox_payment(&state, &reference).await {
        Ok(p) if p.status != "pending" => settled_page(&p),
        Ok(p) => card_form(&state, &p, None),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct CardForm {
    number: String,
    expiry: String,
    cvc: String,
}

async fn card_submit(
    State(state): State<WebState>,
    Path(reference): Path<String>,
    Form(form): Form<CardForm>,
) -> Response {
    let p = match sandbox_payment(&state, &reference).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if p.status != "pending" {
        return settled_page(&p);
    }
    let number: String = form.number.chars().filter(|c| !c.is_whitespace()).collect();
    let expiry_ok = form.expiry.trim().split_once('/').is_some_and(|(m, y)| {
        m.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
            && y.len() == 2
            && y.chars().all(|c| c.is_ascii_digit())
    });
    let cvc_ok = form.cvc.trim().len() == 3 && form.cvc.trim().chars().all(|c| c.is_ascii_digit());
    let error = if !luhn_valid(&number) {
        Some("Номер карты указан с ошибкой.")
    } else if !expiry_ok {
        Some("Укажите срок действия карты в виде ММ/ГГ.")
    } else if !cvc_ok {
        Some("CVC — три цифры с обратной стороны карты.")
    } else {
        None
    };
    if let Some(error) = error {
        return card_form(&state, &p, Some(error));
    }
    let Some(sandbox) = &state.services.sandbox else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(e) = sandbox.take_card(&reference, &number).await {
        tracing::error!(error = %e, "sandbox card not kept");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Redirect::to(&format!("/sandbox/card/{reference}/3ds")).into_response()
}

fn secure_form(p: &SandboxPayment, error: Option<&str>) -> Response {
    let error = error_paragraph("code-error", error);
    bank_page(
        "Подтверждение платежа",
        &format!(
            "<p>Банк отправил код подтверждения на телефон владельца карты {}. \
             В песочнице код — {CONFIRMATION_CODE}.</p>\
             <form method=\"post\" class=\"form\">\
             <div class=\"field\"><label class=\"field__label\" for=\"code\">Код из SMS</label>\
             <input class=\"field__input\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></div>{error}\
             <div class=\"cluster\"><button class=\"button button--primary\" type=\"submit\" name=\"action\" value=\"confirm\">Подтвердить</button>\
             <button class=\"button button--secondary\" type=\"submit\" name=\"action\" value=\"cancel\">Отменить платеж</button></div></form>",
            escape(&card_caption(p.card_number.as_deref().unwrap_or("")))
        ),
    )
}

async fn secure_page(State(state): State<WebState>, Path(reference): Path<String>) -> Response {
    match sandbox_payment(&state, &reference).await {
        Ok(p) if p.status != "pending" => settled_page(&p),
        Ok(p) if p.card_number.is_none() => {
            Redirect::to(&format!("/sandbox/card/{reference}")).into_response()
        }
        Ok(p) => secure_form(&p, None),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct SecureForm {
    #[serde(default)]
    code: String,
    action: String,
}

async fn secure_submit(
    State(state): State<WebState>,
    Path(reference): Path<String>,
    Form(form): Form<SecureForm>,
) -> Response {
    let p = match sandbox_payment(&state, &reference).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if p.status != "pending" {
        return settled_page(&p);
    }
    let approve = form.action == "confirm";
    if approve && form.code.trim() != CONFIRMATION_CODE {
        return secure_form(&p, Some("Неверный код подтверждения."));
    }
    let Some(sandbox) = &state.services.sandbox else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(e) = sandbox.settle(&reference, approve).await {
        tracing::error!(error = %e, "sandbox settlement failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    // Back to the shop, as a real acquirer does.
    Redirect::to(&p.return_url).into_response()
}
