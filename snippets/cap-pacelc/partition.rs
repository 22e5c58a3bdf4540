//! One script, two settings of the same three-replica store: majority quorums (CP) and
//! single-replica reads and writes with anti-entropy (AP). The network splits nodes 0 and 1 from
//! node 2, then heals. The replicas columns show what nodes 0, 1 and 2 hold when the next step
//! begins. Then each run's history is checked against three consistency models. Seeded, so the
//! same on every run.

use sysdesign::cap_pacelc::history::{Model, check};
use sysdesign::cap_pacelc::history_of;
use sysdesign::replicated::script::{Step, play, timeline};
use sysdesign::replicated::{Config, Sim, Time};
use sysdesign::show::{self, Table};

// ANCHOR: script
const SCRIPT: [(Time, Step); 10] = [
    (0, Step::Write(0, 1)),
    (20, Step::Partition(&[&[0, 1], &[2]])),
    (30, Step::Write(0, 2)),
    (50, Step::Read(2)),
    (70, Step::Write(2, 3)),
    (90, Step::Read(0)),
    (110, Step::Heal),
    (120, Step::Read(0)),
    (170, Step::Read(0)),
    (180, Step::Read(2)),
];

fn stores() -> [Sim; 2] {
    // Messages take 1 to 3 ms. The CP store repairs the replicas a read found behind; the AP
    // store pushes everything it holds to its peers every 50 ms.
    let cp = Config::new(3, 3, 2, 2)
        .expect("2 of 3")
        .delay(1, 3)
        .read_repair();
    let ap = Config::new(3, 3, 1, 1)
        .expect("1 of 3")
        .delay(1, 3)
        .anti_entropy(50);
    [
        Sim::new(cp, 7).expect("valid"),
        Sim::new(ap, 7).expect("valid"),
    ]
}
// ANCHOR_END: script

fn main() {
    let mut sims = stores();
    let rows = play(&mut sims, &SCRIPT, 200, 3);
    let table = timeline(
        &SCRIPT,
        &rows,
        &[("CP answer", "CP replicas"), ("AP answer", "AP replicas")],
    );
    show::table(&table.caption(
        "CP: R = W = 2 of 3 with read repair; AP: R = W = 1 of 3 with anti-entropy; replicas: x at nodes 0 1 2",
    ));

    let mut verdicts = Table::new(["store", "linearizable", "sequential", "eventual"]);
    for (name, sim) in ["CP", "AP"].iter().zip(&sims) {
        let history = history_of(sim.ops(), "x");
        let mut row = vec![name.to_string()];
        for model in [
            Model::Linearizable,
            Model::Sequential,
            Model::Eventual { settled: 170 },
        ] {
            let verdict = check(&history, model).expect("a short history");
            let word = if verdict.allowed {
                "allowed"
            } else {
                "not allowed"
            };
            row.push(format!("{word} ({} states)", verdict.states));
        }
        verdicts.push(row);
    }
    let refused = sims[0]
        .ops()
        .iter()
        .filter(|op| op.outcome.is_some_and(|o| !o.succeeded()))
        .count();
    show::value("cp_refused", refused);
    show::table(&verdicts.caption(
        "each run's history of x, checked; eventual asks the reads from 170 ms on to agree",
    ));
}
