//! Two small cases, 10 requests per second allowed. First, 20 requests in the 20 ms around the
//! 1 s window edge. Second, a steady stream just under the rate (one request every 104 ms),
//! which no limiter should reject.

use std::time::Duration;
use sysdesign::rate_limiting::{
    FixedWindow, LeakyBucketMeter, LeakyBucketQueue, Quota, RateLimiter, SlidingWindowCounter,
    SlidingWindowLog, TokenBucket, replay,
};
use sysdesign::show::{self, Table};

fn limiters(quota: Quota) -> Vec<Box<dyn RateLimiter>> {
    vec![
        Box::new(TokenBucket::new(quota)),
        Box::new(LeakyBucketMeter::new(quota)),
        Box::new(LeakyBucketQueue::new(quota)),
        Box::new(FixedWindow::new(quota)),
        Box::new(SlidingWindowLog::new(quota)),
        Box::new(SlidingWindowCounter::new(quota)),
    ]
}

fn main() {
    let quota = Quota::new(10, Duration::from_secs(1)).expect("a valid quota");
    // 20 requests, one per millisecond from 990 ms to 1009 ms; the windows are [0, 1 s), [1 s, 2 s).
    let edge: Vec<Duration> = (990..1010).map(Duration::from_millis).collect();
    // 50 requests, one per 104 ms: 9.6 per second, under the quota.
    let steady: Vec<Duration> = (0..50)
        .map(|i| Duration::from_millis(50 + 104 * i))
        .collect();
    let mut table = Table::new([
        "algorithm",
        "edge burst: served within 20 ms",
        "steady 9.6/s: rejected",
    ]);
    for (mut a, mut b) in limiters(quota).into_iter().zip(limiters(quota)) {
        let at_edge = replay(a.as_mut(), &edge)
            .iter()
            .zip(&edge)
            .filter(|(served, arrival)| {
                served.is_some_and(|s| s <= **arrival + Duration::from_millis(20))
            })
            .count();
        let rejected = replay(b.as_mut(), &steady)
            .iter()
            .filter(|s| s.is_none())
            .count();
        table.push([
            a.name().to_string(),
            format!("{at_edge} of {}", edge.len()),
            format!("{rejected} of {}", steady.len()),
        ]);
    }
    show::table(&table.caption("limit 10 per second; fixed windows start at whole seconds"));
}
