//! Components shared by the pages.

pub mod chart;
pub mod field;
pub mod footer;
pub mod network;
pub mod table;
pub mod top_bar;
pub mod upload;
