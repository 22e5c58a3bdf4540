//! Every W and R for N = 3 and N = 5 on the same workload: a write or read every 2 ms on average
//! from a client at a random replica, 30% writes, each message delayed 1 to 20 ms. The share of
//! reads older than a write acknowledged before they began, and the mean latencies. Seeded, so the
//! same on every run.

use sysdesign::chart::LineChart;
use sysdesign::quorum::{SweepRow, sweep};
use sysdesign::replicated::{Config, Workload};
use sysdesign::show::{self, Table};

// ANCHOR: setup
const WORKLOAD: Workload = Workload {
    ops: 4_000,
    write_share: 0.3,
    mean_gap: 2,
    at_replicas: true,
};

fn rows(n: usize) -> Vec<SweepRow> {
    let cluster = |n, r, w| Config::new(n, n, r, w).map(|c| c.delay(1, 20).timeout(500));
    sweep(n, cluster, WORKLOAD, 11).expect("R and W lie between 1 and N")
}
// ANCHOR_END: setup

fn main() {
    let mut table = Table::new([
        "N",
        "W",
        "R",
        "R + W > N",
        "stale reads",
        "read (ms)",
        "write (ms)",
    ]);
    let mut worst_overlapping = 0.0f64;
    let mut chart = LineChart::new("Stale reads for each W and R, N = 5")
        .x_label("R, replicas a read waits for")
        .y_label("share of reads that are stale (%)");
    for n in [3, 5] {
        let rows = rows(n);
        for row in &rows {
            let overlap = row.r + row.w > n;
            let stale = 100.0 * row.summary.stale_share();
            if overlap {
                worst_overlapping = worst_overlapping.max(stale);
            }
            table.push([
                n.to_string(),
                row.w.to_string(),
                row.r.to_string(),
                if overlap { "yes" } else { "no" }.to_string(),
                format!("{stale:.1}%"),
                format!("{:.1}", row.summary.mean_read_ms),
                format!("{:.1}", row.summary.mean_write_ms),
            ]);
            if (row.n, row.r, row.w) == (3, 1, 1) {
                show::value("stale_n3_r1_w1", format!("{stale:.1}%"));
            }
            if (row.n, row.r, row.w) == (5, 2, 2) {
                show::value("stale_n5_r2_w2", format!("{stale:.1}%"));
            }
        }
        if n == 5 {
            for w in 1..=n {
                let curve: Vec<(f64, f64)> = rows
                    .iter()
                    .filter(|row| row.w == w)
                    .map(|row| (row.r as f64, 100.0 * row.summary.stale_share()))
                    .collect();
                chart = chart.series(format!("W = {w}"), curve);
            }
        }
    }
    show::table(
        &table.caption(
            "stale reads: answered reads older than a write acknowledged before they began",
        ),
    );
    show::value("worst_overlapping", format!("{worst_overlapping:.1}%"));
    show::svg(
        "quorum-stale-n5",
        "Stale reads fall as R or W grows, and reach zero once R + W > 5",
        chart.to_svg().expect("every point is finite"),
    );
}
