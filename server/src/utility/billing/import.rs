//! The administration commands over the billing data: `kabinet import <kind> <file>` and
//! `kabinet demo`.

use super::demo::{self, DemoOptions};
use super::parse::{Format, parse};
use super::records::{Kind, RowError};
use super::store::{StoreError, store};
use crate::Services;
use crate::db::Db;
use anyhow::Context;
use std::path::Path;
use std::time::Instant;

/// What importing a file came to.
#[derive(Debug)]
pub enum ImportOutcome {
    /// Every row stored (new rows added, known ones updated).
    Stored(usize),
    /// Nothing stored: every bad row with its line.
    Refused(Vec<RowError>),
}

/// Reads, checks and stores one file.
pub async fn import_file(db: &Db, kind: Kind, path: &Path) -> anyhow::Result<ImportOutcome> {
    let format = Format::from_path(path).with_context(|| {
        format!(
            "{}: the file's name must end with .csv or .json",
            path.display()
        )
    })?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let batch = match parse(kind, format, &bytes) {
        Ok(batch) => batch,
        Err(rows) => return Ok(ImportOutcome::Refused(rows)),
    };
    match store(db, &batch).await {
        Ok(n) => Ok(ImportOutcome::Stored(n)),
        Err(StoreError::Rows(rows)) => Ok(ImportOutcome::Refused(rows)),
        Err(StoreError::Db(e)) => Err(e).context("the database refused the import"),
    }
}

/// `kabinet import`: prints the outcome; the exit code is 0 when the file was imported,
/// 1 when it was refused.
pub async fn run(db: &Db, kind: &str, path: &Path) -> anyhow::Result<i32> {
    let Some(kind) = Kind::from_name(kind) else {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        anyhow::bail!("unknown kind «{kind}»; one of: {}", kinds.join(", "));
    };
    let started = Instant::now();
    match import_file(db, kind, path).await? {
        ImportOutcome::Stored(n) => {
            println!(
                "{}: {n} строк импортировано ({}) за {:.1} с",
                path.display(),
                kind.name(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        ImportOutcome::Refused(rows) => Ok(crate::import::refused(path, &rows)),
    }
}

/// What `kabinet demo` was asked for.
#[derive(Debug, Clone)]
pub struct DemoRun {
    pub accounts: usize,
    pub months: i32,
    /// Skip the generation when the database already has accounts.
    pub if_empty: bool,
    /// Also create the demo customer and bind their accounts.
    pub development: bool,
    /// Print the showcase accounts as JSON instead of text.
    pub json: bool,
}

/// `kabinet demo`: generates the demo provider, binds the demo customer's accounts in
/// development, and prints the showcase accounts with their proofs.
/// The demo back-office team (development only): one member of each role, password
/// [`demo::DEMO_STAFF_PASSWORD`]; logins `operator`, `supervisor`, `admin`.
async fn ensure_demo_staff(services: &Services) -> anyhow::Result<()> {
    use shared::cases::Role;
    for (login, name, role) in [
        ("operator", "Петрова Анна", Role::Operator),
        ("supervisor", "Сидоров Олег", Role::Supervisor),
        ("admin", "Администратор", Role::Administrator),
    ] {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
            .bind(login)
            .fetch_optional(&services.db.pool)
            .await?;
        if exists.is_none() {
            services
                .cases
                .create_staff(None, login, name, role, demo::DEMO_STAFF_PASSWORD)
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the demo staff: {e}"))?;
        }
    }
    Ok(())
}

pub async fn demo(services: &Services, run: &DemoRun) -> anyhow::Result<()> {
    let DemoRun {
        accounts,
        months,
        if_empty,
        development,
        json,
    } = *run;
    let db = &services.db;
    let today = services.clock.today();
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&db.pool)
        .await?;
    let showcase = if if_empty && existing > 0 {
        eprintln!("Демо-данные уже загружены: лицевых счетов {existing}.");
        demo::showcase_from(db).await?
    } else {
        let started = Instant::now();
        let options = DemoOptions { accounts, months };
        let step = (accounts / 20).max(1000);
        let showcase = demo::generate(db, today, &options, |done| {
            if done % step < 500 || done == accounts {
                eprintln!(
                    "  {done} из {accounts} лицевых счетов ({:.0} с)",
                    started.elapsed().as_secs_f64()
                );
            }
        })
        .await
        .map_err(|e| match e {
            StoreError::Rows(rows) => anyhow::anyhow!(
                "demo data refused: {}",
                rows.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            StoreError::Db(e) => anyhow::Error::new(e).context("demo data not stored"),
        })?;
        eprintln!(
            "Демо-данные: {accounts} лицевых счетов за {months} мес. сформированы за {:.1} с.",
            started.elapsed().as_secs_f64()
        );
        showcase
    };
    if development {
        demo::ensure_customer(db, &services.identity, &showcase, services.clock.unix()).await?;
        ensure_demo_staff(services).await?;
        crate::utility::info::ensure_demo(db, today).await?;
    }
    if json {
        let list: Vec<serde_json::Value> = showcase
            .iter()
            .map(|s| {
                serde_json::json!({
                    "branch": s.branch_name,
                    "number": s.number,
                    "proof": s.proof.format_number(),
                    "balance": s.payer.caption(),
                    "two_zone": s.two_zone,
                    "bound": s.bound && development,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(());
    }
    if development {
        println!(
            "Демо-клиент: телефон +7 (900) 000-00-01, почта {}, пароль {}",
            demo::DEMO_EMAIL,
            demo::DEMO_PASSWORD
        );
    }
    println!("Лицевые счета для проверки (подтверждение — сумма начислений за последний месяц):");
    for s in &showcase {
        println!(
            "  {} № {} — {}{}; сумма: {}{}",
            s.branch_name,
            s.number,
            s.payer.caption(),
            if s.two_zone {
                ", двухзонный счетчик"
            } else {
                ""
            },
            s.proof.format_number(),
            if s.bound && development {
                " (уже у демо-клиента)"
            } else {
                ""
            }
        );
    }
    Ok(())
}
