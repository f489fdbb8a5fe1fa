//! The utility cabinet's pages, one module per section. `staff_info` holds the cabinet's
//! pages in the back-office (the information sections' management), framed by
//! [`crate::staff::pages::StaffNav`].

pub mod accounts;
pub mod billing;
pub mod cases;
pub mod delivery;
pub mod details;
pub mod help;
pub mod home;
pub mod info;
pub mod meters;
pub mod pay;
pub mod profile;
pub mod staff_info;
