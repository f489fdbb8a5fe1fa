//! The back-office's ports: staff sign-in, the queue of cases, the moves of each kind's
//! workflow, settings, the team and the audit log, which the server's case engine implements
//! (`server::cases::staff`), the company registry (`server::registry`) and the production
//! calendar (`server::calendar`). [`StaffPorts`] is the back-office's handle in
//! [`crate::ports::AppState`].

use crate::ports::{ClientInfo, IncomingFile, NewSession};
use async_trait::async_trait;
use shared::ApiError;
use std::sync::Arc;

/// The back-office's ports, as `AppState::staff`.
#[derive(Clone)]
pub struct StaffPorts {
    pub back_office: Arc<dyn StaffPort>,
    pub registry: Arc<dyn RegistryAdminPort>,
    pub calendar: Arc<dyn CalendarAdminPort>,
}

/// The production calendar (M-7): a year's sheets with the days set apart from the built-in
/// rules; a senior specialist or an administrator sets or clears a day (audited).
#[async_trait]
pub trait CalendarAdminPort: Send + Sync {
    /// The year `year` (the current one when none).
    async fn year(
        &self,
        token: &str,
        year: Option<i32>,
    ) -> Result<shared::calendar::CalendarYear, ApiError>;
    /// Sets a day as working (`working` = "1") or a day off ("0"), with a note; a day set to
    /// what the rules say anyway is cleared.
    async fn set_day(
        &self,
        token: &str,
        day: &str,
        working: &str,
        note: &str,
    ) -> Result<(), ApiError>;
    /// Returns a day to the built-in rules.
    async fn clear_day(&self, token: &str, day: &str) -> Result<(), ApiError>;
}

/// «Реестр компаний» (M-5): search, a company's card and a correction (senior specialists and
/// administrators; each in the audit log). Every method takes the staff session's secret.
#[async_trait]
pub trait RegistryAdminPort: Send + Sync {
    /// The companies an ИНН, ОГРН or the beginning of a name finds (none for an empty query),
    /// and how many the registry holds.
    async fn search(
        &self,
        token: &str,
        query: &str,
    ) -> Result<shared::registry::CompanySearch, ApiError>;
    async fn company(
        &self,
        token: &str,
        id: i64,
    ) -> Result<shared::registry::RegistryEntry, ApiError>;
    async fn correct(
        &self,
        token: &str,
        id: i64,
        draft: shared::registry::CompanyDraft,
    ) -> Result<(), ApiError>;
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
