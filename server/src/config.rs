//! Configuration from environment variables, every one with a sane default.

use anyhow::{Context, bail};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// `production` (the default) or `development` (`make run`): development adds `/dev/outbox`,
/// the sandbox acquirer, demo data and `KABINET_NOW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Production,
    Development,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `KABINET_LISTEN`, default `127.0.0.1:3000`.
    pub listen: SocketAddr,
    /// `KABINET_DATABASE_URL`, default `sqlite://<data dir>/kabinet.db`; `postgres://…`
    /// switches to PostgreSQL.
    pub database_url: String,
    /// `KABINET_DATA_DIR`, default `./data`: the SQLite file and uploaded files.
    pub data_dir: PathBuf,
    /// `KABINET_PUBLIC_URL`, default `http://<listen>`: links in messages and QR codes.
    pub public_url: String,
    /// `KABINET_ENV`.
    pub mode: Mode,
    /// `KABINET_NOW` (development only): the clock starts at this instant and runs on.
    pub now: Option<jiff::Timestamp>,
    /// `KABINET_PROVIDER_NAME`: the provider's name in the header and footer.
    pub provider_name: String,
    /// `KABINET_SUPPORT_PHONE`: the phone the pages name for trouble.
    pub support_phone: String,
    /// `KABINET_VIDEO_URL`: the provider's video consultation page («Видеозвонок»); without
    /// it the section names the support phone instead.
    pub video_url: Option<String>,
    /// `LEPTOS_SITE_ROOT` (set by cargo-leptos), default `target/site`: compiled WASM, JS, CSS.
    pub site_root: String,
    /// `KABINET_SMTP_*`: e-mail delivery; without it e-mails go to the development outbox.
    pub smtp: Option<crate::senders::SmtpConfig>,
    /// `KABINET_SMS_GATEWAY_*`: SMS delivery; without it SMS go to the development outbox.
    pub sms_gateway: Option<crate::senders::SmsGatewayConfig>,
    /// `KABINET_PROVIDER_TOKEN`: the bearer token of the provider's endpoints (the readings
    /// export); without it they answer 404.
    pub provider_token: Option<String>,
    /// `KABINET_PAYMENT_MAX_RUB`, default 150 000: the largest payment accepted, in roubles.
    pub payment_maximum: shared::Kopecks,
    /// `KABINET_SANDBOX_SECRET` (development): the sandbox acquirer's signing key, the same
    /// on every instance.
    pub sandbox_secret: String,
    /// `KABINET_SANDBOX_DELAY_SECS` (development), default 1: how late the sandbox acquirer's
    /// notifications arrive.
    pub sandbox_delay_secs: i64,
    /// `KABINET_TBANK_*`: T-Bank internet acquiring, when configured.
    pub tbank: Option<crate::payments::tbank::TBankConfig>,
    /// `KABINET_MAX_IN_FLIGHT`: requests served at once, past which the server answers 503
    /// at once; `None` takes [`default_max_in_flight`] of the cores and the database pool.
    pub max_in_flight: Option<usize>,
    /// `KABINET_PASSWORD_WAIT_MS`, default 2000: how long a sign-in, registration or
    /// recovery waits for a password-hashing slot before it is answered 503.
    pub password_wait: Duration,
    /// `KABINET_TRUSTED_PROXIES`: the reverse proxies (addresses or CIDR ranges) whose
    /// `Forwarded` / `X-Forwarded-For` name the client; empty, the socket's peer is the client.
    pub trusted_proxies: crate::client_addr::TrustedProxies,
    /// `KABINET_CASE_FILES_DAYS`, default 1095: how long a closed case keeps its files (P-5).
    pub case_files_days: i64,
}

