//! The workload of `edges.rs` on 16 edges, with each edge's LRU cache holding from 30 objects
//! to all 10,000.

use sysdesign::cdn::{CdnConfig, edge_positions, simulate, workload};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

fn main() {
    let requests = workload(10_000, 1.0, 400_000, 3_600_000, 42).expect("a valid Zipf workload");
    let mut table = Table::new([
        "objects per edge",
        "hit ratio",
        "mean (ms)",
        "p99 (ms)",
        "origin requests",
    ]);
    let mut mean = Vec::new();
    let mut p99 = Vec::new();
    for capacity in [30, 100, 300, 1_000, 3_000, 10_000] {
        let config = CdnConfig {
            edges: edge_positions(16, 0.0),
            capacity,
            ..CdnConfig::default()
        };
        let report = simulate(&config, &requests, &[]);
        table.push([
            capacity.to_string(),
            format!("{:.1}%", 100.0 * report.hit_ratio()),
            format!("{:.1}", report.mean_ms()),
            format!("{:.1}", report.percentile_ms(99.0)),
            report.misses.to_string(),
        ]);
        mean.push((capacity as f64, report.mean_ms()));
        p99.push((capacity as f64, report.percentile_ms(99.0)));
        if capacity == 10_000 {
            show::value(
                "cap10k_p99",
                format!("{:.0} ms", report.percentile_ms(99.0)),
            );
            show::value("cap10k_hit", format!("{:.1}%", 100.0 * report.hit_ratio()));
        }
    }
    show::table(&table.caption("16 edges, 400,000 requests for 10,000 objects, Zipf 1.0"));
    let chart = LineChart::new("Latency against cache size, 16 edges")
        .x_label("objects per edge")
        .y_label("latency (ms)")
        .series("mean", mean)
        .series("p99", p99)
        .log_x();
    show::svg(
        "cdn-latency-capacity",
        "A bigger cache at each edge turns misses into hits and the mean falls; the p99 is a miss at every size",
        chart.to_svg().expect("every point is finite"),
    );
}
