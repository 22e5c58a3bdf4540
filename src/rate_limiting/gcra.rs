//! GCRA on one atomic word: a token bucket that many threads can share without a lock.

use super::{Decision, Quota, RateLimiter, nanos};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

// ANCHOR: gcra
/// The generic cell rate algorithm (GCRA): the token bucket's decisions, kept as one number,
/// the **theoretical arrival time** (TAT), so that a compare-and-swap on one `AtomicU64` can
/// update it from any thread.
///
/// Each admitted request pushes the TAT one emission interval `T = window / limit` later; a
/// request at `now` is admitted while the TAT is at most `(limit - 1)·T` ahead of `now`, which
/// is a full bucket of `limit` tokens refilling one every `T`.
/// Checking takes `&self`: share it with `Arc<Gcra>` or a `static`, with no `Mutex`.
///
/// Times are whole nanoseconds, so `T` is rounded up when `limit` does not divide the window:
/// the limiter then admits very slightly fewer requests than the quota, never more.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{Decision, Gcra, Quota};
///
/// let limiter = Gcra::new(Quota::new(2, Duration::from_secs(1))?);
/// let t = Duration::ZERO;
/// assert!(limiter.check(t).is_admitted());
/// assert!(limiter.check(t).is_admitted());
/// assert_eq!(limiter.check(t), Decision::Rejected { retry_after: Duration::from_millis(500) });
/// assert!(limiter.check(Duration::from_millis(500)).is_admitted());
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
#[derive(Debug)]
pub struct Gcra {
    /// The theoretical arrival time, in nanoseconds.
    tat: AtomicU64,
    /// The emission interval `T`, in nanoseconds.
    interval: u64,
    /// How far ahead of `now` the TAT may be for a request to pass: `(limit - 1)·T`.
    tolerance: u64,
}

impl Gcra {
    /// A limiter with a full bucket at time zero.
    pub fn new(quota: Quota) -> Gcra {
        let interval = quota.window_ns().div_ceil(u64::from(quota.limit())).max(1);
        Gcra {
            tat: AtomicU64::new(0),
            interval,
            tolerance: interval.saturating_mul(u64::from(quota.limit()) - 1),
        }
    }

    /// Decides about one request at `now`, from any thread.
    ///
    /// The loop reads the TAT, computes the new one, and stores it only if no other thread
    /// changed it in between; if one did, it tries again with the fresher value. A rejection
    /// writes nothing.
    pub fn check(&self, now: Duration) -> Decision {
        let now = nanos(now);
        let mut seen = self.tat.load(Ordering::Relaxed);
        loop {
            let tat = seen.max(now);
            let ahead = tat - now;
            if ahead > self.tolerance {
                return Decision::Rejected {
                    retry_after: Duration::from_nanos(ahead - self.tolerance),
                };
            }
            let next = tat.saturating_add(self.interval);
            match (self.tat).compare_exchange_weak(seen, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return Decision::Admitted,
                Err(current) => seen = current,
            }
        }
    }
}
// ANCHOR_END: gcra

impl RateLimiter for Gcra {
    fn name(&self) -> &'static str {
        "GCRA (atomic)"
    }

    fn check(&mut self, now: Duration) -> Decision {
        Gcra::check(self, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn two_threads_sharing_one_limiter_admit_exactly_the_burst_between_them() {
        let limiter = Arc::new(Gcra::new(
            Quota::new(1_000, Duration::from_secs(1)).expect("valid"),
        ));
        // Time stands still at zero: only the burst of 1,000 can pass, whoever asks.
        let admitted: usize = std::thread::scope(|s| {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let limiter = Arc::clone(&limiter);
                    s.spawn(move || {
                        (0..5_000)
                            .filter(|_| limiter.check(Duration::ZERO).is_admitted())
                            .count()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("no panic"))
                .sum()
        });
        assert_eq!(admitted, 1_000);
    }

    #[test]
    fn an_interval_that_does_not_divide_evenly_rounds_towards_fewer_admissions() {
        let limiter = Gcra::new(Quota::new(3, Duration::from_nanos(10)).expect("valid"));
        assert_eq!(limiter.interval, 4); // 10 / 3 rounded up
        let admitted = (0..100u64)
            .filter(|&t| limiter.check(Duration::from_nanos(t)).is_admitted())
            .count();
        // A burst of 3, then one every 4 ns: 3 + 24 in 100 ns, at most 3 + 30 the quota allows.
        assert_eq!(admitted, 27);
    }
}
