//! For the provider, as CSV with the provider's token: the readings customers sent since a
//! moment (`kabinet export readings --since …`, `GET /provider/readings.csv?since=…`; columns
//! as the `readings` import reads them, plus when the reading was sent), and how each account's
//! receipts are to be delivered (`kabinet export receipt-delivery`,
//! `GET /provider/receipt-delivery.csv`; U-PRF-4, U-PRF-9).

use crate::db::Db;

/// The header of the export.
pub const HEADER: &str = "branch;account;service;serial;zone;period;value;taken_on;submitted_at";

/// A CSV field: quoted when it holds the separator, a quote or a line break.
fn field(value: &str) -> String {
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Thousandths as the import reads them: «12345,678» (no thousands separator).
fn decimal(thousandths: i64) -> String {
    let sign = if thousandths < 0 { "-" } else { "" };
    let abs = thousandths.unsigned_abs();
    format!("{sign}{},{:03}", abs / 1000, abs % 1000)
}

/// (branch, account, service, serial, zone, period, value, taken on, submitted at)
type ExportRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    i64,
);

/// The readings sent through the portal at or after `since` (Unix seconds), oldest first.
pub async fn readings_csv(db: &Db, since: i64) -> Result<String, sqlx::Error> {
    let rows: Vec<ExportRow> = sqlx::query_as(
        "SELECT b.code, a.number, s.code, m.serial, r.zone, r.period, r.value, r.taken_on, \
             r.submitted_at FROM readings r JOIN meters m ON m.id = r.meter_id \
             JOIN accounts a ON a.id = m.account_id JOIN branches b ON b.id = a.branch_id \
             JOIN services s ON s.id = m.service_id \
             WHERE r.source = 'portal' AND r.submitted_at >= $1 \
             ORDER BY r.submitted_at, r.id",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str(HEADER);
    out.push('\n');
    for (branch, account, service, serial, zone, period, value, taken_on, submitted_at) in rows {
        let period = shared::utility::billing::Period::from_yyyymm(period)
            .map_or_else(|| period.to_string(), |p| p.param());
        let submitted = jiff::Timestamp::from_second(submitted_at)
            .map_or_else(|_| submitted_at.to_string(), |t| t.to_string());
        let cells = [
            field(&branch),
            field(&account),
            field(&service),
            field(&serial),
            field(&zone),
            period,
            decimal(value),
            field(&taken_on),
            submitted,
        ];
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    Ok(out)
}

/// The header of the receipt-delivery export.
pub const DELIVERY_HEADER: &str = "branch;account;delivery;email;postal_address;source;chosen_at";

/// (branch, account, delivery, email, postal address, source, chosen at)
type DeliveryRow = (String, String, String, String, String, String, Option<i64>);

/// How each account's receipts are to be delivered today: a row per customer's cabinet that
/// holds the account (`source` «cabinet»: «electronic» to the account's own address or the
/// confirmed profile e-mail while subscribed, also after the account was detached (U-ACC-2);
/// otherwise «paper» to the account's address) and, for an account whose customer deleted the
/// cabinet, the newest choice made then (`source` «deleted», with when it was chosen; paper
/// may go to another postal address). Ordered by branch and account.
pub async fn receipt_delivery_csv(db: &Db) -> Result<String, sqlx::Error> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT b.code, a.number, \
             CASE WHEN l.e_receipt = 1 AND a.e_receipt_allowed = 1 THEN 'electronic' ELSE 'paper' END, \
             CASE WHEN l.e_receipt = 1 AND a.e_receipt_allowed = 1 \
               THEN COALESCE(NULLIF(l.e_receipt_email, ''), CASE WHEN p.email_confirmed = 1 THEN p.email END, '') \
               ELSE '' END, \
             CASE WHEN l.e_receipt = 1 AND a.e_receipt_allowed = 1 THEN '' ELSE a.address END, \
             'cabinet', CAST(NULL AS BIGINT) \
         FROM account_links l JOIN accounts a ON a.id = l.account_id \
         JOIN branches b ON b.id = a.branch_id JOIN people p ON p.id = l.person_id \
         WHERE l.unlinked_at IS NULL OR (l.e_receipt = 1 AND a.e_receipt_allowed = 1) \
         UNION ALL \
         SELECT b.code, a.number, r.delivery, r.email, r.postal_address, 'deleted', r.chosen_at \
         FROM receipt_instructions r JOIN accounts a ON a.id = r.account_id \
         JOIN branches b ON b.id = a.branch_id \
         WHERE r.id = (SELECT MAX(n.id) FROM receipt_instructions n WHERE n.account_id = r.account_id) \
         ORDER BY 1, 2, 6",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = String::with_capacity(96 * (rows.len() + 1));
    out.push_str(DELIVERY_HEADER);
    out.push('\n');
    for (branch, account, delivery, email, address, source, chosen_at) in rows {
        let chosen = chosen_at
            .and_then(|at| jiff::Timestamp::from_second(at).ok())
            .map(|t| t.to_string())
            .unwrap_or_default();
        let cells = [
            field(&branch),
            field(&account),
            delivery,
            field(&email),
            field(&address),
            source,
            chosen,
        ];
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    Ok(out)
}

/// Reads `--since`: an RFC 3339 instant or a date (midnight in the provider's zone).
pub fn parse_since(input: &str) -> Option<i64> {
    if let Ok(t) = input.parse::<jiff::Timestamp>() {
        return Some(t.as_second());
    }
    let day = shared::utility::billing::Day::parse(input)?;
    let midnight: jiff::Timestamp = format!("{}T00:00:00Z", day.iso()).parse().ok()?;
    Some(midnight.as_second() - crate::clock::PROVIDER_UTC_OFFSET_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_the_import_reads_them() {
        assert_eq!(decimal(12_345_678), "12345,678");
        assert_eq!(decimal(5), "0,005");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("В0000001"), "В0000001");
    }

    #[test]
    fn since_is_an_instant_or_a_day_in_moscow() {
        assert_eq!(parse_since("2026-11-20T07:00:00Z"), Some(1_795_158_000));
        // Midnight of 20 November in Moscow is 21:00 UTC the day before.
        assert_eq!(parse_since("2026-11-20"), Some(1_795_158_000 - 10 * 3600));
        assert_eq!(parse_since("вчера"), None);
    }
}
