//! The company registry (M-5, S-8): the local table of organisations, branches and
//! entrepreneurs every lookup by ИНН, ОГРН or name reads; no module asks an outside service.
//! Filled by `kabinet import egrul` ([`egrul`]) and `kabinet import companies` ([`csv_file`]),
//! both whole or not at all and idempotent; the demo's companies come from [`demo`]; staff
//! correct a company in the back-office, each change in the audit log.

pub mod csv_file;
pub mod demo;
pub mod egrul;

use crate::cases::CasesService;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::db;
use app::staff::ports::RegistryAdminPort;
use async_trait::async_trait;
use shared::ApiError;
use shared::calendar::Day;
use shared::cases::Role;
use shared::registry::{
    Company, CompanyDraft, CompanyKind, CompanyQuery, CompanySearch, CompanyStatus, RegistryEntry,
    field,
};
use std::path::Path;
use std::sync::Arc;

/// How many companies a search shows at most.
pub const SEARCH_LIMIT: i64 = 50;

const COLUMNS: &str = "id, kind, inn, kpp, ogrn, full_name, short_name, registered, region, \
     legal_address, address_in_flat, unreliable, head_name, head_position, status, tax_debt";

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: i64,
    kind: String,
    inn: String,
    kpp: String,
    ogrn: String,
    full_name: String,
    short_name: String,
    registered: String,
    region: String,
    legal_address: String,
    address_in_flat: i32,
    unreliable: i32,
    head_name: String,
    head_position: String,
    status: String,
    tax_debt: i32,
}

impl CompanyRow {
    fn entry(self) -> RegistryEntry {
        RegistryEntry {
            id: self.id,
            company: Company {
                kind: CompanyKind::from_code(&self.kind).unwrap_or(CompanyKind::Legal),
                full_name: self.full_name,
                short_name: self.short_name,
                inn: self.inn,
                kpp: self.kpp,
                ogrn: self.ogrn,
                registered: Day::parse(&self.registered).unwrap_or(Day::from_ordinal(0)),
                region: self.region,
                legal_address: self.legal_address,
                address_in_flat: self.address_in_flat != 0,
                unreliable: self.unreliable != 0,
                head_name: self.head_name,
                head_position: self.head_position,
                status: CompanyStatus::from_code(&self.status).unwrap_or(CompanyStatus::Active),
                tax_debt: self.tax_debt != 0,
            },
        }
    }
}

/// What storing a set of companies did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// The companies found by a query, at most `limit`: by ИНН the organisation before its
/// branches, by name in the order of the names.
pub async fn find(
    db_: &Db,
    query: &CompanyQuery,
    limit: i64,
) -> Result<Vec<RegistryEntry>, ApiError> {
    let (condition, value) = match query {
        CompanyQuery::Inn(inn) => ("inn = $1", inn),
        CompanyQuery::Ogrn(ogrn) => ("ogrn = $1", ogrn),
        // substr/length count characters on both backends and need no escaping of % and _.
        CompanyQuery::Name(key) => ("substr(name_key, 1, length($1)) = $1", key),
    };
    let rows: Vec<CompanyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM companies WHERE {condition} \
         ORDER BY CASE WHEN kind = 'branch' THEN 1 ELSE 0 END, name_key, kpp LIMIT $2"
    )))
    .bind(value)
    .bind(limit)
    .fetch_all(&db_.pool)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().map(CompanyRow::entry).collect())
}

/// One company by its number in the registry.
pub async fn get(db_: &Db, id: i64) -> Result<Option<RegistryEntry>, ApiError> {
    let row: Option<CompanyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM companies WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&db_.pool)
    .await
    .map_err(db)?;
    Ok(row.map(CompanyRow::entry))
}

/// How many companies the registry holds.
pub async fn count(db_: &Db) -> Result<i64, ApiError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM companies")
        .fetch_one(&db_.pool)
        .await
        .map_err(db)
}

