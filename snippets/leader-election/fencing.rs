//! Two nodes, 1 s leases, node 0 the leader. At t = 1,005 ms, just after node 0 checked its lease
//! and before its write goes out, node 0 freezes for 2 s (a long garbage-collection pause). Node 1
//! takes over when the lease expires. Node 0 wakes at 3,005 ms and sends the write it had prepared,
//! with its old token. The same run twice: the storage ignoring tokens, then checking them.

use sysdesign::leader_election::{Election, stale_accepted};
use sysdesign::show::{self, Table};

// ANCHOR: run
fn paused_leader(fencing: bool) -> Election {
    let mut run = Election::paused_leader(fencing, 3_005);
    run.run_until(3_600);
    run
}
// ANCHOR_END: run

fn verdict(accepted: bool) -> String {
    if accepted { "applied" } else { "refused" }.to_string()
}

fn main() {
    let (unfenced, fenced) = (paused_leader(false), paused_leader(true));
    let mut table = Table::new([
        "arrives (ms)",
        "from node",
        "token",
        "token's lease still current",
        "no fencing",
        "fencing",
    ]);
    for (a, b) in unfenced
        .writes()
        .iter()
        .zip(fenced.writes())
        .filter(|(w, _)| w.at >= 600)
    {
        table.push([
            a.at.to_string(),
            a.node.to_string(),
            a.token.to_string(),
            if a.lease_current { "yes" } else { "no" }.to_string(),
            verdict(a.accepted),
            verdict(b.accepted),
        ]);
    }
    show::table(&table.caption("writes reaching the storage from t = 600 ms"));
    show::value("stale_accepted_unfenced", stale_accepted(unfenced.writes()));
    show::value("stale_accepted_fenced", stale_accepted(fenced.writes()));
}
