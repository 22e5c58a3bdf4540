//! 20,000 seeded commands on 100 accounts through an event store, for four snapshot intervals:
//! how many events a restart replays, and whether the state it rebuilds equals a replay of
//! every event. Then one account's balance at three points of its history.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::event_streams::{Command, EventStore, replay};
use sysdesign::show::{self, Table};

fn commands(n: usize, seed: u64) -> Vec<Command> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out: Vec<Command> = (0..100)
        .map(|a| Command::Open(format!("acct-{a}")))
        .collect();
    for _ in 0..n {
        let account = format!("acct-{}", rng.random_range(0..100));
        let amount = rng.random_range(1..=100) * 100;
        out.push(if rng.random_bool(0.6) {
            Command::Deposit(account, amount)
        } else {
            Command::Withdraw(account, amount)
        });
    }
    out
}

fn main() {
    let mut table = Table::new([
        "snapshot every",
        "events",
        "refused commands",
        "snapshots",
        "events replayed on restart",
        "equals full replay",
    ]);
    let mut kept = None;
    for every in [0, 5_000, 1_000, 100] {
        // ANCHOR: store
        let mut store = EventStore::new(every);
        let refused = commands(20_000, 5)
            .into_iter()
            .filter(|c| store.handle(c.clone()).is_err())
            .count();
        let (state, replayed) = store.load();
        // ANCHOR_END: store
        let same = state == replay(store.events());
        if every == 1_000 {
            show::value("replayed_every_1000", replayed);
        }
        table.push([
            if every == 0 {
                "never".to_string()
            } else {
                every.to_string()
            },
            store.events().len().to_string(),
            refused.to_string(),
            store.snapshots().len().to_string(),
            replayed.to_string(),
            if same { "yes" } else { "NO" }.to_string(),
        ]);
        kept = Some(store);
    }
    show::table(&table.caption("20,000 deposits and withdrawals on 100 accounts (seeded)"));
    let store = kept.expect("the loop ran");
    let n = store.events().len();
    let mut history = Table::new(["after event", "acct-7 balance (cents)"]);
    for version in [n / 4, n / 2, n] {
        let balance = store.as_of(version).get("acct-7").copied().unwrap_or(0);
        history.push([version.to_string(), balance.to_string()]);
    }
    show::table(&history.caption("the same log, read as of three versions"));
}
