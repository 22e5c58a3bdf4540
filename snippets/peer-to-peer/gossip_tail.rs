//! The slow end of push gossip: 10,000 seeded spreads among 1,024 nodes, and how many went more
//! than k rounds past log2 N + ln N, the centre that Pittel's result gives.

use sysdesign::peer_to_peer::push_gossip;
use sysdesign::show::{self, Table};

const NODES: usize = 1 << 10;
const SEEDS: u64 = 10_000;

// ANCHOR: tail
/// Rounds past log2 N + ln N, one per seed, sorted.
fn beyond_theory(nodes: usize, seeds: u64) -> Vec<f64> {
    let n = nodes as f64;
    let mut beyond: Vec<f64> = (0..seeds)
        .map(|seed| {
            let spread = push_gossip(nodes, 1, seed, 1_000).expect("N ≥ 1 finishes");
            f64::from(spread.rounds) - (n.log2() + n.ln())
        })
        .collect();
    beyond.sort_by(f64::total_cmp);
    beyond
}
// ANCHOR_END: tail

fn main() {
    let beyond = beyond_theory(NODES, SEEDS);
    show::value("seeds", format!("{},{:03}", SEEDS / 1_000, SEEDS % 1_000)); // 1,000 to 999,999
    show::value("median", format!("{:+.1}", beyond[beyond.len() / 2]));
    show::value("most", format!("{:+.1}", beyond[beyond.len() - 1]));
    let mut tail = Table::new(["k", "spreads past log2 N + ln N + k", "share"]);
    for k in [0, 2, 4, 6, 8, 10] {
        let past = beyond.iter().filter(|&&b| b > f64::from(k)).count();
        tail.push([
            k.to_string(),
            past.to_string(),
            format!("{:.2} %", 100.0 * past as f64 / SEEDS as f64),
        ]);
        if k == 8 {
            show::value("past_8", past);
        }
    }
    show::table(&tail.caption("push gossip among 1,024 nodes, one seed per spread"));
}
