//! `/dev/clock` (development only, M-7): the time the portal lives in and the form that moves
//! it forward, so that a person or a browser test can reach a deadline («через 14 дней», «10
//! дней хранения») without waiting. After a move the background jobs run at once.

use crate::web::{WebState, escape, plain_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shared::calendar::parse_shift;

#[derive(Deserialize)]
pub struct PageQuery {
    moved: Option<String>,
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    by: String,
}

/// The page: the time now (Moscow), how far the clock was moved, the form.
pub async fn page(State(state): State<WebState>, Query(query): Query<PageQuery>) -> Response {
    let notice = query
        .moved
        .is_some()
        .then_some("Часы переведены. Фоновые задачи выполнены.");
    render(&state, "", None, notice).await.into_response()
}

/// [Перевести]: a bad value comes back with its message next to the field and changes nothing.
pub async fn submit(State(state): State<WebState>, Form(form): Form<MoveForm>) -> Response {
    match parse_shift(&form.by) {
        Ok(secs) => match state.services.move_dev_clock(secs).await {
            Ok(()) => Redirect::to("/dev/clock?moved=1").into_response(),
            Err(e) => (
                StatusCode::SERVICE_UNAVAILABLE,
                render(&state, &form.by, Some(e.to_string()), None).await,
            )
                .into_response(),
        },
        Err(message) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &form.by, Some(message), None).await,
        )
            .into_response(),
    }
}

async fn render(
    state: &WebState,
    typed: &str,
    error: Option<String>,
    notice: Option<&str>,
) -> axum::response::Html<String> {
    let services = &state.services;
    // Another instance may have moved the clock a moment ago.
    if let Err(e) = services.sync_dev_clock().await {
        tracing::warn!(error = %e, "development clock not read");
    }
    let now = services.clock.now().as_second() + crate::clock::PROVIDER_UTC_OFFSET_SECS;
    let shown = jiff::Timestamp::from_second(now)
        .map(|t| t.strftime("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default();
    let offset = services.dev_clock.as_ref().map_or(0, |c| c.offset_secs());
    let moved = if offset == 0 {
        "Часы идут как настоящие.".to_string()
    } else {
        format!(
            "Часы переведены вперед на {} дн. {} ч {} мин.",
            offset / 86_400,
            offset % 86_400 / 3_600,
            offset % 3_600 / 60
        )
    };
    let notice = notice
        .map(|n| {
            format!(
                "<p class=\"notice notice--success\" role=\"status\">{}</p>",
                escape(n)
            )
        })
        .unwrap_or_default();
    let (invalid, described, error) = match error {
        Some(message) => (
            " aria-invalid=\"true\"",
            " aria-describedby=\"by-hint by-error\"",
            format!(
                "<p class=\"field__error\" id=\"by-error\" role=\"alert\">{}</p>",
                escape(&message)
            ),
        ),
        None => ("", " aria-describedby=\"by-hint\"", String::new()),
    };
    plain_page(
        "Часы портала (режим разработки)",
        &format!(
            "<h1>Часы портала</h1>\
             <p>Режим разработки: сроки, напоминания и фоновые задачи считают время по этим часам.</p>\
             {notice}\
             <p>Сейчас: <strong id=\"now\">{shown}</strong> (Москва). {moved}</p>\
             <form method=\"post\" action=\"/dev/clock\" class=\"field\">\
             <label class=\"field__label\" for=\"by\">На сколько перевести часы вперёд</label>\
             <p class=\"field__hint\" id=\"by-hint\">Например, 90m (минуты), 25h (часы) или 36d (дни).</p>\
             <input class=\"field__input\" id=\"by\" name=\"by\" value=\"{}\" autocomplete=\"off\"{invalid}{described}>\
             {error}\
             <p><button class=\"button button--primary\" type=\"submit\">Перевести</button></p>\
             </form>",
            escape(typed)
        ),
    )
}
