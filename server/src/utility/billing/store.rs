//! Storing billing records: one transaction per batch, rows matched by the provider's keys
//! and updated in place, so that storing the same batch again changes nothing. References
//! (branch, account, service, supplier, meter) are resolved inside the transaction; a row
//! naming something unknown is reported by its line and nothing of the batch is kept.
//! The import command and the demo generator both write through here.

use super::records::*;
use crate::db::Db;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// Why a batch was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} строк(и) не импортированы", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Value {
    Int(i64),
    Text(String),
    Null,
}

/// Placeholders in a statement. Binding looks each parameter up by name, which costs time in
/// proportion to the statement's parameters (SQLite): a few hundred per statement keep the
/// cost of a row flat (8,000 made a row 30 times slower).
const MAX_PLACEHOLDERS: usize = 400;
/// Keys looked up in one `IN (…)` query.
const MAX_ROWS: usize = 400;

/// `INSERT … VALUES (…), (…) ON CONFLICT (keys) DO UPDATE SET others = excluded.others`,
/// in chunks.
async fn upsert(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    columns: &[&str],
    keys: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    let per_statement = (MAX_PLACEHOLDERS / columns.len()).clamp(1, MAX_ROWS);
    let updates: Vec<String> = columns
        .iter()
        .filter(|c| !keys.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // No keys: insert what is new, leave what is stored (the ledger's rows).
    let on_conflict = if keys.is_empty() {
        "ON CONFLICT DO NOTHING".to_string()
    } else if updates.is_empty() {
        format!("ON CONFLICT ({}) DO NOTHING", keys.join(", "))
    } else {
        format!(
            "ON CONFLICT ({}) DO UPDATE SET {}",
            keys.join(", "),
            updates.join(", ")
        )
    };
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        sql.push(' ');
        sql.push_str(&on_conflict);
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in chunk.into_iter().flatten() {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Null => query.bind(Option::<String>::None),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn flag(b: bool) -> Value {
    Value::Int(i64::from(b))
}

/// Code → id of a small reference table.
async fn codes(
    tx: &mut Transaction<'static, Any>,
    table: &str,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT code, id FROM {table}")))
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Looks references up and collects the rows that name something unknown.
struct Resolver {
    branches: HashMap<String, i64>,
    services: HashMap<String, i64>,
    suppliers: HashMap<String, i64>,
    /// (branch id, number) → account id
    accounts: HashMap<(i64, String), i64>,
    /// (account id, service id, serial) → meter id
    meters: HashMap<(i64, i64, String), i64>,
    errors: Vec<RowError>,
}

impl Resolver {
    async fn new(tx: &mut Transaction<'static, Any>) -> Result<Resolver, sqlx::Error> {
        Ok(Resolver {
            branches: codes(tx, "branches").await?,
            services: codes(tx, "services").await?,
            suppliers: codes(tx, "suppliers").await?,
            accounts: HashMap::new(),
            meters: HashMap::new(),
            errors: Vec::new(),
        })
    }

    fn fail(&mut self, line: usize, message: String) -> Option<i64> {
        self.errors.push(RowError { line, message });
        None
    }

    fn branch(&mut self, line: usize, code: &str) -> Option<i64> {
        match self.branches.get(code) {
            Some(id) => Some(*id),
            None => self.fail(line, format!("branch: филиал с кодом «{code}» не найден")),
        }
    }

    fn service(&mut self, line: usize, code: &str) -> Option<i64> {
        match self.services.get(code) {
            Some(id) => Some(*id),
            None => self.fail(line, format!("service: услуга с кодом «{code}» не найдена")),
        }
    }

    fn supplier(&mut self, line: usize, code: &str) -> Option<i64> {
        match self.suppliers.get(code) {
            Some(id) => Some(*id),
            None => self.fail(
                line,
                format!("supplier: поставщик с кодом «{code}» не найден"),
            ),
        }
    }

    /// Loads the accounts the rows name (by number, in chunks).
    async fn load_accounts<'r>(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        numbers: impl Iterator<Item = &'r str>,
    ) -> Result<(), sqlx::Error> {
        let mut wanted: Vec<&str> = numbers.collect();
        wanted.sort_unstable();
        wanted.dedup();
        for chunk in wanted.chunks(MAX_ROWS) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, branch_id, number FROM accounts WHERE number IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, i64, String)>(sqlx::AssertSqlSafe(sql));
            for number in chunk {
                query = query.bind(*number);
            }
            for (id, branch, number) in query.fetch_all(&mut **tx).await? {
                self.accounts.insert((branch, number), id);
            }
        }
        Ok(())
    }

    fn account(&mut self, line: usize, branch: &str, number: &str) -> Option<i64> {
        let branch_id = self.branch(line, branch)?;
        match self.accounts.get(&(branch_id, number.to_string())) {
            Some(id) => Some(*id),
            None => self.fail(
                line,
                format!("account: лицевой счет «{number}» филиала «{branch}» не найден"),
            ),
        }
    }

    /// Loads the meters of the accounts already loaded.
    async fn load_meters(&mut self, tx: &mut Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        let ids: Vec<i64> = self.accounts.values().copied().collect();
        for chunk in ids.chunks(MAX_ROWS) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, account_id, service_id, serial FROM meters WHERE account_id IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(*id);
            }
            for (id, account, service, serial) in query.fetch_all(&mut **tx).await? {
                self.meters.insert((account, service, serial), id);
            }
        }
        Ok(())
    }

    fn meter(
        &mut self,
        line: usize,
        branch: &str,
        account: &str,
        service: &str,
        serial: &str,
    ) -> Option<i64> {
        let account_id = self.account(line, branch, account)?;
        let service_id = self.service(line, service)?;
        match self
            .meters
            .get(&(account_id, service_id, serial.to_string()))
        {
            Some(id) => Some(*id),
            None => self.fail(
                line,
                format!("serial: прибор учета «{serial}» лицевого счета «{account}» не найден"),
            ),
        }
    }
}

