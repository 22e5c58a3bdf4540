//! Hit ratio against capacity on a seeded Zipf workload, for LRU, LFU, FIFO, MRU and Bélády's
//! offline optimum (OPT), as a table and a chart.

use sysdesign::caching::{Cache, Fifo, Lfu, Lru, Mru, replay, replay_opt, zipf_trace};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const KEYS: u64 = 5_000;
const EXPONENT: f64 = 0.9;
const REQUESTS: usize = 40_000;
const SEED: u64 = 42;
const CAPACITIES: [usize; 8] = [10, 20, 50, 100, 200, 500, 1_000, 2_000];

fn policies(capacity: usize) -> Vec<Box<dyn Cache<u64, ()>>> {
    vec![
        Box::new(Lru::new(capacity).expect("capacity is not zero")),
        Box::new(Lfu::new(capacity).expect("capacity is not zero")),
        Box::new(Fifo::new(capacity).expect("capacity is not zero")),
        Box::new(Mru::new(capacity).expect("capacity is not zero")),
    ]
}

fn main() {
    let trace = zipf_trace(KEYS, EXPONENT, REQUESTS, SEED).expect("valid Zipf parameters");
    let distinct = {
        let mut keys = trace.clone();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    };
    println!(
        "{REQUESTS} requests over {KEYS} keys, Zipf exponent {EXPONENT}, seed {SEED}; \
         {distinct} distinct keys were requested."
    );
    println!(
        "Each key's first request misses in any cache, so no hit ratio can exceed {:.3}.",
        1.0 - distinct as f64 / REQUESTS as f64
    );

    let names = ["LRU", "LFU", "FIFO", "MRU", "OPT"];
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); names.len()];
    let mut headers = vec!["capacity", "% of keys"];
    headers.extend(names);
    let mut table = Table::new(headers);
    for capacity in CAPACITIES {
        let mut ratios: Vec<f64> = policies(capacity)
            .iter_mut()
            .map(|cache| replay(cache.as_mut(), &trace).hit_ratio())
            .collect();
        ratios.push(
            replay_opt(&trace, capacity)
                .expect("capacity is not zero")
                .hit_ratio(),
        );
        let mut row = vec![
            capacity.to_string(),
            format!("{:.1}", 100.0 * capacity as f64 / KEYS as f64),
        ];
        for (curve, ratio) in curves.iter_mut().zip(&ratios) {
            curve.push((capacity as f64, *ratio));
            row.push(format!("{ratio:.3}"));
        }
        table.push(row);
    }
    show::table(
        &table.caption("hit ratio by capacity; OPT needs the future and bounds every policy"),
    );

    let mut chart = LineChart::new(format!(
        "Hit ratio against capacity (Zipf s = {EXPONENT}, {KEYS} keys, {REQUESTS} requests)"
    ))
    .x_label("capacity (entries, log scale)")
    .y_label("hit ratio")
    .log_x()
    .y_range(0.0..1.0);
    for (name, curve) in names.iter().zip(curves) {
        chart = chart.series(*name, curve);
    }
    let svg = chart.to_svg().expect("every point is finite and positive");
    show::svg(
        "hit_ratio_zipf",
        "Hit ratio against cache capacity on a Zipf workload",
        svg,
    );
}
