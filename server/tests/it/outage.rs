//! Database outage (#9): with PostgreSQL unreachable (a proxy the test controls drops every
//! connection and refuses new ones), requests get 503 with Retry-After within a few seconds,
//! `/readyz` says not ready, a payment sent meanwhile is not half-made, and the server
//! recovers by itself when the database returns: the retried payment (same key) is made once.

use crate::common::{
    Options, TEST_TIMEOUT, call, demo, ivanov, link_showcase, signed_in, spawn_postgres,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy to PostgreSQL that can be cut.
struct Proxy {
    addr: String,
    up: Arc<AtomicBool>,
    links: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address").to_string();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().expect("links").push(link);
            }
        });
        Proxy { addr, up, links }
    }

    /// The database "goes away": every open connection is cut, new ones are refused.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `host:port` of `KABINET_TEST_PG_URL`.
fn database_address() -> Option<String> {
    let url = std::env::var("KABINET_TEST_PG_URL").ok()?;
    let rest = url.split_once("://")?.1;
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let host = rest.split(['/', '?']).next()?;
    Some(if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:5432")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_answers_503_quickly_and_the_server_recovers_by_itself() {
    let Some(target) = database_address() else {
        eprintln!("KABINET_TEST_PG_URL is not set: the outage test needs PostgreSQL");
        return;
    };
    tokio::time::timeout(TEST_TIMEOUT, async move {
        let proxy = Proxy::start(target).await;
        let options = Options {
            database_host: Some(proxy.addr.clone()),
            ..Options::default()
        };
        let app = spawn_postgres(&options).await.expect("PostgreSQL");
        let showcase = demo(&app, 2, 3).await;
        ivanov(&app, true).await;
        let client = signed_in(&app, "Secret-2026!").await;
        let account = link_showcase(&client, &app, &showcase[0]).await;
        let sheet: shared::payments::PaySheet = call(
            &client,
            &app,
            "/api/payments/sheet",
            &[("account", &account.to_string())],
        )
        .await
        .expect("the payment page");
        let line = sheet.lines[0].key();
        let payment = vec![
            ("account".to_string(), account.to_string()),
            ("keys[0]".into(), line.clone()),
            ("amounts[0]".into(), "100".into()),
            ("chosen[0]".into(), line),
            ("method".into(), "sbp".into()),
            ("rules".into(), "yes".into()),
            ("key".into(), "across-the-outage".into()),
        ];
        let list = |client: reqwest::Client, url: String| async move {
            client
                .post(format!("{url}/api/accounts/list"))
                .send()
                .await
                .expect("request")
        };
        assert_eq!(list(client.clone(), app.url.clone()).await.status(), 200);

        proxy.cut();
        let started = Instant::now();
        let ready = client.get(app.at("/readyz")).send().await.expect("readyz");
        assert_eq!(ready.status(), 503);
        assert!(ready.headers().contains_key("retry-after"));
        let answer = list(client.clone(), app.url.clone()).await;
        assert_eq!(answer.status(), 503, "{:?}", answer.text().await);
        let answer = list(client.clone(), app.url.clone()).await;
        assert!(answer.headers().contains_key("retry-after"));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(8), "three answers took {took:?}");
        // A payment sent during the outage is refused as a whole.
        let pay = |client: reqwest::Client, url: String, form: Vec<(String, String)>| async move {
            client
                .post(format!("{url}/api/payments/pay"))
                .form(&form)
                .send()
                .await
                .expect("pay")
        };
        let refused = pay(client.clone(), app.url.clone(), payment.clone()).await;
        assert_eq!(refused.status(), 503);

        proxy.restore();
        let mut recovered = false;
        for _ in 0..40 {
            if list(client.clone(), app.url.clone()).await.status() == 200 {
                recovered = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(recovered, "the server came back by itself");
        assert_eq!(
            client
                .get(app.at("/readyz"))
                .send()
                .await
                .expect("readyz")
                .status(),
            200
        );
        let orders = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM payment_orders")
                .fetch_one(&app.services.db.pool)
                .await
                .expect("count")
        };
        assert_eq!(orders().await, 0, "nothing half-made during the outage");
        // The customer retries the same form (the same key): made once, then found again.
        let first = pay(client.clone(), app.url.clone(), payment.clone()).await;
        assert_eq!(first.status(), 200);
        let first: i64 = first.json().await.expect("the payment");
        let again: i64 = pay(client.clone(), app.url.clone(), payment.clone())
            .await
            .json()
            .await
            .expect("the payment");
        assert_eq!(first, again);
        assert_eq!(orders().await, 1);
        app.finish().await;
    })
    .await
    .expect("the test finished in time");
}
