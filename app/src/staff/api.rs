//! The back-office's server functions (`/staff`): staff sign-in, queues, case moves,
//! settings, the team and the audit log. Every one but the sign-in needs a staff session.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};
use shared::ApiError;
use shared::cases::{AuditEntry, Queue, StaffCase, StaffMember, StaffSettings};

#[server(endpoint = "staff/sign_in")]
pub async fn staff_sign_in(login: String, password: String) -> Result<(), ApiError> {
    use crate::ports;
    let mut errors = shared::error::FieldErrors::new();
    errors.require("login", &login);
    if password.is_empty() {
        errors.add("password", shared::cases::REQUIRED);
    }
    errors.into_result()?;
    let state = ports::state()?;
    let session = state
        .staff
        .back_office
        .sign_in(&login, &password, ports::client_info())
        .await?;
    ports::set_cookie(
        ports::STAFF_COOKIE,
        &session.token,
        session.max_age_secs,
        state.secure_cookies,
    );
    leptos_axum::redirect("/staff");
    Ok(())
}

#[server(endpoint = "staff/sign_out")]
pub async fn staff_sign_out() -> Result<(), ApiError> {
    use crate::ports;
    let state = ports::state()?;
    if let Some(token) = ports::cookie(ports::STAFF_COOKIE) {
        state.staff.back_office.sign_out(&token).await?;
    }
    ports::set_cookie(ports::STAFF_COOKIE, "", 0, state.secure_cookies);
    leptos_axum::redirect("/staff/login");
    Ok(())
}

/// The signed-in staff member, if any.
#[server(endpoint = "staff/me")]
pub async fn staff_me() -> Result<Option<StaffMember>, ApiError> {
    use crate::ports;
    match ports::cookie(ports::STAFF_COOKIE) {
        Some(token) => ports::state()?.staff.back_office.me(&token).await,
        None => Ok(None),
    }
}

/// The queue, filtered as the address says.
#[server(endpoint = "staff/queue")]
pub async fn load_queue(
    kind: Option<String>,
    status: Option<String>,
    branch: Option<String>,
    older: Option<String>,
    search: Option<String>,
    mine: Option<String>,
) -> Result<Queue, ApiError> {
    use crate::ports;
    use shared::cases::{CaseKind, QueueFilter, Status};
    let token = ports::require_staff()?;
    let filter = QueueFilter {
        kind: kind.as_deref().and_then(CaseKind::from_code),
        status: status.as_deref().and_then(Status::from_code),
        branch: branch.and_then(|b| b.parse().ok()),
        older_than_days: older.and_then(|d| d.parse().ok()),
        search: search.unwrap_or_default(),
        mine: mine.is_some_and(|m| !m.is_empty()),
    };
    ports::state()?
        .staff
        .back_office
        .queue(&token, filter)
        .await
}

#[server(endpoint = "staff/case")]
pub async fn load_staff_case(number: String) -> Result<StaffCase, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .case(&token, &number)
        .await
}

/// The conversation of a case, asked for again by its open card in the back-office every few
/// seconds: the customer's messages to the web consultant appear without a reload.
#[server(endpoint = "staff/case/messages")]
pub async fn load_staff_case_messages(
    number: String,
) -> Result<Vec<shared::cases::CaseMessage>, ApiError> {
    Ok(load_staff_case(number).await?.card.messages)
}

/// A move of a case (the button pressed is `action`), with the comment and files.
#[server(endpoint = "staff/act", input = MultipartFormData)]
pub async fn staff_act(data: MultipartData) -> Result<(), ApiError> {
    use crate::ports;
    use shared::cases::field;
    let token = ports::require_staff()?;
    let upload = ports::read_upload(data).await?;
    let number = upload.text("number");
    let result = ports::state()?
        .staff
        .back_office
        .act(
            &token,
            &number,
            &upload.text("action"),
            &upload.text(field::COMMENT),
            upload.files.clone(),
            &upload.text(field::KEY),
        )
        .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!(
                "/staff/cases/{number}?done={}",
                upload.text("action")
            ));
            Ok(())
        }
        Err(e) => {
            ports::echo_upload(&upload);
            Err(e)
        }
    }
}

#[server(endpoint = "staff/settings")]
pub async fn load_staff_settings() -> Result<StaffSettings, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.staff.back_office.settings(&token).await
}

#[server(endpoint = "staff/topic")]
pub async fn save_topic(
    id: Option<i64>,
    title: String,
    active: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .save_topic(&token, id, &title, id.is_none() || active.is_some())
        .await?;
    leptos_axum::redirect("/staff/settings?saved=1");
    Ok(())
}

#[server(endpoint = "staff/application_topic")]
pub async fn set_application_topic(code: String, active: String) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .set_application_topic(&token, &code, active == "1")
        .await?;
    leptos_axum::redirect("/staff/settings?saved=1#application-topics");
    Ok(())
}

#[server(endpoint = "staff/faq")]
pub async fn save_faq(
    id: Option<i64>,
    category: String,
    question: String,
    answer: String,
    delete: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .save_faq(
            &token,
            id,
            shared::cases::FaqEntry {
                id: id.unwrap_or(0),
                category,
                question,
                answer,
            },
            delete.is_some(),
        )
        .await?;
    leptos_axum::redirect("/staff/settings?saved=1#faq");
    Ok(())
}

#[server(endpoint = "staff/team")]
pub async fn load_team() -> Result<Vec<StaffMember>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.staff.back_office.team(&token).await
}

#[server(endpoint = "staff/add_member")]
pub async fn add_member(
    login: String,
    name: String,
    role: String,
    password: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .add_member(&token, &login, &name, &role, &password)
        .await?;
    leptos_axum::redirect("/staff/team?added=1");
    Ok(())
}

#[server(endpoint = "staff/member_active")]
pub async fn set_member_active(id: i64, active: String) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .back_office
        .set_member_active(&token, id, active == "1")
        .await?;
    leptos_axum::redirect(&format!("/staff/team?changed={id}-{active}"));
    Ok(())
}

#[server(endpoint = "staff/audit")]
pub async fn load_audit() -> Result<Vec<AuditEntry>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.staff.back_office.audit(&token).await
}
