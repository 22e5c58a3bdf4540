//! PACELC's "else": no partition, and the same workload on three replicas read and written two
//! ways, R = W = 1 (each client's own replica answers) and R = W = 2 (a majority answers), as the
//! network's one-way delay grows. Seeded, so the same on every run.

use sysdesign::chart::LineChart;
use sysdesign::replicated::{Config, Summary, Workload, run_workload, summarize};
use sysdesign::show::{self, Table};

const DELAYS_MS: [u64; 6] = [1, 2, 5, 10, 20, 50];

// ANCHOR: run
fn run(quorum: usize, delay: u64) -> Summary {
    let config = Config::new(3, 3, quorum, quorum)
        .expect("1 or 2 of 3")
        .delay(delay, 2 * delay) // each message takes between d and 2d
        .timeout(1_000);
    let workload = Workload {
        ops: 3_000,
        write_share: 0.2,
        mean_gap: 5, // an operation every 5 ms on average, from a client at a random replica
        at_replicas: true,
    };
    let sim = run_workload(config, workload, 42).expect("a valid configuration");
    summarize(sim.ops())
}
// ANCHOR_END: run

fn main() {
    let mut table = Table::new([
        "one-way delay d (ms)",
        "local read (ms)",
        "local: stale reads",
        "majority read (ms)",
        "majority write (ms)",
        "majority: stale reads",
    ]);
    let (mut local_curve, mut majority_curve, mut stale_curve) = (vec![], vec![], vec![]);
    for d in DELAYS_MS {
        let local = run(1, d);
        let majority = run(2, d);
        table.push([
            d.to_string(),
            format!("{:.1}", local.mean_read_ms),
            format!("{:.1}%", 100.0 * local.stale_share()),
            format!("{:.1}", majority.mean_read_ms),
            format!("{:.1}", majority.mean_write_ms),
            format!("{:.1}%", 100.0 * majority.stale_share()),
        ]);
        local_curve.push((d as f64, local.mean_read_ms));
        majority_curve.push((d as f64, majority.mean_read_ms));
        stale_curve.push((d as f64, 100.0 * local.stale_share()));
        if d == 10 {
            show::value(
                "majority_read_ms_at_10",
                format!("{:.1}", majority.mean_read_ms),
            );
            show::value(
                "local_stale_at_10",
                format!("{:.1}%", 100.0 * local.stale_share()),
            );
        }
        if d == 50 {
            show::value(
                "local_stale_at_50",
                format!("{:.1}%", 100.0 * local.stale_share()),
            );
        }
    }
    show::table(&table.caption(
        "mean latency of answered operations, and reads older than an acknowledged write",
    ));
    let chart = LineChart::new("No partition: latency or consistency")
        .x_label("one-way network delay d, ms (log scale)")
        .y_label("mean read latency (ms) / stale reads (%)")
        .log_x()
        .series("majority read latency, ms (R = 2)", majority_curve)
        .series("local read latency, ms (R = 1)", local_curve)
        .series("local reads that were stale, %", stale_curve);
    show::svg(
        "pacelc-latency",
        "A majority read pays a round trip that grows with the delay; a local read pays nothing and returns stale data more often",
        chart.to_svg().expect("every point is finite"),
    );
}
