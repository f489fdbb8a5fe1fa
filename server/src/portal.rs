//! What the portal says about itself.

use crate::db::Db;
use crate::error::db;
use app::ports::PortalPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::portal::PortalInfo;

pub struct PortalService {
    pub db: Db,
    pub provider_name: String,
    pub support_phone: String,
    pub video_url: Option<String>,
}

#[async_trait]
impl PortalPort for PortalService {
    async fn info(&self) -> Result<PortalInfo, ApiError> {
        Ok(PortalInfo {
            provider_name: self.provider_name.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: self.db.schema_version().await.map_err(db)?,
            support_phone: self.support_phone.clone(),
            video_url: self.video_url.clone(),
        })
    }
}
