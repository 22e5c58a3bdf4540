//! Tests of `sysdesign::load_balancing`: each strategy's defining property, on random server
//! sets and health, and the simulated cluster's bookkeeping and health checks.

use proptest::prelude::{any, prop_assert, prop_assert_eq, prop_assume, proptest};
use sysdesign::load_balancing::{Balancer, Cluster, HealthCheck, Outage, Strategy};

fn cluster(strategy_load: f64) -> Cluster {
    Cluster::unequal(strategy_load, 20_000, 500, 3)
}

#[test]
fn round_robin_visits_each_healthy_server_once_per_turn() {
    let mut lb = Balancer::new(Strategy::RoundRobin, &[1, 1, 1, 1], 0);
    lb.set_healthy(2, false);
    let picks: Vec<usize> = (0..6).map(|_| lb.pick(0).unwrap()).collect();
    assert_eq!(picks, [0, 1, 3, 0, 1, 3]);
}

#[test]
fn least_connections_avoids_the_busy_server() {
    let mut lb = Balancer::new(Strategy::LeastConnections, &[1, 1], 0);
    assert_eq!(lb.pick(0), Some(0));
    assert_eq!(lb.pick(0), Some(1));
    lb.finished(1, 0.01);
    assert_eq!(lb.pick(0), Some(1)); // server 0 still has one in progress
}

#[test]
fn least_response_time_prefers_the_faster_server_at_equal_load() {
    let mut lb = Balancer::new(Strategy::LeastResponseTime, &[1, 1], 0);
    let a = lb.pick(0).unwrap();
    let b = lb.pick(0).unwrap();
    lb.finished(a, 0.100);
    lb.finished(b, 0.010);
    assert_eq!(lb.pick(0), Some(b));
}

#[test]
fn no_server_is_picked_when_none_is_healthy() {
    for strategy in Strategy::ALL {
        let mut lb = Balancer::new(strategy, &[1, 2], 0);
        lb.set_healthy(0, false);
        lb.set_healthy(1, false);
        assert_eq!(lb.pick(7), None, "{strategy}");
    }
}

