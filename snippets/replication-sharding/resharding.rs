//! The share of 20,000 keys that change shard when a cluster of n shards gets one more, for
//! n = 2 to 16: `hash % n`, a consistent-hash ring with 100 virtual nodes per shard, a range
//! store that splits its busiest range in two, and a range store that re-cuts all its ranges to
//! n + 1 equal ones. The ideal, moving only what the new shard should own, is 1/(n + 1).

use sysdesign::chart::LineChart;
use sysdesign::replication_sharding::{Scheme, key_name, moved_fraction};
use sysdesign::show::{self, Table};

// ANCHOR: grow
fn moved(n: usize, keys: &[Vec<u8>]) -> [f64; 4] {
    let modulo = Scheme::hash_modulo(n);
    let ring = Scheme::hash_ring(n, 100);
    let range = Scheme::range(keys, n).expect("fewer shards than keys");
    let recut = Scheme::range(keys, n + 1).expect("fewer shards than keys");
    [
        moved_fraction(&modulo, &modulo.grow(keys), keys),
        moved_fraction(&ring, &ring.grow(keys), keys),
        moved_fraction(&range, &range.grow(keys), keys),
        moved_fraction(&range, &recut, keys),
    ]
}
// ANCHOR_END: grow

fn main() {
    let keys: Vec<Vec<u8>> = (0..20_000).map(key_name).collect();
    let names = [
        "hash % n",
        "hash ring",
        "range: split one",
        "range: re-cut all",
    ];
    let mut table = Table::new([
        "n to n + 1",
        "hash % n",
        "hash ring",
        "range: split one",
        "range: re-cut all",
        "ideal 1/(n+1)",
    ]);
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); 5];
    for n in 2..=16 {
        let fractions = moved(n, &keys);
        let ideal = 1.0 / (n as f64 + 1.0);
        for (curve, f) in curves.iter_mut().zip(fractions.iter().chain([&ideal])) {
            curve.push((n as f64, 100.0 * f));
        }
        if [2, 4, 8, 16].contains(&n) {
            let mut row = vec![format!("{n} to {}", n + 1)];
            row.extend(fractions.iter().map(|f| format!("{:.1}%", 100.0 * f)));
            row.push(format!("{:.1}%", 100.0 * ideal));
            table.push(row);
        }
        if n == 8 {
            for (name, f) in ["modulo_8", "ring_8", "split_8", "recut_8"]
                .iter()
                .zip(fractions)
            {
                show::value(name, format!("{:.1}%", 100.0 * f));
            }
        }
    }
    show::table(&table.caption("share of the keys that change shard when one shard is added"));
    let mut chart = LineChart::new("Keys moved when one shard is added")
        .x_label("shards before, n")
        .y_label("keys that change shard (%)");
    for (name, curve) in names.iter().chain(["ideal 1/(n+1)"].iter()).zip(curves) {
        chart = chart.series(*name, curve);
    }
    show::svg(
        "resharding-moved",
        "hash % n moves almost every key; a ring moves about the new shard's share; a split moves half of one range",
        chart.to_svg().expect("every point is finite"),
    );
}
