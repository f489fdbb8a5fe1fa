//! «Виртуальный ассистент» (U-APL-4).

use leptos::prelude::*;
use shared::ApiError;
use shared::utility::assistant::Answer;

/// «Виртуальный ассистент»: the answer to a question about the chosen account.
#[server(endpoint = "cases/ask")]
pub async fn ask_assistant(account: Option<i64>, question: String) -> Result<Answer, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .assistant
        .ask(&session, account, &question)
        .await
}
