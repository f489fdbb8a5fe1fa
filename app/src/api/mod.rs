//! Server functions, one module per domain. Each has a fixed endpoint under `/api/`.

pub mod accounts;
pub mod auth;
pub mod cases;
pub mod delivery;
pub mod info;
pub mod meters;
pub mod payments;
pub mod portal;
pub mod profile;
pub mod qr;
pub mod staff;
