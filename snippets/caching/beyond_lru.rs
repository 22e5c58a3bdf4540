//! Hit ratio against capacity for LRU, LFU, S3-FIFO, the `quick_cache` crate and Bélády's OPT,
//! on a seeded Zipf trace and on the same trace interrupted by one-off scans.

use sysdesign::caching::{Cache, Lfu, Lru, S3Fifo, replay, replay_opt, zipf_trace};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const KEYS: u64 = 100_000;
const EXPONENT: f64 = 1.0;
const REQUESTS: usize = 1_000_000;
const SEED: u64 = 17;
const CAPACITIES: [usize; 6] = [100, 300, 1_000, 3_000, 10_000, 30_000];
/// Every `SCAN_EVERY` requests, a scan reads `SCAN_LEN` keys that never come back.
const SCAN_EVERY: usize = 50_000;
const SCAN_LEN: usize = 20_000;
const NAMES: [&str; 5] = ["LRU", "LFU", "S3-FIFO", "quick_cache", "OPT"];

// ANCHOR: scans
/// The Zipf trace with a scan of never-seen keys after every `SCAN_EVERY` requests, as a batch
/// job or a crawler reading everything once would add to an online workload.
fn with_scans(zipf: &[u64]) -> Vec<u64> {
    let mut trace = Vec::with_capacity(zipf.len() * 2);
    let mut fresh = KEYS; // keys from KEYS up are never requested by the Zipf part
    for chunk in zipf.chunks(SCAN_EVERY) {
        trace.extend_from_slice(chunk);
        trace.extend(fresh..fresh + SCAN_LEN as u64);
        fresh += SCAN_LEN as u64;
    }
    trace
}
// ANCHOR_END: scans

/// `quick_cache` is not a `Cache` of ours: replay it the same way, get and insert on a miss.
fn replay_quick_cache(capacity: usize, trace: &[u64]) -> f64 {
    let mut cache = quick_cache::unsync::Cache::new(capacity);
    let mut hits = 0u64;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.insert(key, ());
        }
    }
    hits as f64 / trace.len() as f64
}

/// The hit ratio of every policy at `capacity`, in the order of `NAMES`.
fn hit_ratios(trace: &[u64], capacity: usize) -> Vec<f64> {
    let policies: Vec<Box<dyn Cache<u64, ()>>> = vec![
        Box::new(Lru::new(capacity).expect("capacity is not zero")),
        Box::new(Lfu::new(capacity).expect("capacity is not zero")),
        Box::new(S3Fifo::new(capacity).expect("capacity is not zero")),
    ];
    let mut ratios: Vec<f64> = policies
        .into_iter()
        .map(|mut cache| replay(cache.as_mut(), trace).hit_ratio())
        .collect();
    ratios.push(replay_quick_cache(capacity, trace));
    ratios.push(
        replay_opt(trace, capacity)
            .expect("capacity is not zero")
            .hit_ratio(),
    );
    ratios
}

/// Sweeps the capacities on one trace: a table, a chart, and the ratios at 10% of the keys.
fn sweep(label: &str, name: &str, trace: &[u64]) -> Vec<f64> {
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); NAMES.len()];
    let mut headers = vec!["capacity", "% of keys"];
    headers.extend(NAMES);
    let mut table = Table::new(headers);
    let mut at_ten_percent = Vec::new();
    for capacity in CAPACITIES {
        let ratios = hit_ratios(trace, capacity);
        let mut row = vec![
            capacity.to_string(),
            format!("{:.1}", 100.0 * capacity as f64 / KEYS as f64),
        ];
        for (curve, ratio) in curves.iter_mut().zip(&ratios) {
            curve.push((capacity as f64, *ratio));
            row.push(format!("{ratio:.3}"));
        }
        table.push(row);
        if capacity as u64 * 10 == KEYS {
            at_ten_percent = ratios;
        }
    }
    show::table(&table.caption(format!("hit ratio by capacity, {label}")));
    let mut chart = LineChart::new(format!("Hit ratio against capacity, {label}"))
        .x_label("capacity (entries, log scale)")
        .y_label("hit ratio")
        .log_x()
        .y_range(0.0..1.0);
    for (name, curve) in NAMES.iter().zip(curves) {
        chart = chart.series(*name, curve);
    }
    let svg = chart.to_svg().expect("every point is finite and positive");
    show::svg(
        name,
        &format!("Hit ratio against cache capacity, {label}"),
        svg,
    );
    at_ten_percent
}

fn main() {
    let zipf = zipf_trace(KEYS, EXPONENT, REQUESTS, SEED).expect("valid Zipf parameters");
    let scanned = with_scans(&zipf);
    println!(
        "Zipf: {REQUESTS} requests over {KEYS} keys, s = {EXPONENT}, seed {SEED}. \
         With scans: the same requests, and {SCAN_LEN} one-off keys after every {SCAN_EVERY}, \
         {} requests in all.",
        scanned.len()
    );
    let plain = sweep("Zipf", "beyond_lru_zipf", &zipf);
    let scans = sweep("Zipf with one-off scans", "beyond_lru_scans", &scanned);

    // The figures the chapter quotes: capacity 10% of the keys.
    for (workload, ratios) in [("zipf", &plain), ("scans", &scans)] {
        for (name, ratio) in NAMES.iter().zip(ratios.iter()) {
            let name = name.to_lowercase().replace('-', "");
            show::value(&format!("{workload}_{name}"), format!("{ratio:.3}"));
        }
    }
    // Scanned keys always miss, so every hit of the scans trace is a hit on a Zipf request:
    // the share of the Zipf requests that hit, comparable with the plain trace's ratio.
    for (name, ratio) in NAMES.iter().zip(scans.iter()) {
        let name = name.to_lowercase().replace('-', "");
        let on_zipf = ratio * scanned.len() as f64 / REQUESTS as f64;
        show::value(&format!("scans_{name}_on_zipf"), format!("{on_zipf:.3}"));
    }
}
