//! Four short histories of one register x, each checked against three consistency models, and
//! what the brute-force checker costs as histories grow.

use sysdesign::cap_pacelc::history::{Action, Model, Op, check};
use sysdesign::show::{self, Table};

// ANCHOR: histories
fn w(client: usize, v: i64, from: u64, to: u64) -> Op {
    Op::new(client, Action::Write(v), from, Some(to))
}

fn r(client: usize, got: Option<i64>, from: u64, to: u64) -> Op {
    Op::new(client, Action::Read(got), from, Some(to))
}

fn histories() -> Vec<(&'static str, Vec<Op>)> {
    vec![
        (
            "A: a read overlapping the write sees it, later reads too",
            vec![w(0, 1, 0, 10), r(1, Some(1), 5, 15), r(1, Some(1), 20, 25)],
        ),
        (
            "B: B reads nothing after A's write returned, then 1",
            vec![w(0, 1, 0, 10), r(1, None, 20, 25), r(1, Some(1), 30, 35)],
        ),
        (
            "C: A misses its own write, then sees it",
            vec![w(0, 1, 0, 10), r(0, None, 20, 25), r(0, Some(1), 30, 35)],
        ),
        (
            "D: C sees 1, then 2, then 1 again, forever",
            vec![
                w(0, 1, 0, 5),
                w(1, 2, 10, 15),
                r(2, Some(1), 50, 55),
                r(2, Some(2), 60, 65),
                r(2, Some(1), 70, 75),
            ],
        ),
    ]
}
// ANCHOR_END: histories

fn main() {
    let models = [
        Model::Linearizable,
        Model::Sequential,
        Model::Eventual { settled: 30 },
    ];
    let mut table = Table::new(["history", "linearizable", "sequential", "eventual"]);
    for (name, history) in histories() {
        let mut row = vec![name.to_string()];
        for model in models {
            let verdict = check(&history, model).expect("a short history");
            row.push(
                if verdict.allowed {
                    "allowed"
                } else {
                    "not allowed"
                }
                .to_string(),
            );
        }
        table.push(row);
    }
    show::table(
        &table.caption("clients 0, 1, 2 are A, B, C; eventual asks reads from 30 ms on to agree"),
    );

    // The worst case: k writes all overlapping, then a read of a value nobody wrote, so every
    // order must be ruled out.
    let mut cost = Table::new(["operations", "states visited", "orders without memory (n!)"]);
    for k in [3usize, 6, 9, 12, 15] {
        let mut history: Vec<Op> = (0..k).map(|i| w(i, i as i64 + 1, 0, 100)).collect();
        history.push(r(k, Some(-1), 200, 210));
        let verdict = check(&history, Model::Linearizable).expect("at most 20 operations");
        assert!(!verdict.allowed);
        let orders: f64 = (1..=history.len()).map(|i| i as f64).product();
        cost.push([
            history.len().to_string(),
            verdict.states.to_string(),
            format!("{orders:.3e}"),
        ]);
        if k == 15 {
            show::value("states_16", verdict.states);
            show::value("orders_16", format!("{orders:.1e}"));
        }
    }
    show::table(&cost.caption("cost of a linearizability check that must fail"));
}
