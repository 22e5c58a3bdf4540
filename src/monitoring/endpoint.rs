//! `GET /metrics` on a loopback port, served by axum, and a scraper that reads it the way
//! Prometheus does: one HTTP GET, the whole registry as text.

use super::{CONTENT_TYPE, Registry};
use crate::proxies::{ProxyError, get};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get as route_get;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

// ANCHOR: endpoint
/// A metrics endpoint on 127.0.0.1, with its own runtime; dropping it stops the server.
///
/// ```
/// use std::sync::Arc;
/// use sysdesign::monitoring::{MetricsEndpoint, Registry};
///
/// let registry = Arc::new(Registry::default());
/// registry.counter("jobs_total", "Jobs done.")?.inc();
/// let endpoint = MetricsEndpoint::start(registry)?;
/// let scrape = endpoint.scrape()?;
/// assert!(scrape.content_type.starts_with("text/plain; version=0.0.4"));
/// assert!(scrape.body.contains("\njobs_total 1\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct MetricsEndpoint {
    runtime: Runtime,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

/// What one scrape returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scrape {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The exposition text.
    pub body: String,
}

async fn metrics(State(registry): State<Arc<Registry>>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], registry.render())
}

impl MetricsEndpoint {
    /// Serves `registry` at `http://127.0.0.1:<port>/metrics`, on a port the system picks.
    pub fn start(registry: Arc<Registry>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route("/metrics", route_get(metrics))
            .with_state(registry);
        let server = runtime.spawn(async move {
            // Runs until dropped; an accept error ends it and the scraper sees the refusal.
            let _ = axum::serve(listener, app).await;
        });
        Ok(MetricsEndpoint {
            runtime,
            addr,
            server,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// One scrape: `GET /metrics`.
    pub fn scrape(&self) -> Result<Scrape, ProxyError> {
        let (status, headers, body) = self.runtime.block_on(get(self.addr, "/metrics", &[]))?;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok(Scrape {
            status: status.as_u16(),
            content_type,
            body,
        })
    }
}
// ANCHOR_END: endpoint

impl Drop for MetricsEndpoint {
    fn drop(&mut self) {
        self.server.abort();
    }
}
