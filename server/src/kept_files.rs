//! Files the platform keeps for the modules (M-8, P-5): an order's result, a scan, an invoice,
//! each of a [`FileKind`] whose retention fixes when it expires. Stored outside the web root
//! by the [`FileStore`]; fetched only by their owner and only until they expire; removed by
//! the background job ([`KeptFiles::expire`]), each once however many instances run it.

use crate::clock::Clock;
use crate::db::Db;
use crate::error::db;
use crate::files::FileStore;
use shared::ApiError;
use shared::retention::{FileKind, Retention};
use std::sync::Arc;

/// Files removed per run; the next run takes the rest.
const BATCH: i64 = 200;

/// A kept file as its owner fetches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFile {
    pub id: i64,
    pub kind: FileKind,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// Unix seconds.
    pub expires_at: i64,
}

/// When a file stored at `created` (Unix seconds) expires.
pub fn expiry(created: i64, retention: Retention) -> i64 {
    match retention {
        Retention::Days(n) => created + i64::from(n) * 86_400,
        Retention::Months(n) => jiff::Timestamp::from_second(created)
            .ok()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC))
            .and_then(|z| z.checked_add(jiff::Span::new().months(i64::from(n))).ok())
            .map_or(created + i64::from(n) * 31 * 86_400, |z| {
                z.timestamp().as_second()
            }),
    }
}

pub struct KeptFiles {
    db: Db,
    clock: Arc<dyn Clock>,
    store: Arc<dyn FileStore>,
}

impl KeptFiles {
    pub fn new(db: Db, clock: Arc<dyn Clock>, store: Arc<dyn FileStore>) -> Self {
        Self { db, clock, store }
    }

    /// Keeps a file of `kind` for `owner`; its number.
    pub async fn put(
        &self,
        kind: FileKind,
        owner: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<i64, ApiError> {
        let key = self
            .store
            .put(bytes)
            .await
            .map_err(crate::error::internal)?;
        let now = self.clock.unix();
        sqlx::query_scalar(
            "INSERT INTO kept_files (kind, owner, storage_key, file_name, content_type, size, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(kind.code())
        .bind(owner)
        .bind(&key)
        .bind(crate::files::clean_name(file_name))
        .bind(content_type)
        .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
        .bind(now)
        .bind(expiry(now, kind.retention()))
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)
    }

    /// The file `id` of `owner`, while it has not expired; `NotFound` otherwise, also for
    /// another owner's file.
    pub async fn get(&self, id: i64, owner: &str) -> Result<KeptFile, ApiError> {
        let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT kind, storage_key, file_name, content_type, expires_at FROM kept_files \
             WHERE id = $1 AND owner = $2 AND expires_at > $3",
        )
        .bind(id)
        .bind(owner)
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let (kind, key, file_name, content_type, expires_at) = row.ok_or(ApiError::NotFound)?;
        let bytes = self.store.get(&key).await.map_err(|e| {
            tracing::warn!(error = %e, file = id, "a kept file is missing from the store");
            ApiError::NotFound
        })?;
        Ok(KeptFile {
            id,
            kind: FileKind::from_code(&kind).unwrap_or(FileKind::OrderResult),
            file_name,
            content_type,
            bytes,
            expires_at,
        })
    }

    /// Removes the files that expired; how many this call removed. A file is claimed by
    /// deleting its row, so two instances never both count it; the bytes go after the row.
    pub async fn expire(&self) -> Result<usize, ApiError> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM kept_files WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2",
        )
        .bind(self.clock.unix())
        .bind(BATCH)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let removed = crate::files::remove_claimed(
            &self.db,
            self.store.as_ref(),
            crate::files::FileTable::KeptFiles,
            due,
        )
        .await?;
        if removed > 0 {
            tracing::info!(removed, "expired files removed");
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_calendar_months() {
        let start = jiff::Timestamp::from_second(0).unwrap_or_default();
        let created: jiff::Timestamp = "2026-11-30T10:00:00Z".parse().unwrap_or(start);
        let at = |s: i64| jiff::Timestamp::from_second(s).unwrap_or(start).to_string();
        assert_eq!(
            at(expiry(created.as_second(), Retention::Months(3))),
            "2027-02-28T10:00:00Z"
        );
        assert_eq!(
            at(expiry(created.as_second(), Retention::Days(10))),
            "2026-12-10T10:00:00Z"
        );
    }
}
