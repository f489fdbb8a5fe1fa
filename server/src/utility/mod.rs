//! The utility cabinet (ЖКХ): what implements its ports (`app::utility::ports`) — the
//! provider's billing data with readings, receipts, import and export ([`billing`]), how
//! receipts and notices reach a customer ([`delivery`]), the information sections
//! ([`info`]), the receipt's PDF ([`receipt_pdf`]) and the assistant ([`assistant`]). It is
//! built on the platform's services at the top of the crate.

pub mod assistant;
pub mod billing;
pub mod delivery;
pub mod info;
pub mod receipt_pdf;
