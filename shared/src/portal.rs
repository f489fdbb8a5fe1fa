//! What the portal says about itself (shown in the page footer).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalInfo {
    /// The provider's name as configured, e.g. «Энергосбыт».
    pub provider_name: String,
    /// Kabinet's version.
    pub version: String,
    /// The newest database migration applied.
    pub schema_version: i64,
    /// The support phone the pages name for trouble.
    pub support_phone: String,
    /// The provider's video consultation address («Видеозвонок»), when it offers one.
    pub video_url: Option<String>,
}
