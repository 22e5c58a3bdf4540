//! `cargo book serve`: the built site on 127.0.0.1, rebuilt when a source changes, and open
//! pages reloaded.
//!
//! Three parts, each on its own thread of control:
//!
//! - a file watcher (`notify`) turns edits under `book/`, `snippets/`, `src/`, `theme/` and to
//!   `book.toml` into messages;
//! - one rebuild thread waits for a burst of messages to settle, then calls [`site::build`]; it
//!   is the only caller, so rebuilds never overlap, and a change made during a rebuild is
//!   waiting in the channel when it ends, which starts exactly one more;
//! - the web server serves the site folder and publishes the build's [`Status`]: pages get a
//!   small script (added to the response, never written to the site on disk) that listens on
//!   a server-sent events stream and reloads on a new build, or shows the error as a banner.
//!
//! A failed rebuild leaves the last good site in place (`site::build` is atomic), so the
//! reader keeps reading while the author fixes the error.

use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt};
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, mpsc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

use crate::project::Project;
use crate::site;

/// Where the live-reload script is served; no page of the book lives under `/__sysdesign/`.
const SCRIPT_PATH: &str = "/__sysdesign/livereload.js";
/// The server-sent events stream the script listens on.
const EVENTS_PATH: &str = "/__sysdesign/events";
/// The current [`Status`] as JSON, for a page that has just loaded.
const STATUS_PATH: &str = "/__sysdesign/status";
const SCRIPT: &str = include_str!("livereload.js");

/// How long the sources must stay quiet before a rebuild starts: an editor's save is often
/// several events (write, rename, attribute change), and `git checkout` is many.
const QUIET: Duration = Duration::from_millis(200);

/// The site as an HTTP service. `ServeDir` refuses paths that climb out of the folder (`..`),
/// and [`guard`] refuses symbolic links that lead out of it and hosts that are not loopback,
/// so only the site is reachable; unknown paths get the book's 404 page.
fn router(site: &Path) -> axum::Router {
    let files = ServeDir::new(site).not_found_service(ServeFile::new(site.join("404.html")));
    axum::Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(site.to_path_buf()),
            guard,
        ))
}

/// Most live-reload event streams open at once; one per open tab is plenty.
const MAX_STREAMS: usize = 64;

/// Whether a `Host` header names this machine's loopback: `localhost`, `127.0.0.0/8` or `[::1]`,
/// with or without a port. A page on another origin that rebinds its DNS name to 127.0.0.1
/// still sends its own name, so it is refused.
fn loopback_host(value: &str) -> bool {
    let port_ok = |port: &str| port.parse::<u16>().is_ok();
    let host = if let Some(rest) = value.strip_prefix('[') {
        match rest.split_once(']') {
            Some((host, "")) => host,
            Some((host, tail)) if tail.strip_prefix(':').is_some_and(port_ok) => host,
            _ => return false,
        }
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) if port_ok(port) => host,
            Some(_) => return false,
            None => value,
        }
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the request path names a file that a symbolic link places outside the site folder.
fn leaves_site(site: &Path, uri_path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(uri_path).decode_utf8_lossy();
    let mut path = site.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            // ServeDir refuses these; no need to resolve anything.
            ".." => return false,
            part => path.push(part),
        }
    }
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    let root = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    !real.starts_with(root)
}

/// In front of every request: only loopback `Host` values, and no file reached through a
/// symbolic link that leads out of the site.
async fn guard(State(site): State<Arc<PathBuf>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or(""));
    if let Some(host) = host
        && !loopback_host(host)
    {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only requests for 127.0.0.1, localhost or [::1]\n",
        )
            .into_response();
    }
    if leaves_site(&site, request.uri().path()) {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    next.run(request).await
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// What the pages are told: the last good build, and the error of the last rebuild if it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Status {
    /// Names the site being served; it changes with every successful build and with every
    /// start of the server, so a page loaded from an older site knows to reload.
    pub build: String,
    /// Why the last rebuild failed, as plain text; `None` when it succeeded.
    pub error: Option<String>,
}

/// A build id unique to this server process and build: the server's start time and a count.
fn next_build_id() -> String {
    static STARTED: LazyLock<u128> = LazyLock::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    });
    static COUNT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{:x}-{}",
        *STARTED,
        COUNT.fetch_add(1, Ordering::Relaxed) + 1
    )
}

