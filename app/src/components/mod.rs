//! Components shared by the pages.

pub mod field;
pub mod footer;
pub mod top_bar;
