//! Kabinet's domain: types and rules that run the same on the server and in the browser.
//!
//! Nothing here does IO. Every rule a customer can break in a form lives here once and is
//! called both by the form as the customer types and by the server before it writes.
//!
//! The platform's types are at the top of the crate (errors, identity, contacts, money,
//! requisites, the company registry and the regions, files' retention, cases, payments,
//! sign-in by QR code, the portal); each module's own rules live in its folder: [`utility`]
//! for the utility cabinet.

pub mod balance;
pub mod calendar;
pub mod cases;
pub mod contact;
pub mod error;
pub mod html;
pub mod identity;
pub mod money;
pub mod password;
pub mod payments;
pub mod person;
pub mod portal;
pub mod qr_sign_in;
pub mod regions;
pub mod registry;
pub mod requisites;
pub mod retention;
pub mod utility;

pub use error::{ApiError, FieldError};
pub use money::Kopecks;