/// Adds the live-reload script to an HTML page, before its last `</body>` (or at the end).
/// `build` is one of our own ids (hex digits, `-` and digits), so it needs no escaping.
pub(crate) fn inject(html: &str, build: &str) -> String {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" data-build="{build}"></script>"#);
    // ASCII lower-casing keeps every byte offset, so `at` is valid in `html` too.
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &html[..at], &html[at..]),
        None => format!("{html}\n{tag}\n"),
    }
}

/// The error text as the banner shows it: no terminal colour codes, `\n` line ends.
fn plain(text: &str) -> String {
    static ANSI: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").expect("the ANSI pattern is valid")
    });
    let text = ANSI
        .replace_all(text, "")
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    if text.trim().is_empty() {
        "the build failed without a message; see the terminal".into()
    } else {
        text
    }
}

/// What the server shares between requests.
#[derive(Clone)]
struct Live {
    site: Arc<PathBuf>,
    status: watch::Receiver<Status>,
    /// Turns true when the server stops: event streams end then, or shutting down would wait
    /// for them forever.
    stop: watch::Receiver<bool>,
    /// Event streams open now (at most [`MAX_STREAMS`]).
    streams: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts one open event stream while it lives.
struct StreamSlot(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The site with live reload: the files, the script, the event stream and the status.
fn live_router(
    site: PathBuf,
    status: watch::Receiver<Status>,
    stop: watch::Receiver<bool>,
) -> axum::Router {
    let live = Live {
        site: Arc::new(site),
        status,
        stop,
        streams: Arc::default(),
    };
    let not_found = axum::handler::Handler::with_state(not_found, live.clone());
    let files = ServeDir::new(live.site.as_path()).fallback(not_found);
    axum::Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status_json))
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(
            live.clone(),
            add_live_reload,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&live.site),
            guard,
        ))
        .with_state(live)
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
}

async fn status_json(State(live): State<Live>) -> impl IntoResponse {
    let status = live.status.borrow().clone();
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "build": status.build, "error": status.error })),
    )
}

/// `build` once on connecting, then `reload` or `error` on each new status; a busy answer when
/// [`MAX_STREAMS`] streams are open already.
async fn events(State(live): State<Live>) -> Response {
    let open = live.streams.fetch_add(1, Ordering::SeqCst);
    let slot = StreamSlot(Arc::clone(&live.streams));
    if open >= MAX_STREAMS {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
            format!("{MAX_STREAMS} live-reload streams are open already\n"),
        )
            .into_response();
    }
    stream_events(live, slot).into_response()
}

fn stream_events(
    live: Live,
    slot: StreamSlot,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut status = live.status.clone();
    let current = status.borrow_and_update().clone();
    let mut first = vec![Event::default().event("build").data(&current.build)];
    if let Some(error) = &current.error {
        first.push(Event::default().event("error").data(error));
    }
    let changes = futures_util::stream::unfold(
        (status, live.stop.clone()),
        |(mut status, mut stop)| async move {
            let changed = tokio::select! {
                changed = status.changed() => changed.is_ok(),
                _ = stop.wait_for(|stopped| *stopped) => false,
            };
            if !changed {
                return None;
            }
            let now = status.borrow_and_update().clone();
            let event = match &now.error {
                Some(error) => Event::default().event("error").data(error),
                None => Event::default().event("reload").data(&now.build),
            };
            Some((event, (status, stop)))
        },
    );
    // The slot lives as long as the stream: a closed tab frees it.
    let stream = futures_util::stream::iter(first)
        .chain(changes)
        .map(move |event| {
            let _ = &slot;
            Ok(event)
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// A path with no file: the book's 404 page, or, before any build succeeded, a page that says
/// so (it carries the script too, so it shows the error and reloads when a build succeeds).
async fn not_found(State(live): State<Live>) -> Response {
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    match tokio::fs::read(live.site.join("404.html")).await {
        Ok(page) => (StatusCode::NOT_FOUND, html, page).into_response(),
        Err(_) if !live.site.is_dir() => (
            StatusCode::NOT_FOUND,
            html,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head>\n\
             <body><h1>The book has not been built yet</h1>\n\
             <p>The first build failed; the terminal running <code>cargo book serve</code> says why.\n\
             This page reloads by itself when a build succeeds.</p></body></html>\n",
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Adds the script to HTML responses. The build id is read before the file, so a rebuild that
/// lands in between makes the page reload once more, never miss a reload.
async fn add_live_reload(State(live): State<Live>, request: Request, next: Next) -> Response {
    let build = live.status.borrow().build.clone();
    let is_head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let whole = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if is_head || !is_html || !whole {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 256 << 20).await {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot read the page: {e}"),
            )
                .into_response();
        }
    };
    let page = inject(&String::from_utf8_lossy(&bytes), &build);
    // The body changed, and a cached copy would carry an old build id.
    for name in [header::CONTENT_LENGTH, header::ETAG, header::LAST_MODIFIED] {
        parts.headers.remove(name);
    }
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, axum::body::Body::from(page))
}

/// Whether a change to `path` can change the book: a file under `book/`, `snippets/`, `src/`
/// or `theme/`, or `book.toml`; never `target/`, hidden files or editors' swap and backup files.
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(p) => p.to_str().unwrap_or(""),
            _ => "",
        })
        .collect();
    let Some(name) = parts.last() else {
        return false;
    };
    if parts
        .iter()
        .any(|p| p.is_empty() || p.starts_with('.') || *p == "target")
    {
        return false;
    }
    let scratch = name.ends_with('~')
        || name.starts_with('#')
        || *name == "4913" // vim's probe that a folder is writable
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext));
    if scratch {
        return false;
    }
    match parts.as_slice() {
        ["book.toml"] => true,
        [top, _, ..] => ["book", "snippets", "src", "theme"].contains(top),
        _ => false,
    }
}

