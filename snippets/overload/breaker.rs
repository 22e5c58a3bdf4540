//! A circuit breaker in front of a dependency that is down from 2 s to 5 s, on a fake clock:
//! one call every 100 ms for 8 s, with and without the breaker. A call to the dependency while
//! it is up is answered at once; while it is down the call fails only when its `TIMEOUT_MS`
//! timeout expires, and that is when the breaker hears of the failure, as a real client's would.

use std::collections::VecDeque;

use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
use sysdesign::show::{self, Table};

const STEP_MS: u64 = 100;
const END_MS: u64 = 8_000;
const TIMEOUT_MS: u64 = 500;

/// The simulated dependency: every call made during the outage times out.
fn dependency_answers(now_ms: u64) -> bool {
    !(2_000..5_000).contains(&now_ms)
}

#[derive(Default)]
struct Tally {
    reached: u32,
    failed: u32,
    fast_failed: u32,
    fast_failed_after_recovery: u32,
    succeeded: u32,
}

// ANCHOR: timeouts
fn run(mut breaker: Option<&mut CircuitBreaker>) -> Tally {
    let mut tally = Tally::default();
    // Calls waiting for their timeout, by the instant it expires (calls start in time order,
    // so this stays sorted).
    let mut timing_out: VecDeque<u64> = VecDeque::new();
    for now in (0..END_MS + TIMEOUT_MS).step_by(STEP_MS as usize) {
        // First, the timeouts that expire by now: only then does the client learn of them.
        while let Some(at) = timing_out.pop_front_if(|at| *at <= now) {
            tally.failed += 1;
            if let Some(breaker) = breaker.as_deref_mut() {
                breaker.record_failure(at);
            }
        }
        if now >= END_MS {
            continue;
        }
        if let Some(breaker) = breaker.as_deref_mut()
            && breaker.try_acquire(now).is_err()
        {
            tally.fast_failed += 1;
            tally.fast_failed_after_recovery += u32::from(dependency_answers(now) && now > 2_000);
            continue;
        }
        tally.reached += 1;
        if dependency_answers(now) {
            tally.succeeded += 1;
            if let Some(breaker) = breaker.as_deref_mut() {
                breaker.record_success(now);
            }
        } else {
            timing_out.push_back(now + TIMEOUT_MS);
        }
    }
    tally
}
// ANCHOR_END: timeouts

fn main() {
    let config = BreakerConfig {
        failure_threshold: 5,
        cool_down_ms: 1_000,
        half_open_probes: 2,
    };
    println!(
        "One call every {STEP_MS} ms from 0 to {END_MS} ms; the dependency is down from 2000 to 5000 ms \
         and a call to it then fails after a {TIMEOUT_MS} ms timeout."
    );
    println!(
        "Breaker: opens after {} consecutive failures, cools down {} ms, then admits {} probes.",
        config.failure_threshold, config.cool_down_ms, config.half_open_probes
    );
    let mut breaker = CircuitBreaker::new(config).expect("threshold and probes are positive");
    let with = run(Some(&mut breaker));
    let without = run(None);

    let mut transitions = Table::new(["at (ms)", "from", "to"]);
    for t in breaker.transitions() {
        transitions.push([
            t.at_ms.to_string(),
            format!("{:?}", t.from),
            format!("{:?}", t.to),
        ]);
    }
    show::table(&transitions.caption("the breaker's transitions, from its own log"));

    let mut table = Table::new([
        "client",
        "calls reaching the dependency",
        "timed out",
        "failed fast",
        "succeeded",
        "ms spent waiting on timeouts",
    ]);
    for (name, tally) in [("no breaker", &without), ("breaker", &with)] {
        table.push([
            name.to_string(),
            tally.reached.to_string(),
            tally.failed.to_string(),
            tally.fast_failed.to_string(),
            tally.succeeded.to_string(),
            (u64::from(tally.failed) * TIMEOUT_MS).to_string(),
        ]);
    }
    show::table(&table.caption("80 calls in all"));
    let opened_at = breaker
        .transitions()
        .iter()
        .find(|t| t.to == State::Open)
        .map_or(0, |t| t.at_ms);
    show::value("opened_at_ms", opened_at);
    show::value("timeouts_without", without.failed);
    show::value("timeouts_with", with.failed);
    show::value("timeouts_avoided", without.failed - with.failed);
    show::value("fast_failed", with.fast_failed);
    show::value(
        "fast_failed_after_recovery",
        with.fast_failed_after_recovery,
    );

    let mut diagram = String::from("stateDiagram-v2\n    [*] --> Closed\n");
    for t in breaker.transitions() {
        let name = |s: State| match s {
            State::Closed => "Closed",
            State::Open => "Open",
            State::HalfOpen => "HalfOpen",
        };
        diagram.push_str(&format!(
            "    {} --> {}: {} ms\n",
            name(t.from),
            name(t.to),
            t.at_ms
        ));
    }
    show::mermaid(&diagram);
}
