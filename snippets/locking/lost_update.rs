//! Two clients increment one counter by reading it and writing back the value plus one.
//! First one unlucky interleaving step by step, blind write against compare-and-set; then
//! 1,000 seeded random interleavings of 4 clients making 25 increments each.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::locking::{Step, WriteMode, increments};
use sysdesign::show::{self, Table};

fn describe(step: &Step) -> String {
    let name = |c: &usize| ["A", "B", "C", "D"][*c % 4];
    match step {
        Step::Read {
            client,
            value,
            version,
        } => {
            format!("{} reads {value} (version {version})", name(client))
        }
        Step::Wrote { client, value } => format!("{} writes {value}", name(client)),
        Step::Refused { client, conflict } => format!(
            "{} refused: read version {}, now {}",
            name(client),
            conflict.expected,
            conflict.current
        ),
    }
}

const CLIENTS: usize = 4;
const EACH: u32 = 25;
const RUNS: u32 = 1_000;

#[derive(Default)]
struct Totals {
    acknowledged: u64,
    finals: i64,
    lost: u64,
    losing_runs: u64,
    retries: u64,
}

// ANCHOR: random
/// `RUNS` random interleavings (the same seeded ones for both modes), summed.
fn sweep(mode: WriteMode) -> Totals {
    let mut rng = StdRng::seed_from_u64(19);
    let mut t = Totals::default();
    for _ in 0..RUNS {
        let schedule: Vec<usize> = (0..400).map(|_| rng.random_range(0..CLIENTS)).collect();
        let run = increments(CLIENTS, EACH, &schedule, mode);
        t.acknowledged += run.acknowledged;
        t.finals += run.final_value;
        t.lost += run.lost;
        t.losing_runs += u64::from(run.lost > 0);
        t.retries += run.retries;
    }
    t
}
// ANCHOR_END: random

fn main() {
    // ANCHOR: unlucky
    // A reads, B reads, A writes, B writes: the classic lost update.
    let schedule = [0, 1, 0, 1];
    let blind = increments(2, 1, &schedule, WriteMode::Blind);
    let cas = increments(2, 1, &schedule, WriteMode::CompareAndSet);
    // ANCHOR_END: unlucky
    let mut table = Table::new(["step", "blind write", "compare-and-set"]);
    for i in 0..blind.steps.len().max(cas.steps.len()) {
        table.push([
            (i + 1).to_string(),
            blind.steps.get(i).map(describe).unwrap_or_default(),
            cas.steps.get(i).map(describe).unwrap_or_default(),
        ]);
    }
    show::table(&table);
    show::value("blind_final", blind.final_value);
    show::value("cas_final", cas.final_value);

    let mut totals = Table::new([
        "writes",
        "interleavings",
        "increments acknowledged",
        "final values (sum)",
        "lost updates",
        "runs losing some",
        "retries",
    ]);
    for mode in [WriteMode::Blind, WriteMode::CompareAndSet] {
        let t = sweep(mode);
        if mode == WriteMode::Blind {
            show::value("blind_lost", t.lost);
            show::value("blind_losing_runs", t.losing_runs);
        }
        totals.push([
            format!("{mode:?}"),
            RUNS.to_string(),
            t.acknowledged.to_string(),
            t.finals.to_string(),
            t.lost.to_string(),
            t.losing_runs.to_string(),
            t.retries.to_string(),
        ]);
    }
    show::table(&totals);
}
