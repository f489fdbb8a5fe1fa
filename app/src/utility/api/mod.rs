//! The utility cabinet's server functions, one module per area. Each has a fixed endpoint
//! under `/api/`.

pub mod accounts;
pub mod assistant;
pub mod delivery;
pub mod info;
pub mod meters;
pub mod payments;
pub mod profile;