/// What the rebuild thread hears: a changed path, or that it is time to stop.
#[derive(Debug)]
enum Message {
    Changed(PathBuf),
    Stop,
}

/// Starts watching the sources; each change that [`matters`] arrives on `to` as the path
/// relative to `root`.
fn watch_sources(root: &Path, to: mpsc::Sender<Message>) -> Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let root_in_handler = root.to_path_buf();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            // Access events fire for every file the build itself reads.
            Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                for path in event.paths {
                    if matters(&root_in_handler, &path) {
                        let rel = path
                            .strip_prefix(&root_in_handler)
                            .unwrap_or(&path)
                            .to_path_buf();
                        let _ = to.send(Message::Changed(rel));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("sysdesign-book: warning: the file watcher reported: {e}"),
        })
        .context("cannot start the file watcher")?;
    for dir in ["book", "snippets", "src", "theme"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    // The root itself, not book.toml: editors often save by renaming a new file over the old,
    // and a watch on the old file would go with it.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    Ok(watcher)
}

/// The rebuild loop: waits for a change, lets the burst settle until `quiet` passes with no
/// new change, then calls `build` with the changed paths. Because `build` runs on this thread,
/// builds never overlap; changes made during one wait in the channel and lead to one more.
/// Returns on [`Message::Stop`] or when every sender is gone.
fn rebuild_loop(
    messages: &mpsc::Receiver<Message>,
    quiet: Duration,
    mut build: impl FnMut(&[PathBuf]),
) {
    while let Ok(Message::Changed(first)) = messages.recv() {
        let mut changed = vec![first];
        loop {
            match messages.recv_timeout(quiet) {
                Ok(Message::Changed(path)) => {
                    if !changed.contains(&path) {
                        changed.push(path);
                    }
                }
                Ok(Message::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
            }
        }
        build(&changed);
    }
}

/// Builds the book and publishes the result to the pages. A panic in the build is reported
/// like an error, so one bad build does not end live reload.
fn rebuild(project: &Project, site: &Path, status: &watch::Sender<Status>) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site::build(project)))
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the build panicked (see above)")));
    match result {
        Ok(built) => {
            if built.site != site {
                eprintln!(
                    "sysdesign-book: warning: book.toml now builds into {}, but this server serves {}; restart it",
                    built.site.display(),
                    site.display()
                );
            }
            status.send_replace(Status {
                build: next_build_id(),
                error: None,
            });
        }
        Err(e) => {
            let text = format!("{e:#}");
            eprintln!("error: {text}");
            eprintln!(
                "sysdesign-book: still serving the last good build; fix the error and save to rebuild"
            );
            status.send_modify(|s| s.error = Some(plain(&text)));
        }
    }
}

