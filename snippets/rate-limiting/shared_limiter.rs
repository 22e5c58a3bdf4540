//! One limiter shared by four threads: the atomic GCRA and a token bucket behind a mutex admit
//! exactly the quota between them, however the threads interleave. Time is passed in: every
//! request arrives in the same instant, or one second later, so the counts are the same on
//! every run.

use std::sync::Mutex;
use std::time::Duration;
use sysdesign::rate_limiting::{Gcra, Quota, RateLimiter, TokenBucket};
use sysdesign::show::{self, Table};

const THREADS: usize = 4;
const REQUESTS_PER_THREAD: usize = 5_000;

/// Four threads each send `REQUESTS_PER_THREAD` requests at `now`; returns how many passed.
fn from_four_threads(check: &(dyn Fn(Duration) -> bool + Sync), now: Duration) -> usize {
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..THREADS)
            .map(|_| s.spawn(|| (0..REQUESTS_PER_THREAD).filter(|_| check(now)).count()))
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("no panic"))
            .sum()
    })
}

/// Admitted counts of both limiters, from four threads at 0 s and again at 1 s.
fn compare(quota: Quota) -> Table {
    // ANCHOR: share
    let gcra = Gcra::new(quota); // checked through &self: no lock
    let bucket = Mutex::new(TokenBucket::new(quota)); // &mut self: a lock per check
    let by_gcra = |now| gcra.check(now).is_admitted();
    let by_bucket = |now| {
        bucket
            .lock()
            .expect("not poisoned")
            .check(now)
            .is_admitted()
    };
    // ANCHOR_END: share

    let mut table = Table::new(["limiter", "admitted at 0 s", "admitted at 1 s", "sent"]);
    for (name, check) in [
        (
            "Gcra (one AtomicU64)",
            &by_gcra as &(dyn Fn(Duration) -> bool + Sync),
        ),
        ("TokenBucket in a Mutex", &by_bucket),
    ] {
        let first = from_four_threads(check, Duration::ZERO);
        let second = from_four_threads(check, Duration::from_secs(1));
        table.push([
            name.to_string(),
            first.to_string(),
            second.to_string(),
            (2 * THREADS * REQUESTS_PER_THREAD).to_string(),
        ]);
    }
    table
}

fn main() {
    let quota = Quota::new(1_000, Duration::from_secs(1)).expect("valid quota");
    show::table(&compare(quota));
}
