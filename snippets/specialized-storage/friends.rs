//! A social network of 10,000 people grown by preferential attachment (each newcomer befriends
//! 5 people, popular ones likelier). How many people lie 1, 2 and 3 hops away, for a typical
//! person and for the best-connected one, and the friend suggestions for one person. Seeded.

use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::preferential_attachment;

fn main() {
    // ANCHOR: suggest
    let graph = preferential_attachment(10_000, 5, 21);
    let me = 4_321;
    let suggestions = graph.friends_of_friends(me).expect("user 4321 exists");
    // ANCHOR_END: suggest
    let mut top = Table::new(["suggested user", "mutual friends"]);
    for s in suggestions.iter().take(5) {
        top.push([s.user.to_string(), s.mutual.to_string()]);
    }
    show::table(&top.caption(format!(
        "user {me} has {} friends and {} friends of friends; the top 5 by mutual friends",
        graph.friends(me).map_or(0, <[u32]>::len),
        suggestions.len()
    )));

    let mut degrees: Vec<(usize, u32)> = (0..graph.len() as u32)
        .map(|u| (graph.friends(u).map_or(0, <[u32]>::len), u))
        .collect();
    degrees.sort();
    let median = degrees[degrees.len() / 2];
    let hub = degrees[degrees.len() - 1];
    let mut reach = Table::new(["person", "friends", "1 hop", "2 hops", "3 hops"]);
    for (who, (deg, u)) in [("median", median), ("most connected", hub)] {
        let r = graph.reach(u, 3).expect("the user exists");
        if who == "median" {
            show::value("median_friends", deg);
            show::value("median_2_hops", r[2]);
            show::value("median_3_hops", r[3]);
        } else {
            show::value("hub_2_hops", r[2]);
        }
        reach.push([
            format!("{who} (user {u})"),
            deg.to_string(),
            r[1].to_string(),
            r[2].to_string(),
            r[3].to_string(),
        ]);
    }
    show::table(&reach.caption("people first reached at each hop, breadth-first, of 10,000"));
}
