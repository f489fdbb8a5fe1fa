//! The utility cabinet (ЖКХ): personal accounts, billing, meters and readings, payments,
//! receipts and notices, the information sections, help and the assistant, and the cabinet's
//! wording of the case engine (appeals, applications, documents). Its pages are under
//! [`pages`], its server functions under [`api`], its ports in `ports` (server only); its
//! handle in `AppState` is `utility`. Its pages' chunks are named `page_…`.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
