//! The utility cabinet's tests: billing data, readings, import, notices and e-receipts, the
//! information sections.

mod bad_import;
mod billing;
mod delivery;
mod info;
mod readings;
