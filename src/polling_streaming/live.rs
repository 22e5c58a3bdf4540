//! The four ways over loopback: one axum server on 127.0.0.1 publishes numbered events, and
//! four clients (short polling, long polling, server-sent events, a WebSocket) follow the same
//! feed at once, each counting its requests and timing each event's arrival.

use super::{Protocol, SseParser};
use crate::proxies::{ProxyError, get, send};
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get as route;
use futures_util::StreamExt;
use serde::Deserialize;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::watch;

// ANCHOR: feed
/// Events numbered from 1, with the instant each was published; clients wait on a watch
/// channel that holds the newest number.
#[derive(Debug)]
pub struct Feed {
    published: Mutex<Vec<Instant>>,
    newest: watch::Sender<u64>,
}

impl Feed {
    fn new() -> Self {
        Feed {
            published: Mutex::new(vec![]),
            newest: watch::Sender::new(0),
        }
    }

    /// Publishes the next event and returns its number.
    pub fn publish(&self) -> u64 {
        let mut published = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        published.push(Instant::now());
        let id = published.len() as u64;
        self.newest.send_replace(id);
        id
    }

    fn published_at(&self, id: u64) -> Option<Instant> {
        let published = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        published
            .get(usize::try_from(id).ok()?.checked_sub(1)?)
            .copied()
    }

    /// Waits until an event after `after` exists, or `timeout` passes; returns the newest.
    async fn wait_beyond(&self, after: u64, timeout: Duration) -> u64 {
        let mut rx = self.newest.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|&newest| newest > after)).await;
        *rx.borrow()
    }
}
// ANCHOR_END: feed

#[derive(Deserialize)]
struct After {
    after: u64,
}

/// The ids after `after` up to `newest`, comma-separated: a polling response's body.
fn ids(after: u64, newest: u64) -> String {
    let ids: Vec<String> = (after + 1..=newest).map(|i| i.to_string()).collect();
    ids.join(",")
}

// ANCHOR: routes
async fn short_poll(State(feed): State<Arc<Feed>>, Query(q): Query<After>) -> String {
    ids(q.after, *feed.newest.borrow())
}

async fn long_poll(State(feed): State<Arc<Feed>>, Query(q): Query<After>) -> String {
    ids(q.after, feed.wait_beyond(q.after, LONG_POLL_HOLD).await)
}

async fn sse(State(feed): State<Arc<Feed>>) -> Response {
    let events = futures_util::stream::unfold(1u64, move |next| {
        let feed = Arc::clone(&feed);
        async move {
            feed.wait_beyond(next - 1, Duration::MAX).await;
            let event = Event::default().id(next.to_string()).data(next.to_string());
            Some((Ok::<_, Infallible>(event), next + 1))
        }
    });
    Sse::new(events).into_response()
}

async fn websocket(State(feed): State<Arc<Feed>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |mut socket: WebSocket| async move {
        for next in 1u64.. {
            feed.wait_beyond(next - 1, Duration::MAX).await;
            if socket
                .send(Message::Text(next.to_string().into()))
                .await
                .is_err()
            {
                break; // the client left
            }
        }
    })
}
// ANCHOR_END: routes

/// How long the server holds an empty long-poll request.
pub const LONG_POLL_HOLD: Duration = Duration::from_secs(5);

/// What one client saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Followed {
    /// The protocol it used.
    pub protocol: Protocol,
    /// HTTP requests it sent.
    pub requests: u64,
    /// The event numbers it received, in order of arrival.
    pub received: Vec<u64>,
    /// For each, the time from publication to arrival.
    pub latencies: Vec<Duration>,
}

impl Followed {
    fn new(protocol: Protocol) -> Self {
        Followed {
            protocol,
            requests: 0,
            received: vec![],
            latencies: vec![],
        }
    }

    fn got(&mut self, feed: &Feed, id: u64) {
        if let Some(at) = feed.published_at(id) {
            self.latencies.push(at.elapsed());
        }
        self.received.push(id);
    }

    fn got_csv(&mut self, feed: &Feed, body: &str) {
        for id in body.split(',').filter_map(|s| s.trim().parse().ok()) {
            self.got(feed, id);
        }
    }
}

