//! Load spread (keys on the busiest node over the mean) against the number of virtual nodes
//! per node, on a ring of 10 nodes, with modulo and rendezvous placement as references.

use sysdesign::chart::LineChart;
use sysdesign::hashing::{
    HashRing, ModuloPlacement, Placement, Rendezvous, load_spread, sample_keys,
};
use sysdesign::show::{self, Table};

const NODES: usize = 10;
const KEYS: usize = 100_000;
const VIRTUAL_NODES: [usize; 9] = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/// Keys on the busiest node over the mean, for `placement` holding `NODES` nodes.
fn max_over_mean(mut placement: Box<dyn Placement>, keys: &[Vec<u8>]) -> f64 {
    let names: Vec<String> = (0..NODES).map(|i| format!("node-{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for node in &refs {
        placement.add_node(node);
    }
    load_spread(placement.as_ref(), &refs, keys).max_over_mean
}

fn main() {
    let keys = sample_keys(KEYS);
    let modulo = max_over_mean(Box::new(ModuloPlacement::new()), &keys);
    let rendezvous = max_over_mean(Box::new(Rendezvous::new()), &keys);

    let mut table = Table::new(["virtual nodes per node", "max / mean", "min / mean"]);
    let (mut ring_curve, mut modulo_curve, mut rendezvous_curve) = (vec![], vec![], vec![]);
    // The figures the chapter's prose quotes, by name.
    let mut quoted: Vec<(String, String)> = Vec::new();
    for vnodes in VIRTUAL_NODES {
        let spread = {
            let names: Vec<String> = (0..NODES).map(|i| format!("node-{i}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut ring = HashRing::new(vnodes);
            for node in &refs {
                ring.add_node(node);
            }
            load_spread(&ring, &refs, &keys)
        };
        table.push([
            vnodes.to_string(),
            format!("{:.3}", spread.max_over_mean),
            format!("{:.3}", spread.min_over_mean),
        ]);
        if matches!(vnodes, 1 | 100 | 500) {
            quoted.push((
                format!("max_{vnodes}"),
                format!("{:.2}", spread.max_over_mean),
            ));
        }
        if vnodes == 1 {
            quoted.push(("min_1".into(), format!("{:.2}", spread.min_over_mean)));
        }
        ring_curve.push((vnodes as f64, spread.max_over_mean));
        modulo_curve.push((vnodes as f64, modulo));
        rendezvous_curve.push((vnodes as f64, rendezvous));
    }
    show::table(&table.caption(format!(
        "ring of {NODES} nodes, {KEYS} keys; modulo gives max/mean {modulo:.3}, rendezvous {rendezvous:.3}"
    )));

    quoted.push(("modulo".into(), format!("{modulo:.3}")));
    quoted.push(("rendezvous".into(), format!("{rendezvous:.3}")));
    for (name, value) in quoted {
        show::value(&name, value);
    }

    let chart = LineChart::new(format!(
        "Busiest node's load over the mean ({NODES} nodes, {KEYS} keys)"
    ))
    .x_label("virtual nodes per node (log scale)")
    .y_label("max / mean keys per node")
    .log_x()
    .series("ring", ring_curve)
    .series("modulo", modulo_curve)
    .series("rendezvous", rendezvous_curve);
    show::svg(
        "load_spread",
        "Load spread on a consistent-hash ring against the number of virtual nodes",
        chart.to_svg().expect("every point is finite and positive"),
    );
}
