//! Freshness: the 100 most popular objects change every 5 minutes on average (seeded times),
//! on the workload of `edges.rs` with 16 edges of 1,000 objects. Pull with TTLs of 10 s to
//! 1 hour, pull with a purge 5 s after each update, and push 5 s after each update.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::cdn::{CdnConfig, Fill, Update, edge_positions, simulate, workload};
use sysdesign::show::{self, Table};

// ANCHOR: updates
fn updates() -> Vec<Update> {
    let mut rng = StdRng::seed_from_u64(5);
    // 100 objects, each updated 12 times an hour on average: 1,200 updates at random times.
    (0..1_200)
        .map(|_| Update {
            at_ms: rng.random_range(0..3_600_000),
            key: rng.random_range(0..100),
        })
        .collect()
}
// ANCHOR_END: updates

fn main() {
    let requests = workload(10_000, 1.0, 400_000, 3_600_000, 42).expect("a valid Zipf workload");
    let updates = updates();
    let fills = [
        (
            "ttl10s",
            "pull, TTL 10 s",
            Fill::Pull {
                ttl_ms: 10_000,
                purge_after_ms: None,
            },
        ),
        (
            "ttl60s",
            "pull, TTL 60 s",
            Fill::Pull {
                ttl_ms: 60_000,
                purge_after_ms: None,
            },
        ),
        (
            "ttl5m",
            "pull, TTL 5 min",
            Fill::Pull {
                ttl_ms: 300_000,
                purge_after_ms: None,
            },
        ),
        (
            "ttl1h",
            "pull, TTL 1 h",
            Fill::Pull {
                ttl_ms: 3_600_000,
                purge_after_ms: None,
            },
        ),
        (
            "purge",
            "pull, TTL 1 h, purge after 5 s",
            Fill::Pull {
                ttl_ms: 3_600_000,
                purge_after_ms: Some(5_000),
            },
        ),
        (
            "push",
            "push after 5 s",
            Fill::Push {
                push_after_ms: 5_000,
            },
        ),
    ];
    let mut table = Table::new([
        "fill",
        "stale responses",
        "longest stale window",
        "hit ratio",
        "origin requests",
        "copies pushed",
    ]);
    for (key, name, fill) in fills {
        let config = CdnConfig {
            edges: edge_positions(16, 0.0),
            capacity: 1_000,
            fill,
            ..CdnConfig::default()
        };
        let report = simulate(&config, &requests, &updates);
        let stale = 100.0 * report.stale as f64 / requests.len() as f64;
        table.push([
            name.to_string(),
            format!("{stale:.2}%"),
            format!("{:.1} s", report.max_stale_ms as f64 / 1_000.0),
            format!("{:.1}%", 100.0 * report.hit_ratio()),
            report.misses.to_string(),
            report.pushed.to_string(),
        ]);
        show::value(&format!("stale_{key}"), format!("{stale:.2}%"));
        show::value(
            &format!("window_{key}"),
            format!("{:.1} s", report.max_stale_ms as f64 / 1_000.0),
        );
        show::value(
            &format!("hit_{key}"),
            format!("{:.1}%", 100.0 * report.hit_ratio()),
        );
    }
    show::table(&table.caption("stale: served a version older than the origin's latest"));
}
