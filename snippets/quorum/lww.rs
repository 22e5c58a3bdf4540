//! Last writer wins, by the coordinator's clock, on three replicas with R = W = 2. Node 1's clock
//! runs 50 ms behind. First two writes one after the other, the second through node 1; then two
//! writes at the same instant through nodes 0 and 1, with clocks in step. Seeded, so the same
//! every run.

use sysdesign::cap_pacelc::history::{Model, check};
use sysdesign::cap_pacelc::history_of;
use sysdesign::replicated::script::{Step, play};
use sysdesign::replicated::{Config, Sim, Time};
use sysdesign::show::{self, Table};

// ANCHOR: script
const SEQUENTIAL: [(Time, Step); 3] = [
    (100, Step::Write(0, 1)),
    (120, Step::Write(1, 2)), // starts after the first write was acknowledged
    (140, Step::Read(2)),
];
const CONCURRENT: [(Time, Step); 3] = [
    (100, Step::Write(0, 1)),
    (100, Step::Write(1, 2)), // at the same instant, through another node
    (140, Step::Read(2)),
];

/// A script of timed steps.
type Script = &'static [(Time, Step)];

fn store(skew: i64) -> Sim {
    let config = Config::new(3, 3, 2, 2)
        .expect("2 of 3")
        .delay(1, 3)
        .clock_offset(1, skew); // node 1's clock is `skew` ms off
    Sim::new(config, 5).expect("valid")
}
// ANCHOR_END: script

fn main() {
    let mut table = Table::new(["case", "t (ms)", "step", "answer", "x at nodes 0 1 2"]);
    let cases: [(&str, Script, i64); 2] = [
        (
            "one after the other, node 1's clock 50 ms behind",
            &SEQUENTIAL,
            -50,
        ),
        ("at the same instant, clocks in step", &CONCURRENT, 0),
    ];
    for (case, script, skew) in cases {
        let mut sims = [store(skew)];
        let rows = play(&mut sims, script, 160, 3);
        for ((at, step), cells) in script.iter().zip(&rows) {
            let cell = &cells[0];
            table.push([
                case.to_string(),
                at.to_string(),
                step.to_string(),
                cell.answer.clone(),
                cell.replicas.clone(),
            ]);
        }
        let history = history_of(sims[0].ops(), "x");
        let verdict = check(&history, Model::Linearizable).expect("a short history");
        show::value(
            &format!("linearizable_skew_{}", skew.unsigned_abs()),
            verdict.allowed,
        );
    }
    show::table(&table.caption("both writes are acknowledged; only one survives"));
}
