//! Window counters: fixed window, sliding-window log, sliding-window counter.

use super::{Decision, Quota, RateLimiter, nanos};
use std::collections::VecDeque;
use std::time::Duration;

// ANCHOR: fixed_window
/// Counts requests in aligned windows `[k·window, (k+1)·window)` and admits the first `limit`
/// of each.
///
/// Cheap (one counter), but blind across an edge: `limit` requests at the end of one window and
/// `limit` more at the start of the next are all admitted, twice the limit within a moment.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{FixedWindow, Quota, RateLimiter};
/// let mut w = FixedWindow::new(Quota::new(2, Duration::from_secs(1))?);
/// let just_before = Duration::from_millis(999);
/// let just_after = Duration::from_millis(1_000);
/// let admitted = [just_before, just_before, just_after, just_after]
///     .into_iter()
///     .filter(|&t| w.check(t).is_admitted())
///     .count();
/// assert_eq!(admitted, 4); // 4 in 1 ms under a limit of 2 per second
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct FixedWindow {
    quota: Quota,
    window_index: u64,
    count: u32,
}

impl FixedWindow {
    /// No request counted yet.
    pub fn new(quota: Quota) -> FixedWindow {
        FixedWindow {
            quota,
            window_index: 0,
            count: 0,
        }
    }
}

impl RateLimiter for FixedWindow {
    fn name(&self) -> &'static str {
        "fixed window"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let index = (nanos(now) / self.quota.window_ns).max(self.window_index);
        if index != self.window_index {
            self.window_index = index;
            self.count = 0;
        }
        if self.count < self.quota.limit {
            self.count += 1;
            Decision::Admitted
        } else {
            let next = (u128::from(index) + 1) * u128::from(self.quota.window_ns);
            let wait = next.saturating_sub(u128::from(nanos(now)));
            Decision::Rejected {
                retry_after: Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)),
            }
        }
    }
}
// ANCHOR_END: fixed_window

// ANCHOR: sliding_log
/// Keeps the time of every admitted request of the last `window`, and admits a request if
/// fewer than `limit` were admitted in `(now − window, now]`.
///
/// Exact in every window, at the price of memory: up to `limit` timestamps per client.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{Decision, Quota, RateLimiter, SlidingWindowLog};
/// let mut log = SlidingWindowLog::new(Quota::new(2, Duration::from_secs(1))?);
/// assert!(log.check(Duration::from_millis(900)).is_admitted());
/// assert!(log.check(Duration::from_millis(999)).is_admitted());
/// assert_eq!(
///     log.check(Duration::from_millis(1_000)),
///     Decision::Rejected { retry_after: Duration::from_millis(900) }
/// );
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct SlidingWindowLog {
    quota: Quota,
    admitted: VecDeque<u64>,
    last_ns: u64,
}

impl SlidingWindowLog {
    /// An empty log.
    pub fn new(quota: Quota) -> SlidingWindowLog {
        SlidingWindowLog {
            quota,
            admitted: VecDeque::new(),
            last_ns: 0,
        }
    }
}

impl RateLimiter for SlidingWindowLog {
    fn name(&self) -> &'static str {
        "sliding-window log"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let now = nanos(now).max(self.last_ns);
        self.last_ns = now;
        let window = self.quota.window_ns;
        // A request at t still counts while t > now - window, i.e. while now < t + window.
        while let Some(&oldest) = self.admitted.front() {
            if u128::from(oldest) + u128::from(window) <= u128::from(now) {
                self.admitted.pop_front();
            } else {
                break;
            }
        }
        if self.admitted.len() < self.quota.limit as usize {
            self.admitted.push_back(now);
            Decision::Admitted
        } else {
            // The oldest entry leaves the window at oldest + window.
            let oldest = self.admitted.front().copied().unwrap_or(now);
            let wait = (u128::from(oldest) + u128::from(window)).saturating_sub(u128::from(now));
            Decision::Rejected {
                retry_after: Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)),
            }
        }
    }
}
// ANCHOR_END: sliding_log

// ANCHOR: sliding_counter
/// Two counters, the current aligned window's and the previous one's, and an estimate of the
/// last `window`: `previous · (window − elapsed) / window + current`, admitted while below
/// `limit`.
///
/// It assumes the previous window's requests were spread evenly; when they were not, the
/// estimate is wrong in either direction.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{Quota, RateLimiter, SlidingWindowCounter};
/// let mut c = SlidingWindowCounter::new(Quota::new(4, Duration::from_secs(1))?);
/// for _ in 0..4 {
///     assert!(c.check(Duration::from_millis(999)).is_admitted());
/// }
/// // At 1.5 s half the previous window still counts: 4 · 0.5 = 2, so two more fit.
/// let t = Duration::from_millis(1_500);
/// let admitted = (0..4).filter(|_| c.check(t).is_admitted()).count();
/// assert_eq!(admitted, 2);
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Clone, Debug)]
pub struct SlidingWindowCounter {
    quota: Quota,
    window_index: u64,
    current: u64,
    previous: u64,
}

impl SlidingWindowCounter {
    /// No request counted yet.
    pub fn new(quota: Quota) -> SlidingWindowCounter {
        SlidingWindowCounter {
            quota,
            window_index: 0,
            current: 0,
            previous: 0,
        }
    }
}

/// Whether the weighted estimate stays below the limit if one more request is admitted:
/// `previous · (window − elapsed) + (current + 1) · window ≤ limit · window`, in integers.
fn estimate_fits(quota: Quota, previous: u64, current: u64, elapsed: u64) -> bool {
    let w = u128::from(quota.window_ns);
    u128::from(previous) * (w - u128::from(elapsed)) + u128::from(current + 1) * w
        <= u128::from(quota.limit) * w
}

impl RateLimiter for SlidingWindowCounter {
    fn name(&self) -> &'static str {
        "sliding-window counter"
    }

    fn check(&mut self, now: Duration) -> Decision {
        let window = self.quota.window_ns;
        let now_ns = nanos(now);
        let index = (now_ns / window).max(self.window_index);
        if index == self.window_index + 1 {
            self.previous = self.current;
            self.current = 0;
        } else if index > self.window_index {
            self.previous = 0;
            self.current = 0;
        }
        self.window_index = index;
        let start = u128::from(index) * u128::from(window);
        let elapsed = u64::try_from(u128::from(now_ns).saturating_sub(start))
            .unwrap_or(window)
            .min(window);
        if estimate_fits(self.quota, self.previous, self.current, elapsed) {
            self.current += 1;
            return Decision::Admitted;
        }
        // Find the first elapsed time at which the estimate fits (the previous share shrinks).
        let w = u128::from(window);
        let need = u128::from(self.current + 1) * w;
        let limit_w = u128::from(self.quota.limit) * w;
        let wait = if need > limit_w || self.previous == 0 {
            // Not before the next window.
            w - u128::from(elapsed)
        } else {
            // previous · (w − e) ≤ limit·w − need  ⇔  e ≥ w − (limit·w − need) / previous
            let e = w - (limit_w - need) / u128::from(self.previous);
            e.saturating_sub(u128::from(elapsed)).max(1)
        };
        Decision::Rejected {
            retry_after: Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)),
        }
    }
}
// ANCHOR_END: sliding_counter
