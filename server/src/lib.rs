//! Kabinet's server: configuration, database, the services behind the ports the pages call,
//! and the HTTP side.

/// The sum of a column as BIGINT on both backends (PostgreSQL's SUM of BIGINT is NUMERIC,
/// which `sqlx::Any` cannot decode).
macro_rules! total {
    ($expr:literal) => {
        concat!("COALESCE(CAST(SUM(", $expr, ") AS BIGINT), 0)")
    };
}

pub mod calendar;
pub mod cases;
pub mod client_addr;
pub mod clock;
pub mod codes;
pub mod config;
pub mod db;
pub mod dev_clock;
pub mod error;
pub mod files;
pub mod identity;
pub mod import;
pub mod kept_files;
pub mod notify;
pub mod password;
pub mod payments;
pub mod portal;
pub mod qr_sign_in;
pub mod rate_limit;
pub mod registry;
pub mod senders;
pub mod utility;
pub mod web;

use app::ports::AppState;
use app::staff::ports::StaffPorts;
use app::utility::ports::UtilityPorts;
use clock::Clock;
use config::Config;
use db::Db;
use std::sync::Arc;
use utility::{billing, delivery, info};

/// Everything a running server holds: configuration, database, clock and the services.
#[derive(Clone)]
pub struct Services {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub outbox: Arc<notify::Outbox>,
    pub notifier: Arc<dyn notify::Notifier>,
    pub identity: Arc<identity::IdentityService>,
    pub qr_sign_in: Arc<qr_sign_in::QrSignInService>,
    pub accounts: Arc<billing::service::AccountsService>,
    pub payments: Arc<payments::service::PaymentsService>,
    pub cases: Arc<cases::CasesService>,
    pub delivery: Arc<delivery::DeliveryService>,
    pub info: Arc<info::InfoService>,
    pub registry: Arc<registry::RegistryService>,
    pub kept_files: Arc<kept_files::KeptFiles>,
    /// The sandbox acquirer, in development.
    pub sandbox: Option<Arc<payments::sandbox::Sandbox>>,
    /// The clock `/dev/clock` moves, in development.
    pub dev_clock: Option<Arc<clock::ShiftedClock>>,
    pub codes: codes::Codes,
    /// The ports as the pages' server functions see them.
    pub app_state: AppState,
}

impl Services {
    /// Connects to the database, applies the migrations and wires the services.
    pub async fn start(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Services> {
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        Self::wire(config, db, clock)
    }

    /// Wires the services over an open, migrated database.
    pub fn wire(config: Config, db: Db, clock: Arc<dyn Clock>) -> anyhow::Result<Services> {
        // In development every service reads the clock `/dev/clock` moves.
        let dev_clock = config
            .is_development()
            .then(|| Arc::new(clock::ShiftedClock::new(clock.clone())));
        let clock: Arc<dyn Clock> = match &dev_clock {
            Some(shifted) => shifted.clone(),
            None => clock,
        };
        let outbox = Arc::new(notify::Outbox::new(db.clone(), clock.clone()));
        if !config.is_development() && (config.smtp.is_none() || config.sms_gateway.is_none()) {
            tracing::warn!(
                smtp = config.smtp.is_some(),
                sms_gateway = config.sms_gateway.is_some(),
                "a notification channel has no sender configured: its messages are only kept in the outbox"
            );
        }
        let notifier: Arc<dyn notify::Notifier> = Arc::new(senders::RoutingNotifier::from_configs(
            config.smtp.as_ref(),
            config.sms_gateway.as_ref(),
            outbox.clone(),
        )?);
        let limits =
            rate_limit::RateLimiter::new(db.clone(), clock.clone(), config.is_development());
        let codes = codes::Codes::new(db.clone(), clock.clone(), notifier.clone(), limits.clone());
        let identity = Arc::new(identity::IdentityService::new(
            db.clone(),
            clock.clone(),
            password::Hasher::new(config.password_wait),
            codes.clone(),
            limits.clone(),
        ));
        let qr_sign_in = Arc::new(qr_sign_in::QrSignInService::new(
            db.clone(),
            clock.clone(),
            limits.clone(),
            identity.clone(),
        ));
        let accounts = Arc::new(billing::service::AccountsService::new(
            db.clone(),
            clock.clone(),
            identity.clone(),
            limits.clone(),
        ));
        let sandbox = if config.is_development() {
            Some(Arc::new(payments::sandbox::Sandbox::new(
                db.clone(),
                clock.clone(),
                config.sandbox_secret.as_bytes().to_vec(),
                &config.public_url,
                config.sandbox_delay_secs,
            )?))
        } else {
            None
        };
        // A configured real acquirer takes the payments; otherwise, in development, the sandbox.
        let acquirer: Option<Arc<dyn payments::acquirer::Acquirer>> = match &config.tbank {
            Some(tbank) => Some(Arc::new(payments::tbank::TBank::new(
                tbank.clone(),
                clock.clone(),
            )?)),
            None => sandbox
                .clone()
                .map(|s| s as Arc<dyn payments::acquirer::Acquirer>),
        };
        let payments = Arc::new(payments::service::PaymentsService::new(
            db.clone(),
            clock.clone(),
            identity.clone(),
            accounts.clone(),
            notifier.clone(),
            acquirer,
            &config.public_url,
            config.payment_maximum,
        ));
        let portal = Arc::new(portal::PortalService {
            db: db.clone(),
            provider_name: config.provider_name.clone(),
            support_phone: config.support_phone.clone(),
            video_url: config.video_url.clone(),
        });
        let delivery = Arc::new(delivery::DeliveryService::new(
            db.clone(),
            clock.clone(),
            identity.clone(),
            accounts.clone(),
            notifier.clone(),
            &config.public_url,
        ));
        let file_store: Arc<dyn files::FileStore> =
            Arc::new(files::LocalFiles::new(config.data_dir.join("files")));
        let kept_files = Arc::new(kept_files::KeptFiles::new(
            db.clone(),
            clock.clone(),
            file_store.clone(),
        ));
        let cases = Arc::new(cases::CasesService::new(
            db.clone(),
            clock.clone(),
            identity.clone(),
            accounts.clone(),
            delivery.clone(),
            file_store.clone(),
            limits.clone(),
        ));
        let info = Arc::new(info::InfoService::new(
            db.clone(),
            clock.clone(),
            identity.clone(),
            cases.clone(),
        ));
        let registry = Arc::new(registry::RegistryService::new(
            db.clone(),
            clock.clone(),
            cases.clone(),
        ));
        let app_state = AppState {
            portal,
            identity: identity.clone(),
            qr_sign_in: qr_sign_in.clone(),
            payments: payments.clone(),
            cases: cases.clone(),
            utility: UtilityPorts {
                accounts: accounts.clone(),
                meters: accounts.clone(),
                delivery: delivery.clone(),
                info: info.clone(),
                assistant: cases.clone(),
            },
            staff: StaffPorts {
                back_office: cases.clone(),
                registry: registry.clone(),
                calendar: Arc::new(calendar::CalendarService::new(
                    db.clone(),
                    clock.clone(),
                    cases.clone(),
                )),
            },
            secure_cookies: config.secure_cookies(),
        };
        Ok(Services {
            config: Arc::new(config),
            db,
            clock,
            notifier,
            outbox,
            identity,
            qr_sign_in,
            accounts,
            payments,
            cases,
            delivery,
            info,
            registry,
            kept_files,
            sandbox,
            dev_clock,
            codes,
            app_state,
        })
    }
}

impl Services {
    /// Development: takes the clock's offset as stored (another instance may have moved it).
    pub async fn sync_dev_clock(&self) -> Result<(), shared::ApiError> {
        let Some(clock) = &self.dev_clock else {
            return Ok(());
        };
        let offset: Option<i64> =
            sqlx::query_scalar("SELECT offset_secs FROM dev_clock WHERE id = 1")
                .fetch_optional(&self.db.pool)
                .await
                .map_err(error::db)?;
        clock.set_offset_secs(offset.unwrap_or(0));
        Ok(())
    }

