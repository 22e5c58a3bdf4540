//! Scaling: the capacity laws, sticky against shared sessions, the autoscaler's bounds and lag,
//! and the registry's TTLs and health checks, each on a simulated clock.

use proptest::prelude::*;
use std::collections::BTreeMap;
use sysdesign::scaling::{
    AutoscalerConfig, FleetChange, HeartbeatError, Registry, SessionStore, Usl, needed, simulate,
    simulate_sessions, traffic,
};

#[test]
fn usl_with_costs_gives_less_than_linear_capacity() {
    let usl = Usl::new(0.03, 0.0005).unwrap();
    for n in 2..100 {
        assert!(usl.capacity(n) < f64::from(n), "n = {n}");
    }
    // Past the peak, adding nodes lowers throughput (retrograde scaling).
    let peak = usl.peak().unwrap();
    assert!(usl.capacity(peak * 2) < usl.capacity(peak));
}

#[test]
fn amdahl_capacity_approaches_but_never_reaches_one_over_sigma() {
    let amdahl = Usl::new(0.05, 0.0).unwrap();
    assert!(amdahl.capacity(10_000) > 19.9);
    assert!(amdahl.capacity(u32::MAX) < 20.0);
    assert_eq!(amdahl.nodes_for(20.0), None);
}

#[test]
fn autoscaler_lags_a_step_and_drops_requests_meanwhile() {
    let config = AutoscalerConfig::default();
    let load: Vec<f64> = (0..2_400)
        .map(|t| if t < 600 { 100.0 } else { 1_200.0 })
        .collect();
    let run = simulate(&config, &load).unwrap();
    // Capacity never arrives before the provisioning delay has passed.
    for s in &run.timeline[600..600 + config.provisioning_delay as usize] {
        assert_eq!(s.in_service, config.min);
    }
    assert!(run.dropped > 0.0);
    assert_eq!(
        run.timeline.last().unwrap().in_service,
        needed(&config, 1_200.0)
    );
}

#[test]
fn with_no_delay_and_steady_load_the_fleet_settles_on_what_the_load_needs() {
    let config = AutoscalerConfig {
        provisioning_delay: 0,
        ..AutoscalerConfig::default()
    };
    let run = simulate(&config, &[750.0; 3_600]).unwrap();
    assert_eq!(
        run.timeline.last().unwrap().in_service,
        needed(&config, 750.0)
    );
}

#[test]
fn a_longer_scale_in_cooldown_keeps_more_instances_after_the_spike() {
    let load = traffic(5_400, 3);
    let cost = |cooldown| {
        let config = AutoscalerConfig {
            scale_in_cooldown: cooldown,
            ..AutoscalerConfig::default()
        };
        simulate(&config, &load).unwrap().instance_seconds
    };
    assert!(cost(900) > cost(60));
}

#[test]
fn bad_autoscaler_configs_are_refused_naming_the_field() {
    let bad = AutoscalerConfig {
        target_utilization: 1.5,
        ..AutoscalerConfig::default()
    };
    let err = simulate(&bad, &[1.0]).unwrap_err();
    assert!(err.to_string().contains("target_utilization"), "{err}");
}

