//! Components shared by the pages.

pub mod chart;
pub mod field;
pub mod footer;
pub mod top_bar;
pub mod upload;