#[test]
fn every_request_is_accounted_for() {
    let mut c = cluster(0.6);
    c.outages = vec![Outage {
        server: 0,
        from: 5.0,
        to: 10.0,
    }];
    for strategy in Strategy::ALL {
        let run = c.simulate(strategy);
        assert_eq!(run.requests.len(), c.requests);
        assert_eq!(
            run.per_server.iter().sum::<usize>(),
            c.requests,
            "{strategy}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let c = cluster(0.7);
    assert_eq!(
        c.simulate(Strategy::PowerOfTwoChoices),
        c.simulate(Strategy::PowerOfTwoChoices)
    );
}

#[test]
fn round_robin_overloads_the_slow_server_where_weighted_round_robin_does_not() {
    let c = cluster(0.7);
    let rr = c.simulate(Strategy::RoundRobin).percentile(0.99).unwrap();
    let wrr = c
        .simulate(Strategy::WeightedRoundRobin)
        .percentile(0.99)
        .unwrap();
    assert!(rr > 10.0 * wrr, "round robin p99 {rr}, weighted {wrr}");
}

#[test]
fn a_health_check_takes_a_failed_server_out_and_puts_it_back() {
    let mut c = cluster(0.5);
    c.outages = vec![Outage {
        server: 1,
        from: 10.0,
        to: 20.0,
    }];
    c.health_check = Some(HealthCheck {
        interval: 1.0,
        fall: 3,
        rise: 2,
    });
    let run = c.simulate(Strategy::RoundRobin);
    let events: Vec<(f64, usize, bool)> = run
        .health_events
        .iter()
        .map(|e| (e.at, e.server, e.healthy))
        .collect();
    // Probes at whole seconds: down at 10, 11, 12 → out at 12; good at 20, 21 → back at 21.
    assert_eq!(events, [(12.0, 1, false), (21.0, 1, true)]);
    // Only requests that arrived in the two-second blind spot failed.
    let failed: Vec<f64> = run
        .requests
        .iter()
        .filter(|r| r.latency.is_none())
        .map(|r| r.arrival)
        .collect();
    assert!(!failed.is_empty());
    assert!(
        failed.iter().all(|&t| (10.0..=12.0).contains(&t)),
        "{failed:?}"
    );
}

#[test]
fn without_health_checks_least_connections_sends_a_dead_server_more_than_its_share() {
    let mut c = cluster(0.5);
    c.outages = vec![Outage {
        server: 1,
        from: 10.0,
        to: 20.0,
    }];
    let lc = c.simulate(Strategy::LeastConnections).failed();
    let rr = c.simulate(Strategy::RoundRobin).failed();
    // A refused connection finishes at once, so the dead server always looks the least busy.
    assert!(4 * lc > 5 * rr, "least connections {lc}, round robin {rr}");
}

fn health() -> impl proptest::strategy::Strategy<Value = Vec<bool>> {
    proptest::collection::vec(any::<bool>(), 1..8)
}

proptest! {
    #[test]
    fn weighted_round_robin_gives_each_server_its_weight_over_a_cycle(
        weights in proptest::collection::vec(1u32..10, 1..8), cycles in 1usize..4) {
        let mut lb = Balancer::new(Strategy::WeightedRoundRobin, &weights, 0);
        let total: u32 = weights.iter().sum();
        let mut counts = vec![0u32; weights.len()];
        for _ in 0..(total as usize * cycles) {
            counts[lb.pick(0).unwrap()] += 1;
        }
        let expected: Vec<u32> = weights.iter().map(|w| w * cycles as u32).collect();
        prop_assert_eq!(counts, expected);
    }

    #[test]
    fn ip_hash_is_stable_for_a_given_server_set(healthy in health(), clients in proptest::collection::vec(any::<u32>(), 1..50), seed in any::<u64>()) {
        prop_assume!(healthy.iter().any(|&h| h));
        let weights = vec![1; healthy.len()];
        let mut a = Balancer::new(Strategy::IpHash, &weights, seed);
        let mut b = Balancer::new(Strategy::IpHash, &weights, seed.wrapping_add(1));
        for (i, &h) in healthy.iter().enumerate() {
            a.set_healthy(i, h);
            b.set_healthy(i, h);
        }
        for &c in &clients {
            let first = a.pick(c).unwrap();
            prop_assert!(healthy[first]);
            prop_assert_eq!(a.pick(c), Some(first)); // again, with more load on it
            prop_assert_eq!(b.pick(c), Some(first)); // another balancer, same servers
        }
    }

    #[test]
    fn power_of_two_never_picks_a_failed_server_when_a_healthy_one_exists(
        healthy in health(), seed in any::<u64>(), picks in 1usize..100) {
        prop_assume!(healthy.iter().any(|&h| h));
        let mut lb = Balancer::new(Strategy::PowerOfTwoChoices, &vec![1; healthy.len()], seed);
        for (i, &h) in healthy.iter().enumerate() {
            lb.set_healthy(i, h);
        }
        for _ in 0..picks {
            let s = lb.pick(0).unwrap();
            prop_assert!(healthy[s]);
        }
    }

    #[test]
    fn every_strategy_picks_only_healthy_servers(healthy in health(), seed in any::<u64>(), client in any::<u32>()) {
        prop_assume!(healthy.iter().any(|&h| h));
        for strategy in Strategy::ALL {
            let mut lb = Balancer::new(strategy, &vec![2; healthy.len()], seed);
            for (i, &h) in healthy.iter().enumerate() {
                lb.set_healthy(i, h);
            }
            for _ in 0..20 {
                prop_assert!(healthy[lb.pick(client).unwrap()]);
            }
        }
    }

    #[test]
    fn least_connections_picks_a_server_with_the_fewest_in_progress(
        ops in proptest::collection::vec((any::<bool>(), 0usize..5), 1..60)) {
        let mut lb = Balancer::new(Strategy::LeastConnections, &[1; 5], 0);
        for (start, finish) in ops {
            if start {
                let min = (0..5).map(|i| lb.active(i)).min().unwrap();
                let s = lb.pick(0).unwrap();
                prop_assert_eq!(lb.active(s) - 1, min);
            } else if lb.active(finish) > 0 {
                lb.finished(finish, 0.01);
            }
        }
    }
}
