//! Rate limiting: decide, request by request, whether a client is still within its allowance
//! (say 10 requests per second) and refuse the rest quickly, before they cost anything.
//!
//! Five classic algorithms sit behind one trait, [`RateLimiter`], and every one is told the time
//! (`now`, a [`Duration`] since any fixed origin) instead of reading a clock, so a test or a
//! simulation can replay the same trace to the byte.
//! All five take the same [`Quota`] (`limit` requests per `window`), so their behaviour on one
//! trace can be compared: [`TokenBucket`], [`LeakyBucketMeter`] and [`LeakyBucketQueue`],
//! [`FixedWindow`], [`SlidingWindowLog`] and [`SlidingWindowCounter`].
//! They take `&mut self`: one owner, or a lock around them. [`Gcra`] makes the token bucket's
//! decisions from any number of threads at once, on one atomic word, as the `governor` crate does.
//! [`middleware`] puts any of them in front of an axum router (429 with `Retry-After`), and
//! [`redis`] shares one token bucket between processes through a Lua script.
//!
//! ```
//! use std::time::Duration;
//! use sysdesign::rate_limiting::{Decision, Quota, RateLimiter, TokenBucket};
//!
//! let quota = Quota::new(2, Duration::from_secs(1))?;
//! let mut bucket = TokenBucket::new(quota);
//! let t = Duration::ZERO;
//! assert!(bucket.check(t).is_admitted());
//! assert!(bucket.check(t).is_admitted());
//! assert_eq!(bucket.check(t), Decision::Rejected { retry_after: Duration::from_millis(500) });
//! assert!(bucket.check(Duration::from_millis(500)).is_admitted());
//! # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
//! ```

use std::fmt;
use std::time::Duration;

mod gcra;
mod leaky_bucket;
#[cfg(feature = "http")]
pub mod middleware;
#[cfg(feature = "redis")]
pub mod redis;
mod token_bucket;
mod trace;
mod windows;

pub use gcra::Gcra;
pub use leaky_bucket::{LeakyBucketMeter, LeakyBucketQueue};
pub use token_bucket::TokenBucket;
pub use trace::{BurstyTrace, replay};
pub use windows::{FixedWindow, SlidingWindowCounter, SlidingWindowLog};

// ANCHOR: trait
/// What a limiter says about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Serve it now.
    Admitted,
    /// Accepted, but served only after `delay` (a leaky bucket used as a queue).
    Delayed {
        /// How long the request waits in the queue before it is served.
        delay: Duration,
    },
    /// Refused; the same request would be admitted (or queued) after `retry_after`.
    Rejected {
        /// The earliest moment, from now, at which a retry can succeed.
        retry_after: Duration,
    },
}

/// A rate limiter: one decision per request, at the time the caller says it is.
///
/// `now` must not go backwards; a limiter treats an earlier `now` as the latest one it saw.
pub trait RateLimiter {
    /// The algorithm's name, for tables and charts.
    fn name(&self) -> &'static str;
    /// Decides about one request arriving at `now`, and records it if admitted.
    fn check(&mut self, now: Duration) -> Decision;
}
// ANCHOR_END: trait

impl Decision {
    /// Whether the request will be served (now or after a delay).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::rate_limiting::Decision;
    /// assert!(Decision::Delayed { delay: Duration::from_millis(3) }.is_admitted());
    /// assert!(!Decision::Rejected { retry_after: Duration::ZERO }.is_admitted());
    /// ```
    pub fn is_admitted(self) -> bool {
        !matches!(self, Decision::Rejected { .. })
    }
}

/// `limit` requests per `window`: the allowance every algorithm here enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    limit: u32,
    window_ns: u64,
}

/// A [`Quota`] that cannot be enforced; it carries the offending value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuotaError {
    /// The limit was zero: nothing could ever be admitted.
    ZeroLimit,
    /// The window was zero or longer than `u64::MAX` nanoseconds (about 584 years).
    BadWindow(Duration),
}

impl fmt::Display for QuotaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuotaError::ZeroLimit => write!(f, "a quota's limit must be at least 1, got 0"),
            QuotaError::BadWindow(w) => {
                write!(
                    f,
                    "a quota's window must be between 1 ns and 584 years, got {w:?}"
                )
            }
        }
    }
}

impl std::error::Error for QuotaError {}

impl Quota {
    /// `limit` requests per `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::rate_limiting::{Quota, QuotaError};
    /// let q = Quota::new(10, Duration::from_secs(1))?;
    /// assert_eq!((q.limit(), q.window()), (10, Duration::from_secs(1)));
    /// assert_eq!(Quota::new(0, Duration::from_secs(1)), Err(QuotaError::ZeroLimit));
    /// assert_eq!(Quota::new(1, Duration::ZERO), Err(QuotaError::BadWindow(Duration::ZERO)));
    /// # Ok::<(), QuotaError>(())
    /// ```
    pub fn new(limit: u32, window: Duration) -> Result<Quota, QuotaError> {
        if limit == 0 {
            return Err(QuotaError::ZeroLimit);
        }
        let window_ns =
            u64::try_from(window.as_nanos()).map_err(|_| QuotaError::BadWindow(window))?;
        if window_ns == 0 {
            return Err(QuotaError::BadWindow(window));
        }
        Ok(Quota { limit, window_ns })
    }

    /// The number of requests allowed per window.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The window.
    pub fn window(&self) -> Duration {
        Duration::from_nanos(self.window_ns)
    }

    /// The window in nanoseconds.
    pub fn window_ns(&self) -> u64 {
        self.window_ns
    }
}

/// `now` in nanoseconds, saturating (a `Duration` of 584 years or more is "the end of time").
pub(crate) fn nanos(now: Duration) -> u64 {
    u64::try_from(now.as_nanos()).unwrap_or(u64::MAX)
}
