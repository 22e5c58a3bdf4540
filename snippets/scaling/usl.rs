//! Relative capacity of N nodes under three models: linear (no coordination), Amdahl's law
//! (3 % of the work serial) and the Universal Scalability Law (3 % contention plus a coherency
//! cost of 0.05 % per pair of nodes). Then the node count each model needs for a target.

use sysdesign::chart::LineChart;
use sysdesign::scaling::Usl;
use sysdesign::show::{self, Table};

// ANCHOR: models
const NODE_RPS: f64 = 2_000.0; // what one node serves alone

fn models() -> [(&'static str, Usl); 3] {
    [
        ("linear", Usl::new(0.0, 0.0).expect("valid costs")),
        (
            "Amdahl, σ = 0.03",
            Usl::new(0.03, 0.0).expect("valid costs"),
        ),
        (
            "USL, σ = 0.03, κ = 0.0005",
            Usl::new(0.03, 0.0005).expect("valid costs"),
        ),
    ]
}
// ANCHOR_END: models

fn main() {
    let models = models();
    let mut table = Table::new(["nodes", "linear", "Amdahl", "USL", "USL efficiency"]);
    for n in [1, 2, 4, 8, 16, 32, 44, 64, 128] {
        let c: Vec<f64> = models.iter().map(|(_, m)| m.capacity(n)).collect();
        table.push([
            n.to_string(),
            format!("{:.1}", c[0]),
            format!("{:.1}", c[1]),
            format!("{:.1}", c[2]),
            format!("{:.0}%", 100.0 * c[2] / f64::from(n)),
        ]);
    }
    show::table(&table.caption("relative capacity C(N): throughput of N nodes over one node's"));

    let usl = models[2].1;
    let peak = usl.peak().expect("κ > 0 has a peak");
    show::value("usl_peak_nodes", peak);
    show::value("usl_peak_capacity", format!("{:.1}", usl.capacity(peak)));
    show::value("amdahl_ceiling", format!("{:.0}", 1.0 / models[1].1.sigma));

    // ANCHOR: sizing
    let mut sizing = Table::new([
        "target (req/s)",
        "linear",
        "Amdahl",
        "USL",
        "USL over linear",
    ]);
    for target_rps in [10_000.0, 20_000.0, 25_000.0, 30_000.0] {
        let nodes: Vec<Option<u32>> = models
            .iter()
            .map(|(_, m)| m.nodes_for(target_rps / NODE_RPS))
            .collect();
        let show_nodes = |n: Option<u32>| n.map_or("unreachable".to_string(), |n| n.to_string());
        let ratio = match (nodes[0], nodes[2]) {
            (Some(l), Some(u)) => format!("{:.1}×", f64::from(u) / f64::from(l)),
            _ => "—".to_string(),
        };
        sizing.push([
            format!("{target_rps:.0}"),
            show_nodes(nodes[0]),
            show_nodes(nodes[1]),
            show_nodes(nodes[2]),
            ratio,
        ]);
        if target_rps == 20_000.0 {
            show::value("nodes_20k_linear", show_nodes(nodes[0]));
            show::value("nodes_20k_usl", show_nodes(nodes[2]));
        }
    }
    // ANCHOR_END: sizing
    show::table(&sizing.caption("nodes of 2,000 req/s each needed for a target throughput"));
    show::value(
        "usl_max_rps",
        format!("{:.0}", usl.capacity(peak) * NODE_RPS),
    );

    let mut chart = LineChart::new("Throughput against nodes")
        .x_label("nodes")
        .y_label("relative capacity C(N)");
    for (name, model) in &models {
        chart = chart.series(*name, (1..=128).map(|n| (f64::from(n), model.capacity(n))));
    }
    show::svg(
        "scaling-usl",
        "Linear scaling is the ideal; Amdahl's law flattens toward 1/σ; the USL peaks and then falls",
        chart
            .y_range(0.0..40.0)
            .to_svg()
            .expect("every point is finite"),
    );
}
