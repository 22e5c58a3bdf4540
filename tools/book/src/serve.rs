//! `cargo book serve`: the built site on 127.0.0.1, and nothing outside it.

use anyhow::{Context, Result};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};

/// The site as an HTTP service. `ServeDir` refuses paths that climb out of the folder (`..`),
/// so only the site is reachable; unknown paths get the book's 404 page.
fn router(site: &Path) -> axum::Router {
    let files = ServeDir::new(site).not_found_service(ServeFile::new(site.join("404.html")));
    axum::Router::new().fallback_service(files)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Serves `site` on 127.0.0.1:`port` until Ctrl-C.
pub fn serve(site: &Path, port: u16) -> Result<()> {
    runtime()?.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!("cannot listen on {addr} (is another server using port {port}? try --port)")
        })?;
        eprintln!("sysdesign-book: serving the book at http://{addr}/ (Ctrl-C to stop)");
        axum::serve(listener, router(site))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the web server stopped with an error")
    })
}

/// A server on a free loopback port, running on its own thread until dropped.
pub struct Background {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Starts serving `site` on 127.0.0.1 at a port the system picks.
    pub fn start(site: PathBuf) -> Result<Background> {
        let runtime = runtime()?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .context("cannot listen on a loopback port")?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _ = runtime.block_on(async move {
                axum::serve(listener, router(&site))
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
            });
        });
        Ok(Background {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