fn config_strategy() -> impl Strategy<Value = AutoscalerConfig> {
    (
        1u32..5,
        0u32..30,
        1.0f64..200.0,
        0.1f64..=1.0,
        (1u64..120, 1u64..120),
        0u64..300,
        (0u64..600, 0u64..600),
    )
        .prop_map(
            |(min, extra, cap, target, (interval, window), delay, (out, inn))| AutoscalerConfig {
                min,
                max: min + extra,
                capacity_per_instance: cap,
                target_utilization: target,
                interval,
                window,
                provisioning_delay: delay,
                scale_out_cooldown: out,
                scale_in_cooldown: inn,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the configuration and the load, the fleet (serving and booting) stays within
    /// [min, max], and served never exceeds offered load or capacity.
    #[test]
    fn autoscaler_never_goes_below_min_or_above_max(
        config in config_strategy(),
        load in prop::collection::vec(0.0f64..5_000.0, 1..2_000),
    ) {
        let run = simulate(&config, &load).unwrap();
        for s in &run.timeline {
            let fleet = s.in_service + s.pending;
            prop_assert!(fleet >= config.min && fleet <= config.max, "{fleet} not in [{}, {}]", config.min, config.max);
            prop_assert!(s.in_service >= config.min);
            prop_assert!(s.served <= s.load + 1e-9);
            prop_assert!(s.served <= f64::from(s.in_service) * config.capacity_per_instance + 1e-9);
        }
    }

    /// `peak` is the best node count, by brute force.
    #[test]
    fn usl_peak_is_the_best_node_count(sigma in 0.0f64..0.5, kappa in 0.00001f64..0.05) {
        let usl = Usl::new(sigma, kappa).unwrap();
        let peak = usl.peak().unwrap();
        let best = (1..=2_000).map(|n| usl.capacity(n)).fold(0.0, f64::max);
        prop_assert!((usl.capacity(peak) - best).abs() < 1e-12);
    }

    /// `nodes_for` returns the fewest nodes that reach the target.
    #[test]
    fn nodes_for_is_the_fewest_that_reach_the_target(sigma in 0.0f64..0.3, kappa in 0.0f64..0.01, target in 0.5f64..30.0) {
        let usl = Usl::new(sigma, kappa).unwrap();
        match usl.nodes_for(target) {
            Some(n) => {
                prop_assert!(usl.capacity(n) >= target);
                prop_assert!((1..n).all(|m| usl.capacity(m) < target));
            }
            None => prop_assert!((1..=5_000).all(|m| usl.capacity(m) < target)),
        }
    }

    /// Stopping a server loses exactly its pinned users' sessions when sessions live in the
    /// servers, and none when they are shared.
    #[test]
    fn only_in_server_sessions_are_lost_when_a_server_stops(
        users in 1usize..300, servers in 2usize..6, victim in 0usize..6, at in 0u64..10, seed: u64,
    ) {
        let changes = [(at, FleetChange::Remove(victim % servers))];
        let shared = simulate_sessions(SessionStore::Shared, users, servers, &changes, 10, 0.0, seed);
        prop_assert_eq!(shared.sessions_lost, 0);
        let sticky = simulate_sessions(SessionStore::InServer, users, servers, &changes, 10, 0.0, seed);
        // Users are pinned round robin at their first request, starting after server 0.
        let on_victim = (0..users).filter(|u| (u + 1) % servers == victim % servers).count() as u64;
        prop_assert_eq!(sticky.sessions_lost, if at == 0 { 0 } else { on_victim });
    }
}

#[test]
fn pinned_users_keep_new_servers_idle_until_churn_moves_them() {
    let changes = [(20, FleetChange::Add(2))];
    let sticky = simulate_sessions(SessionStore::InServer, 3_000, 4, &changes, 200, 0.01, 5);
    let shared = simulate_sessions(SessionStore::Shared, 3_000, 4, &changes, 200, 0.01, 5);
    // Right after the scale-out the busiest old server carries far more than its share.
    assert!(
        sticky.mean_imbalance(21, 40) > 1.3,
        "{}",
        sticky.mean_imbalance(21, 40)
    );
    assert!(shared.mean_imbalance(21, 40) < 1.01);
    // Churn slowly spreads the users out again.
    assert!(sticky.mean_imbalance(180, 200) < sticky.mean_imbalance(21, 40));
}

#[test]
fn an_instance_that_stops_heartbeating_expires_after_its_ttl() {
    let mut registry = Registry::new(3, 2);
    registry.register("api", "api-1", "10.0.0.1:80", 30_000, 0);
    registry.heartbeat("api-1", 10_000).unwrap();
    assert_eq!(registry.lookup("api", 39_999).len(), 1);
    assert!(registry.lookup("api", 40_000).is_empty());
    assert_eq!(
        registry.heartbeat("api-1", 40_000),
        Err(HeartbeatError::Expired {
            id: "api-1".into(),
            expired_at: 40_000
        })
    );
}

#[test]
fn health_checks_hide_an_instance_that_heartbeats_but_cannot_serve() {
    let mut registry = Registry::new(3, 2);
    registry.register("api", "stuck", "10.0.0.1:80", 30_000, 0);
    for probe in 1..=2 {
        registry.check_health(probe * 1_000, |_| false);
        assert_eq!(
            registry.lookup("api", probe * 1_000).len(),
            1,
            "after {probe} failures"
        );
    }
    assert_eq!(registry.check_health(3_000, |_| false), ["stuck"]);
    registry.heartbeat("stuck", 3_000).unwrap(); // alive, and still not handed out
    assert!(registry.lookup("api", 3_000).is_empty());
}

/// An operation on the registry at a time.
#[derive(Clone, Debug)]
enum Op {
    Register(u8, u64),
    Heartbeat(u8),
    Deregister(u8),
    Purge,
    Lookup,
}

fn ops() -> impl Strategy<Value = Vec<(u64, Op)>> {
    let op = prop_oneof![
        2 => (0u8..5, 1u64..50).prop_map(|(i, ttl)| Op::Register(i, ttl)),
        4 => (0u8..5).prop_map(Op::Heartbeat),
        1 => (0u8..5).prop_map(Op::Deregister),
        1 => Just(Op::Purge),
        4 => Just(Op::Lookup),
    ];
    prop::collection::vec((0u64..20, op), 1..80)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    // ANCHOR: ttl_property
    /// Random registrations, heartbeats, deregistrations and purges at increasing times: a
    /// lookup never returns an instance whose TTL has lapsed, and returns exactly the ones a
    /// reference model (a map of id to expiry) says are live.
    #[test]
    fn registry_never_returns_an_instance_whose_ttl_has_lapsed(ops in ops()) {
        let mut registry = Registry::new(1, 1);
        let mut model: BTreeMap<String, u64> = BTreeMap::new(); // id -> expires at
        let mut now = 0;
        for (step, op) in ops {
            now += step;
            match op {
                Op::Register(i, ttl) => {
                    registry.register("api", &format!("api-{i}"), "addr", ttl, now);
                    model.insert(format!("api-{i}"), now + ttl);
                }
                Op::Heartbeat(i) => {
                    let id = format!("api-{i}");
                    let result = registry.heartbeat(&id, now);
                    match model.get_mut(&id) {
                        Some(expiry) if now < *expiry => {
                            prop_assert!(result.is_ok());
                            let ttl = registry.instance(&id).unwrap().ttl;
                            *expiry = now + ttl;
                        }
                        _ => prop_assert!(result.is_err()),
                    }
                }
                Op::Deregister(i) => {
                    registry.deregister(&format!("api-{i}"));
                    model.remove(&format!("api-{i}"));
                }
                Op::Purge => {
                    registry.purge(now);
                    model.retain(|_, expiry| now < *expiry);
                }
                Op::Lookup => {
                    let found: Vec<String> = registry.lookup("api", now).iter().map(|i| i.id.clone()).collect();
                    for id in &found {
                        prop_assert!(now < registry.instance(id).unwrap().expires_at(), "{id} lapsed");
                    }
                    let expected: Vec<String> = model.iter().filter(|(_, e)| now < **e).map(|(id, _)| id.clone()).collect();
                    prop_assert_eq!(found, expected);
                }
            }
        }
    }
    // ANCHOR_END: ttl_property
}
