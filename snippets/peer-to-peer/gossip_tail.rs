//! The slow end of push gossip: 10,000 seeded spreads among 1,024 nodes, and how many went more
//! than k rounds past log2 N + ln N, the centre that Pittel's result gives.

use sysdesign::peer_to_peer::rounds_past_pittel;
use sysdesign::show::{self, Table};

const NODES: usize = 1 << 10;
const SEEDS: u64 = 10_000;

fn main() {
    // ANCHOR: tail
    let beyond = rounds_past_pittel(NODES, SEEDS);
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
    // ANCHOR_END: tail
    show::table(&tail.caption("push gossip among 1,024 nodes, one seed per spread"));
}