/// Stores companies in one transaction, each by its ИНН and КПП: a new one is added, a known
/// one updated where it differs; the same set again changes nothing.
pub async fn store(
    db_: &Db,
    companies: &[Company],
    source: &str,
    now: i64,
) -> Result<Stored, ApiError> {
    let mut stored = Stored::default();
    let mut tx = db_.begin().await.map_err(db)?;
    for company in companies {
        let existing: Option<CompanyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM companies WHERE inn = $1 AND kpp = $2"
        )))
        .bind(&company.inn)
        .bind(&company.kpp)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let id = match existing.map(CompanyRow::entry) {
            Some(entry) if entry.company == *company => {
                stored.unchanged += 1;
                continue;
            }
            Some(entry) => {
                stored.changed += 1;
                Some(entry.id)
            }
            None => {
                stored.added += 1;
                None
            }
        };
        write(&mut tx, id, company, source, now).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(stored)
}

/// Inserts a company (`id` none) or overwrites the row `id`.
async fn write(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: Option<i64>,
    c: &Company,
    source: &str,
    now: i64,
) -> Result<(), ApiError> {
    let sql = match id {
        None => {
            "INSERT INTO companies (kind, inn, kpp, ogrn, full_name, short_name, name_key, \
             registered, region, legal_address, address_in_flat, unreliable, head_name, \
             head_position, status, tax_debt, source, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
        }
        Some(_) => {
            "UPDATE companies SET kind = $1, inn = $2, kpp = $3, ogrn = $4, full_name = $5, \
             short_name = $6, name_key = $7, registered = $8, region = $9, legal_address = $10, \
             address_in_flat = $11, unreliable = $12, head_name = $13, head_position = $14, \
             status = $15, tax_debt = $16, source = $17, updated_at = $18 WHERE id = $19"
        }
    };
    sqlx::query(sql)
        .bind(c.kind.code())
        .bind(&c.inn)
        .bind(&c.kpp)
        .bind(&c.ogrn)
        .bind(&c.full_name)
        .bind(&c.short_name)
        .bind(c.name_key())
        .bind(c.registered.iso())
        .bind(&c.region)
        .bind(&c.legal_address)
        .bind(i32::from(c.address_in_flat))
        .bind(i32::from(c.unreliable))
        .bind(&c.head_name)
        .bind(&c.head_position)
        .bind(c.status.code())
        .bind(i32::from(c.tax_debt))
        .bind(source)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                ApiError::field(field::KPP, "В реестре уже есть компания с этими ИНН и КПП")
            }
            _ => db(e),
        })?;
    Ok(())
}

/// The fields two versions of a company differ in, as «Поле: было → стало».
fn differences(old: &Company, new: &Company) -> Vec<String> {
    let (a, b) = (old.draft(), new.draft());
    let yes_no = |v: bool| if v { "да" } else { "нет" }.to_string();
    let pairs: [(&str, String, String); 14] = [
        (
            field::KIND,
            old.kind.caption().into(),
            new.kind.caption().into(),
        ),
        (field::FULL_NAME, a.full_name, b.full_name),
        (field::SHORT_NAME, a.short_name, b.short_name),
        (field::INN, a.inn, b.inn),
        (field::KPP, a.kpp, b.kpp),
        (field::OGRN, a.ogrn, b.ogrn),
        (field::REGISTERED, a.registered, b.registered),
        (field::REGION, a.region, b.region),
        (field::LEGAL_ADDRESS, a.legal_address, b.legal_address),
        (field::HEAD_NAME, a.head_name, b.head_name),
        (field::HEAD_POSITION, a.head_position, b.head_position),
        (
            field::STATUS,
            old.status.caption().into(),
            new.status.caption().into(),
        ),
        (
            field::UNRELIABLE,
            yes_no(a.unreliable),
            yes_no(b.unreliable),
        ),
        (field::TAX_DEBT, yes_no(a.tax_debt), yes_no(b.tax_debt)),
    ];
    pairs
        .into_iter()
        .filter(|(_, was, now)| was != now)
        .map(|(name, was, now)| {
            let shown = |v: String| if v.is_empty() { "—".to_string() } else { v };
            format!("{}: {} → {}", field::caption(name), shown(was), shown(now))
        })
        .collect()
}

/// The registry as the back-office sees it: search, a company's card and corrections by a
/// senior specialist or an administrator, each in the audit log.
pub struct RegistryService {
    db: Db,
    clock: Arc<dyn Clock>,
    cases: Arc<CasesService>,
}

impl RegistryService {
    pub fn new(db: Db, clock: Arc<dyn Clock>, cases: Arc<CasesService>) -> Self {
        Self { db, clock, cases }
    }

