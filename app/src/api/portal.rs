use leptos::prelude::*;
use shared::ApiError;
use shared::portal::PortalInfo;

/// The provider's name, Kabinet's version and the database's schema version (page footer).
#[server(endpoint = "portal/info")]
pub async fn get_portal_info() -> Result<PortalInfo, ApiError> {
    crate::ports::state()?.portal.info().await
}
