//! Two instances over one PostgreSQL, one killed mid-load (#9): two `kabinet serve` processes
//! share a database; concurrent writers send payments and readings, each with its own
//! idempotency key, to either instance; one instance gets SIGKILL while requests are in
//! flight, and a writer whose request failed sends it again, with the same key, to the other
//! instance. Afterwards every request answered with success is in the database exactly once,
//! as it was answered, and nothing is half-made.
//!
//! Real processes (the `kabinet` binary), since a killed process takes its in-flight
//! requests and connections with it. Skipped without `KABINET_TEST_PG_URL`.

use crate::common::TEST_TIMEOUT;
use server::db::Db;
use shared::payments::PaySheet;
use shared::utility::readings::{ReadingSheet, format_reading};
use sqlx::Executor;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const WRITERS: usize = 12;
const REQUESTS_EACH: usize = 8;
/// The instance is killed once this many writes were acknowledged.
const KILL_AFTER: usize = WRITERS * REQUESTS_EACH / 4;

struct Instance {
    url: String,
    process: Child,
}

/// A test that fails still stops its servers.
impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn kabinet(database_url: &str, dir: &std::path::Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kabinet"));
    command
        .env("KABINET_DATABASE_URL", database_url)
        .env("KABINET_DATA_DIR", dir)
        .env("KABINET_ENV", "development")
        .env("KABINET_NOW", crate::common::START)
        .env("KABINET_LISTEN", format!("127.0.0.1:{port}"))
        .env("KABINET_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

async fn start(database_url: &str, dir: &std::path::Path) -> Instance {
    let port = free_port();
    // Owned by an `Instance` at once: stopped and waited for however the test ends.
    let instance = Instance {
        url: format!("http://127.0.0.1:{port}"),
        process: kabinet(database_url, dir, port)
            .arg("serve")
            .spawn()
            .expect("start kabinet serve"),
    };
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{}/readyz", instance.url)).send().await
            && r.status().is_success()
        {
            return instance;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("kabinet serve did not become ready at {}", instance.url);
}

/// One write: a payment or a reading, with its key.
#[derive(Clone)]
struct Write {
    key: String,
    path: &'static str,
    fields: Vec<(String, String)>,
}

/// What the writers saw.
#[derive(Default)]
struct Seen {
    /// Acknowledged payments: key → the order id answered.
    payments: HashMap<String, i64>,
    /// Acknowledged readings' keys.
    readings: Vec<String>,
    /// Requests that failed on one instance and were sent again to the other.
    retried: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_instance_loses_no_acknowledged_write_and_doubles_none() {
    let Ok(admin_url) = std::env::var("KABINET_TEST_PG_URL") else {
        eprintln!("KABINET_TEST_PG_URL is not set: the failover test needs PostgreSQL");
        return;
    };
    let name = format!(
        "kabinet_failover_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    let admin = Db::connect(&admin_url).await.expect("PostgreSQL");
    admin
        .pool
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create the database");
    let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let database_url = if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    };
    let dir = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&dir).expect("data directory");

    // On a task of its own, so that a failing test still drops its database.
    let mut task = {
        let (database_url, dir) = (database_url.clone(), dir.clone());
        tokio::spawn(async move { run(&database_url, &dir).await })
    };
    let outcome = tokio::time::timeout(TEST_TIMEOUT * 2, &mut task).await;
    if outcome.is_err() {
        task.abort();
        let _ = (&mut task).await;
    }

    let _ = admin
        .pool
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await;
    admin.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    match outcome {
        Err(_) => panic!("the failover test did not finish in time"),
        Ok(Err(failed)) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
        Ok(Err(failed)) => panic!("the failover test was cut off: {failed}"),
        Ok(Ok(())) => {}
    }
}

async fn run(database_url: &str, dir: &std::path::Path) {
    // The demo provider and the demo customer with their accounts, as `make run` makes them.
    let status = kabinet(database_url, dir, free_port())
        .args(["demo", "--accounts", "3", "--months", "6"])
        .status()
        .expect("kabinet demo");
    assert!(status.success(), "kabinet demo failed");
    let mut a = start(database_url, dir).await;
    let b = start(database_url, dir).await;

    // The customer signs in on one instance; the session is the database's, good on both.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let signed_in = client
        .post(format!("{}/api/auth/sign_in", a.url))
        .form(&[
            ("by", "phone"),
            ("login", "+79000000001"),
            ("password", "Demo-2026!"),
        ])
        .send()
        .await
        .expect("sign in");
    assert!(
        signed_in.status().is_success(),
        "{:?}",
        signed_in.text().await
    );
    let accounts: Vec<shared::utility::billing::AccountCard> = client
        .post(format!("{}/api/accounts/list", b.url))
        .send()
        .await
        .expect("accounts")
        .json()
        .await
        .expect("the accounts, on the other instance");
    let account = accounts.first().expect("a demo account").id.to_string();
    let pay: PaySheet = client
        .post(format!("{}/api/payments/sheet", a.url))
        .form(&[("account", account.as_str())])
        .send()
        .await
        .expect("payment page")
        .json()
        .await
        .expect("the payment page");
    let line = pay.lines.first().expect("a supplier").clone();
    let sheet: ReadingSheet = client
        .post(format!("{}/api/meters/sheet", a.url))
        .form(&[("account", account.as_str())])
        .send()
        .await
        .expect("readings page")
        .json()
        .await
        .expect("the readings page");
    let row = sheet
        .rows
        .iter()
        .find(|r| r.blocked.is_none())
        .expect("a meter that takes readings")
        .clone();
    assert!(
        sheet.is_open(),
        "the reading window is open on the test's day"
    );

    let mut writes = Vec::new();
    for w in 0..WRITERS {
        let mut mine = Vec::new();
        for r in 0..REQUESTS_EACH {
            let n = w * REQUESTS_EACH + r;
            let key = format!("failover-{n}");
            let mut fields = vec![
                ("account".to_string(), account.clone()),
                ("key".to_string(), key.clone()),
            ];
            let path = if n.is_multiple_of(2) {
                fields.extend([
                    ("keys[0]".to_string(), line.key()),
                    ("amounts[0]".into(), format!("{},00", 10 + n)),
                    ("chosen[0]".into(), line.key()),
                    ("method".into(), "sbp".into()),
                    ("rules".into(), "yes".into()),
                ]);
                "/api/payments/pay"
            } else {
                let value = row.previous.unwrap_or(0) + (n as i64 + 1) * 1000;
                fields.extend([
                    ("rows[0]".to_string(), row.key()),
                    ("values[0]".into(), format_reading(value, row.dial)),
                    ("confirm".into(), "yes".into()),
                ]);
                "/api/meters/submit"
            };
            mine.push(Write { key, path, fields });
        }
        writes.push(mine);
    }

    let seen = Arc::new(tokio::sync::Mutex::new(Seen::default()));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let urls = [a.url.clone(), b.url.clone()];
    let mut tasks = Vec::new();
    for (w, mine) in writes.into_iter().enumerate() {
        let (client, seen, acknowledged, urls) = (
            client.clone(),
            seen.clone(),
            acknowledged.clone(),
            urls.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for write in mine {
                // Half the writers start on each instance; a failure goes to the other one.
                let mut target = w % 2;
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    let answer = client
                        .post(format!("{}{}", urls[target], write.path))
                        .form(&write.fields)
                        .send()
                        .await;
                    match answer {
                        Ok(response) if response.status().is_success() => {
                            let body = response.text().await.unwrap_or_default();
                            let mut seen = seen.lock().await;
                            if write.path == "/api/payments/pay" {
                                let id: i64 = serde_json::from_str(&body)
                                    .unwrap_or_else(|_| panic!("a payment's id, not {body}"));
                                seen.payments.insert(write.key.clone(), id);
                            } else {
                                seen.readings.push(write.key.clone());
                            }
                            if attempts > 1 {
                                seen.retried += 1;
                            }
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Ok(response) if response.status().is_client_error() => {
                            panic!(
                                "{} refused: {} {:?}",
                                write.key,
                                response.status(),
                                response.text().await
                            );
                        }
                        // Cut off, refused, or 5xx: the same request, same key, elsewhere.
                        _ => {
                            assert!(attempts < 10, "{} never went through", write.key);
                            target = 1 - target;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
            }
        }));
    }
    // SIGKILL the first instance mid-load.
    while acknowledged.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    a.process.kill().expect("SIGKILL the first instance");
    let _ = a.process.wait();
    drop(a);
    for task in tasks {
        task.await.expect("a writer");
    }

    let seen = seen.lock().await;
    assert_eq!(
        seen.payments.len() + seen.readings.len(),
        WRITERS * REQUESTS_EACH,
        "every write was acknowledged in the end (by the surviving instance)"
    );
    assert!(
        seen.retried > 0,
        "the kill landed mid-load: some writes had to go to the other instance"
    );
    eprintln!(
        "{} writes acknowledged, {} of them after a failure on the killed instance",
        WRITERS * REQUESTS_EACH,
        seen.retried
    );

    let db = Db::connect(database_url).await.expect("database");
    let orders: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.idempotency_key, o.id, o.amount, \
         (SELECT COUNT(*) FROM payment_order_lines l WHERE l.order_id = o.id) \
         FROM payment_orders o WHERE o.idempotency_key LIKE 'failover-%'",
    )
    .fetch_all(&db.pool)
    .await
    .expect("orders");
    let mut by_key: HashMap<String, Vec<(i64, i64, i64)>> = HashMap::new();
    for (key, id, amount, lines) in orders {
        by_key.entry(key).or_default().push((id, amount, lines));
    }
    for (key, id) in &seen.payments {
        let n: i64 = key
            .trim_start_matches("failover-")
            .parse()
            .expect("a key's number");
        let stored = by_key.get(key).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(
            stored,
            &[(*id, (10 + n) * 100, 1)],
            "payment {key}: stored once, as answered, with its line"
        );
    }
    assert_eq!(
        by_key.len(),
        seen.payments.len(),
        "no payment beyond those acknowledged"
    );
    // Stored as «<person>:<key>».
    let submissions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT idempotency_key, COUNT(*) FROM reading_submissions \
         WHERE idempotency_key LIKE '%:failover-%' GROUP BY idempotency_key",
    )
    .fetch_all(&db.pool)
    .await
    .expect("submissions");
    let submissions: HashMap<String, i64> = submissions
        .into_iter()
        .map(|(key, n)| {
            (
                key.split_once(':')
                    .map_or(key.clone(), |(_, k)| k.to_string()),
                n,
            )
        })
        .collect();
    for key in &seen.readings {
        assert_eq!(submissions.get(key), Some(&1), "reading {key} stored once");
    }
    assert_eq!(submissions.len(), seen.readings.len());
    db.pool.close().await;

    // The surviving instance still answers.
    let ready = client
        .get(format!("{}/readyz", b.url))
        .send()
        .await
        .expect("readyz");
    assert!(ready.status().is_success());
}
