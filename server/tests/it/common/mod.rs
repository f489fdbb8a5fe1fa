//! `spawn_app()`: the server on port 0 over a fresh database, SQLite always and PostgreSQL
//! when `KABINET_TEST_PG_URL` is set, driven by a clock the test controls.
//!
//! The servers of all tests of a binary run on one shared runtime, as in production. Their
//! route list is generated once per process (see `server::web::route_list`): Leptos stops
//! resource loading process-wide while it generates one, which stalled pages of servers
//! already serving when another test started its server.
#![allow(dead_code)]

use server::Services;
use server::clock::ManualClock;
use server::config::Config;
use server::db::Db;
use sqlx::Executor;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub const START: &str = "2026-11-20T07:00:00Z";
/// The provider's bearer token of the test servers.
pub const PROVIDER_TOKEN: &str = "test-provider-token-0123456789";
/// A test that hangs fails instead of stopping the whole run.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(60);

pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    pub services: Services,
    pub clock: Arc<ManualClock>,
    pub backend: &'static str,
    cleanup: Cleanup,
    server: tokio::task::JoinHandle<()>,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!(
        "kabinet_test_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Options a test may change before the server starts.
#[derive(Clone, Default)]
pub struct Options {
    pub production: bool,
    /// PostgreSQL only: the server reaches the database at this `host:port` (a proxy the
    /// test controls) instead of the one in `KABINET_TEST_PG_URL`.
    pub database_host: Option<String>,
    /// More configuration variables, e.g. `("KABINET_MAX_IN_FLIGHT", "2")`.
    pub env: Vec<(&'static str, String)>,
}

impl TestApp {
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .expect("http client")
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// A second server over the same database (another instance behind a balancer).
    pub async fn second_instance(&self) -> TestApp {
        let config = test_config(&self.services.config.database_url, false, &[]);
        let services = Services::wire(config, self.services.db.clone(), self.clock.clone())
            .expect("second instance");
        let (url, server) = serve(services.clone()).await;
        TestApp {
            url,
            services,
            clock: self.clock.clone(),
            backend: self.backend,
            cleanup: Cleanup::Dir(PathBuf::new()),
            server,
        }
    }

    /// Stops the server and removes its database.
    pub async fn finish(self) {
        self.server.abort();
        // A connection still held by a request cut off mid-way must not stop the clean-up.
        let _ = tokio::time::timeout(Duration::from_secs(2), self.services.db.pool.close()).await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                if !dir.as_os_str().is_empty() {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(admin) = Db::connect(&admin_url).await {
                    let _ = admin
                        .pool
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .await;
                    admin.pool.close().await;
                }
            }
        }
    }
}

fn test_config(database_url: &str, production: bool, env: &[(&'static str, String)]) -> Config {
    let mut vars = HashMap::new();
    vars.insert("KABINET_DATABASE_URL", database_url.to_string());
    vars.insert("KABINET_LISTEN", "127.0.0.1:0".to_string());
    vars.insert("KABINET_PROVIDER_TOKEN", PROVIDER_TOKEN.to_string());
    // Stored files (case attachments) go to the system's temporary directory, never into the
    // source tree.
    vars.insert(
        "KABINET_DATA_DIR",
        std::env::temp_dir()
            .join(format!("kabinet_test_files_{}", std::process::id()))
            .display()
            .to_string(),
    );
    vars.insert(
        "KABINET_ENV",
        if production {
            "production"
        } else {
            "development"
        }
        .to_string(),
    );
    vars.extend(env.iter().cloned());
    Config::from_lookup(|k| vars.get(k).cloned()).expect("test configuration")
}

/// One runtime, shared by every test of a binary, for the servers and their database pools,
/// as in production (one runtime per process). The tests' own runtimes only drive clients.
fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime")
    })
}

async fn serve(services: Services) -> (String, tokio::task::JoinHandle<()>) {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let server = server_runtime().spawn(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let _ = ready_tx.send(url);
        let _ = server::serve(services, listener, std::future::pending()).await;
    });
    let url = ready_rx.await.expect("the server started");
    (url, server)
}

async fn start(
    database_url: String,
    backend: &'static str,
    cleanup: Cleanup,
    options: &Options,
) -> TestApp {
    let config = test_config(&database_url, options.production, &options.env);
    let clock = Arc::new(ManualClock::new(START.parse().expect("start instant")));
    let services = {
        let clock = clock.clone();
        server_runtime()
            .spawn(async move { Services::start(config, clock).await })
            .await
            .expect("start task")
            .expect("server starts")
    };
    let (url, server) = serve(services.clone()).await;
    TestApp {
        url,
        services,
        clock,
        backend,
        cleanup,
        server,
    }
}

pub async fn spawn_sqlite(options: &Options) -> TestApp {
    let dir = std::env::temp_dir().join(unique_name());
    let url = format!("sqlite://{}/kabinet.db", dir.display());
    start(url, "sqlite", Cleanup::Dir(dir), options).await
}

/// `None` when `KABINET_TEST_PG_URL` is not set.
pub async fn spawn_postgres(options: &Options) -> Option<TestApp> {
    let admin_url = std::env::var("KABINET_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = unique_name();
    let admin = Db::connect(&admin_url)
        .await
        .expect("connect to KABINET_TEST_PG_URL");
    admin
        .pool
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create the test database");
    admin.pool.close().await;
    let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let base = match &options.database_host {
        // `postgres://user@host:port` → the same user at the other address.
        Some(host) => match base.rsplit_once('@') {
            Some((user, _)) => format!("{user}@{host}"),
            None => format!("postgres://{host}"),
        },
        None => base.to_string(),
    };
    let url = if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    };
    Some(
        start(
            url,
            "postgres",
            Cleanup::PgDatabase { admin_url, name },
            options,
        )
        .await,
    )
}

