//! The fraction of keys that move when one node joins n nodes, or one of n + 1 leaves, for
//! modulo placement, the ring (1 and 100 virtual nodes) and rendezvous hashing, against the
//! ideal 1/(n+1): the share of the one node that changed.

use sysdesign::chart::LineChart;
use sysdesign::hashing::{
    HashRing, ModuloPlacement, Placement, Rendezvous, remapped_fraction, sample_keys,
};
use sysdesign::show::{self, Table};

const KEYS: usize = 100_000;
const SIZES: [usize; 6] = [2, 4, 8, 16, 32, 64];

fn scheme(name: &str) -> Box<dyn Placement> {
    match name {
        "modulo" => Box::new(ModuloPlacement::new()),
        "ring, 1 vnode" => Box::new(HashRing::new(1)),
        "ring, 100 vnodes" => Box::new(HashRing::new(100)),
        "ring, 200 vnodes" => Box::new(HashRing::new(200)),
        _ => Box::new(Rendezvous::new()),
    }
}

/// (moved on a join of node n to nodes 0..n, moved when node 0 of 0..=n leaves).
fn moved(name: &str, n: usize, keys: &[Vec<u8>]) -> (f64, f64) {
    let nodes: Vec<String> = (0..=n).map(|i| format!("node-{i}")).collect();
    let mut small = scheme(name);
    let mut large = scheme(name);
    for node in &nodes[..n] {
        small.add_node(node);
    }
    for node in &nodes {
        large.add_node(node);
    }
    let join = remapped_fraction(small.as_ref(), large.as_ref(), keys);
    let mut after_leave = scheme(name);
    for node in &nodes[1..] {
        after_leave.add_node(node);
    }
    let leave = remapped_fraction(large.as_ref(), after_leave.as_ref(), keys);
    (join, leave)
}

fn main() {
    let keys = sample_keys(KEYS);
    let names = [
        "modulo",
        "ring, 1 vnode",
        "ring, 100 vnodes",
        "ring, 200 vnodes",
        "rendezvous",
    ];
    let mut headers = vec!["n → n+1".to_string(), "ideal 1/(n+1)".to_string()];
    headers.extend(names.iter().map(|n| n.to_string()));
    let mut joins = Table::new(headers.clone());
    let mut leaves = Table::new(headers);
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); names.len() + 1];
    let mut one_point: Vec<(String, f64)> = Vec::new();
    for n in SIZES {
        let ideal = 1.0 / (n + 1) as f64;
        curves[names.len()].push((n as f64, ideal));
        let mut join_row = vec![format!("{n} → {}", n + 1), format!("{ideal:.3}")];
        let mut leave_row = join_row.clone();
        leave_row[0] = format!("{} → {n}", n + 1);
        for (i, name) in names.iter().enumerate() {
            let (join, leave) = moved(name, n, &keys);
            if *name == "ring, 1 vnode" {
                // The one-point ring's erratic moves, quoted by the chapter as percentages.
                if matches!(n, 8 | 32) {
                    one_point.push((format!("one_point_join_{n}"), 100.0 * join));
                }
                if n == 16 {
                    one_point.push(("one_point_leave_17".to_string(), 100.0 * leave));
                }
            }
            curves[i].push((n as f64, join));
            join_row.push(format!("{join:.3}"));
            leave_row.push(format!("{leave:.3}"));
        }
        joins.push(join_row);
        leaves.push(leave_row);
    }
    show::table(&joins.caption(format!(
        "fraction of {KEYS} keys that move when one node joins"
    )));
    show::table(&leaves.caption(format!(
        "fraction of {KEYS} keys that move when one node leaves"
    )));

    let mut chart = LineChart::new(format!("Keys moved when one node joins n ({KEYS} keys)"))
        .x_label("n, nodes before the join (log scale)")
        .y_label("fraction of keys moved")
        .log_x()
        .y_range(0.0..1.0);
    for (name, curve) in names.iter().chain(&["ideal 1/(n+1)"]).zip(curves) {
        chart = chart.series(*name, curve);
    }
    show::svg(
        "remapped_keys",
        "Fraction of keys remapped on a join, by scheme, against the ideal 1/(n+1)",
        chart.to_svg().expect("every point is finite and positive"),
    );

    // The figures the chapter's claims rest on, at n = 10, as named values the prose quotes.
    let n = 10;
    let ideal = 1.0 / (n + 1) as f64;
    for (name, key) in [
        ("ring, 100 vnodes", "ring_100"),
        ("ring, 200 vnodes", "ring_200"),
        ("rendezvous", "rendezvous"),
    ] {
        let (join, _) = moved(name, n, &keys);
        show::value(&format!("{key}_ratio_10"), format!("{:.2}", join / ideal));
    }
    let (join, _) = moved("modulo", n, &keys);
    show::value("modulo_moved_10", format!("{join:.4}"));
    show::value("modulo_expected_10", format!("{:.4}", 1.0 - ideal));
    for (name, percent) in one_point {
        show::value(&name, format!("{percent:.1}"));
    }
}