/// The folder the site is built into, from `book.toml` (`target/book` if it cannot be read).
fn site_dir(project: &Project) -> PathBuf {
    let build_dir = mdbook_driver::config::Config::from_disk(project.root.join("book.toml"))
        .map_or_else(|_| PathBuf::from("target/book"), |c| c.build.build_dir);
    project.root.join(build_dir)
}

/// Builds the book, serves it on 127.0.0.1:`port`, and rebuilds and reloads on every change
/// until Ctrl-C.
pub(crate) fn serve(project: &Project, port: u16) -> Result<()> {
    let runtime = runtime()?;
    // Bind first: a busy port is reported before minutes of building, not after.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .with_context(|| {
            format!("cannot listen on {addr} (is another server using port {port}? try --port)")
        })?;
    // Watch before the first build, so an edit made while it runs is not missed.
    let (messages_tx, messages) = mpsc::channel();
    let watcher = watch_sources(&project.root, messages_tx.clone())?;
    let site = site_dir(project);
    let (status_tx, status) = watch::channel(Status {
        build: next_build_id(),
        error: None,
    });
    rebuild(project, &site, &status_tx);
    if status.borrow().error.is_some() && !site.is_dir() {
        eprintln!(
            "sysdesign-book: there is no earlier build to show; the page says so until a build succeeds"
        );
    }

    let building = Arc::new(AtomicBool::new(false));
    let rebuilder = {
        let (project, site, building) = (project.clone(), site.clone(), Arc::clone(&building));
        std::thread::spawn(move || {
            rebuild_loop(&messages, QUIET, |changed| {
                let more = match changed.len() {
                    1 => String::new(),
                    n => format!(" and {} other file(s)", n - 1),
                };
                // Name a file that is still there, not an editor's temporary one.
                let shown = changed
                    .iter()
                    .find(|p| project.root.join(p).exists())
                    .unwrap_or(&changed[0]);
                eprintln!(
                    "\nsysdesign-book: {} changed{more}; rebuilding",
                    shown.display()
                );
                building.store(true, Ordering::SeqCst);
                rebuild(&project, &site, &status_tx);
                building.store(false, Ordering::SeqCst);
            });
        })
    };

    eprintln!(
        "sysdesign-book: serving the book at http://{addr}/ and rebuilding when book/, snippets/, src/, theme/ or book.toml change (Ctrl-C to stop)"
    );
    let (stop_tx, stop) = watch::channel(false);
    let served = runtime.block_on(async {
        axum::serve(listener, live_router(site, status, stop))
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = stop_tx.send(true);
                tokio::spawn(async {
                    let _ = tokio::signal::ctrl_c().await;
                    eprintln!("sysdesign-book: stopped at once");
                    std::process::exit(130);
                });
            })
            .await
            .context("the web server stopped with an error")
    });
    eprintln!("\nsysdesign-book: stopping");
    drop(watcher);
    if building.load(Ordering::SeqCst) {
        eprintln!(
            "sysdesign-book: waiting for the rebuild in progress to end (Ctrl-C again to quit at once)"
        );
    }
    let _ = messages_tx.send(Message::Stop);
    let _ = rebuilder.join();
    served
}

