//! `kabinet`: the portal's server and its administration commands.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::utility::billing;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "kabinet", version, about = "Kabinet — личный кабинет клиента")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (applies pending migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import data from a file (see docs/import.md): the provider's billing data (CSV or JSON),
    /// the production calendar, the company registry (ЕГРЮЛ/ЕГРИП XML or CSV). A file is
    /// imported whole or not at all; importing it again changes nothing.
    Import {
        /// branches, suppliers, services, tariffs, accounts, meters, readings, charges,
        /// payments; calendar; egrul, companies
        kind: String,
        file: std::path::PathBuf,
    },
    /// Print, as CSV, the readings customers sent since a moment (RFC 3339 or a date).
    ExportReadings {
        #[arg(long)]
        since: String,
    },
    /// Print, as CSV, how each account's receipts are to be delivered (U-PRF-4, U-PRF-9).
    ExportReceiptDelivery,
    /// Manage the back-office's staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Generate a demo provider: 3 branches, suppliers, tariffs, meters and 36 months of
    /// charges and payments (and, in development, the demo customer).
    Demo {
        #[arg(long, default_value_t = 300)]
        accounts: usize,
        #[arg(long, default_value_t = 36)]
        months: i32,
        /// Skip the generation when the database already has accounts.
        #[arg(long)]
        if_empty: bool,
        /// Print the showcase accounts as JSON (for scripts and the browser tests).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member who signs in at /staff/login.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// operator, supervisor or administrator
        #[arg(long, default_value = "operator")]
        role: String,
        /// The password (the rules of customers' passwords apply); read from the
        /// environment so that it stays out of the shell history.
        #[arg(long, env = "KABINET_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.is_development() {
        builder.init();
    } else {
        builder.json().init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    init_logging(&config);
    match cli.command {
        Command::Migrate => {
            let db = server::db::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            tracing::info!(
                schema_version = db.schema_version().await?,
                "database is up to date"
            );
        }
        Command::Import { kind, file } => {
            let db = server::db::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            // The calendar and the company registry are the platform's; every other kind is
            // billing data.
            let code = match kind.as_str() {
                "calendar" => server::calendar::import_file(&db, &file).await?,
                "egrul" | "companies" => {
                    let clock = server::clock_for(&config);
                    server::registry::import_file(&db, clock.as_ref(), &kind, &file).await?
                }
                _ => billing::import::run(&db, &kind, &file).await?,
            };
            std::process::exit(code);
        }
        Command::ExportReadings { since } => {
            let since = billing::export::parse_since(&since).with_context(|| {
                format!("--since {since}: an RFC 3339 instant or a date (YYYY-MM-DD)")
            })?;
            let db = server::db::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            print!("{}", billing::export::readings_csv(&db, since).await?);
        }
        Command::ExportReceiptDelivery => {
            let db = server::db::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            print!("{}", billing::export::receipt_delivery_csv(&db).await?);
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    login,
                    name,
                    role,
                    password,
                },
        } => {
            let role = shared::cases::Role::from_code(&role)
                .with_context(|| format!("--role {role}: operator, supervisor or administrator"))?;
            let clock = server::clock_for(&config);
            let services = server::Services::start(config, clock).await?;
            match services
                .cases
                .create_staff(None, &login, &name, role, &password)
                .await
            {
                Ok(id) => println!("staff member {login} added (id {id}, {})", role.code()),
                Err(shared::ApiError::Invalid { fields }) => {
                    for f in fields {
                        eprintln!("{}: {}", f.field, f.message);
                    }
                    std::process::exit(2);
                }
                Err(e) => anyhow::bail!("{e}"),
            }
        }
        Command::Demo {
            accounts,
            months,
            if_empty,
            json,
        } => {
            let clock = server::clock_for(&config);
            let development = config.is_development();
            let services = server::Services::start(config, clock).await?;
            let options = billing::import::DemoRun {
                accounts,
                months,
                if_empty,
                development,
                json,
            };
            billing::import::demo(&services, &options).await?;
            let stored =
                server::registry::demo::ensure(&services.db, services.clock.as_ref(), if_empty)
                    .await?;
            if stored != server::registry::Stored::default() {
                eprintln!(
                    "Реестр компаний: {}.",
                    server::registry::stored_words(stored)
                );
            }
        }
        Command::Serve => {
            let clock = server::clock_for(&config);
            let listen = config.listen;
            let mode = config.mode;
            let services = server::Services::start(config, clock).await?;
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(address = %listen, ?mode, "Kabinet is serving on http://{listen}");
            let jobs = tokio::spawn(server::run_background_jobs(services.clone()));
            server::serve(services, listener, server::shutdown_signal()).await?;
            jobs.abort();
        }
    }
    Ok(())
}
