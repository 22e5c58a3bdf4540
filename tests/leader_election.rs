//! Lease-based leader election with fencing tokens, and heartbeat failure detection.

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::leader_election::{
    Clock, Election, ElectionConfig, Fault, HeartbeatLink, detector_run, heartbeat_arrivals,
    overlapping_terms, stale_accepted,
};

#[test]
fn a_follower_takes_over_once_the_crashed_leaders_lease_expires() {
    let config = ElectionConfig::new(3, 1_000);
    let mut run = Election::new(config, vec![Fault::Crash { node: 0, at: 2_000 }], 3);
    run.run_until(6_000);
    let grants = run.grants();
    assert_eq!((grants[0].node, grants[0].token), (0, 1));
    let next = grants[1];
    assert_ne!(next.node, 0);
    assert_eq!(next.token, 2);
    // Not before the last renewal's lease ran out, and not long after.
    assert!(
        next.at >= 2_000 && next.at <= 2_000 + 1_000 + 200 + 20,
        "{next:?}"
    );
    assert_eq!(overlapping_terms(&run.terms()), None);
}

fn paused_leader(fencing: bool) -> Election {
    let mut run = Election::paused_leader(fencing, 3_005);
    run.run_until(4_000);
    run
}

#[test]
fn without_fencing_a_paused_leader_overwrites_its_successor() {
    let run = paused_leader(false);
    assert!(run.grants().iter().any(|g| g.node == 1));
    let late = run
        .writes()
        .iter()
        .find(|w| w.node == 0 && !w.lease_current && w.at > 3_000)
        .expect("the old leader's write arrives after its lease ended");
    assert!(late.accepted);
    assert!(stale_accepted(run.writes()) > 0);
}

#[test]
fn with_fencing_the_paused_leaders_late_write_is_refused() {
    let run = paused_leader(true);
    let late = run
        .writes()
        .iter()
        .find(|w| w.node == 0 && !w.lease_current && w.at > 3_000)
        .expect("the old leader's write arrives after its lease ended");
    assert!(!late.accepted);
    assert_eq!(stale_accepted(run.writes()), 0);
}

#[test]
fn a_clock_slower_than_the_bound_gives_two_leaders() {
    // Node 0's clock runs 30% slow while the nodes assume 1%: cut off from the store, it keeps
    // trusting its lease well after the store gave the lease to node 1.
    let config = ElectionConfig {
        clock_ppm: vec![-300_000, 0],
        ..ElectionConfig::new(2, 1_000)
    };
    let cut = Fault::Cut {
        node: 0,
        from: 500,
        until: 5_000,
    };
    let mut run = Election::new(config, vec![cut], 2);
    run.run_until(5_000);
    assert!(overlapping_terms(&run.terms()).is_some());
}

fn random_schedule(seed: u64) -> (ElectionConfig, Vec<Fault>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let nodes = rng.random_range(2..=5);
    let ttl = rng.random_range(50..=2_000);
    let rho = rng.random_range(0..=50_000);
    let delay_max = rng.random_range(0..=ttl);
    let config = ElectionConfig {
        nodes,
        ttl,
        tick: rng.random_range(ttl / 8..=ttl / 2).max(1),
        work: rng.random_range(0..=ttl),
        delay_min: rng.random_range(0..=delay_max),
        delay_max,
        drift_bound_ppm: rho,
        clock_ppm: (0..nodes).map(|_| rng.random_range(-rho..=rho)).collect(),
        fencing: true,
    };
    let horizon = 6 * ttl;
    let faults = (0..rng.random_range(0..6))
        .map(|_| {
            let node = rng.random_range(0..nodes);
            let from = rng.random_range(0..horizon);
            let until = from + rng.random_range(0..=2 * ttl);
            match rng.random_range(0..3) {
                0 => Fault::Crash { node, at: from },
                1 => Fault::Pause { node, from, until },
                _ => Fault::Cut { node, from, until },
            }
        })
        .collect();
    (config, faults)
}

// ANCHOR: safety
/// 10,000 random schedules (cluster size, lease length, delays up to the lease length, drifts
/// within the bound, crashes, pauses and cut links): never two nodes that both believe they hold
/// the lease at the same instant, and never a write accepted with a token older than one the
/// storage had accepted before.
#[test]
fn ten_thousand_schedules_never_give_two_leaders_or_a_stale_token() {
    for seed in 0..10_000 {
        let (config, faults) = random_schedule(seed);
        let horizon = 6 * config.ttl;
        let mut run = Election::new(config.clone(), faults.clone(), seed);
        run.run_until(horizon);
        let overlap = overlapping_terms(&run.terms());
        assert_eq!(overlap, None, "seed {seed}: {config:?} {faults:?}");
        assert_eq!(stale_accepted(run.writes()), 0, "seed {seed}: {config:?}");
    }
}
// ANCHOR_END: safety

#[test]
fn longer_timeouts_suspect_less_and_detect_later() {
    let link = HeartbeatLink {
        interval: 100.0,
        delay_min: 1.0,
        delay_extra_mean: 5.0,
        loss: 0.01,
        pause_every: 10_000.0,
        pause_mean: 50.0,
    };
    let horizon = 3_600_000.0;
    let trace = heartbeat_arrivals(&link, horizon, 5);
    let runs: Vec<_> = [120.0, 200.0, 400.0, 800.0]
        .iter()
        .map(|&t| detector_run(&trace, horizon, t, 500))
        .collect();
    for pair in runs.windows(2) {
        assert!(pair[0].false_suspicions_per_hour >= pair[1].false_suspicions_per_hour);
        assert!(pair[0].mean_detection < pair[1].mean_detection);
    }
    // A crash is noticed at most a timeout after the last heartbeat that got through.
    assert!(runs[3].max_detection <= 800.0 + 100.0 * 4.0);
}

proptest! {
    #[test]
    fn a_clock_reaches_a_reading_first_at_when(ppm in -500_000i64..500_000, reading in 0i64..10_000_000) {
        let clock = Clock { ppm };
        let t = clock.when(reading);
        prop_assert!(clock.local(t) >= reading);
        prop_assert!(t == 0 || clock.local(t - 1) < reading);
    }
}
