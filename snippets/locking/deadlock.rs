//! Two threads, two locks, taken in opposite orders: real threads detect the deadlock with a
//! bounded `try_lock`; a step-by-step simulation finds the cycle in the wait-for graph; taking the
//! locks in one global order removes it.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::locking::{
    LockRun, in_lock_order, opposite_order_threads, same_order_threads, simulate,
};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: threads
    let opposite = opposite_order_threads(10_000);
    let same = same_order_threads(10_000);
    // ANCHOR_END: threads
    show::value("opposite_got_second", format!("{opposite:?}"));
    show::value("same_order_rounds", format!("{same:?}"));

    // ANCHOR: simulate
    let plans = [vec![0, 1], vec![1, 0]];
    let run = simulate(&plans, &[0, 1, 0, 1]);
    // ANCHOR_END: simulate
    show::value("opposite_simulated", format!("{run:?}"));
    if let LockRun::Deadlock { cycle, .. } = &run {
        let mut graph = String::from("flowchart LR\n");
        for (i, t) in cycle.iter().enumerate() {
            let next = cycle[(i + 1) % cycle.len()];
            graph.push_str(&format!(
                "  T{t}[\"thread {t}, holds lock {t}\"] -- \"waits for lock {next}\" --> T{next}\n"
            ));
        }
        show::mermaid(&graph);
    }

    // Random plans (each thread 2 to 4 of 5 locks) and random schedules, as written and ordered.
    let mut rng = StdRng::seed_from_u64(5);
    let mut table = Table::new(["locks taken", "runs", "deadlocked", "finished"]);
    let mut counts = [[0u32; 2]; 2];
    for _ in 0..1_000 {
        let plans: Vec<Vec<usize>> = (0..3)
            .map(|_| {
                let mut plan: Vec<usize> = (0..5).collect();
                for i in (1..plan.len()).rev() {
                    plan.swap(i, rng.random_range(0..=i));
                }
                plan.truncate(rng.random_range(2..=4));
                plan
            })
            .collect();
        let schedule: Vec<usize> = (0..40).map(|_| rng.random_range(0..3)).collect();
        for (row, plans) in [plans.clone(), in_lock_order(&plans)].iter().enumerate() {
            let deadlocked = matches!(simulate(plans, &schedule), LockRun::Deadlock { .. });
            counts[row][usize::from(!deadlocked)] += 1;
        }
    }
    for (name, [dead, done]) in ["in each thread's own order", "in one global order"]
        .iter()
        .zip(counts)
    {
        table.push([
            name.to_string(),
            (dead + done).to_string(),
            dead.to_string(),
            done.to_string(),
        ]);
    }
    show::table(&table);
}
