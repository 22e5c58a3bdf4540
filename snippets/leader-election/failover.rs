//! Three nodes and a lease store. Leases last 1 s; each node runs its loop every 200 ms (renew,
//! or try to take the lease); messages take 1 to 10 ms; clocks drift up to 1%. Node 0 wins the
//! first lease, then crashes at t = 2 s. Seeded, so the same every run.

use sysdesign::leader_election::{Election, ElectionConfig, Fault};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: setup
    let config = ElectionConfig {
        clock_ppm: vec![8_000, -10_000, 3_000],
        ..ElectionConfig::new(3, 1_000)
    };
    let crash = Fault::Crash { node: 0, at: 2_000 };
    let mut run = Election::new(config, vec![crash], 11);
    run.run_until(5_000);
    // ANCHOR_END: setup
    let mut grants = Table::new(["granted at (ms)", "node", "fencing token"]);
    for grant in run.grants() {
        grants.push([
            grant.at.to_string(),
            grant.node.to_string(),
            grant.token.to_string(),
        ]);
    }
    show::table(&grants.caption("leases the store granted (renewals keep the token)"));
    let mut terms = Table::new(["node", "token", "believes it leads from (ms)", "until (ms)"]);
    for term in run.terms() {
        terms.push([
            term.node.to_string(),
            term.token.to_string(),
            term.from.to_string(),
            term.until.to_string(),
        ]);
    }
    show::table(&terms.caption("when each node believed it held the lease, by its own clock"));
    let old = run
        .terms()
        .into_iter()
        .find(|t| t.node == 0)
        .map_or(0, |t| t.until);
    let new = run
        .terms()
        .into_iter()
        .find(|t| t.node != 0)
        .map_or(0, |t| t.from);
    show::value("takeover_after_crash_ms", new.saturating_sub(2_000));
    show::value("leaderless_ms", new.saturating_sub(old));
}
