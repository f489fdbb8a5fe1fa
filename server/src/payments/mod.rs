//! Payments (U-PAY-6..8, U-ALL-1, U-PRF-6): the payment page's orders, the acquirers that take
//! the money, their notifications, and autopay.

pub mod acquirer;
pub mod sandbox;
pub mod service;
pub mod tbank;
pub mod web;
