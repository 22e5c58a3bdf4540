//! Servers on 127.0.0.1 with ephemeral ports, run on a private tokio runtime, and a blocking
//! client: so a program, a test or a notebook cell can drive a proxy without being async.

use super::gateway::Gateway;
use super::reverse::{ProxyError, ReverseProxy, Seen, X_BACKEND, echo_backend, get};
use super::routes::RouteTable;
use crate::load_balancing::Strategy;
use crate::rate_limiting::middleware::{Limit, ManualClock};
use crate::rate_limiting::{Quota, TokenBucket};
use axum::Router;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

/// An answer as the client saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The backend the proxy chose (its `X-Backend` header), if it chose one.
    pub backend: Option<usize>,
    /// The body, as text.
    pub body: String,
}

impl Reply {
    /// The body read as an echo backend's [`Seen`] record, if it is one.
    pub fn seen(&self) -> Option<Seen> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Echo backends and a proxy or gateway in front of them, all on loopback; dropping the lab
/// stops every server.
pub struct Lab {
    runtime: Runtime,
    servers: Vec<JoinHandle<()>>,
    front: SocketAddr,
    backends: Vec<(String, SocketAddr)>,
}

// ANCHOR: lab
impl Lab {
    /// Echo backends with these names behind a reverse proxy called `proxy_name`.
    pub fn reverse_proxy(
        proxy_name: &str,
        backends: &[&str],
        strategy: Strategy,
        seed: u64,
    ) -> Result<Lab, ProxyError> {
        let mut lab = Lab::empty()?;
        let addrs = lab.start_backends(backends)?;
        let proxy = ReverseProxy::new(proxy_name, addrs, strategy, seed)?;
        lab.front = lab.start(proxy.router())?;
        Ok(lab)
    }

    /// A gateway with two services, `users` (backends `users-a`, `users-b`, round robin) and
    /// `orders` (backend `orders-a`), accepting the API key `demo-key` at the rate `quota`
    /// (its clock never moves, so the tokens spent are not given back).
    pub fn gateway(quota: Quota) -> Result<Lab, ProxyError> {
        let mut lab = Lab::empty()?;
        let users = lab.start_backends(&["users-a", "users-b"])?;
        let orders = lab.start_backends(&["orders-a"])?;
        let services = [
            (
                "users".to_string(),
                ReverseProxy::new("gw", users, Strategy::RoundRobin, 0)?,
            ),
            (
                "orders".to_string(),
                ReverseProxy::new("gw", orders, Strategy::RoundRobin, 0)?,
            ),
        ];
        let routes = RouteTable::new([("/users", "users"), ("/orders", "orders")]);
        let gateway = Gateway::new(routes, services, ["demo-key".to_string()]);
        let limit = Limit::new(TokenBucket::new(quota), ManualClock::default());
        lab.front = lab.start(gateway.router(Some(limit)))?;
        Ok(lab)
    }

    /// GETs `path` from the proxy or gateway with these extra headers, and waits for the answer.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Reply, ProxyError> {
        let (status, response_headers, body) =
            self.runtime.block_on(get(self.front, path, headers))?;
        let backend = response_headers
            .get(X_BACKEND)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        Ok(Reply {
            status: status.as_u16(),
            backend,
            body,
        })
    }
}
// ANCHOR_END: lab

impl Lab {
    /// The address clients talk to.
    pub fn front(&self) -> SocketAddr {
        self.front
    }

    /// The backends, by name and address, in the order they were started.
    pub fn backends(&self) -> &[(String, SocketAddr)] {
        &self.backends
    }

    fn empty() -> Result<Lab, ProxyError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| local_error(e.to_string()))?;
        Ok(Lab {
            runtime,
            servers: vec![],
            front: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            backends: vec![],
        })
    }

    fn start_backends(&mut self, names: &[&str]) -> Result<Vec<SocketAddr>, ProxyError> {
        let mut addrs = vec![];
        for name in names {
            let addr = self.start(echo_backend(name))?;
            self.backends.push((name.to_string(), addr));
            addrs.push(addr);
        }
        Ok(addrs)
    }

    /// Serves `app` on a fresh loopback port, with the peer address available to handlers.
    fn start(&mut self, app: Router) -> Result<SocketAddr, ProxyError> {
        let listener = self
            .runtime
            .block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .map_err(|e| local_error(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| local_error(e.to_string()))?;
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        self.servers.push(self.runtime.spawn(async move {
            // The server runs until the lab aborts it; an accept error ends it early, and the
            // client then sees the refusal.
            let _ = axum::serve(listener, service).await;
        }));
        Ok(addr)
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}

fn local_error(error: String) -> ProxyError {
    ProxyError::Upstream {
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        error,
    }
}
