//! timing: measured on the machine that builds the book
//! The four ways over loopback: an axum server on 127.0.0.1 publishes 20 events at seeded,
//! exponentially distributed gaps (mean 100 ms), and four clients follow the same feed at once.
//! Short polling asks every 250 ms; long polls are held up to 5 s.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::time::Duration;
use sysdesign::polling_streaming::follow_all;
use sysdesign::show::{self, Table};

/// The gaps between events, seeded.
fn gaps(seed: u64, n: usize, mean_ms: f64) -> Vec<Duration> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| Duration::from_secs_f64(-(1.0 - rng.random::<f64>()).ln() * mean_ms / 1e3))
        .collect()
}

fn main() {
    let gaps = gaps(4, 20, 100.0);
    let runs = follow_all(&gaps, Duration::from_millis(250), Duration::from_secs(20))
        .expect("loopback server and clients run");
    let mut table = Table::new([
        "way",
        "requests",
        "events",
        "median latency (ms)",
        "worst latency (ms)",
    ]);
    for run in runs {
        let mut ms: Vec<f64> = run
            .latencies
            .iter()
            .map(|d| d.as_secs_f64() * 1e3)
            .collect();
        ms.sort_by(f64::total_cmp);
        let median = ms.get(ms.len() / 2).copied().unwrap_or(0.0);
        let worst = ms.last().copied().unwrap_or(0.0);
        table.push([
            run.protocol.to_string(),
            run.requests.to_string(),
            run.received.len().to_string(),
            format!("{median:.2}"),
            format!("{worst:.2}"),
        ]);
    }
    show::table(&table.caption("20 events over loopback, all four clients on the same feed"));
}
