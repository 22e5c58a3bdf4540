//! Tests of `sysdesign::overload`: backoff bounds and the herd simulation, the server simulation
//! with and without shedding, and the circuit breaker's state machine, all on seeded randomness
//! and fake clocks.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::overload::{
    Admission, Backoff, BackoffError, BreakerConfig, BreakerError, CircuitBreaker, Herd, Jitter,
    ServerConfig, ServerError, State, simulate_herd, simulate_server,
};

fn jitter_strategy() -> impl Strategy<Value = Jitter> {
    prop_oneof![Just(Jitter::None), Just(Jitter::Equal), Just(Jitter::Full)]
}

proptest! {
    #[test]
    fn delay_stays_within_zero_and_the_capped_exponential(
        base in 1u64..10_000,
        extra in 0u64..1_000_000,
        attempt in 0u32..200,
        jitter in jitter_strategy(),
        seed in any::<u64>(),
    ) {
        let cap = base + extra;
        let backoff = Backoff::new(base, cap, jitter).expect("base > 0 and cap >= base");
        let ceiling = if attempt >= 64 { cap } else {
            u128::from(base).saturating_mul(1u128 << attempt).min(u128::from(cap)) as u64
        };
        prop_assert_eq!(backoff.ceiling(attempt), ceiling);
        let mut rng = StdRng::seed_from_u64(seed);
        let delay = backoff.delay(attempt, &mut rng);
        prop_assert!(delay <= ceiling);
        match jitter {
            Jitter::None => prop_assert_eq!(delay, ceiling),
            Jitter::Equal => prop_assert!(delay >= ceiling / 2),
            Jitter::Full => {}
        }
    }

    #[test]
    fn ceiling_never_decreases_with_the_attempt(base in 1u64..1_000, extra in 0u64..100_000, attempt in 0u32..100) {
        let backoff = Backoff::new(base, base + extra, Jitter::Full).expect("valid");
        prop_assert!(backoff.ceiling(attempt) <= backoff.ceiling(attempt + 1));
    }
}

#[test]
fn backoff_refuses_a_zero_base_and_a_cap_below_the_base() {
    assert_eq!(
        Backoff::new(0, 5, Jitter::None),
        Err(BackoffError::ZeroBase)
    );
    let err = Backoff::new(10, 9, Jitter::None).unwrap_err();
    assert_eq!(
        err,
        BackoffError::CapBelowBase {
            base_ms: 10,
            cap_ms: 9
        }
    );
    assert_eq!(err.to_string(), "backoff cap 9 ms is below its base 10 ms");
}

#[test]
fn full_jitter_uses_the_whole_range_not_only_its_top() {
    let backoff = Backoff::new(1_000, 1_000, Jitter::Full).expect("valid");
    let mut rng = StdRng::seed_from_u64(9);
    let delays: Vec<u64> = (0..1_000).map(|_| backoff.delay(0, &mut rng)).collect();
    assert!(delays.iter().any(|&d| d < 100));
    assert!(delays.iter().any(|&d| d > 900));
}

fn herd(seed: u64) -> Herd {
    Herd {
        clients: 100,
        outage_ms: 1,
        slot_ms: 10,
        capacity_per_slot: 10,
        max_calls: 10,
        seed,
    }
}

#[test]
fn without_jitter_every_failed_client_retries_in_the_same_slot() {
    let backoff = Backoff::new(20, 2_000, Jitter::None).expect("valid");
    let outcome = simulate_herd(&backoff, &herd(1));
    assert_eq!(outcome.calls_per_slot[2], 100); // all retry at 20 ms
    assert_eq!(outcome.calls_per_slot[1], 0);
}

#[test]
fn full_jitter_lowers_the_peak_and_the_total_calls_of_a_herd() {
    let plain = simulate_herd(
        &Backoff::new(20, 2_000, Jitter::None).expect("valid"),
        &herd(1),
    );
    let full = simulate_herd(
        &Backoff::new(20, 2_000, Jitter::Full).expect("valid"),
        &herd(1),
    );
    let after_failure = |calls: &[usize]| calls.iter().skip(1).max().copied().unwrap_or(0);
    assert!(after_failure(&full.calls_per_slot) < after_failure(&plain.calls_per_slot));
    assert!(full.total_calls < plain.total_calls);
    assert!(full.succeeded >= plain.succeeded);
}

#[test]
fn herd_accounts_for_every_client_and_every_call() {
    for jitter in [Jitter::None, Jitter::Equal, Jitter::Full] {
        let outcome = simulate_herd(&Backoff::new(20, 2_000, jitter).expect("valid"), &herd(4));
        assert_eq!(outcome.succeeded + outcome.gave_up, 100);
        assert_eq!(
            outcome.calls_per_slot.iter().sum::<usize>(),
            outcome.total_calls
        );
        assert!(outcome.total_calls <= 100 * 10);
    }
}

#[test]
fn herd_replays_identically_from_the_same_seed() {
    let backoff = Backoff::new(20, 2_000, Jitter::Full).expect("valid");
    assert_eq!(
        simulate_herd(&backoff, &herd(7)),
        simulate_herd(&backoff, &herd(7))
    );
}

fn server(seed: u64) -> ServerConfig {
    ServerConfig {
        capacity_per_tick: 20,
        timeout_ticks: 4,
        ticks: 1_000,
        seed,
    }
}

#[test]
fn unbounded_queue_collapses_goodput_past_capacity() {
    let report = simulate_server(30.0, Admission::Unbounded, &server(1)).expect("valid");
    assert!(report.goodput < 2.0, "goodput {}", report.goodput);
    assert!(report.throughput > 19.0); // the server stays busy, on answers nobody waits for
    assert!(report.wasted > report.good);
}

