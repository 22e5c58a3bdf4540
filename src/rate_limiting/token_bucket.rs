//! The token bucket.

use super::{Decision, Quota, RateLimiter, nanos};
use std::time::Duration;

// ANCHOR: token_bucket
/// A bucket holding up to `limit` tokens, refilled at `limit` tokens per `window`; each
/// request takes one token or is rejected.
///
/// Tokens are counted exactly, in integers: one token is `window_ns` units, and each
/// nanosecond adds `limit` units, so no rounding ever admits a request too many.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{Quota, RateLimiter, TokenBucket};
/// let mut b = TokenBucket::new(Quota::new(3, Duration::from_secs(3))?);
/// let admitted = (0..5).filter(|_| b.check(Duration::ZERO).is_admitted()).count();
/// assert_eq!(admitted, 3); // a full bucket allows a burst of 3
/// assert!(b.check(Duration::from_secs(1)).is_admitted()); // one token a second
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct TokenBucket {
    quota: Quota,
    /// Tokens in the bucket times `window_ns` (one token is `window_ns` units).
    level: u128,
    last_ns: u64,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(quota: Quota) -> TokenBucket {
        TokenBucket {
            quota,
            level: capacity(quota),
            last_ns: 0,
        }
    }
}

fn capacity(quota: Quota) -> u128 {
    u128::from(quota.limit) * u128::from(quota.window_ns)
}

impl RateLimiter for TokenBucket {
    fn name(&self) -> &'static str {
        "token bucket"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let now = nanos(now).max(self.last_ns);
        let refill = u128::from(now - self.last_ns) * u128::from(self.quota.limit);
        self.level = (self.level + refill).min(capacity(self.quota));
        self.last_ns = now;
        let cost = u128::from(self.quota.window_ns);
        if self.level >= cost {
            self.level -= cost;
            Decision::Admitted
        } else {
            let missing = cost - self.level;
            let wait = missing.div_ceil(u128::from(self.quota.limit));
            Decision::Rejected {
                retry_after: Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)),
            }
        }
    }
}
// ANCHOR_END: token_bucket
