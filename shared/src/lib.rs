//! Kabinet's domain: types and rules that run the same on the server and in the browser.
//!
//! Nothing here does IO. Every rule a customer can break in a form lives here once and is
//! called both by the form as the customer types and by the server before it writes.

pub mod assistant;
pub mod balance;
pub mod billing;
pub mod cases;
pub mod contact;
pub mod delivery;
pub mod error;
pub mod html;
pub mod identity;
pub mod info;
pub mod money;
pub mod password;
pub mod payment_qr;
pub mod payments;
pub mod person;
pub mod portal;
pub mod qr_sign_in;
pub mod readings;
pub mod requisites;

pub use error::{ApiError, FieldError};
pub use money::Kopecks;
