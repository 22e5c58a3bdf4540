//! Full scan, B-tree and hash over the same rows, at growing sizes: the comparisons each makes
//! per point lookup, and for one range query. Comparisons are counted, not timed, so this output
//! is the same on every machine.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::chart::LineChart;
use sysdesign::indexes::{BTreeIndex, FullScan, HashIndex, KeyIndex, comparisons, distinct_keys};
use sysdesign::show::{self, Table};

const SIZES: [usize; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];
const LOOKUPS: usize = 200;
const SEED: u64 = 12;

/// Average comparisons per lookup of `probes` in `index`; panics if a present key is missed.
fn per_lookup(index: &dyn KeyIndex, probes: &[u64]) -> f64 {
    let (found, total) = comparisons(|| probes.iter().filter(|&&k| index.get(k).is_some()).count());
    assert_eq!(found, probes.len(), "every probe is a key of the table");
    total as f64 / probes.len() as f64
}

fn main() {
    let mut table = Table::new(["rows", "log2(rows)", "full scan", "B-tree", "hash"]);
    let mut ranges = Table::new(["rows", "rows in range", "full scan", "B-tree", "hash"]);
    let mut btree_curve = Vec::new();
    let mut hash_curve = Vec::new();
    for n in SIZES {
        let keys = distinct_keys(n, SEED);
        let mut rng = StdRng::seed_from_u64(SEED + 1);
        let probes: Vec<u64> = (0..LOOKUPS)
            .map(|_| keys[rng.random_range(0..keys.len())])
            .collect();
        let indexes: [Box<dyn KeyIndex>; 3] = [
            Box::new(FullScan::new(&keys).expect("distinct keys")),
            Box::new(BTreeIndex::new(&keys).expect("distinct keys")),
            Box::new(HashIndex::new(&keys).expect("distinct keys")),
        ];
        let costs: Vec<f64> = indexes
            .iter()
            .map(|ix| per_lookup(ix.as_ref(), &probes))
            .collect();
        btree_curve.push((n as f64, costs[1]));
        hash_curve.push((n as f64, costs[2]));
        table.push([
            n.to_string(),
            format!("{:.1}", (n as f64).log2()),
            format!("{:.1}", costs[0]),
            format!("{:.1}", costs[1]),
            format!("{:.2}", costs[2]),
        ]);

        // Keys are below 10 n, so this range holds about 1% of the rows.
        let (low, high) = (n as u64, n as u64 + n as u64 / 10);
        let mut row = vec![n.to_string()];
        let mut answer: Option<Vec<usize>> = None;
        for ix in &indexes {
            let (rows, cost) = comparisons(|| ix.range(low, high));
            match &answer {
                Some(first) => assert_eq!(*first, rows, "every index finds the same rows"),
                None => row.push(rows.len().to_string()),
            }
            answer = Some(rows);
            row.push(cost.to_string());
        }
        ranges.push(row);
    }
    println!("{LOOKUPS} lookups of keys present in the table, seed {SEED}.");
    show::table(&table.caption("comparisons per point lookup"));
    show::table(&ranges.caption("comparisons for one range query, keys n..=1.1 n"));

    let svg = LineChart::new("Comparisons per lookup against table size")
        .x_label("rows (log scale)")
        .y_label("comparisons per lookup")
        .series("B-tree (std BTreeMap)", btree_curve)
        .series("hash (std HashMap)", hash_curve)
        .log_x()
        .to_svg()
        .expect("every point is finite and positive");
    show::svg(
        "index-comparisons",
        "A B-tree's cost grows with log n, a hash table's stays flat (the full scan's, n/2, is off the chart)",
        svg,
    );
}
