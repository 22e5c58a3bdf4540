//! Push gossip on a complete graph: one node knows a rumour; in each round every node that knows
//! it tells `fanout` others chosen at random (it may pick one that already knows). No node
//! coordinates, and the rumour reaches all N nodes in about log₂ N + ln N rounds for a fanout of
//! one (Frieze and Grimmett 1985, Pittel 1987).

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// How one rumour spread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spread {
    /// Rounds until every node knew (0 when there is one node).
    pub rounds: u32,
    /// Nodes informed after each round, starting with the 1 of round 0.
    pub informed: Vec<usize>,
    /// Messages sent in all (each informed node sends `fanout` per round).
    pub messages: u64,
}

// ANCHOR: push
/// Spreads a rumour from node 0 among `nodes` nodes by push gossip, each informed node telling
/// `fanout` random other nodes per round, until all know or `max_rounds` have passed.
/// Returns None if `nodes` or `fanout` is zero, or the rumour had not reached everyone by then.
///
/// ```
/// use sysdesign::peer_to_peer::push_gossip;
/// let spread = push_gossip(1_000, 1, 7, 100).unwrap();
/// assert_eq!(spread.informed.last(), Some(&1_000));
/// let (log2, ln) = (1_000f64.log2(), 1_000f64.ln()); // 9.97 and 6.91
/// assert!(f64::from(spread.rounds) >= log2);          // it can at most double per round
/// assert!(f64::from(spread.rounds) <= log2 + ln + 6.0);
/// ```
pub fn push_gossip(nodes: usize, fanout: usize, seed: u64, max_rounds: u32) -> Option<Spread> {
    if nodes == 0 || fanout == 0 {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut knows = vec![false; nodes];
    knows[0] = true;
    let mut knowing = vec![0usize]; // the informed nodes, in the order they learned
    let mut spread = Spread {
        rounds: 0,
        informed: vec![1],
        messages: 0,
    };
    while knowing.len() < nodes {
        if spread.rounds == max_rounds {
            return None;
        }
        spread.rounds += 1;
        // Only nodes informed before this round send in it.
        let mut newly = vec![];
        for &sender in &knowing {
            for _ in 0..fanout {
                // A uniform pick among the other nodes.
                let mut target = rng.random_range(0..nodes - 1);
                if target >= sender {
                    target += 1;
                }
                spread.messages += 1;
                if !knows[target] {
                    knows[target] = true;
                    newly.push(target);
                }
            }
        }
        knowing.extend(newly);
        spread.informed.push(knowing.len());
    }
    Some(spread)
}
// ANCHOR_END: push

// ANCHOR: past_pittel
/// log2 N + ln N: where push gossip with fanout 1 among `nodes` nodes finishes, give or take a
/// few rounds (Pittel 1987): log2 N rounds while the informed double, ln N more to find the
/// last few.
///
/// ```
/// use sysdesign::peer_to_peer::pittel_rounds;
/// assert!((pittel_rounds(1_024) - (10.0 + 1_024f64.ln())).abs() < 1e-12);
/// ```
pub fn pittel_rounds(nodes: usize) -> f64 {
    let n = nodes as f64;
    n.log2() + n.ln()
}

/// How many rounds past [`pittel_rounds`] each spread with fanout 1 among `nodes` nodes took,
/// one per seed `0..seeds`, sorted from fastest to slowest: the distribution that the mean and
/// a bound both summarise.
///
/// ```
/// use sysdesign::peer_to_peer::rounds_past_pittel;
/// let past = rounds_past_pittel(100, 50);
/// assert_eq!(past.len(), 50);
/// assert!(past.is_sorted_by(|a, b| a <= b));
/// ```
pub fn rounds_past_pittel(nodes: usize, seeds: u64) -> Vec<f64> {
    let mut past: Vec<f64> = (0..seeds)
        .map(|seed| {
            let spread = push_gossip(nodes, 1, seed, 1_000).expect("N ≥ 1 finishes");
            f64::from(spread.rounds) - pittel_rounds(nodes)
        })
        .collect();
    past.sort_by(f64::total_cmp);
    past
}
// ANCHOR_END: past_pittel
