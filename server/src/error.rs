//! Turning internal failures into the opaque [`ApiError::Internal`] with a logged reference.

use shared::ApiError;
use std::fmt::Display;

/// Logs `error` under a fresh reference and returns the error the customer sees.
pub fn internal(error: impl Display) -> ApiError {
    let reference = format!("{:08x}", rand::random::<u32>());
    tracing::error!(%reference, error = %error, "internal error");
    ApiError::Internal { reference }
}

/// A database failure: "unavailable" when the database cannot be reached (the customer may
/// retry), otherwise internal.
pub fn db(error: sqlx::Error) -> ApiError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            tracing::warn!(error = %error, "database unavailable");
            ApiError::Unavailable
        }
        other => internal(other),
    }
}
