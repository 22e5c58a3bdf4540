//! Three instances of a service register with a 30 s TTL and heartbeat every 10 s. At 100 s
//! api-2 crashes (no more heartbeats, no answers); at 150 s api-3 gets stuck (its heartbeat
//! thread carries on, its requests fail). A client looks the service up every second and calls
//! one instance round robin. Run twice: with the TTL alone, and with health checks as well (a
//! probe every 5 s, hidden after 3 failures in a row). Times in ms on a simulated clock.

use sysdesign::scaling::Registry;
use sysdesign::show::{self, Table};

// ANCHOR: script
const TTL_MS: u64 = 30_000;
const HEARTBEAT_MS: u64 = 10_000;
const PROBE_MS: u64 = 5_000;
const CRASH_AT: u64 = 100_000; // api-2
const STUCK_AT: u64 = 150_000; // api-3
const END: u64 = 240_000;
const IDS: [&str; 3] = ["api-1", "api-2", "api-3"];

fn alive(id: &str, now: u64) -> bool {
    !(id == "api-2" && now >= CRASH_AT)
}

fn serves(id: &str, now: u64) -> bool {
    alive(id, now) && !(id == "api-3" && now >= STUCK_AT)
}
// ANCHOR_END: script

/// Failed calls per instance and the time of the last one, and what the registry did.
struct Outcome {
    failed: [u64; 3],
    last_failed: [u64; 3],
    events: Vec<(u64, String)>,
}

// ANCHOR: loop
fn run(health_checks: bool) -> Outcome {
    let mut registry = Registry::new(3, 2);
    for (i, id) in IDS.iter().enumerate() {
        registry.register("api", id, &format!("10.0.0.{}:8080", i + 1), TTL_MS, 0);
    }
    let mut out = Outcome {
        failed: [0; 3],
        last_failed: [0; 3],
        events: Vec::new(),
    };
    let mut turn = 0usize;
    for now in (0..=END).step_by(1_000) {
        if now.is_multiple_of(HEARTBEAT_MS) {
            for id in IDS.iter().filter(|id| alive(id, now)) {
                registry
                    .heartbeat(id, now)
                    .expect("a live instance heartbeats within its TTL");
            }
        }
        if health_checks && now.is_multiple_of(PROBE_MS) {
            for id in registry.check_health(now, |i| serves(&i.id, now)) {
                let healthy = registry.instance(&id).is_some_and(|i| i.healthy);
                let state = if healthy { "healthy" } else { "unhealthy" };
                out.events
                    .push((now, format!("{id} marked {state} by health checks")));
            }
        }
        for id in registry.purge(now) {
            out.events
                .push((now, format!("{id} expired: no heartbeat for 30 s")));
        }
        let live = registry.lookup("api", now);
        if live.is_empty() {
            continue;
        }
        let pick = live[turn % live.len()].id.clone();
        turn += 1;
        if !serves(&pick, now) {
            let index = IDS.iter().position(|&id| id == pick).expect("a known id");
            out.failed[index] += 1;
            out.last_failed[index] = now;
        }
    }
    out
}
// ANCHOR_END: loop

fn window(out: &Outcome, index: usize, since: u64) -> String {
    if out.failed[index] == 0 {
        return "0 s".to_string();
    }
    let until = out.last_failed[index];
    // Round robin over three instances reaches each at least every 3 s.
    let open = if until + 3_000 > END {
        ", still open at the end"
    } else {
        ""
    };
    format!("{} s{open}", (until - since) / 1_000 + 1)
}

fn main() {
    let ttl_only = run(false);
    let checked = run(true);
    let mut events = Table::new(["time (s)", "event"]);
    let mut all = checked.events.clone();
    all.push((CRASH_AT, "api-2 crashes".to_string()));
    all.push((STUCK_AT, "api-3 gets stuck, still heartbeating".to_string()));
    all.sort();
    for (at, what) in all {
        events.push([(at / 1_000).to_string(), what]);
    }
    show::table(&events.caption("with health checks: what the registry saw"));

    let mut calls = Table::new(["registry", "instance", "failed calls", "window"]);
    for (name, out) in [("TTL only", &ttl_only), ("TTL and health checks", &checked)] {
        calls.push([
            name.to_string(),
            "api-2 (crashed)".to_string(),
            out.failed[1].to_string(),
            window(out, 1, CRASH_AT),
        ]);
        calls.push([
            name.to_string(),
            "api-3 (stuck)".to_string(),
            out.failed[2].to_string(),
            window(out, 2, STUCK_AT),
        ]);
    }
    show::table(
        &calls.caption("calls sent to an instance that could not answer, and for how long"),
    );
    show::value("crash_window_ttl", window(&ttl_only, 1, CRASH_AT));
    show::value("crash_window_checks", window(&checked, 1, CRASH_AT));
    show::value("stuck_failed_ttl", ttl_only.failed[2]);
    show::value("stuck_window_checks", window(&checked, 2, STUCK_AT));
}
