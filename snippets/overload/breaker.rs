//! A circuit breaker in front of a dependency that is down from 2 s to 5 s, on a fake clock:
//! one call every 100 ms for 8 s, with and without the breaker. Each call is answered at its own
//! instant; a timed-out call costs its caller `TIMEOUT_MS`, counted in the last column.

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
    succeeded: u32,
}

fn run(mut breaker: Option<&mut CircuitBreaker>) -> Tally {
    let mut tally = Tally::default();
    for now in (0..END_MS).step_by(STEP_MS as usize) {
        if let Some(breaker) = breaker.as_deref_mut()
            && breaker.try_acquire(now).is_err()
        {
            tally.fast_failed += 1;
            continue;
        }
        tally.reached += 1;
        let answered = dependency_answers(now);
        if answered {
            tally.succeeded += 1;
        } else {
            tally.failed += 1;
        }
        if let Some(breaker) = breaker.as_deref_mut() {
            if answered {
                breaker.record_success(now);
            } else {
                breaker.record_failure(now);
            }
        }
    }
    tally
}

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
