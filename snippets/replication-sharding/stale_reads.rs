//! A leader and two followers on the simulated store of the CAP and quorum chapters: N = 3,
//! W = 1 (the leader acknowledges alone), R = 1. Every write goes through the leader, which
//! ships it to the followers; each copy arrives one replication lag later. 20,000 operations,
//! one every 20 ms on average (a Poisson stream), 20% writes: a write every 100 ms on average.
//! Reads go to a follower, or to the leader. Seeded.

use sysdesign::chart::LineChart;
use sysdesign::replication_sharding::{ReadFrom, follower_reads};
use sysdesign::show::{self, Table};

// ANCHOR: sweep
const LAGS: [u64; 9] = [0, 5, 10, 25, 50, 100, 200, 400, 800];

fn run(lag: u64, read_from: ReadFrom) -> sysdesign::replication_sharding::LagRun {
    follower_reads(lag, 20_000, 20.0, 0.2, read_from, 7).expect("a valid cluster")
}
// ANCHOR_END: sweep

fn main() {
    let mut table = Table::new([
        "replication lag (ms)",
        "stale reads at followers",
        "1 - exp(-lag / 100 ms)",
        "stale reads at the leader",
    ]);
    let (mut measured, mut predicted) = (Vec::new(), Vec::new());
    for lag in LAGS {
        let followers = run(lag, ReadFrom::Followers);
        let leader = run(lag, ReadFrom::Leader);
        table.push([
            lag.to_string(),
            format!("{:.1}%", 100.0 * followers.stale_share()),
            format!("{:.1}%", 100.0 * followers.predicted),
            format!("{:.1}%", 100.0 * leader.stale_share()),
        ]);
        measured.push((lag as f64, 100.0 * followers.stale_share()));
        predicted.push((lag as f64, 100.0 * followers.predicted));
        if lag == 100 {
            show::value(
                "stale_at_100",
                format!("{:.1}%", 100.0 * followers.stale_share()),
            );
        }
        if lag == 10 {
            show::value(
                "stale_at_10",
                format!("{:.1}%", 100.0 * followers.stale_share()),
            );
        }
    }
    show::table(&table.caption(
        "reads older than a write acknowledged before they began; a write every 100 ms on average",
    ));
    let chart = LineChart::new("Stale follower reads against replication lag")
        .x_label("replication lag (ms)")
        .y_label("stale reads (%)")
        .series("measured, reads at followers", measured)
        .series("1 - exp(-lag / mean write gap)", predicted);
    show::svg(
        "stale-reads-lag",
        "The share of stale follower reads climbs with the lag, as the Poisson formula says",
        chart.to_svg().expect("every point is finite"),
    );
}
