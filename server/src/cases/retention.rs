//! How long case files live (P-5): a closed or rejected case keeps its files for
//! `KABINET_CASE_FILES_DAYS` after its last change; then a background job removes them, each
//! once however many instances run it.

use super::CasesService;
use crate::error::db;
use shared::ApiError;
use shared::cases::Status;

/// `KABINET_CASE_FILES_DAYS` by default: three years, the general limitation period.
pub const DEFAULT_CASE_FILES_DAYS: i64 = 1_095;

/// Files looked at per run; the next run takes the rest.
const BATCH: i64 = 200;

impl CasesService {
    /// Removes the files of cases over for more than `days`; returns how many this call
    /// removed. A file is claimed by deleting its row, so two instances never both count it;
    /// the stored bytes go after the row (a failure leaves bytes nobody can reach, logged).
    pub async fn expire_files(&self, days: i64) -> Result<usize, ApiError> {
        let before = self.clock.unix() - days * 86_400;
        let finals = Status::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .map(|s| format!("'{}'", s.code()))
            .collect::<Vec<_>>()
            .join(", ");
        // Only our own status codes and a constant are put into the text.
        let due: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT f.id FROM case_files f JOIN cases c ON c.id = f.case_id \
             WHERE c.status IN ({finals}) AND c.updated_at < $1 ORDER BY f.id LIMIT {BATCH}"
        )))
        .bind(before)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let removed = crate::files::remove_claimed(
            &self.db,
            self.files.as_ref(),
            crate::files::FileTable::CaseFiles,
            due,
        )
        .await?;
        if removed > 0 {
            tracing::info!(removed, days, "expired case files removed");
        }
        Ok(removed)
    }
}
