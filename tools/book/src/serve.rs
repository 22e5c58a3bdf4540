//! `cargo book serve`: the built site on 127.0.0.1, and nothing outside it.

use anyhow::{Context, Result};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Serves `site` on 127.0.0.1:`port` until interrupted.
///
/// `ServeDir` refuses paths that climb out of the folder (`..`), so only the site is reachable,
/// and only from this machine.
pub fn serve(site: &Path, port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!("cannot listen on {addr} (is another server using port {port}? try --port)")
        })?;
        let files = ServeDir::new(site).not_found_service(ServeFile::new(site.join("404.html")));
        let app = axum::Router::new().fallback_service(files);
        eprintln!("sysdesign-book: serving the book at http://{addr}/ (Ctrl-C to stop)");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the web server stopped with an error")
    })
}
