//! The physical ceiling of the load benchmark (`bench/load.sh`): a bare axum handler that
//! answers "hello" on the same runtime settings as the portal, so that each page's
//! throughput can be read as a fraction of what this machine's HTTP stack can do at all.
//! Usage: `cargo run --release -p server --example ceiling -- 127.0.0.1:3920`

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3920".to_string());
    let router = Router::new().route("/", get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&address).await?;
    axum::serve(listener, router).await?;
    Ok(())
}
