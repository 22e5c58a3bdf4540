//! A reverse proxy on tokio: axum accepts the client's request, a load balancer from
//! [`crate::load_balancing`] picks a backend, and hyper's client sends the request on with
//! `Forwarded`, `X-Forwarded-For` and `Via` added and the hop-by-hop headers removed.
//! Everything listens on 127.0.0.1.

use super::headers::{ForwardedElement, Node, append_to_list, via_entry};
use crate::load_balancing::{Balancer, Strategy};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, Version, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};

/// The older, unstandardized header: the client addresses seen by each proxy, comma-separated.
pub const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
/// The response header in which the proxy names the backend that answered (0, 1, ...).
pub const X_BACKEND: HeaderName = HeaderName::from_static("x-backend");

/// Why a request could not be proxied or sent.
#[derive(Debug)]
pub enum ProxyError {
    /// A proxy name that cannot follow `_` in an obfuscated identifier.
    BadName(String),
    /// No backend was given.
    NoBackends,
    /// The TCP connection or the HTTP exchange with `addr` failed.
    Upstream {
        /// The server the request was for.
        addr: SocketAddr,
        /// What went wrong.
        error: String,
    },
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::BadName(name) => write!(
                f,
                "proxy name {name:?} must be letters, digits, '.', '_' or '-', and not empty"
            ),
            ProxyError::NoBackends => f.write_str("a proxy needs at least one backend"),
            ProxyError::Upstream { addr, error } => write!(f, "request to {addr} failed: {error}"),
        }
    }
}

impl std::error::Error for ProxyError {}

/// Sends one request to `addr` over a new HTTP/1.1 connection and returns the response.
pub async fn send(addr: SocketAddr, request: Request) -> Result<Response, ProxyError> {
    let fail = |error: String| ProxyError::Upstream { addr, error };
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| fail(e.to_string()))?;
    // The connection task ends when the response is read and the sender dropped.
    tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| fail(e.to_string()))?;
    Ok(response.map(Body::new))
}

/// GETs `path` from `addr` with these extra headers; returns the status, headers and body text.
pub async fn get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(StatusCode, HeaderMap, String), ProxyError> {
    let fail = |error: String| ProxyError::Upstream { addr, error };
    let mut builder = axum::http::Request::get(path);
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        builder = builder.header(header::HOST, addr.to_string());
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Body::empty())
        .map_err(|e| fail(e.to_string()))?;
    let (parts, body) = send(addr, request).await?.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .map_err(|e| fail(e.to_string()))?;
    Ok((
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    ))
}

/// What a backend saw of a request: the proxy headers, as [`echo_backend`] reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// The backend's name.
    pub backend: String,
    /// The path and query it was asked for.
    pub path: String,
    /// The `Forwarded` header, if any.
    pub forwarded: Option<String>,
    /// The `X-Forwarded-For` header, if any.
    pub x_forwarded_for: Option<String>,
    /// The `Via` header, if any.
    pub via: Option<String>,
}

/// A backend that answers every request with the [`Seen`] record of it, as JSON.
pub fn echo_backend(name: &str) -> Router {
    let name = name.to_string();
    Router::new().fallback(move |request: Request| {
        let name = name.clone();
        async move {
            let seen = |name| text(request.headers(), name).map(str::to_string);
            Json(Seen {
                backend: name,
                path: request
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string(),
                forwarded: seen(header::FORWARDED),
                x_forwarded_for: seen(X_FORWARDED_FOR),
                via: seen(header::VIA),
            })
        }
    })
}

// ANCHOR: proxy
/// A reverse proxy over some backends, with a name for `Via` and `by=_name`.
#[derive(Clone)]
pub struct ReverseProxy {
    name: String,
    backends: Arc<Vec<SocketAddr>>,
    balancer: Arc<Mutex<Balancer>>,
}