/// The default limit on requests in progress: 32 per core (pages render on the cores) plus
/// 8 per database connection (most of a request's time is spent waiting for the database).
/// With 2 cores that is 128 on SQLite (8 connections) and 192 on PostgreSQL (16).
pub fn default_max_in_flight(cores: usize, database_connections: usize) -> usize {
    32 * cores.max(1) + 8 * database_connections
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so that tests can pass their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let listen: SocketAddr = get("KABINET_LISTEN")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("KABINET_LISTEN must be an address such as 127.0.0.1:3000")?;
        let data_dir = PathBuf::from(get("KABINET_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = get("KABINET_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("kabinet.db").display()));
        let mode = match get("KABINET_ENV").as_deref() {
            None | Some("production") => Mode::Production,
            Some("development") => Mode::Development,
            Some(other) => bail!("KABINET_ENV must be production or development, not {other:?}"),
        };
        let now = match get("KABINET_NOW") {
            Some(_) if mode == Mode::Production => {
                bail!("KABINET_NOW is only accepted with KABINET_ENV=development")
            }
            Some(value) => Some(value.parse::<jiff::Timestamp>().context(
                "KABINET_NOW must be an RFC 3339 instant, e.g. 2026-11-20T10:00:00+03:00",
            )?),
            None => None,
        };
        let public_url = get("KABINET_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("KABINET_PUBLIC_URL must start with http:// or https://");
        }
        let (smtp, sms_gateway) = crate::senders::senders_from_lookup(get)?;
        let payment_maximum = match get("KABINET_PAYMENT_MAX_RUB") {
            None => shared::Kopecks::from_rubles(150_000),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|r| (10..=100_000_000).contains(r))
                .map(shared::Kopecks::from_rubles)
                .context(
                    "KABINET_PAYMENT_MAX_RUB must be a whole number of roubles, at least 10",
                )?,
        };
        let sandbox_delay_secs = match get("KABINET_SANDBOX_DELAY_SECS") {
            None => 1,
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|s| (0..=3600).contains(s))
                .context("KABINET_SANDBOX_DELAY_SECS must be 0 to 3600")?,
        };
        let tbank = crate::payments::tbank::TBankConfig::from_lookup(get)?;
        let max_in_flight = match get("KABINET_MAX_IN_FLIGHT") {
            None => None,
            Some(v) => Some(
                v.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .context("KABINET_MAX_IN_FLIGHT must be a number of requests, 1 to 100000")?,
            ),
        };
        let password_wait = match get("KABINET_PASSWORD_WAIT_MS") {
            None => crate::password::DEFAULT_WAIT,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms <= 60_000)
                .map(Duration::from_millis)
                .context("KABINET_PASSWORD_WAIT_MS must be 0 to 60000 milliseconds")?,
        };
        let trusted_proxies = crate::client_addr::TrustedProxies::parse(
            &get("KABINET_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(|e| anyhow::anyhow!("KABINET_TRUSTED_PROXIES: {e}"))?;
        let case_files_days = match get("KABINET_CASE_FILES_DAYS") {
            None => crate::cases::retention::DEFAULT_CASE_FILES_DAYS,
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=36_500).contains(d))
                .context("KABINET_CASE_FILES_DAYS must be a number of days, 1 to 36500")?,
        };
        Ok(Config {
            case_files_days,
            trusted_proxies,
            max_in_flight,
            password_wait,
            tbank,
            payment_maximum,
            sandbox_secret: get("KABINET_SANDBOX_SECRET")
                .unwrap_or_else(|| "kabinet-sandbox-development-secret".into()),
            sandbox_delay_secs,
            smtp,
            sms_gateway,
            listen,
            database_url,
            data_dir,
            public_url,
            mode,
            now,
            provider_name: get("KABINET_PROVIDER_NAME")
                .unwrap_or_else(|| "АО «Энергосбыт» (демонстрационный поставщик)".into()),
            support_phone: get("KABINET_SUPPORT_PHONE").unwrap_or_else(|| "8 800 000-00-00".into()),
            video_url: match get("KABINET_VIDEO_URL").filter(|u| !u.trim().is_empty()) {
                Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
                    anyhow::bail!("KABINET_VIDEO_URL must be an http(s) address")
                }
                other => other,
            },
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            provider_token: match get("KABINET_PROVIDER_TOKEN").filter(|t| !t.is_empty()) {
                Some(token) if token.len() < 24 => anyhow::bail!(
                    "KABINET_PROVIDER_TOKEN must be at least 24 characters (a random secret)"
                ),
                other => other,
            },
        })
    }

    pub fn is_development(&self) -> bool {
        self.mode == Mode::Development
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_a_local_production_portal_on_sqlite() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://./data/kabinet.db");
        assert_eq!(c.mode, Mode::Production);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(!c.secure_cookies());
    }

    #[test]
    fn the_data_dir_moves_the_database_and_https_secures_cookies() {
        let c = config(&[
            ("KABINET_DATA_DIR", "/var/lib/kabinet"),
            ("KABINET_PUBLIC_URL", "https://lk.example.ru/"),
        ])
        .unwrap();
        assert_eq!(c.database_url, "sqlite:///var/lib/kabinet/kabinet.db");
        assert_eq!(c.public_url, "https://lk.example.ru");
        assert!(c.secure_cookies());
    }

    #[test]
    fn a_fixed_clock_is_refused_in_production() {
        assert!(config(&[("KABINET_NOW", "2026-11-20T10:00:00+03:00")]).is_err());
        let c = config(&[
            ("KABINET_ENV", "development"),
            ("KABINET_NOW", "2026-11-20T10:00:00+03:00"),
        ])
        .unwrap();
        assert_eq!(
            c.now.unwrap(),
            "2026-11-20T07:00:00Z".parse::<jiff::Timestamp>().unwrap()
        );
        assert!(config(&[("KABINET_ENV", "staging")]).is_err());
    }

    #[test]
    fn overload_limits_are_read_and_checked() {
        let c = config(&[]).unwrap();
        assert_eq!(c.max_in_flight, None);
        assert_eq!(c.password_wait, Duration::from_secs(2));
        let c = config(&[
            ("KABINET_MAX_IN_FLIGHT", "40"),
            ("KABINET_PASSWORD_WAIT_MS", "250"),
        ])
        .unwrap();
        assert_eq!(c.max_in_flight, Some(40));
        assert_eq!(c.password_wait, Duration::from_millis(250));
        assert!(config(&[("KABINET_MAX_IN_FLIGHT", "0")]).is_err());
        assert!(config(&[("KABINET_MAX_IN_FLIGHT", "many")]).is_err());
        assert!(config(&[("KABINET_PASSWORD_WAIT_MS", "-1")]).is_err());
        assert!(config(&[("KABINET_PASSWORD_WAIT_MS", "600000")]).is_err());
        assert_eq!(default_max_in_flight(2, 8), 128);
        assert_eq!(default_max_in_flight(2, 16), 192);
    }
}