/// Stores a batch whole, or nothing of it. Returns the number of rows stored.
pub async fn store(db: &Db, batch: &Batch) -> Result<usize, StoreError> {
    let mut tx = db.begin().await?;
    let stored = store_in(&mut tx, batch).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Stores a batch within a transaction the caller commits.
pub async fn store_in(
    tx: &mut Transaction<'static, Any>,
    batch: &Batch,
) -> Result<usize, StoreError> {
    let mut r = Resolver::new(tx).await?;
    let n = batch.len();
    match batch {
        Batch::Branches(rows) => {
            let values = rows
                .iter()
                .map(|Row { record: b, .. }| {
                    vec![
                        text(&b.code),
                        text(&b.name),
                        text(&b.address),
                        text(&b.phone),
                        text(&b.payee_name),
                        text(b.inn.as_str()),
                        text(&b.kpp),
                        text(&b.bank_name),
                        text(b.bic.as_str()),
                        text(b.settlement_account.as_str()),
                        text(b.correspondent_account.as_str()),
                        Value::Int(i64::from(b.reading_from_day)),
                        Value::Int(i64::from(b.reading_to_day)),
                    ]
                })
                .collect();
            upsert(
                tx,
                "branches",
                &[
                    "code",
                    "name",
                    "address",
                    "phone",
                    "payee_name",
                    "inn",
                    "kpp",
                    "bank_name",
                    "bic",
                    "settlement_account",
                    "correspondent_account",
                    "reading_from_day",
                    "reading_to_day",
                ],
                &["code"],
                values,
            )
            .await?;
        }
        Batch::Suppliers(rows) => {
            let values = rows
                .iter()
                .map(|Row { record: s, .. }| {
                    vec![
                        text(&s.code),
                        text(&s.name),
                        text(s.inn.as_ref().map_or("", |i| i.as_str())),
                    ]
                })
                .collect();
            upsert(tx, "suppliers", &["code", "name", "inn"], &["code"], values).await?;
        }
        Batch::Services(rows) => {
            let values = rows
                .iter()
                .map(|Row { record: s, .. }| {
                    vec![text(&s.code), text(&s.name), text(&s.unit), flag(s.metered)]
                })
                .collect();
            upsert(
                tx,
                "services",
                &["code", "name", "unit", "metered"],
                &["code"],
                values,
            )
            .await?;
        }
        Batch::Tariffs(rows) => {
            let mut values = Vec::with_capacity(rows.len());
            for Row { line, record: t } in rows {
                let (Some(branch), Some(service)) =
                    (r.branch(*line, &t.branch), r.service(*line, &t.service))
                else {
                    continue;
                };
                values.push(vec![
                    Value::Int(branch),
                    Value::Int(service),
                    text(t.zone.code()),
                    Value::Int(t.valid_from.0),
                    Value::Int(t.price.0),
                    text(&t.act),
                ]);
            }
            finish(&mut r)?;
            upsert(
                tx,
                "tariffs",
                &[
                    "branch_id",
                    "service_id",
                    "zone",
                    "valid_from",
                    "price",
                    "act",
                ],
                &["branch_id", "service_id", "zone", "valid_from"],
                values,
            )
            .await?;
        }
        Batch::Accounts(rows) => {
            let mut values = Vec::with_capacity(rows.len());
            for Row { line, record: a } in rows {
                let Some(branch) = r.branch(*line, &a.branch) else {
                    continue;
                };
                values.push(vec![
                    Value::Int(branch),
                    text(&a.number),
                    text(&a.address),
                    text(&a.owner_name),
                    Value::Int(a.total_area),
                    Value::Int(a.living_area),
                    Value::Int(a.owners),
                    Value::Int(a.residents),
                    Value::Int(a.rooms),
                    text(a.stove.code()),
                    flag(a.electric_heating),
                    flag(a.e_receipt_allowed),
                ]);
            }
            finish(&mut r)?;
            upsert(
                tx,
                "accounts",
                &[
                    "branch_id",
                    "number",
                    "address",
                    "owner_name",
                    "total_area",
                    "living_area",
                    "owners",
                    "residents",
                    "rooms",
                    "stove",
                    "electric_heating",
                    "e_receipt_allowed",
                ],
                &["branch_id", "number"],
                values,
            )
            .await?;
        }
        Batch::Meters(rows) => {
            r.load_accounts(tx, rows.iter().map(|row| row.record.account.as_str()))
                .await?;
            let mut values = Vec::with_capacity(rows.len());
            for Row { line, record: m } in rows {
                let (Some(account), Some(service)) = (
                    r.account(*line, &m.branch, &m.account),
                    r.service(*line, &m.service),
                ) else {
                    continue;
                };
                values.push(vec![
                    Value::Int(account),
                    Value::Int(service),
                    text(&m.serial),
                    Value::Int(i64::from(m.zones)),
                    Value::Int(i64::from(m.digits)),
                    Value::Int(i64::from(m.fraction_digits)),
                    text(&m.installed_on.iso()),
                    text(&m.verified_until.iso()),
                    text(&m.place),
                    m.removed_on.map_or(Value::Null, |d| Value::Text(d.iso())),
                    flag(m.auto_read),
                ]);
            }
            finish(&mut r)?;
            upsert(
                tx,
                "meters",
                &[
                    "account_id",
                    "service_id",
                    "serial",
                    "zones",
                    "digits",
                    "fraction_digits",
                    "installed_on",
                    "verified_until",
                    "place",
                    "removed_on",
                    "auto_read",
                ],
                &["account_id", "service_id", "serial"],
                values,
            )
            .await?;
        }
        Batch::Readings(rows) => {
            r.load_accounts(tx, rows.iter().map(|row| row.record.account.as_str()))
                .await?;
            r.load_meters(tx).await?;
            let mut values = Vec::with_capacity(rows.len());
            for Row { line, record: x } in rows {
                let Some(meter) = r.meter(*line, &x.branch, &x.account, &x.service, &x.serial)
                else {
                    continue;
                };
                values.push(vec![
                    Value::Int(meter),
                    text(x.zone.code()),
                    Value::Int(x.period.0),
                    Value::Int(x.value),
                    text("billing"),
                    flag(true),
                    text(&x.taken_on.iso()),
                ]);
            }
            finish(&mut r)?;
            upsert(
                tx,
                "readings",
                &[
                    "meter_id", "zone", "period", "value", "source", "accepted", "taken_on",
                ],
                &["meter_id", "zone", "period", "source"],
                values,
            )
            .await?;
        }
        Batch::Accepted(rows) => {
            r.load_accounts(tx, rows.iter().map(|row| row.record.account.as_str()))
                .await?;
            r.load_meters(tx).await?;
            let mut marks = Vec::with_capacity(rows.len());
            for Row { line, record: a } in rows {
                if let Some(meter) = r.meter(*line, &a.branch, &a.account, &a.service, &a.serial) {
                    marks.push((*line, meter, a.zone, a.period));
                }
            }
            finish(&mut r)?;
            for (line, meter, zone, period) in marks {
                let marked = sqlx::query(
                    "UPDATE readings SET accepted = 1 WHERE meter_id = $1 AND zone = $2 \
                     AND period = $3 AND source = 'portal'",
                )
                .bind(meter)
                .bind(zone.code())
                .bind(period.0)
                .execute(&mut **tx)
                .await?;
                if marked.rows_affected() == 0 {
                    r.errors.push(RowError {
                        line,
                        message:
                            "period: за этот месяц показания через личный кабинет не передавались"
                                .to_string(),
                    });
                }
            }
            finish(&mut r)?;
        }
        Batch::Charges(rows) => {
            r.load_accounts(tx, rows.iter().map(|row| row.record.account.as_str()))
                .await?;
            let mut ledger = Vec::with_capacity(rows.len());
            for Row { line, record: c } in rows {
                let (Some(account), Some(service), Some(supplier)) = (
                    r.account(*line, &c.branch, &c.account),
                    r.service(*line, &c.service),
                    r.supplier(*line, &c.supplier),
                ) else {
                    continue;
                };
                ledger.push(LedgerRow {
                    line: *line,
                    values: vec![
                        Value::Int(account),
                        Value::Int(c.period.0),
                        Value::Int(service),
                        Value::Int(supplier),
                        text(c.zone.code()),
                        Value::Int(c.quantity),
                        Value::Int(c.price.0),
                        Value::Int(c.amount.0),
                    ],
                });
            }
            finish(&mut r)?;
            let columns = [
                "account_id",
                "period",
                "service_id",
                "supplier_id",
                "zone",
                "quantity",
                "price",
                "amount",
            ];
            let keys = ["account_id", "period", "service_id", "supplier_id", "zone"];
            let values = ledger_rows(
                tx,
                &mut r,
                Ledger {
                    table: "charges",
                    columns: &columns,
                    keys: &keys,
                    lookup: 0,
                },
                ledger,
                |old| {
                format!(
                    "amount: начисление за этот месяц по этой услуге и поставщику уже загружено \
                         с другими значениями (сумма {}); загруженные начисления не изменяются: \
                         перерасчет вносится начислением следующего месяца",
                    amount_of(old, 7)
                )
            })
            .await?;
            finish(&mut r)?;
            upsert(tx, "charges", &columns, &[], values).await?;
        }
        Batch::Payments(rows) => {
            r.load_accounts(tx, rows.iter().map(|row| row.record.account.as_str()))
                .await?;
            // The references that are order numbers of the portal's own payments.
            let mut references: Vec<&str> = rows
                .iter()
                .map(|row| row.record.reference.as_str())
                .collect();
            references.sort_unstable();
            references.dedup();
            let mut portal_orders = std::collections::HashSet::new();
            for chunk in references.chunks(MAX_ROWS) {
                let placeholders: Vec<String> =
                    (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT number FROM payment_orders WHERE number IN ({})",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
                for reference in chunk {
                    query = query.bind(*reference);
                }
                portal_orders.extend(query.fetch_all(&mut **tx).await?);
            }
            let mut ledger = Vec::with_capacity(rows.len());
            for Row { line, record: p } in rows {
                let (Some(account), Some(supplier)) = (
                    r.account(*line, &p.branch, &p.account),
                    r.supplier(*line, &p.supplier),
                ) else {
                    continue;
                };
                let mut values = vec![
                    Value::Int(account),
                    Value::Int(supplier),
                    text(&p.paid_on.iso()),
                    Value::Int(p.period.0),
                    Value::Int(p.amount.0),
                    text(&p.channel),
                    text(&p.reference),
                ];
                // A payment made in the portal, as the bank's registry reports it by the
                // portal's order number: the same payment as the portal's own row.
                let portal: Option<(String, String, i64, String)> = if !portal_orders
                    .contains(&p.reference)
                {
                    None
                } else {
                    sqlx::query_as(
                    "SELECT y.reference, y.paid_on, y.period, y.channel FROM payments y \
                     JOIN payment_orders o ON y.reference = o.number || '/' || CAST(y.account_id AS TEXT) \
                     WHERE o.number = $1 AND y.account_id = $2 AND y.supplier_id = $3",
                )
                .bind(&p.reference)
                .bind(account)
                .bind(supplier)
                .fetch_optional(&mut **tx)
                .await?
                };
                if let Some((reference, paid_on, period, channel)) = portal {
                    values[2] = Value::Text(paid_on);
                    values[3] = Value::Int(period);
                    values[5] = Value::Text(channel);
                    values[6] = Value::Text(reference);
                }
                ledger.push(LedgerRow {
                    line: *line,
                    values,
                });
            }
            finish(&mut r)?;
            let columns = [
                "account_id",
                "supplier_id",
                "paid_on",
                "period",
                "amount",
                "channel",
                "reference",
            ];
            let values = ledger_rows(
                tx,
                &mut r,
                Ledger {
                    table: "payments",
                    columns: &columns,
                    keys: &["reference", "supplier_id"],
                    lookup: 6,
                },
                ledger,
                |old| {
                    format!(
                        "reference: платеж с этим номером уже загружен с другими значениями \
                         (сумма {}, дата {}); загруженные платежи не изменяются",
                        amount_of(old, 4),
                        match &old[2] {
                            Value::Text(day) => day.clone(),
                            _ => String::new(),
                        }
                    )
                },
            )
            .await?;
            finish(&mut r)?;
            upsert(tx, "payments", &columns, &[], values).await?;
        }
    }
    Ok(n)
}

/// A ledger row of a batch (a charge or a payment) with its line.
struct LedgerRow {
    line: usize,
    values: Vec<Value>,
}

/// Ledger rows are never rewritten (P-4): a row whose key is stored with other values is
/// refused by its line (`changed` words it from the stored row); one stored with the same
/// values is left as it is, so the same file again changes nothing. Stored rows are looked up
/// by the column `lookup`. The rows to insert.
/// A ledger table: its columns, its key and the column stored rows are looked up by.
struct Ledger<'a> {
    table: &'a str,
    columns: &'a [&'a str],
    keys: &'a [&'a str],
    lookup: usize,
}