impl ReverseProxy {
    /// A proxy called `name` spreading requests over `backends` with `strategy` (seeded).
    pub fn new(
        name: &str,
        backends: Vec<SocketAddr>,
        strategy: Strategy,
        seed: u64,
    ) -> Result<Self, ProxyError> {
        let valid = |c: char| c.is_ascii_alphanumeric() || ".-_".contains(c);
        if name.is_empty() || !name.chars().all(valid) {
            return Err(ProxyError::BadName(name.to_string()));
        }
        if backends.is_empty() {
            return Err(ProxyError::NoBackends);
        }
        let balancer = Balancer::new(strategy, &vec![1; backends.len()], seed);
        Ok(ReverseProxy {
            name: name.to_string(),
            backends: Arc::new(backends),
            balancer: Arc::new(Mutex::new(balancer)),
        })
    }

    /// Forwards one request from `client` to the backend the balancer picks.
    pub async fn forward(&self, client: SocketAddr, request: Request) -> Response {
        let Some(chosen) = self.lock().pick(ipv4_number(client.ip())) else {
            return (StatusCode::BAD_GATEWAY, "no healthy backend\n").into_response();
        };
        let started = tokio::time::Instant::now();
        let result = send(self.backends[chosen], self.rewrite(client, request)).await;
        self.lock()
            .finished(chosen, started.elapsed().as_secs_f64());
        match result {
            Ok(mut response) => {
                strip_hop_by_hop(response.headers_mut());
                response
                    .headers_mut()
                    .insert(X_BACKEND, HeaderValue::from(chosen));
                response
            }
            Err(error) => (StatusCode::BAD_GATEWAY, format!("{error}\n")).into_response(),
        }
    }

    /// The request as the backend receives it.
    fn rewrite(&self, client: SocketAddr, request: Request) -> Request {
        let (mut parts, body) = request.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        let headers = &mut parts.headers;
        let element = ForwardedElement {
            for_: Some(Node::Ip(client.ip(), None)),
            by: Some(Node::Obfuscated(format!("_{}", self.name))),
            host: text(headers, header::HOST).map(str::to_string),
            proto: Some("http".to_string()),
        };
        let forwarded = append_to_list(text(headers, header::FORWARDED), &element.to_string());
        let xff = append_to_list(text(headers, X_FORWARDED_FOR), &client.ip().to_string());
        let version = match parts.version {
            Version::HTTP_10 => "1.0",
            Version::HTTP_2 => "2",
            _ => "1.1",
        };
        let via = append_to_list(text(headers, header::VIA), &via_entry(version, &self.name));
        for (name, value) in [
            (header::FORWARDED, forwarded),
            (X_FORWARDED_FOR, xff),
            (header::VIA, via),
        ] {
            // Every part is visible ASCII (addresses, a checked name, earlier valid values).
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        // Origin form: the backend gets the path and query, not an absolute URI.
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
        Request::from_parts(parts, body)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Balancer> {
        // A panic while picking leaves counters at worst slightly off; keep serving.
        self.balancer
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}
// ANCHOR_END: proxy

impl ReverseProxy {
    /// The backends, in the order the `X-Backend` header numbers them.
    pub fn backends(&self) -> &[SocketAddr] {
        &self.backends
    }

    /// An axum router that forwards every request.
    pub fn router(self) -> Router {
        Router::new().fallback(forward_any).with_state(self)
    }

    /// Serves the proxy on `listener` until the task is dropped or aborted.
    pub async fn serve(self, listener: TcpListener) -> std::io::Result<()> {
        let app = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).await
    }
}

async fn forward_any(
    State(proxy): State<ReverseProxy>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    proxy.forward(client, request).await
}

/// The headers that describe one connection, not the message (RFC 9110 section 7.6.1): the
/// fixed list and any that `Connection` names. A proxy must not pass them on.
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in [
        header::CONNECTION,
        HeaderName::from_static("keep-alive"),
        HeaderName::from_static("proxy-connection"),
        header::TE,
        header::TRAILER,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
    ] {
        headers.remove(name);
    }
}

/// A header's value as text, if present and visible ASCII.
fn text(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// An IPv4 address as the number IP hash reads; an IPv6 address folded to 32 bits.
fn ipv4_number(ip: IpAddr) -> u32 {
    match ip {
        IpAddr::V4(v4) => u32::from(v4),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            (bits ^ (bits >> 32) ^ (bits >> 64) ^ (bits >> 96)) as u32
        }
    }
}