    /// The companies a query finds (the lookup every module's forms use).
    pub async fn lookup(&self, query: &CompanyQuery) -> Result<Vec<RegistryEntry>, ApiError> {
        find(&self.db, query, SEARCH_LIMIT).await
    }
}

#[async_trait]
impl RegistryAdminPort for RegistryService {
    async fn search(&self, token: &str, query: &str) -> Result<CompanySearch, ApiError> {
        self.cases.staff_of(token).await?;
        let total = count(&self.db).await?;
        if query.trim().is_empty() {
            return Ok(CompanySearch {
                total,
                entries: Vec::new(),
            });
        }
        let query = CompanyQuery::parse(query).map_err(|m| ApiError::field("q", m))?;
        Ok(CompanySearch {
            total,
            entries: self.lookup(&query).await?,
        })
    }

    async fn company(&self, token: &str, id: i64) -> Result<RegistryEntry, ApiError> {
        self.cases.staff_of(token).await?;
        get(&self.db, id).await?.ok_or(ApiError::NotFound)
    }

    async fn correct(&self, token: &str, id: i64, draft: CompanyDraft) -> Result<(), ApiError> {
        let staff = self.cases.staff_with(token, Role::Supervisor).await?;
        let old = get(&self.db, id).await?.ok_or(ApiError::NotFound)?;
        let new = draft
            .check(self.clock.today())
            .map_err(|fields| ApiError::Invalid { fields })?;
        let changes = differences(&old.company, &new);
        if changes.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await.map_err(db)?;
        write(&mut tx, Some(id), &new, "staff", self.clock.unix()).await?;
        tx.commit().await.map_err(db)?;
        let target = if new.kpp.is_empty() {
            format!("{} (ИНН {})", new.title(), new.inn)
        } else {
            format!("{} (ИНН {}, КПП {})", new.title(), new.inn, new.kpp)
        };
        self.cases
            .audit_log(
                Some(staff.id),
                "registry.correct",
                &target,
                &changes.join("; "),
            )
            .await
    }
}

/// The outcome of an import in words, as `kabinet import` prints it.
pub fn stored_words(stored: Stored) -> String {
    format!(
        "компаний добавлено: {}, обновлено: {}, без изменений: {}",
        stored.added, stored.changed, stored.unchanged
    )
}

/// Checks the drafts of a file against the rules and each other: every error by its place
/// (`where_` names the line or the element), the whole file refused on any.
pub fn check_all(
    drafts: Vec<(String, CompanyDraft)>,
    today: Day,
) -> Result<Vec<Company>, Vec<String>> {
    let mut companies: Vec<Company> = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (place, draft) in drafts {
        match draft.check(today) {
            Ok(company) => {
                let key = (company.inn.clone(), company.kpp.clone());
                if let Some(first) = seen.get(&key) {
                    errors.push(format!(
                        "{place}: ИНН {} и КПП {} уже встречались ({first})",
                        company.inn,
                        if company.kpp.is_empty() {
                            "—"
                        } else {
                            &company.kpp
                        }
                    ));
                    continue;
                }
                seen.insert(key, place);
                companies.push(company);
            }
            Err(fields) => errors.extend(
                fields
                    .into_iter()
                    .map(|f| format!("{place}: {}: {}", field::caption(&f.field), f.message)),
            ),
        }
    }
    if errors.is_empty() {
        Ok(companies)
    } else {
        Err(errors)
    }
}

/// `kabinet import egrul|companies <file>`: the exit code (0 imported, 1 refused).
pub async fn import_file(
    db_: &Db,
    clock: &dyn Clock,
    kind: &str,
    path: &Path,
) -> anyhow::Result<i32> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let (drafts, source) = match kind {
        "egrul" => (egrul::read(&bytes), "egrul"),
        _ => (csv_file::read(&bytes), "csv"),
    };
    let checked = drafts.and_then(|d| check_all(d, clock.today()));
    match checked {
        Ok(companies) => {
            let stored = store(db_, &companies, source, clock.unix())
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            println!("{}: {}", path.display(), stored_words(stored));
            Ok(0)
        }
        Err(errors) => Ok(crate::import::refused(path, &errors)),
    }
}
