//! R = W = 2 of N = 3 on a cluster of five nodes: x lives on nodes 0, 1 and 2, and nodes 3 and 4
//! can stand in for them. The network splits {0, 1} from {2, 3, 4}. A strict quorum refuses the
//! write it cannot place on two of x's own replicas; a sloppy quorum places it on node 2 and two
//! stand-ins, which hold it as hints until the partition heals. Seeded, so the same every run.

use sysdesign::replicated::script::{Step, play, timeline};
use sysdesign::replicated::{Config, Sim, Time, stale_reads};
use sysdesign::show;

// ANCHOR: script
const SCRIPT: [(Time, Step); 7] = [
    (0, Step::Write(0, 1)),
    (20, Step::Partition(&[&[0, 1], &[2, 3, 4]])),
    (30, Step::Write(3, 2)),
    (50, Step::Read(0)),
    (70, Step::Heal),
    (71, Step::Read(0)),
    (100, Step::Read(0)),
];

fn stores() -> [Sim; 2] {
    let strict = Config::new(5, 3, 2, 2).expect("2 of 3").delay(1, 3);
    // Stand-ins try to hand their hints to the home replicas every 10 ms.
    let sloppy = Config::new(5, 3, 2, 2)
        .expect("2 of 3")
        .delay(1, 3)
        .sloppy();
    [
        Sim::new(strict, 3).expect("valid"),
        Sim::new(sloppy, 3).expect("valid"),
    ]
}
// ANCHOR_END: script

fn main() {
    let mut sims = stores();
    let rows = play(&mut sims, &SCRIPT, 120, 5);
    let table = timeline(
        &SCRIPT,
        &rows,
        &[
            ("strict answer", "strict: nodes 0-4"),
            ("sloppy answer", "sloppy: nodes 0-4"),
        ],
    );
    show::table(
        &table.caption("x as each node stores it (hints held for another node are not shown)"),
    );
    for (name, sim) in ["strict", "sloppy"].iter().zip(&sims) {
        let (reads, stale) = stale_reads(sim.ops());
        show::value(&format!("{name}_stale"), format!("{stale} of {reads}"));
    }
}