/// Runs `test` against SQLite, then against PostgreSQL when it is configured.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Arc<TestApp>) -> Fut,
    Fut: Future<Output = ()>,
{
    each_backend_with(Options::default(), test).await
}

pub async fn each_backend_with<F, Fut>(options: Options, test: F)
where
    F: Fn(Arc<TestApp>) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut apps = vec![spawn_sqlite(&options).await];
    if let Some(pg) = spawn_postgres(&options).await {
        apps.push(pg);
    }
    for app in apps {
        let app = Arc::new(app);
        eprintln!("-- on {}", app.backend);
        if tokio::time::timeout(TEST_TIMEOUT, test(app.clone()))
            .await
            .is_err()
        {
            panic!(
                "the test did not finish within {TEST_TIMEOUT:?} on {}",
                app.backend
            );
        }
        if let Ok(app) = Arc::try_unwrap(app) {
            app.finish().await;
        }
    }
}

/// Иванов Иван, +79000000001, ivanov@bk.ru, password `Secret-2026!`.
pub async fn ivanov(app: &TestApp, email_confirmed: bool) {
    use shared::contact::{Email, Phone};
    app.services
        .identity
        .create_person(server::identity::NewPerson {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            phone: Phone::parse("+79000000001").expect("phone"),
            email: Email::parse("ivanov@bk.ru").expect("e-mail"),
            email_confirmed,
            password: "Secret-2026!".into(),
        })
        .await
        .expect("create Иванов");
}

/// The password of the staff members [`staff`] makes.
pub const STAFF_PASSWORD: &str = "Staff-2026!";

/// A staff member of `role` named after `login`, signed in at the back-office; the browser.
pub async fn staff(app: &TestApp, login: &str, role: shared::cases::Role) -> reqwest::Client {
    app.services
        .cases
        .create_staff(
            None,
            login,
            &format!("Сотрудник {login}"),
            role,
            STAFF_PASSWORD,
        )
        .await
        .expect("staff member");
    let client = app.client();
    form(
        &client,
        app,
        "/api/staff/sign_in",
        &[("login", login), ("password", STAFF_PASSWORD)],
    )
    .await
    .expect("staff signs in");
    client
}

/// A browser in which Иванов (see [`ivanov`]) signed in by phone with `password`.
pub async fn signed_in(app: &TestApp, password: &str) -> reqwest::Client {
    let client = app.client();
    form(
        &client,
        app,
        "/api/auth/sign_in",
        &[
            ("by", "phone"),
            ("login", "+79000000001"),
            ("password", password),
        ],
    )
    .await
    .expect("Иванов signs in");
    client
}

/// The newest confirmation code the outbox holds for `to`.
pub async fn last_code(app: &TestApp, to: &str) -> String {
    let messages = app.services.outbox.list(Some(to), 1).await.expect("outbox");
    let body = &messages.first().expect("a message was sent").body;
    let marker = "Код подтверждения: ";
    let start = body.find(marker).expect("the body names the code") + marker.len();
    body[start..].chars().take(6).collect()
}

/// The signed-in person as the pages see it, or `None`.
pub async fn me(
    client: &reqwest::Client,
    app: &TestApp,
) -> Option<shared::identity::PersonSummary> {
    client
        .post(app.at("/api/auth/me"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("person")
}

/// Posts a form to a server function as the page would; its error when it refuses.
/// The HTML of a page as `client` gets it.
pub async fn page_text(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client
        .get(app.at(path))
        .send()
        .await
        .expect("the page")
        .text()
        .await
        .expect("its text")
}

pub async fn form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<(), shared::ApiError> {
    call::<serde::de::IgnoredAny>(client, app, path, fields)
        .await
        .map(|_| ())
}

/// Posts a form to a server function and reads its JSON answer, or its error.
pub async fn call<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<T, shared::ApiError> {
    let response = client
        .post(app.at(path))
        .form(fields)
        .send()
        .await
        .expect("request");
    if response.status().is_success() {
        Ok(response.json().await.expect("the answer"))
    } else {
        Err(response.json().await.expect("an ApiError"))
    }
}

/// A demo provider of `accounts` accounts with `months` months of history, as of the test
/// clock; its showcase accounts.
pub async fn demo(
    app: &TestApp,
    accounts: usize,
    months: i32,
) -> Vec<server::utility::billing::demo::Showcase> {
    server::utility::billing::demo::generate(
        &app.services.db,
        server::clock::Clock::today(app.clock.as_ref()),
        &server::utility::billing::demo::DemoOptions { accounts, months },
        |_| {},
    )
    .await
    .expect("demo data")
}

/// The id of a branch by its code, as the form sends it.
pub async fn branch_id(app: &TestApp, code: &str) -> String {
    sqlx::query_scalar::<_, i64>("SELECT id FROM branches WHERE code = $1")
        .bind(code)
        .fetch_one(&app.services.db.pool)
        .await
        .expect("branch")
        .to_string()
}

/// Binds a showcase account to the signed-in browser with its proof; its id.
pub async fn link_showcase(
    client: &reqwest::Client,
    app: &TestApp,
    account: &server::utility::billing::demo::Showcase,
) -> i64 {
    let branch = branch_id(app, account.branch_code).await;
    form(
        client,
        app,
        "/api/accounts/link",
        &[
            ("branch", &branch),
            ("number", &account.number),
            ("proof", &account.proof.format_number()),
        ],
    )
    .await
    .expect("the account is linked");
    let list: Vec<shared::utility::billing::AccountCard> =
        call(client, app, "/api/accounts/list", &[])
            .await
            .expect("the accounts");
    list.iter()
        .find(|a| a.number == account.number)
        .expect("listed")
        .id
}
