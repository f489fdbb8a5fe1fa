//! The case engine's customer side: appeals, applications, documents, notices and the FAQ
//! (U-APL-1..3, U-DOC-1..3, U-INF-1 «Уведомления»). Forms with files are multipart: a page
//! without script posts them itself, a page with script checks them first with the same
//! `shared` rules.

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use shared::ApiError;
use shared::cases::{CaseCard, CaseDraft, CaseHistory, CaseMessage, FaqEntry, Notice};

/// What the new-case forms are prefilled with.
#[server(endpoint = "cases/draft")]
pub async fn load_case_draft() -> Result<CaseDraft, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let mut draft = ports::state()?.cases.draft(&session).await?;
    // Rendering the page after a refused form: what was typed comes back with the draft.
    if let Some(echo) = use_context::<crate::components::field::FormEcho>() {
        draft.echo = echo.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    }
    Ok(draft)
}

/// «История обращений» (`scope` = appeals), «Мои заявления» (applications), «Мои документы»
/// (documents) within the months chosen; of one account when `account` is given (U-ACC-6).
#[server(endpoint = "cases/history")]
pub async fn load_case_history(
    scope: String,
    from: Option<String>,
    to: Option<String>,
    account: Option<i64>,
) -> Result<CaseHistory, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let scope = match scope.as_str() {
        "appeals" => ports::CaseScope::Appeals,
        "applications" => ports::CaseScope::Applications,
        "documents" => ports::CaseScope::Documents,
        _ => return Err(ApiError::NotFound),
    };
    ports::state()?
        .cases
        .history(&session, scope, from, to, account)
        .await
}

/// The card of one of the customer's cases.
#[server(endpoint = "cases/card")]
pub async fn load_case(number: String) -> Result<CaseCard, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.cases.card(&session, &number).await
}

/// The conversation of one of the customer's cases, asked for again by an open card every few
/// seconds so that staff answers appear without reloading the page (the web consultant).
#[server(endpoint = "cases/messages")]
pub async fn load_case_messages(number: String) -> Result<Vec<CaseMessage>, ApiError> {
    Ok(load_case(number).await?.messages)
}

/// Sends a new appeal, application or document (the form's `kind`); on success the browser
/// goes to the case's card.
#[server(endpoint = "cases/create", input = MultipartFormData)]
pub async fn create_case(data: MultipartData) -> Result<String, ApiError> {
    use crate::ports;
    use shared::cases::{CaseForm, CaseKind, field};
    let session = ports::require_session()?;
    let upload = ports::read_upload(data).await?;
    let kind = match upload.text("kind").as_str() {
        "application" => CaseKind::Application,
        "document" => CaseKind::Document,
        _ => CaseKind::Appeal,
    };
    let topic = if kind == CaseKind::Document {
        upload.text(field::DOC_TYPE)
    } else {
        upload.text(field::TOPIC)
    };
    let fields = shared::cases::topic(topic.trim())
        .filter(|_| kind == CaseKind::Application)
        .map(|t| {
            t.fields
                .iter()
                .map(|f| (f.name.to_string(), upload.text(f.name)))
                .collect()
        })
        .unwrap_or_default();
    let form = CaseForm {
        kind: Some(kind),
        full_name: upload.text(field::FULL_NAME),
        account: upload.text(field::ACCOUNT),
        supplier: upload.text(field::SUPPLIER),
        topic,
        text: upload.text(field::TEXT),
        phone: upload.text(field::PHONE),
        email: upload.text(field::EMAIL),
        consent: !upload.text(field::CONSENT).is_empty(),
        fields,
        files: upload.picked(),
    };
    let key = upload.text(field::KEY);
    let result = ports::state()?
        .cases
        .create(&session, form, upload.files.clone(), &key)
        .await;
    match result {
        Ok(number) => {
            leptos_axum::redirect(&format!("/cases/{number}?sent=1"));
            Ok(number)
        }
        Err(e) => {
            ports::echo_upload(&upload);
            Err(e)
        }
    }
}

/// A message (and files) to an open case of the customer's.
#[server(endpoint = "cases/message", input = MultipartFormData)]
pub async fn add_case_message(data: MultipartData) -> Result<(), ApiError> {
    use crate::ports;
    use shared::cases::field;
    let session = ports::require_session()?;
    let upload = ports::read_upload(data).await?;
    let number = upload.text("number");
    let result = ports::state()?
        .cases
        .add_message(
            &session,
            &number,
            &upload.text(field::TEXT),
            upload.files.clone(),
            &upload.text(field::KEY),
        )
        .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!("/cases/{number}?added=1#messages"));
            Ok(())
        }
        Err(e) => {
            ports::echo_upload(&upload);
            Err(e)
        }
    }
}

/// The customer's rating of the answer to a closed case.
#[server(endpoint = "cases/rate")]
pub async fn rate_case(
    number: String,
    rating: Option<String>,
    comment: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .cases
        .rate(
            &session,
            &number,
            rating.as_deref().unwrap_or(""),
            comment.as_deref().unwrap_or(""),
        )
        .await?;
    leptos_axum::redirect(&format!("/cases/{number}?rated=1"));
    Ok(())
}

/// «Уведомления», newest first (they are marked read once shown).
#[server(endpoint = "cases/notices")]
pub async fn load_notices() -> Result<Vec<Notice>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.cases.notices(&session).await
}

/// «Вопросы и ответы».
#[server(endpoint = "cases/faq")]
pub async fn load_faq() -> Result<Vec<FaqEntry>, ApiError> {
    use crate::ports;
    ports::state()?.cases.faq().await
}
