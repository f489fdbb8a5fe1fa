//! The utility cabinet's own rules (ЖКХ): personal accounts and their billing data, meter
//! readings, how receipts and notices reach a customer, the information sections, the
//! assistant and the receipt's payment QR code. They build on the platform's types at the top
//! of the crate.
//!
//! The platform's case types still borrow from here (`billing`'s months, days and branch
//! options, `info`'s order payment): they move down into the platform when a second module
//! needs them.

pub mod assistant;
pub mod billing;
pub mod delivery;
pub mod info;
pub mod payment_qr;
pub mod readings;