/// A server on a free loopback port, running on its own thread until dropped.
pub(crate) struct Background {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Starts serving `site` on 127.0.0.1 at a port the system picks.
    pub(crate) fn start(site: PathBuf) -> Result<Background> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    /// Long enough for a loaded machine; every wait below is bounded by it, none sleeps.
    const PATIENCE: Duration = Duration::from_secs(20);

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let page = "<html><body><p>&lt;/body&gt;</p></BODY></html>";
        assert_eq!(
            inject(page, "1-2"),
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__sysdesign/livereload.js\" data-build=\"1-2\"></script>\n</BODY></html>"
        );
        assert_eq!(
            inject("<p>no body tag</p>", "7"),
            "<p>no body tag</p>\n<script src=\"/__sysdesign/livereload.js\" data-build=\"7\"></script>\n"
        );
    }

    #[test]
    fn error_text_loses_terminal_colours_and_carriage_returns() {
        assert_eq!(
            plain("\x1b[1m\x1b[31merror\x1b[0m: x\r\ny\rz"),
            "error: x\ny\nz"
        );
        assert!(plain(" \n").contains("see the terminal"));
    }

    #[test]
    fn only_sources_of_the_book_trigger_a_rebuild() {
        let root = Path::new("/repo");
        for yes in [
            "book/SUMMARY.md",
            "book/part/chapter.md",
            "snippets/caching/lru.rs",
            "src/lib.rs",
            "src/caching/lru.rs",
            "theme/sysdesign.css",
            "book.toml",
        ] {
            assert!(matters(root, &root.join(yes)), "{yes}");
        }
        for no in [
            "target/book/index.html",
            "book/.chapter.md.swp",
            "book/chapter.md~",
            "book/.#chapter.md",
            "book/#chapter.md#",
            "src/4913",
            "src/.git/x",
            "Cargo.toml",
            "README.md",
            "book",
            "tools/book/src/main.rs",
            "/elsewhere/book/x.md",
        ] {
            assert!(!matters(root, &root.join(no)), "{no}");
        }
    }

    #[test]
    fn changes_during_a_rebuild_lead_to_exactly_one_more() {
        let (tx, rx) = mpsc::channel();
        for path in ["book/a.md", "book/b.md", "book/a.md"] {
            tx.send(Message::Changed(path.into())).unwrap();
        }
        let mut sender = Some(tx);
        let mut builds: Vec<Vec<PathBuf>> = Vec::new();
        rebuild_loop(&rx, Duration::ZERO, |changed| {
            builds.push(changed.to_vec());
            match builds.len() {
                // Edits saved while the first build runs.
                1 => {
                    let tx = sender.as_ref().unwrap();
                    tx.send(Message::Changed("src/x.rs".into())).unwrap();
                    tx.send(Message::Changed("src/y.rs".into())).unwrap();
                }
                _ => sender = None,
            }
        });
        assert_eq!(
            builds,
            [
                vec![PathBuf::from("book/a.md"), PathBuf::from("book/b.md")],
                vec![PathBuf::from("src/x.rs"), PathBuf::from("src/y.rs")],
            ]
        );
    }

    #[test]
    fn stop_ends_the_loop_without_building() {
        let (tx, rx) = mpsc::channel();
        tx.send(Message::Stop).unwrap();
        tx.send(Message::Changed("book/a.md".into())).unwrap();
        rebuild_loop(&rx, Duration::ZERO, |_| panic!("no build after Stop"));
    }

    /// A temporary folder holding `site/` and, beside it, a file the server must never show.
    struct Fixture {
        dir: PathBuf,
    }

    impl Fixture {
        fn new(name: &str) -> Fixture {
            let dir =
                std::env::temp_dir().join(format!("sysdesign-serve-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("site/part")).unwrap();
            let files = [
                ("secret.txt", "TOP-SECRET"),
                (
                    "site/index.html",
                    "<!DOCTYPE html><html><body><h1>Home</h1></body></html>",
                ),
                (
                    "site/part/page.html",
                    "<html><body><p>a page</p></body></html>",
                ),
                ("site/404.html", "<html><body>lost</body></html>"),
                ("site/style.css", "body { color: black; }"),
            ];
            for (path, text) in files {
                std::fs::write(dir.join(path), text).unwrap();
            }
            Fixture { dir }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// The live server on a free loopback port, and the handles that drive it.
    struct Server {
        addr: SocketAddr,
        /// The router the server runs, for requests that need no socket.
        app: axum::Router,
        status: watch::Sender<Status>,
        stop: watch::Sender<bool>,
        task: tokio::task::JoinHandle<std::io::Result<()>>,
    }

    async fn start(site: PathBuf) -> Server {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (status, status_rx) = watch::channel(Status {
            build: "b1".into(),
            error: None,
        });
        let (stop, stop_rx) = watch::channel(false);
        let mut stopped = stop_rx.clone();
        let router = live_router(site, status_rx, stop_rx);
        let app = router.clone();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        });
        Server {
            addr,
            app,
            status,
            stop,
            task,
        }
    }

    /// A GET answered by the live router itself (`tower::ServiceExt::oneshot`): the status
    /// code, the head (lower-case `name: value` lines) and the body.
    async fn get(server: &Server, target: &str) -> (u16, String, String) {
        get_as(server, target, &server.addr.to_string()).await
    }

    /// [`get`] with the given `Host` header.
    async fn get_as(server: &Server, target: &str, host: &str) -> (u16, String, String) {
        use tower::ServiceExt;
        let request = axum::http::Request::get(target)
            .header(header::HOST, host)
            .body(axum::body::Body::empty())
            .expect("a valid request");
        let response = tokio::time::timeout(PATIENCE, server.app.clone().oneshot(request))
            .await
            .expect("the router answers")
            .expect("the router is infallible");
        let code = response.status().as_u16();
        let head: String = response
            .headers()
            .iter()
            .map(|(k, v)| format!("{}: {}\n", k, v.to_str().unwrap_or_default()))
            .collect();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body arrives");
        (code, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// A raw HTTP/1.1 GET over the socket, for request targets that no well-formed client
    /// would send (`/..\\secret.txt`): the status code, the head and the body.
    async fn raw_get(addr: SocketAddr, target: &str) -> (u16, String, String) {
        let exchange = async {
            let mut conn = TcpStream::connect(addr).await.unwrap();
            let request =
                format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            conn.write_all(request.as_bytes()).await.unwrap();
            let mut raw = Vec::new();
            conn.read_to_end(&mut raw).await.unwrap();
            String::from_utf8_lossy(&raw).into_owned()
        };
        let raw = tokio::time::timeout(PATIENCE, exchange)
            .await
            .expect("the server answers");
        let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
        let code = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("a status line");
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            let mut decoded = Dechunk::default();
            decoded.push(body.as_bytes());
            String::from_utf8_lossy(&decoded.out).into_owned()
        } else {
            body.to_string()
        };
        (code, head.to_string(), body)
    }

    /// Decodes an HTTP/1.1 chunked body as it arrives.
    #[derive(Default)]
    struct Dechunk {
        pending: Vec<u8>,
        out: Vec<u8>,
    }

    impl Dechunk {
        fn push(&mut self, bytes: &[u8]) {
            self.pending.extend_from_slice(bytes);
            loop {
                let Some(eol) = self.pending.windows(2).position(|w| w == b"\r\n") else {
                    return;
                };
                let size_text = String::from_utf8_lossy(&self.pending[..eol]).into_owned();
                let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
                    .expect("a chunk size");
                if self.pending.len() < eol + 2 + size + 2 {
                    return;
                }
                self.out
                    .extend_from_slice(&self.pending[eol + 2..eol + 2 + size]);
                self.pending.drain(..eol + 2 + size + 2);
            }
        }
    }

    /// An open event stream, read as it comes.
    struct EventStream {
        conn: TcpStream,
        body: Dechunk,
        seen: usize,
    }

    impl EventStream {
        async fn open(addr: SocketAddr) -> EventStream {
            let mut conn = TcpStream::connect(addr).await.unwrap();
            let request = format!(
                "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
            );
            conn.write_all(request.as_bytes()).await.unwrap();
            let mut head = Vec::new();
            while !head.ends_with(b"\r\n\r\n") {
                let mut byte = [0u8; 1];
                let n = tokio::time::timeout(PATIENCE, conn.read(&mut byte))
                    .await
                    .expect("the head arrives")
                    .unwrap();
                assert_eq!(n, 1, "the server closed the stream");
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            assert!(head.starts_with("http/1.1 200"), "{head}");
            assert!(head.contains("content-type: text/event-stream"), "{head}");
            assert!(head.contains("transfer-encoding: chunked"), "{head}");
            EventStream {
                conn,
                body: Dechunk::default(),
                seen: 0,
            }
        }

        /// The next event as (name, data), skipping keep-alive comments.
        async fn next(&mut self) -> (String, String) {
            loop {
                let text = String::from_utf8_lossy(&self.body.out[self.seen..]).into_owned();
                if let Some(end) = text.find("\n\n") {
                    self.seen += end + 2;
                    let (mut name, mut data) = (String::new(), Vec::new());
                    for line in text[..end].lines() {
                        if let Some(v) = line.strip_prefix("event: ") {
                            name = v.to_string();
                        } else if let Some(v) = line.strip_prefix("data: ") {
                            data.push(v);
                        }
                    }
                    if name.is_empty() && data.is_empty() {
                        continue;
                    }
                    return (name, data.join("\n"));
                }
                let mut buf = [0u8; 4096];
                let n = tokio::time::timeout(PATIENCE, self.conn.read(&mut buf))
                    .await
                    .expect("an event arrives")
                    .unwrap();
                assert!(n > 0, "the server closed the stream");
                self.body.push(&buf[..n]);
            }
        }

        /// Whether the server ends the stream (its last chunk, or the connection closing).
        async fn ends(mut self) -> bool {
            let mut buf = [0u8; 4096];
            loop {
                match tokio::time::timeout(PATIENCE, self.conn.read(&mut buf)).await {
                    Err(_) => return false,
                    Ok(Ok(0) | Err(_)) => return true,
                    Ok(Ok(n)) => {
                        if buf[..n].ends_with(b"0\r\n\r\n") {
                            return true;
                        }
                    }
                }
            }
        }
    }

    #[tokio::test]
    async fn pages_carry_the_script_and_other_files_are_served_as_they_are() {
        let fixture = Fixture::new("pages");
        let server = start(fixture.dir.join("site")).await;

        let (code, head, body) = get(&server, "/").await;
        assert_eq!(code, 200, "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("cache-control: no-store"),
            "{head}"
        );
        assert_eq!(
            body,
            "<!DOCTYPE html><html><body><h1>Home</h1><script src=\"/__sysdesign/livereload.js\" data-build=\"b1\"></script>\n</body></html>"
        );
        let (code, _, body) = get(&server, "/part/page.html").await;
        assert_eq!(code, 200);
        assert_eq!(body.matches("livereload.js").count(), 1, "{body}");
        // The site on disk stays as the build wrote it: the published book has no live reload.
        let on_disk = std::fs::read_to_string(fixture.dir.join("site/part/page.html")).unwrap();
        assert!(!on_disk.contains("__sysdesign"));

        let (code, _, body) = get(&server, "/style.css").await;
        assert_eq!((code, body.as_str()), (200, "body { color: black; }"));
        let (code, head, body) = get(&server, SCRIPT_PATH).await;
        assert_eq!(code, 200);
        assert!(head.contains("text/javascript"), "{head}");
        assert!(body.contains("new EventSource(\"/__sysdesign/events\")"));

        let (code, _, body) = get(&server, "/no/such/page.html").await;
        assert_eq!(code, 404);
        assert!(body.starts_with("<html><body>lost<script"), "{body}");

        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }

    /// A GET with the given `Host` header, answered by the live router: the status code.
    async fn status_for_host(server: &Server, target: &str, host: &str) -> u16 {
        get_as(server, target, host).await.0
    }

    #[tokio::test]
    async fn only_loopback_host_names_are_answered() {
        let fixture = Fixture::new("hosts");
        let server = start(fixture.dir.join("site")).await;
        for host in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "localhost.evil.example:3000",
            "192.168.1.5:3000",
            "[::2]:3000",
            "localhost:notaport",
            "[::1]junk",
            "",
        ] {
            assert_eq!(
                status_for_host(&server, "/index.html", host).await,
                421,
                "{host:?}"
            );
            assert_eq!(
                status_for_host(&server, EVENTS_PATH, host).await,
                421,
                "{host:?}"
            );
        }
        for host in [
            "127.0.0.1:3000",
            "localhost",
            "LocalHost:80",
            "[::1]:3000",
            "[::1]",
            "127.0.0.2",
        ] {
            assert_eq!(
                status_for_host(&server, "/index.html", host).await,
                200,
                "{host:?}"
            );
        }
        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn symbolic_links_out_of_the_site_are_not_followed() {
        let fixture = Fixture::new("symlinks");
        let site = fixture.dir.join("site");
        std::os::unix::fs::symlink(fixture.dir.join("secret.txt"), site.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(&fixture.dir, site.join("up")).unwrap();
        std::os::unix::fs::symlink(site.join("style.css"), site.join("alias.css")).unwrap();
        let server = start(site.clone()).await;
        for target in ["/leak.txt", "/up/secret.txt"] {
            let (code, _, body) = get(&server, target).await;
            assert_eq!(code, 404, "{target}");
            assert!(!body.contains("TOP-SECRET"), "{target}: {body}");
        }
        let (code, _, body) = get(&server, "/alias.css").await;
        assert_eq!((code, body.as_str()), (200, "body { color: black; }"));
        // The plain router (the browser check's) holds the same line.
        let plain = router(&site);
        use tower::ServiceExt;
        let request = axum::http::Request::get("/leak.txt")
            .header(header::HOST, "127.0.0.1")
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(plain.oneshot(request).await.unwrap().status().as_u16(), 404);
        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn live_reload_streams_are_capped_and_freed_when_closed() {
        use tower::ServiceExt;
        let fixture = Fixture::new("cap");
        let server = start(fixture.dir.join("site")).await;
        let open = || async {
            let request = axum::http::Request::get(EVENTS_PATH)
                .header(header::HOST, server.addr.to_string())
                .body(axum::body::Body::empty())
                .unwrap();
            server.app.clone().oneshot(request).await.unwrap()
        };
        let mut streams = Vec::new();
        for _ in 0..MAX_STREAMS {
            let response = open().await;
            assert_eq!(response.status().as_u16(), 200);
            streams.push(response);
        }
        assert_eq!(open().await.status().as_u16(), 503, "one too many");
        streams.pop();
        assert_eq!(
            open().await.status().as_u16(),
            200,
            "a closed stream frees its slot"
        );
        drop(streams);
        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }

    #[test]
    fn loopback_hosts_are_told_apart() {
        assert!(loopback_host("127.0.0.1:8080"));
        assert!(loopback_host("[::1]:1"));
        assert!(!loopback_host("[::ffff:7f00:1]x"));
        assert!(!loopback_host("0.0.0.0"));
        assert!(!loopback_host("localhost:99999"));
    }

    #[tokio::test]
    async fn paths_outside_the_site_are_refused() {
        let fixture = Fixture::new("outside");
        let server = start(fixture.dir.join("site")).await;
        for target in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e%2fsecret.txt",
            "/part/../../secret.txt",
            "/part/%2e%2e/%2e%2e/secret.txt",
            "/..\\secret.txt",
        ] {
            let (code, head, body) = raw_get(server.addr, target).await;
            assert!(code == 404 || code == 400, "{target}: {head}");
            assert!(!body.contains("TOP-SECRET"), "{target}: {body}");
        }
        // The server itself still works.
        assert_eq!(get(&server, "/part/page.html").await.0, 200);
        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn the_status_and_the_event_stream_follow_the_builds() {
        let fixture = Fixture::new("events");
        let server = start(fixture.dir.join("site")).await;
        let (code, _, body) = get(&server, STATUS_PATH).await;
        assert_eq!(code, 200);
        let status: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(status, serde_json::json!({ "build": "b1", "error": null }));

        let mut events = EventStream::open(server.addr).await;
        assert_eq!(events.next().await, ("build".into(), "b1".into()));

        // A failed rebuild: the error, line by line and as written (the page escapes it).
        let error = "book/x.md:3: snippet <b>snippets/x/y.rs</b> does not compile\nerror[E0308]: mismatched types";
        server.status.send_modify(|s| s.error = Some(error.into()));
        assert_eq!(events.next().await, ("error".into(), error.into()));
        let (_, _, body) = get(&server, STATUS_PATH).await;
        let status: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(status, serde_json::json!({ "build": "b1", "error": error }));

        // A page opened now is told at once.
        let mut late = EventStream::open(server.addr).await;
        assert_eq!(late.next().await, ("build".into(), "b1".into()));
        assert_eq!(late.next().await, ("error".into(), error.into()));

        // The fix: a new build, and both pages are told to reload.
        server.status.send_replace(Status {
            build: "b2".into(),
            error: None,
        });
        assert_eq!(events.next().await, ("reload".into(), "b2".into()));
        assert_eq!(late.next().await, ("reload".into(), "b2".into()));

        // Stopping the server ends the streams, so shutting down does not wait for them.
        server.stop.send(true).unwrap();
        assert!(events.ends().await, "the stream ends when the server stops");
        assert!(late.ends().await);
        tokio::time::timeout(PATIENCE, server.task)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn before_any_build_every_page_says_so_and_carries_the_script() {
        let fixture = Fixture::new("unbuilt");
        let server = start(fixture.dir.join("not-built-yet")).await;
        let (code, _, body) = get(&server, "/").await;
        assert_eq!(code, 404);
        assert!(body.contains("has not been built yet"), "{body}");
        assert!(body.contains("data-build=\"b1\""), "{body}");
        server.stop.send(true).unwrap();
        server.task.await.unwrap().unwrap();
    }
}
