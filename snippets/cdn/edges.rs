//! 400,000 requests in an hour for 10,000 objects with Zipf(1.0) popularity, from clients
//! spread round the world; the origin at 0 km answers in 20 ms. A pull CDN with 1, 2, 4, ... 64
//! edges evenly spaced, each an LRU cache of 1,000 objects, against no CDN at all.

use sysdesign::cdn::{
    CdnConfig, CdnReport, Request, distance_km, edge_positions, rtt_ms, simulate, workload,
};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

// ANCHOR: setup
fn requests() -> Vec<Request> {
    workload(10_000, 1.0, 400_000, 3_600_000, 42).expect("a valid Zipf workload")
}

fn cdn(edges: usize, capacity: usize) -> CdnConfig {
    CdnConfig {
        edges: edge_positions(edges, 0.0),
        capacity,
        ..CdnConfig::default()
    }
}
// ANCHOR_END: setup

/// The share of requests from clients within `km` of the origin that were slower than going
/// to the origin directly.
fn slower_near_origin(
    requests: &[Request],
    report: &CdnReport,
    config: &CdnConfig,
    km: f64,
) -> f64 {
    let near: Vec<(f64, f64)> = requests
        .iter()
        .zip(&report.latencies_ms)
        .filter(|(r, _)| distance_km(r.client_km, config.origin_km) <= km)
        .map(|(r, &l)| {
            (
                l,
                rtt_ms(distance_km(r.client_km, config.origin_km)) + config.origin_ms,
            )
        })
        .collect();
    near.iter().filter(|(cdn, direct)| cdn > direct).count() as f64 / near.len().max(1) as f64
}

fn main() {
    let requests = requests();
    let mut table = Table::new([
        "edges",
        "hit ratio",
        "mean (ms)",
        "p50 (ms)",
        "p99 (ms)",
        "origin offload",
    ]);
    let mut mean = Vec::new();
    let mut p99 = Vec::new();
    for edges in [0, 1, 2, 4, 8, 16, 32, 64] {
        let config = cdn(edges, 1_000);
        let report = simulate(&config, &requests, &[]);
        let offload = 1.0 - report.misses as f64 / requests.len() as f64;
        table.push([
            edges.to_string(),
            format!("{:.1}%", 100.0 * report.hit_ratio()),
            format!("{:.1}", report.mean_ms()),
            format!("{:.1}", report.percentile_ms(50.0)),
            format!("{:.1}", report.percentile_ms(99.0)),
            format!("{:.1}%", 100.0 * offload),
        ]);
        if edges > 0 {
            mean.push((edges as f64, report.mean_ms()));
            p99.push((edges as f64, report.percentile_ms(99.0)));
        }
        match edges {
            0 => {
                show::value("direct_mean", format!("{:.0} ms", report.mean_ms()));
                show::value(
                    "direct_p99",
                    format!("{:.0} ms", report.percentile_ms(99.0)),
                );
            }
            16 => {
                show::value("edges16_mean", format!("{:.0} ms", report.mean_ms()));
                show::value(
                    "edges16_p99",
                    format!("{:.0} ms", report.percentile_ms(99.0)),
                );
                show::value("edges16_hit", format!("{:.1}%", 100.0 * report.hit_ratio()));
                show::value(
                    "slower_near_origin_16",
                    format!(
                        "{:.0}%",
                        100.0 * slower_near_origin(&requests, &report, &config, 2_000.0)
                    ),
                );
            }
            1 => show::value("edges1_hit", format!("{:.1}%", 100.0 * report.hit_ratio())),
            64 => show::value("edges64_hit", format!("{:.1}%", 100.0 * report.hit_ratio())),
            _ => {}
        }
    }
    show::table(&table.caption("a pull CDN, LRU caches of 1,000 objects per edge, no expiry"));
    let chart = LineChart::new("Latency against the number of edges")
        .x_label("edges")
        .y_label("latency (ms)")
        .series("mean", mean)
        .series("p99", p99)
        .log_x();
    show::svg(
        "cdn-latency-edges",
        "More edges bring the mean and the median down; the p99 is a miss, and stays near the direct round trip",
        chart.to_svg().expect("every point is finite"),
    );
}
