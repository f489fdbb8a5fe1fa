//! The platform's server functions, one module per domain: sign-in and registration, sign-in
//! by QR code, the person's profile, the portal and the case engine. Each has a fixed endpoint
//! under `/api/`. Each module's own server functions are in its folder (`utility/api`,
//! `staff/api.rs`).

pub mod auth;
pub mod cases;
pub mod portal;
pub mod profile;
pub mod qr;
