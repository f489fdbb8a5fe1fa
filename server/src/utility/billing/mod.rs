//! The provider's billing data: its records, how they are read from files and generated for
//! the demo, stored, and shown to the customers whose accounts they are.

pub mod demo;
pub mod export;
pub mod import;
pub mod parse;
pub mod readings;
pub mod receipt;
pub mod records;
pub mod service;
pub mod store;
