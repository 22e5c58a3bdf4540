//! Push gossip from one node to N, each informed node telling one random other node per round:
//! rounds until all know, 20 seeds per N, against log2 N, ln N and their sum.

use sysdesign::chart::LineChart;
use sysdesign::peer_to_peer::{pittel_rounds, push_gossip};
use sysdesign::show::{self, Table};

const SEEDS: u64 = 20;

// ANCHOR: sweep
/// The fewest, mean and most rounds over the seeds, for `nodes` nodes.
fn rounds(nodes: usize) -> (u32, f64, u32) {
    let runs: Vec<u32> = (0..SEEDS)
        .map(|seed| {
            push_gossip(nodes, 1, seed, 1_000)
                .expect("N ≥ 1 finishes")
                .rounds
        })
        .collect();
    let mean = f64::from(runs.iter().sum::<u32>()) / runs.len() as f64;
    (
        *runs.iter().min().expect("20 runs"),
        mean,
        *runs.iter().max().expect("20 runs"),
    )
}
// ANCHOR_END: sweep

fn main() {
    let mut table = Table::new([
        "N",
        "fewest",
        "mean",
        "most",
        "log2 N",
        "ln N",
        "log2 N + ln N",
    ]);
    let mut series: [Vec<(f64, f64)>; 4] = Default::default();
    for power in [2, 4, 6, 8, 10, 12, 14, 16] {
        let nodes = 1usize << power;
        let (fewest, mean, most) = rounds(nodes);
        let n = nodes as f64;
        table.push([
            nodes.to_string(),
            fewest.to_string(),
            format!("{mean:.1}"),
            most.to_string(),
            format!("{:.1}", n.log2()),
            format!("{:.1}", n.ln()),
            format!("{:.1}", pittel_rounds(nodes)),
        ]);
        for (points, y) in series
            .iter_mut()
            .zip([mean, n.log2(), n.ln(), pittel_rounds(nodes)])
        {
            points.push((n, y));
        }
        if nodes == 1 << 10 {
            show::value("mean_1024", format!("{mean:.1}"));
        }
        if nodes == 1 << 16 {
            show::value("mean_65536", format!("{mean:.1}"));
            show::value("most_65536", most);
        }
    }
    show::table(&table.caption("rounds until every node knows, push gossip, 20 seeds per N"));
    let [mean, log2, ln, sum] = series;
    let chart = LineChart::new("Push gossip: rounds until all N nodes know")
        .x_label("nodes N")
        .y_label("rounds")
        .series("simulated (mean of 20)", mean)
        .series("log2 N + ln N", sum)
        .series("log2 N", log2)
        .series("ln N", ln)
        .log_x()
        .to_svg()
        .expect("finite, positive points");
    show::svg("gossip_rounds", "Rounds against N, on a log scale", chart);
}