#[test]
fn bounded_queue_sheds_and_keeps_goodput_at_capacity() {
    let report =
        simulate_server(30.0, Admission::Bounded { limit: 80 }, &server(1)).expect("valid");
    assert!(report.goodput > 19.0, "goodput {}", report.goodput);
    assert_eq!(report.wasted, 0); // limit = capacity x timeout: nothing waits too long
    assert!(report.shed > 0);
    assert!(report.max_queue <= 80);
}

#[test]
fn below_capacity_neither_queue_sheds_or_wastes() {
    for admission in [Admission::Unbounded, Admission::Bounded { limit: 80 }] {
        let report = simulate_server(10.0, admission, &server(2)).expect("valid");
        assert_eq!(report.shed, 0);
        assert_eq!(report.wasted, 0);
        assert_eq!(report.good, report.offered);
    }
}

#[test]
fn bounded_queue_obeys_littles_law() {
    let report =
        simulate_server(25.0, Admission::Bounded { limit: 80 }, &server(3)).expect("valid");
    let little = report.throughput * report.mean_wait;
    assert!((little - report.mean_queue).abs() / report.mean_queue < 0.05);
}

#[test]
fn server_refuses_a_load_that_is_not_a_positive_rate() {
    for load in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = simulate_server(load, Admission::Unbounded, &server(1)).unwrap_err();
        assert!(matches!(err, ServerError::BadLoad(_)));
    }
    let empty = ServerConfig {
        capacity_per_tick: 0,
        ..server(1)
    };
    assert_eq!(
        simulate_server(5.0, Admission::Unbounded, &empty),
        Err(ServerError::EmptyRun)
    );
}

#[test]
fn breaker_refuses_a_zero_threshold_and_zero_probes() {
    let config = BreakerConfig {
        failure_threshold: 0,
        cool_down_ms: 10,
        half_open_probes: 1,
    };
    assert_eq!(
        CircuitBreaker::new(config).err(),
        Some(BreakerError::ZeroFailureThreshold)
    );
}

#[test]
fn breaker_opens_on_consecutive_failures_not_on_scattered_ones() {
    let config = BreakerConfig {
        failure_threshold: 3,
        cool_down_ms: 100,
        half_open_probes: 1,
    };
    let mut breaker = CircuitBreaker::new(config).expect("valid");
    for now in 0..10 {
        breaker.record_failure(now * 3);
        breaker.record_failure(now * 3 + 1);
        breaker.record_success(now * 3 + 2);
    }
    assert_eq!(breaker.state(), State::Closed);
    (30..33).for_each(|now| breaker.record_failure(now));
    assert_eq!(breaker.state(), State::Open);
}

#[test]
fn failed_probe_reopens_and_restarts_the_cool_down() {
    let config = BreakerConfig {
        failure_threshold: 1,
        cool_down_ms: 100,
        half_open_probes: 1,
    };
    let mut breaker = CircuitBreaker::new(config).expect("valid");
    breaker.record_failure(0);
    assert!(breaker.try_acquire(100).is_ok());
    breaker.record_failure(150);
    assert_eq!(breaker.state(), State::Open);
    assert_eq!(breaker.try_acquire(249).unwrap_err().retry_at_ms, Some(250));
    assert!(breaker.try_acquire(250).is_ok());
}

#[derive(Clone, Debug)]
enum Op {
    Advance(u64),
    Call,
    Succeed,
    Fail,
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u64..400).prop_map(Op::Advance),
        Just(Op::Call),
        Just(Op::Succeed),
        Just(Op::Fail),
    ]
}

proptest! {
    #[test]
    fn breaker_never_admits_during_the_cool_down_and_bounds_half_open_probes(
        threshold in 1u32..5,
        cool_down in 1u64..1_000,
        probes in 1u32..4,
        ops in prop::collection::vec(op_strategy(), 1..300),
    ) {
        let config = BreakerConfig { failure_threshold: threshold, cool_down_ms: cool_down, half_open_probes: probes };
        let mut breaker = CircuitBreaker::new(config).expect("valid");
        let mut now = 0u64;
        let mut opened_at = None;
        let mut admitted_while_half_open = 0u32;
        let mut consecutive_failures = 0u32;
        for op in ops {
            let before = breaker.state();
            match op {
                Op::Advance(ms) => now += ms,
                Op::Call => {
                    let admitted = breaker.try_acquire(now).is_ok();
                    if let Some(at) = opened_at
                        && before == State::Open
                        && now < at + cool_down
                    {
                        prop_assert!(!admitted, "admitted at {} while open since {}", now, at);
                    }
                    if breaker.state() == State::HalfOpen && admitted {
                        admitted_while_half_open += 1;
                        prop_assert!(admitted_while_half_open <= probes);
                    }
                    if before == State::Closed {
                        prop_assert!(admitted);
                    }
                }
                Op::Succeed => {
                    breaker.record_success(now);
                    if before == State::Closed { consecutive_failures = 0; }
                }
                Op::Fail => {
                    breaker.record_failure(now);
                    if before == State::Closed {
                        consecutive_failures += 1;
                        prop_assert_eq!(breaker.state() == State::Open, consecutive_failures >= threshold);
                    }
                }
            }
            let after = breaker.state();
            if after != before {
                admitted_while_half_open = 0;
                consecutive_failures = 0;
                if after == State::Open { opened_at = Some(now); }
                let last = breaker.transitions().last().expect("a change is logged");
                prop_assert_eq!((last.from, last.to, last.at_ms), (before, after, now));
            }
        }
    }
}
