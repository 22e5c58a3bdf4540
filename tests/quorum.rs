//! Quorums on the simulated store: R + W > N gives no stale read on any schedule the model
//! allows, and sloppy quorums and skewed last-writer-wins clocks step outside it.

use proptest::prelude::*;
use sysdesign::quorum::sweep;
use sysdesign::replicated::script::{Step, play};
use sysdesign::replicated::{Config, Outcome, Sim, Workload, stale_reads};

/// One thing that happens at a time: an operation, or a change to the network.
#[derive(Clone, Debug)]
enum Event {
    Write(usize),
    Read(usize),
    Partition(Vec<usize>), // the nodes on one side
    Heal,
}

fn schedule() -> impl Strategy<Value = Vec<(u64, Event)>> {
    let event = prop_oneof![
        4 => (0usize..7).prop_map(Event::Write),
        6 => (0usize..7).prop_map(Event::Read),
        1 => prop::collection::vec(0usize..7, 1..4).prop_map(Event::Partition),
        1 => Just(Event::Heal),
    ];
    prop::collection::vec((0u64..8, event), 1..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    // ANCHOR: overlap
    /// Random N, R and W with R + W > N, random delays, timeouts, clock offsets, repairs,
    /// partitions and schedules: no answered read is older than a write acknowledged before it.
    #[test]
    fn overlapping_strict_quorums_never_return_a_stale_read(
        n in 1usize..=5,
        extra in 0usize..=2,
        r_pick in 0usize..5,
        w_pick in 0usize..5,
        delay in (0u64..5, 0u64..30),
        timeout in 1u64..60,
        offsets in prop::collection::vec(-100i64..100, 7),
        read_repair: bool,
        anti_entropy in prop::option::of(1u64..40),
        events in schedule(),
        seed: u64,
    ) {
        let r = 1 + r_pick % n;
        let w = (n + 1 - r).max(1 + w_pick % n).min(n); // R + W > N
        prop_assume!(r + w > n);
        let nodes = n + extra;
        let mut config = Config::new(nodes, n, r, w).unwrap()
            .delay(delay.0, delay.0 + delay.1)
            .timeout(timeout);
        for (node, &offset) in offsets.iter().enumerate().take(nodes) {
            config = config.clock_offset(node, offset);
        }
        if read_repair { config = config.read_repair(); }
        if let Some(period) = anti_entropy { config = config.anti_entropy(period); }
        let mut sim = Sim::new(config, seed).unwrap();
        let (mut at, mut value) = (0, 0);
        for (gap, event) in events {
            at += gap;
            sim.run_until(at);
            match event {
                Event::Write(node) => { value += 1; sim.write(at, node % nodes, "x", value).unwrap(); }
                Event::Read(node) => { sim.read(at, node % nodes, "x").unwrap(); }
                Event::Partition(side) => {
                    let side: Vec<usize> = side.into_iter().map(|node| node % nodes).collect();
                    sim.partition(&[&side]);
                }
                Event::Heal => sim.heal(),
            }
        }
        sim.run_until(at + 200);
        let (_, stale) = stale_reads(sim.ops());
        prop_assert_eq!(stale, 0);
    }
    // ANCHOR_END: overlap
}

#[test]
fn without_overlap_some_reads_are_stale() {
    let workload = Workload {
        ops: 2_000,
        write_share: 0.3,
        mean_gap: 2,
        at_replicas: true,
    };
    let rows = sweep(
        3,
        |n, r, w| Config::new(n, n, r, w).map(|c| c.delay(1, 20)),
        workload,
        1,
    )
    .unwrap();
    for row in rows {
        if row.r + row.w > 3 {
            assert_eq!(row.summary.stale_reads, 0, "R = {}, W = {}", row.r, row.w);
        } else {
            assert!(row.summary.stale_reads > 0, "R = {}, W = {}", row.r, row.w);
        }
    }
}

#[test]
fn a_sloppy_quorum_acknowledges_a_write_that_a_later_quorum_read_misses() {
    let sloppy = Config::new(5, 3, 2, 2).unwrap().sloppy();
    let strict = Config::new(5, 3, 2, 2).unwrap();
    let script = [
        (0, Step::Write(0, 1)),
        (20, Step::Partition(&[&[0, 1], &[2, 3, 4]])),
        (30, Step::Write(3, 2)),
        (50, Step::Read(0)),
        (70, Step::Heal),
        (100, Step::Read(0)),
    ];
    let mut sims = [Sim::new(strict, 1).unwrap(), Sim::new(sloppy, 1).unwrap()];
    play(&mut sims, &script, 120, 5);
    let [strict, sloppy] = &sims;
    assert!(matches!(
        strict.op(1).outcome,
        Some(Outcome::Unavailable {
            reachable: 1,
            needed: 2
        })
    ));
    assert_eq!(stale_reads(strict.ops()), (2, 0));
    assert!(matches!(sloppy.op(1).outcome, Some(Outcome::Written(_))));
    // The read during the partition misses the acknowledged write; after handoff it sees it.
    assert_eq!(stale_reads(sloppy.ops()), (2, 1));
    assert_eq!(sloppy.stored(0, "x").map(|v| v.value), Some(2));
    assert_eq!(sloppy.hints_held(3) + sloppy.hints_held(4), 0);
}

#[test]
fn last_writer_wins_on_a_slow_clock_loses_the_later_acknowledged_write() {
    let config = Config::new(3, 3, 2, 2).unwrap().clock_offset(1, -50);
    let mut sim = Sim::new(config, 1).unwrap();
    let first = sim.write(100, 0, "x", 1).unwrap();
    let second = sim.write(120, 1, "x", 2).unwrap();
    let read = sim.read(140, 2, "x").unwrap();
    sim.run_until(200);
    assert!(sim.op(first).completed < Some(120));
    assert!(matches!(sim.op(second).outcome, Some(Outcome::Written(_))));
    assert!(matches!(sim.op(read).outcome, Some(Outcome::Read(Some(v))) if v.value == 1));
    // By stamps nothing is stale: the write with the larger stamp is the one kept.
    assert_eq!(stale_reads(sim.ops()), (1, 0));
}

#[test]
fn a_quorum_that_cannot_be_reached_is_refused_at_once() {
    let mut sim = Sim::new(Config::new(3, 3, 2, 2).unwrap(), 1).unwrap();
    sim.partition(&[&[2]]);
    let write = sim.write(0, 2, "x", 1).unwrap();
    sim.run_until(10);
    assert_eq!(sim.op(write).completed, Some(0));
    assert_eq!(sim.stored(2, "x"), None, "a refused write is never applied");
}

#[test]
fn a_partition_that_starts_mid_write_times_out() {
    let mut sim = Sim::new(Config::new(3, 3, 3, 3).unwrap().delay(5, 5).timeout(20), 1).unwrap();
    let write = sim.write(0, 0, "x", 1).unwrap();
    sim.run_until(1);
    sim.partition(&[&[0]]);
    sim.run_until(50);
    assert!(matches!(
        sim.op(write).outcome,
        Some(Outcome::TimedOut { got: 1, needed: 3 })
    ));
    assert_eq!(sim.op(write).completed, Some(20));
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let workload = Workload {
        ops: 300,
        write_share: 0.5,
        mean_gap: 1,
        at_replicas: false,
    };
    let run = |seed| {
        let config = Config::new(5, 3, 1, 2)
            .unwrap()
            .delay(0, 9)
            .read_repair()
            .anti_entropy(7);
        sysdesign::replicated::run_workload(config, workload, seed)
            .unwrap()
            .ops()
            .to_vec()
    };
    assert_eq!(run(4), run(4));
    assert_ne!(run(4), run(5));
}

#[test]
fn bad_configurations_are_refused_with_their_values() {
    assert_eq!(
        Config::new(2, 3, 1, 1).unwrap_err().to_string(),
        "N = 3 must lie between 1 and the 2 nodes"
    );
    let mut config = Config::new(3, 3, 1, 1).unwrap();
    config.clock_offsets.pop();
    assert_eq!(
        Sim::new(config, 0).unwrap_err().to_string(),
        "2 clock offsets given for 3 nodes"
    );
    let mut sim = Sim::new(Config::new(3, 3, 1, 1).unwrap(), 0).unwrap();
    sim.run_until(10);
    assert_eq!(
        sim.read(5, 0, "x").unwrap_err().to_string(),
        "an operation at 5 ms is in the past (now is 10 ms)"
    );
    assert_eq!(
        sim.read(10, 9, "x").unwrap_err().to_string(),
        "node 9 is not one of the 3 nodes"
    );
}
