//! timing: measured on the machine that builds the book
//!
//! Nanoseconds per point lookup at growing sizes: a full scan of a Vec, std's BTreeMap and std's
//! HashMap, with plain u64 keys (no counting). Each figure is the best of five runs.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::time::Instant;
use sysdesign::chart::LineChart;
use sysdesign::indexes::distinct_keys;
use sysdesign::show::{self, Table};

const SIZES: [usize; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];
const RUNS: usize = 5;
const SEED: u64 = 12;

/// Best time over `RUNS` runs of `lookup` on every probe, in ns per lookup.
fn ns_per_lookup(probes: &[u64], lookup: impl Fn(u64) -> Option<usize>) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let start = Instant::now();
        let found = probes
            .iter()
            .filter(|&&k| lookup(black_box(k)).is_some())
            .count();
        best = best.min(start.elapsed().as_secs_f64());
        assert_eq!(found, probes.len(), "every probe is a key of the table");
    }
    best * 1e9 / probes.len() as f64
}

fn main() {
    let mut table = Table::new(["rows", "full scan (ns)", "BTreeMap (ns)", "HashMap (ns)"]);
    let (mut btree_curve, mut hash_curve) = (Vec::new(), Vec::new());
    for n in SIZES {
        let keys = distinct_keys(n, SEED);
        let mut rng = StdRng::seed_from_u64(SEED + 1);
        let draw = |count: usize, rng: &mut StdRng| -> Vec<u64> {
            (0..count).map(|_| keys[rng.random_range(0..n)]).collect()
        };
        // Fewer scans on big tables: each one reads half the table on average.
        let scan_probes = draw((20_000_000 / n).clamp(20, 10_000), &mut rng);
        let probes = draw(100_000, &mut rng);
        let btree: BTreeMap<u64, usize> = keys.iter().enumerate().map(|(r, &k)| (k, r)).collect();
        let hash: HashMap<u64, usize> = keys.iter().enumerate().map(|(r, &k)| (k, r)).collect();
        let scan = ns_per_lookup(&scan_probes, |k| keys.iter().position(|&x| x == k));
        let tree = ns_per_lookup(&probes, |k| btree.get(&k).copied());
        let hashed = ns_per_lookup(&probes, |k| hash.get(&k).copied());
        btree_curve.push((n as f64, tree));
        hash_curve.push((n as f64, hashed));
        table.push([
            n.to_string(),
            format!("{scan:.0}"),
            format!("{tree:.1}"),
            format!("{hashed:.1}"),
        ]);
    }
    show::table(
        &table.caption("ns per point lookup, measured on the machine that built this page"),
    );
    let svg = LineChart::new("Time per lookup against table size")
        .x_label("rows (log scale)")
        .y_label("ns per lookup")
        .series("BTreeMap", btree_curve)
        .series("HashMap (SipHash)", hash_curve)
        .log_x()
        .to_svg()
        .expect("every point is finite and positive");
    show::svg(
        "index-lookup-time",
        "ns per lookup, measured on the build machine (the full scan is in the table: it is off the chart)",
        svg,
    );
}
