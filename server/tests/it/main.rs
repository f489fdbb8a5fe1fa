//! The server's integration tests, one binary (one link, one runtime for the test servers):
//! each module drives a running server over HTTP, on SQLite and, when `KABINET_TEST_PG_URL`
//! is set, on PostgreSQL.

mod common;

mod calendar;
mod cases;
mod dev_clock;
mod failover;
mod foundation;
mod kept_files;
mod load;
mod outage;
mod overload;
mod payments;
mod profile;
mod qr_sign_in;
mod recovery;
mod registration;
mod registry;
mod senders;
mod serving;
mod sign_in;
mod tbank;
mod utility;