async fn follow_short(
    addr: SocketAddr,
    feed: &Feed,
    n: u64,
    interval: Duration,
) -> Result<Followed, ProxyError> {
    let protocol = Protocol::ShortPoll {
        interval_s: interval.as_secs_f64(),
    };
    let mut f = Followed::new(protocol);
    let mut ticks = tokio::time::interval(interval);
    while f.received.len() < n as usize {
        ticks.tick().await;
        let after = f.received.last().copied().unwrap_or(0);
        f.requests += 1;
        let (_, _, body) = get(addr, &format!("/poll?after={after}"), &[]).await?;
        f.got_csv(feed, &body);
    }
    Ok(f)
}

async fn follow_long(addr: SocketAddr, feed: &Feed, n: u64) -> Result<Followed, ProxyError> {
    let protocol = Protocol::LongPoll {
        timeout_s: LONG_POLL_HOLD.as_secs_f64(),
    };
    let mut f = Followed::new(protocol);
    while f.received.len() < n as usize {
        let after = f.received.last().copied().unwrap_or(0);
        f.requests += 1;
        let (_, _, body) = get(addr, &format!("/long-poll?after={after}"), &[]).await?;
        f.got_csv(feed, &body);
    }
    Ok(f)
}

async fn follow_sse(addr: SocketAddr, feed: &Feed, n: u64) -> Result<Followed, ProxyError> {
    let mut f = Followed::new(Protocol::ServerSentEvents);
    let request = axum::http::Request::get("/sse")
        .header("host", addr.to_string())
        .header("accept", "text/event-stream")
        .body(axum::body::Body::empty())
        .map_err(|e| upstream(addr, e))?;
    f.requests += 1;
    let mut body = send(addr, request).await?.into_body().into_data_stream();
    let mut parser = SseParser::default();
    while f.received.len() < n as usize {
        let Some(chunk) = body.next().await else {
            break;
        };
        let chunk = chunk.map_err(|e| upstream(addr, e))?;
        for event in parser.feed(&String::from_utf8_lossy(&chunk)) {
            f.got_csv(feed, &event.data);
        }
    }
    Ok(f)
}

async fn follow_ws(addr: SocketAddr, feed: &Feed, n: u64) -> Result<Followed, ProxyError> {
    let mut f = Followed::new(Protocol::WebSocket);
    f.requests += 1;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .map_err(|e| upstream(addr, e))?;
    while f.received.len() < n as usize {
        match ws.next().await {
            Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) => {
                f.got_csv(feed, text.as_str());
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(upstream(addr, e)),
            None => break,
        }
    }
    Ok(f)
}

fn upstream(addr: SocketAddr, error: impl std::fmt::Display) -> ProxyError {
    ProxyError::Upstream {
        addr,
        error: error.to_string(),
    }
}

// ANCHOR: race
/// Starts the server on 127.0.0.1, the four clients, and then publishes one event after each
/// of `gaps`; returns what each client saw once it has every event, or when `deadline` passes.
pub fn follow_all(
    gaps: &[Duration],
    poll_interval: Duration,
    deadline: Duration,
) -> Result<Vec<Followed>, ProxyError> {
    let local = |e: std::io::Error| upstream(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), e);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(local)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(local)?;
        let addr = listener.local_addr().map_err(local)?;
        let feed = Arc::new(Feed::new());
        let app = Router::new()
            .route("/poll", route(short_poll))
            .route("/long-poll", route(long_poll))
            .route("/sse", route(sse))
            .route("/ws", route(websocket))
            .with_state(Arc::clone(&feed));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let n = gaps.len() as u64;
        let publisher = {
            let (feed, gaps) = (Arc::clone(&feed), gaps.to_vec());
            tokio::spawn(async move {
                for gap in gaps {
                    tokio::time::sleep(gap).await;
                    feed.publish();
                }
            })
        };
        let clients = async {
            tokio::try_join!(
                follow_short(addr, &feed, n, poll_interval),
                follow_long(addr, &feed, n),
                follow_sse(addr, &feed, n),
                follow_ws(addr, &feed, n),
            )
        };
        let outcome = tokio::time::timeout(deadline, clients).await;
        publisher.abort();
        server.abort();
        let (a, b, c, d) = outcome.map_err(|_| upstream(addr, "deadline passed"))??;
        Ok(vec![a, b, c, d])
    })
}
// ANCHOR_END: race