    /// Development: moves the clock forward by `secs` on every instance, then runs the
    /// background jobs at once, so that what fell due is done. `NotFound` in production.
    pub async fn move_dev_clock(&self, secs: i64) -> Result<(), shared::ApiError> {
        let Some(clock) = &self.dev_clock else {
            return Err(shared::ApiError::NotFound);
        };
        let offset: i64 = sqlx::query_scalar(
            "INSERT INTO dev_clock (id, offset_secs) VALUES (1, $1) ON CONFLICT (id) \
             DO UPDATE SET offset_secs = dev_clock.offset_secs + excluded.offset_secs \
             RETURNING offset_secs",
        )
        .bind(secs)
        .fetch_one(&self.db.pool)
        .await
        .map_err(error::db)?;
        clock.set_offset_secs(offset);
        tracing::info!(
            by_secs = secs,
            offset_secs = offset,
            "development clock moved"
        );
        self.run_jobs_once(true).await;
        Ok(())
    }

    /// One round of the background work: the sandbox acquirer's notifications, the autopays
    /// due, the reminders and the e-receipts, and with `retention` the expired files (of
    /// closed cases, and the kept files of every kind).
    pub async fn run_jobs_once(&self, retention: bool) {
        if let Some(sandbox) = &self.sandbox
            && let Err(e) = sandbox.deliver_due().await
        {
            tracing::warn!(error = %e, "sandbox notifications not delivered");
        }
        if let Err(e) = self.payments.run_autopays().await {
            tracing::warn!(error = %e, "autopays not run");
        }
        if let Err(e) = self.delivery.run_due().await {
            tracing::warn!(error = %e, "reminders and e-receipts not sent");
        }
        if retention && let Err(e) = self.cases.expire_files(self.config.case_files_days).await {
            tracing::warn!(error = %e, "expired case files not removed");
        }
        if retention && let Err(e) = self.kept_files.expire().await {
            tracing::warn!(error = %e, "expired files not removed");
        }
    }
}

/// The clock the configuration asks for: the system's, or one started at `KABINET_NOW`.
pub fn clock_for(config: &Config) -> Arc<dyn Clock> {
    match config.now {
        Some(start) => Arc::new(clock::StartedClock::new(start)),
        None => Arc::new(clock::SystemClock),
    }
}

/// The background work of a server instance, every few seconds ([`Services::run_jobs_once`]);
/// the expired case files once a minute; in development first the clock's offset, which
/// another instance may have moved. Safe with several instances (each job is claimed in the
/// database).
pub async fn run_background_jobs(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut retention_due = std::time::Instant::now();
    loop {
        tick.tick().await;
        if let Err(e) = services.sync_dev_clock().await {
            tracing::warn!(error = %e, "development clock not read");
        }
        let retention = std::time::Instant::now() >= retention_due;
        if retention {
            retention_due = std::time::Instant::now() + std::time::Duration::from_secs(60);
        }
        services.run_jobs_once(retention).await;
    }
}

/// Serves until `shutdown` resolves, then finishes the requests under way.
pub async fn serve(
    services: Services,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let router = web::router(services);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}
