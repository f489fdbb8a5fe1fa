//! The back-office (`/staff`): staff sign-in, the queue of cases, a case with its moves, the
//! provider's topics and FAQ, the team and the audit log. Its pages are in [`pages`] (with
//! the frame every back-office page uses, `StaffNav`), its server functions in [`api`], its
//! ports in `ports` (server only); its handle in `AppState` is `staff`. «Реестр компаний»,
//! pages and server functions, is in [`registry`]; the production calendar in [`calendar`].
//! Its chunks are named `staff_…`. A module's own back-office pages live with the module (the
//! cabinet's in `utility::pages::staff_info`).

pub mod api;
pub mod calendar;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod registry;
