//! An iterative resolver with a cache, on a simulated clock: a cold lookup walks the tree from
//! the root, a repeated one is answered from the cache, and one after the answer's TTL starts
//! from the cached delegation.

use std::net::Ipv4Addr;
use std::time::Duration;
use sysdesign::client_server::{Resolver, sequence_diagram};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: lookups
    let s = Duration::from_secs;
    let mut resolver = Resolver::new(s(60))
        .delegate("com", s(172_800))
        .delegate("example.com", s(86_400))
        .record("www.example.com", Ipv4Addr::new(203, 0, 113, 10), s(300))
        .record("api.example.com", Ipv4Addr::new(203, 0, 113, 20), s(60));
    let plan = [
        (s(0), "www.example.com"),
        (s(30), "www.example.com"),
        (s(310), "www.example.com"),
        (s(320), "api.example.com"),
    ];
    let lookups: Vec<_> = plan
        .iter()
        .map(|&(t, name)| (t, resolver.resolve(name, t)))
        .collect();
    // ANCHOR_END: lookups

    show::mermaid(&sequence_diagram(&lookups));
    let mut table = Table::new(["time", "name", "answer", "queries to name servers"]);
    for ((t, name), (_, lookup)) in plan.iter().zip(&lookups) {
        let answer = lookup
            .answer
            .map_or("NXDOMAIN".to_string(), |a| a.to_string());
        table.push([
            format!("{} s", t.as_secs()),
            name.to_string(),
            answer,
            lookup.upstream_queries.to_string(),
        ]);
    }
    show::table(&table.caption("What each lookup cost the resolver"));
}
