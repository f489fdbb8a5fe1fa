//! The back-office's ports: staff sign-in, the queue of cases, the moves of each kind's
//! workflow, settings, the team and the audit log, which the server's case engine implements
//! (`server::cases::staff`), and the company registry (`server::registry`). [`StaffPorts`] is
//! the back-office's handle in [`crate::ports::AppState`].

use crate::ports::{ClientInfo, IncomingFile, NewSession};
use async_trait::async_trait;
use shared::ApiError;
use std::sync::Arc;

/// The back-office's ports, as `AppState::staff`.
#[derive(Clone)]
pub struct StaffPorts {
    pub back_office: Arc<dyn StaffPort>,
    pub registry: Arc<dyn RegistryAdminPort>,
}

/// «Реестр компаний» (M-5): search and a company's card. Takes the staff session's secret.
#[async_trait]
pub trait RegistryAdminPort: Send + Sync {
    /// What an ИНН, ОГРН or the beginning of a name finds (nothing for an empty query), and
    /// the company `id` when one is opened.
    async fn page(
        &self,
        token: &str,
        query: &str,
        id: Option<i64>,
    ) -> Result<shared::registry::RegistryPage, ApiError>;
}

/// The back-office (`/staff`): staff sign-in, queues, case actions, settings, the team and
/// the audit log. Every method but `sign_in` takes the staff session's secret.
#[async_trait]
pub trait StaffPort: Send + Sync {
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: ClientInfo,
    ) -> Result<NewSession, ApiError>;
    async fn sign_out(&self, token: &str) -> Result<(), ApiError>;
    async fn me(&self, token: &str) -> Result<Option<shared::cases::StaffMember>, ApiError>;
    async fn queue(
        &self,
        token: &str,
        filter: shared::cases::QueueFilter,
    ) -> Result<shared::cases::Queue, ApiError>;
    async fn case(&self, token: &str, number: &str) -> Result<shared::cases::StaffCase, ApiError>;
    /// A move of the case's workflow, with the message to the customer and files.
    async fn act(
        &self,
        token: &str,
        number: &str,
        action: &str,
        comment: &str,
        files: Vec<IncomingFile>,
        idempotency_key: &str,
    ) -> Result<(), ApiError>;
    async fn settings(&self, token: &str) -> Result<shared::cases::StaffSettings, ApiError>;
    /// Adds an appeal topic (no `id`) or renames and switches one.
    async fn save_topic(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        active: bool,
    ) -> Result<(), ApiError>;
    /// Whether the provider accepts applications of a topic.
    async fn set_application_topic(
        &self,
        token: &str,
        code: &str,
        active: bool,
    ) -> Result<(), ApiError>;
    /// Adds (no `id`), changes or (`delete`) removes a FAQ entry.
    async fn save_faq(
        &self,
        token: &str,
        id: Option<i64>,
        entry: shared::cases::FaqEntry,
        delete: bool,
    ) -> Result<(), ApiError>;
    async fn team(&self, token: &str) -> Result<Vec<shared::cases::StaffMember>, ApiError>;
    /// An administrator adds a staff member.
    async fn add_member(
        &self,
        token: &str,
        login: &str,
        name: &str,
        role: &str,
        password: &str,
    ) -> Result<(), ApiError>;
    async fn set_member_active(&self, token: &str, id: i64, active: bool) -> Result<(), ApiError>;
    async fn audit(&self, token: &str) -> Result<Vec<shared::cases::AuditEntry>, ApiError>;
}