async fn ledger_rows(
    tx: &mut Transaction<'static, Any>,
    r: &mut Resolver,
    ledger: Ledger<'_>,
    rows: Vec<LedgerRow>,
    changed: fn(&[Value]) -> String,
) -> Result<Vec<Vec<Value>>, sqlx::Error> {
    let Ledger {
        table,
        columns,
        keys,
        lookup,
    } = ledger;
    use sqlx::Row;
    let key_at: Vec<usize> = keys
        .iter()
        .filter_map(|k| columns.iter().position(|c| c == k))
        .collect();
    let key_of =
        |values: &[Value]| -> Vec<Value> { key_at.iter().map(|i| values[*i].clone()).collect() };
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    // How each column reads back: as the new rows hold it.
    let kinds: Vec<bool> = first
        .values
        .iter()
        .map(|v| matches!(v, Value::Int(_)))
        .collect();
    let mut wanted: Vec<Value> = rows.iter().map(|row| row.values[lookup].clone()).collect();
    wanted.sort_by_key(|v| format!("{v:?}"));
    wanted.dedup();
    let mut stored: HashMap<Vec<Value>, Vec<Value>> = HashMap::new();
    for chunk in wanted.chunks(MAX_ROWS) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        // Only our own table and column names are put into the text.
        let sql = format!(
            "SELECT {} FROM {table} WHERE {} IN ({})",
            columns.join(", "),
            columns[lookup],
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in chunk {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.clone()),
                Value::Null => query.bind(Option::<String>::None),
            };
        }
        for row in query.fetch_all(&mut **tx).await? {
            let mut values = Vec::with_capacity(columns.len());
            for (i, int) in kinds.iter().enumerate() {
                values.push(if *int {
                    Value::Int(row.try_get::<i64, _>(i)?)
                } else {
                    Value::Text(row.try_get::<String, _>(i)?)
                });
            }
            stored.insert(key_of(&values), values);
        }
    }
    let mut fresh = Vec::with_capacity(rows.len());
    for LedgerRow { line, values } in rows {
        match stored.get(&key_of(&values)) {
            None => fresh.push(values),
            Some(old) if *old == values => {}
            Some(old) => {
                r.fail(line, changed(old));
            }
        }
    }
    Ok(fresh)
}

/// The amount at `at` of a stored row, in roubles.
fn amount_of(row: &[Value], at: usize) -> String {
    match row.get(at) {
        Some(Value::Int(kopecks)) => shared::Kopecks(*kopecks).to_string(),
        _ => String::new(),
    }
}

/// Refuses the batch when any row named something unknown.
fn finish(r: &mut Resolver) -> Result<(), StoreError> {
    if r.errors.is_empty() {
        Ok(())
    } else {
        let mut errors = std::mem::take(&mut r.errors);
        errors.sort_by_key(|e| e.line);
        Err(StoreError::Rows(errors))
    }
}
