//! Seven strategies on one cluster of unequal servers (400, 200, 200 and 100 requests a second,
//! one request at a time each), Poisson arrivals from 1,000 clients, seeded.

use sysdesign::chart::LineChart;
use sysdesign::delivery_framework::Seconds;
use sysdesign::load_balancing::{Cluster, Strategy};
use sysdesign::show::{self, Table};

const REQUESTS: usize = 40_000;
const SEED: u64 = 10;
/// p99s above this are drawn at this height: the line along the top is an overloaded server.
const CAP_MS: f64 = 500.0;

fn cluster(load: f64) -> Cluster {
    // ANCHOR: cluster
    Cluster::unequal(load, REQUESTS, 1_000, SEED) // load 0.7: 630 requests a second
    // ANCHOR_END: cluster
}

fn main() {
    let mut table = Table::new([
        "strategy",
        "p50",
        "p99",
        "share of requests (400/200/200/100 per s)",
    ]);
    let c = cluster(0.7);
    for strategy in Strategy::ALL {
        let run = c.simulate(strategy);
        let p50 = Seconds::new(run.percentile(0.5).expect("requests succeeded"));
        let p99 = Seconds::new(run.percentile(0.99).expect("requests succeeded"));
        let shares: Vec<String> = run
            .per_server
            .iter()
            .map(|&n| format!("{:.0} %", 100.0 * n as f64 / REQUESTS as f64))
            .collect();
        table.push([
            strategy.to_string(),
            p50.to_string(),
            p99.to_string(),
            shares.join(" / "),
        ]);
        let key = strategy.to_string().replace(' ', "_").to_lowercase();
        show::value(&format!("{key}_p99"), p99);
        show::value(&format!("{key}_p50"), p50);
    }
    show::table(&table.caption(format!(
        "Offered load 70 % of capacity, {REQUESTS} requests, seed {SEED}"
    )));

    // ANCHOR: sweep
    let loads = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
    let mut chart = LineChart::new("p99 response time against offered load")
        .x_label("offered load (share of the cluster's capacity)")
        .y_label("p99 (ms)")
        .y_range(0.0..CAP_MS * 1.05);
    for strategy in Strategy::ALL {
        let points = loads.iter().map(|&load| {
            let p99 = cluster(load)
                .simulate(strategy)
                .percentile(0.99)
                .expect("some succeeded");
            (load, (p99 * 1e3).min(CAP_MS))
        });
        chart = chart.series(strategy.to_string(), points.collect::<Vec<_>>());
    }
    // ANCHOR_END: sweep
    show::svg(
        "lb-p99-against-load",
        "Strategies that ignore the servers' speed overload the slow one early; p99 above 500 ms is drawn at 500",
        chart.to_svg().expect("finite points"),
    );
}
