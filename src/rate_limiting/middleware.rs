//! An axum middleware that puts any [`RateLimiter`] in front of a router: over the limit, the
//! answer is `429 Too Many Requests` with a `Retry-After` header, and the handler never runs.
//!
//! The time comes from a [`Clock`] the caller chooses: [`TokioClock`] in a server (it follows
//! tokio's clock, which a test can pause), [`ManualClock`] in a test that sets the time itself.
//!
//! ```
//! use axum::{Router, routing::get};
//! use std::time::Duration;
//! use sysdesign::rate_limiting::middleware::{Limit, ManualClock};
//! use sysdesign::rate_limiting::{Quota, TokenBucket};
//!
//! let clock = ManualClock::default();
//! let quota = Quota::new(5, Duration::from_secs(1))?;
//! let limit = Limit::new(TokenBucket::new(quota), clock.clone());
//! let app: Router = limit.apply(Router::new().route("/", get(|| async { "hello" })));
//! clock.set(Duration::from_secs(2));
//! assert_eq!(clock.now_value(), Duration::from_secs(2));
//! # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
//! ```

use super::{Decision, RateLimiter};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the middleware gets `now` from.
pub trait Clock: Send + Sync + 'static {
    /// The time since a fixed origin.
    fn now(&self) -> Duration;
}

/// A clock the test sets by hand; clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    /// Sets the time (saturating at `u64::MAX` nanoseconds).
    pub fn set(&self, now: Duration) {
        self.0.store(super::nanos(now), Ordering::SeqCst);
    }

    /// The time last set.
    pub fn now_value(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::SeqCst))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.now_value()
    }
}

/// tokio's clock, measured from when this value was made (pausable in tests).
#[derive(Clone, Copy, Debug)]
pub struct TokioClock(tokio::time::Instant);

impl Default for TokioClock {
    fn default() -> Self {
        TokioClock(tokio::time::Instant::now())
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

// ANCHOR: middleware
/// A limiter and its clock, shared by every request the router serves.
#[derive(Clone)]
pub struct Limit {
    limiter: Arc<Mutex<Box<dyn RateLimiter + Send>>>,
    clock: Arc<dyn Clock>,
}

impl Limit {
    /// Limits with `limiter`, asking `clock` for the time.
    pub fn new(limiter: impl RateLimiter + Send + 'static, clock: impl Clock) -> Limit {
        Limit {
            limiter: Arc::new(Mutex::new(Box::new(limiter))),
            clock: Arc::new(clock),
        }
    }

    /// `router` with this limit in front of every route.
    pub fn apply(self, router: Router) -> Router {
        router.layer(axum::middleware::from_fn_with_state(self, limit))
    }

    fn decide(&self) -> Decision {
        let now = self.clock.now();
        // A panic while holding the lock cannot leave a limiter half-updated in a way that
        // matters more than refusing service, so a poisoned lock is used as it is.
        let mut limiter = self
            .limiter
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        limiter.check(now)
    }
}

async fn limit(State(limit): State<Limit>, request: Request, next: Next) -> Response {
    match limit.decide() {
        Decision::Admitted => next.run(request).await,
        Decision::Delayed { delay } => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Decision::Rejected { retry_after } => too_many_requests(retry_after),
    }
}

/// `429 Too Many Requests` with `Retry-After` in whole seconds, rounded up so that a client
/// that obeys it is not refused again for the same reason.
pub fn too_many_requests(retry_after: Duration) -> Response {
    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    let mut response = (StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded\n").into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}
// ANCHOR_END: middleware
