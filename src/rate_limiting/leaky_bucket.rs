//! The leaky bucket, as a meter and as a queue.

use super::{Decision, Quota, RateLimiter, nanos};
use std::time::Duration;

// ANCHOR: leaky_meter
/// A bucket of capacity `limit` that leaks `limit` units per `window`; each request pours one
/// unit in, or is rejected if it would overflow.
///
/// This is the token bucket seen from the other side (water where the other has missing
/// tokens), so it admits exactly the same requests; it is also GCRA, the form ATM networks
/// standardised.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{LeakyBucketMeter, Quota, RateLimiter};
/// let mut m = LeakyBucketMeter::new(Quota::new(2, Duration::from_secs(2))?);
/// assert!(m.check(Duration::ZERO).is_admitted());
/// assert!(m.check(Duration::ZERO).is_admitted());
/// assert!(!m.check(Duration::ZERO).is_admitted()); // full
/// assert!(m.check(Duration::from_secs(1)).is_admitted()); // one unit leaked out
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct LeakyBucketMeter {
    quota: Quota,
    /// Water in the bucket; one request is `window_ns` units, and `limit` units leak per ns.
    water: u128,
    last_ns: u64,
}

impl LeakyBucketMeter {
    /// An empty bucket.
    pub fn new(quota: Quota) -> LeakyBucketMeter {
        LeakyBucketMeter {
            quota,
            water: 0,
            last_ns: 0,
        }
    }
}

impl RateLimiter for LeakyBucketMeter {
    fn name(&self) -> &'static str {
        "leaky bucket (meter)"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let now = nanos(now).max(self.last_ns);
        let leaked = u128::from(now - self.last_ns) * u128::from(self.quota.limit);
        self.water = self.water.saturating_sub(leaked);
        self.last_ns = now;
        let unit = u128::from(self.quota.window_ns);
        let capacity = u128::from(self.quota.limit) * unit;
        if self.water + unit <= capacity {
            self.water += unit;
            Decision::Admitted
        } else {
            let excess = self.water + unit - capacity;
            let wait = excess.div_ceil(u128::from(self.quota.limit));
            Decision::Rejected {
                retry_after: Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)),
            }
        }
    }
}
// ANCHOR_END: leaky_meter

// ANCHOR: leaky_queue
/// A queue drained at one request per `window / limit`: a request is served at the next free
/// slot, and rejected only if `limit` requests already wait ahead of it.
///
/// Output is perfectly smooth (never two requests closer than `window / limit`), paid for with
/// delay: a request may wait up to `window`.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{Decision, LeakyBucketQueue, Quota, RateLimiter};
/// let mut q = LeakyBucketQueue::new(Quota::new(2, Duration::from_secs(2))?);
/// let t = Duration::ZERO;
/// assert_eq!(q.check(t), Decision::Admitted);
/// assert_eq!(q.check(t), Decision::Delayed { delay: Duration::from_secs(1) });
/// assert_eq!(q.check(t), Decision::Delayed { delay: Duration::from_secs(2) });
/// assert!(!q.check(t).is_admitted()); // two already wait
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct LeakyBucketQueue {
    quota: Quota,
    /// When the next request can be served, times `limit` (exact slot arithmetic).
    next_free: u128,
    last_ns: u64,
}

impl LeakyBucketQueue {
    /// An empty queue.
    pub fn new(quota: Quota) -> LeakyBucketQueue {
        LeakyBucketQueue {
            quota,
            next_free: 0,
            last_ns: 0,
        }
    }
}

impl RateLimiter for LeakyBucketQueue {
    fn name(&self) -> &'static str {
        "leaky bucket (queue)"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let now = nanos(now).max(self.last_ns);
        self.last_ns = now;
        let limit = u128::from(self.quota.limit);
        let slot = u128::from(self.quota.window_ns); // one service time, times limit
        let now_scaled = u128::from(now) * limit;
        let start = self.next_free.max(now_scaled);
        let wait = start - now_scaled; // times limit
        // `limit` slots of waiting fit in the queue; the request in service waits zero.
        if wait > limit * slot {
            let over = wait - limit * slot;
            return Decision::Rejected {
                retry_after: Duration::from_nanos(
                    u64::try_from(over.div_ceil(limit)).unwrap_or(u64::MAX),
                ),
            };
        }
        self.next_free = start + slot;
        if wait == 0 {
            Decision::Admitted
        } else {
            Decision::Delayed {
                delay: Duration::from_nanos(
                    u64::try_from(wait.div_ceil(limit)).unwrap_or(u64::MAX),
                ),
            }
        }
    }
}
// ANCHOR_END: leaky_queue
