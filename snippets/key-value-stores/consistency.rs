//! The consistency choice of a replicated key-value store: N = 3 replicas, writes wait for W of
//! them, reads ask R and keep the newest version. The share of stale reads for every W and R, and
//! how it grows with replication lag. Seeded, so the same on every run.

use sysdesign::chart::LineChart;
use sysdesign::key_value_stores::replication::{Quorum, simulate};
use sysdesign::show::{self, Table};

const N: usize = 3;
const STEPS: usize = 20_000;
const WRITE_SHARE: f64 = 0.2;
const SEED: u64 = 13;
const LAGS: [u64; 6] = [1, 2, 4, 8, 16, 32];
const TABLE_LAG: u64 = 8;

fn stale(write: usize, read: usize, max_lag: u64) -> f64 {
    let quorum = Quorum {
        replicas: N,
        write,
        read,
    };
    simulate(quorum, STEPS, WRITE_SHARE, max_lag, SEED)
        .expect("W and R lie between 1 and N")
        .stale_share()
}

fn main() {
    println!(
        "{STEPS} operations on one key, {:.0}% writes, replication lag up to {TABLE_LAG} steps, seed {SEED}.",
        WRITE_SHARE * 100.0
    );
    let mut table = Table::new(["W \\ R", "R = 1", "R = 2", "R = 3"]);
    for write in 1..=N {
        let mut row = vec![format!("W = {write}")];
        for read in 1..=N {
            let marker = if read + write > N { " (R+W>N)" } else { "" };
            row.push(format!(
                "{:.1}%{marker}",
                100.0 * stale(write, read, TABLE_LAG)
            ));
        }
        table.push(row);
    }
    show::table(&table.caption("share of reads that missed the last acknowledged write, N = 3"));

    let mut chart = LineChart::new("Stale reads against replication lag (N = 3)")
        .x_label("largest replication lag, in operations (log scale)")
        .y_label("share of reads that are stale")
        .log_x();
    for (write, read) in [(1, 1), (2, 1), (1, 2), (2, 2)] {
        let curve: Vec<(f64, f64)> = LAGS
            .iter()
            .map(|&lag| (lag as f64, stale(write, read, lag)))
            .collect();
        chart = chart.series(format!("W = {write}, R = {read}"), curve);
    }
    let svg = chart.to_svg().expect("every point is finite");
    show::svg(
        "kv-quorum-staleness",
        "With R + W > N no read is stale at any lag; below it, staleness grows with the lag",
        svg,
    );
}
