//! Rate limits kept in the database, so that every server instance counts the same hits.
//! Fixed windows: one row per key and window, incremented atomically by an upsert.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::db;
use shared::ApiError;
use std::sync::Arc;

/// At most `limit` hits per `window_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub limit: i64,
    pub window_secs: i64,
}

#[derive(Clone)]
pub struct RateLimiter {
    db: Db,
    clock: Arc<dyn Clock>,
    /// Development only: requests from this machine are not limited per IP, so that the
    /// browser tests can act as many customers from one address.
    exempt_loopback: bool,
}

impl RateLimiter {
    pub fn new(db: Db, clock: Arc<dyn Clock>, exempt_loopback: bool) -> Self {
        Self {
            db,
            clock,
            exempt_loopback,
        }
    }

    /// The key of a per-IP limit, or `None` when the address is not limited.
    pub fn ip_key(&self, prefix: &str, ip: Option<&str>) -> Option<String> {
        let ip = ip?;
        let loopback = ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        (!(self.exempt_loopback && loopback)).then(|| format!("{prefix}:ip:{ip}"))
    }

    /// Counts a hit on `key`; refuses it (with how long to wait) when over the limit.
    pub async fn hit(&self, key: &str, limit: Limit) -> Result<(), ApiError> {
        let now = self.clock.unix();
        let window_start = now - now.rem_euclid(limit.window_secs);
        let hits = sqlx::query_scalar::<_, i64>(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
             RETURNING CAST(hits AS BIGINT)",
        )
        .bind(key)
        .bind(window_start)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)?;
        if hits > limit.limit {
            let retry_after = (window_start + limit.window_secs - now).max(1);
            return Err(ApiError::TooManyRequests {
                retry_after_secs: u64::try_from(retry_after).unwrap_or(1),
            });
        }
        Ok(())
    }

    /// Checks the limits in order, counting a hit on each until one refuses: a request refused
    /// by a short window does not use up a longer one.
    pub async fn hit_all(&self, checks: &[(String, Limit)]) -> Result<(), ApiError> {
        for (key, limit) in checks {
            self.hit(key, *limit).await?;
        }
        Ok(())
    }

    /// Forgets the counts of `key` (after a successful sign-in, say).
    pub async fn reset(&self, key: &str) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM rate_limits WHERE key = $1")
            .bind(key)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Removes windows that ended more than a day ago.
    pub async fn prune(&self) -> Result<u64, ApiError> {
        let result = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(self.clock.unix() - 2 * 86_400)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(result.rows_affected())
    }
}
