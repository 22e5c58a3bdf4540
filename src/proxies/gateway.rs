//! An API gateway: one entry point that authenticates the caller, limits the rate, routes by
//! path prefix to a service (each a [`ReverseProxy`] over its own backends), and answers one
//! call by aggregating two services' answers.

use super::reverse::ReverseProxy;
use super::routes::RouteTable;
use crate::rate_limiting::middleware::Limit;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The header that carries the caller's API key.
pub const API_KEY: &str = "x-api-key";

// ANCHOR: gateway
/// Routes, the services behind them, the keys it accepts, and an optional rate limit.
#[derive(Clone)]
pub struct Gateway {
    routes: Arc<RouteTable>,
    services: Arc<BTreeMap<String, ReverseProxy>>,
    keys: Arc<BTreeSet<String>>,
}

impl Gateway {
    /// A gateway routing with `routes` to `services` (by name), accepting these API keys.
    pub fn new(
        routes: RouteTable,
        services: impl IntoIterator<Item = (String, ReverseProxy)>,
        keys: impl IntoIterator<Item = String>,
    ) -> Self {
        Gateway {
            routes: Arc::new(routes),
            services: Arc::new(services.into_iter().collect()),
            keys: Arc::new(keys.into_iter().collect()),
        }
    }

    /// The gateway as a router: authentication first, then the rate limit (if any), then
    /// `/summary/{user}` (aggregation) or routing by prefix.
    pub fn router(self, limit: Option<Limit>) -> Router {
        let app = Router::new()
            .route("/summary/{user}", get(summary))
            .fallback(route)
            .with_state(self.clone());
        let app = match limit {
            Some(limit) => limit.apply(app),
            None => app,
        };
        // The layer added last runs first: a caller without a key never spends a token.
        app.layer(axum::middleware::from_fn_with_state(self, authenticate))
    }
}

async fn authenticate(State(gw): State<Gateway>, request: Request, next: Next) -> Response {
    let key = request.headers().get(API_KEY).and_then(|v| v.to_str().ok());
    match key {
        Some(key) if gw.keys.contains(key) => next.run(request).await,
        _ => (StatusCode::UNAUTHORIZED, "missing or unknown API key\n").into_response(),
    }
}

async fn route(
    State(gw): State<Gateway>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    match gw
        .routes
        .service(&path)
        .and_then(|name| gw.services.get(name))
    {
        Some(service) => service.forward(client, request).await,
        None => (StatusCode::NOT_FOUND, format!("no route for {path}\n")).into_response(),
    }
}

/// One call, two services asked at once, one answer.
async fn summary(
    State(gw): State<Gateway>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(user): Path<String>,
) -> Response {
    let ask = |path: String| {
        let gw = gw.clone();
        async move {
            let service = gw
                .routes
                .service(&path)
                .and_then(|name| gw.services.get(name));
            let Some(service) = service else {
                return serde_json::Value::String(format!("no route for {path}"));
            };
            let request = axum::http::Request::get(&path)
                .header(header::HOST, "gateway")
                .body(Body::empty())
                .expect("a GET with a path and a host is a valid request");
            let body = service.forward(client, request).await.into_body();
            match axum::body::to_bytes(body, 1 << 20).await {
                Ok(bytes) => serde_json::from_slice(&bytes)
                    .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned().into()),
                Err(error) => error.to_string().into(),
            }
        }
    };
    let (profile, orders) = tokio::join!(
        ask(format!("/users/{user}")),
        ask(format!("/orders?user={user}"))
    );
    Json(serde_json::json!({ "profile": profile, "orders": orders })).into_response()
}
// ANCHOR_END: gateway

impl Gateway {
    /// Serves the gateway on `listener` until the task is dropped or aborted.
    pub async fn serve(self, listener: TcpListener, limit: Option<Limit>) -> std::io::Result<()> {
        let app = self
            .router(limit)
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).await
    }
}
