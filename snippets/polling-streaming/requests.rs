//! The four ways, on a simulated clock: events over 10 minutes (a Poisson process of 6 a minute,
//! seeded), 50 ms of network delay each way, and for each way the requests sent and how late events
//! arrive. Deterministic: the same table on every machine.

use sysdesign::polling_streaming::{Protocol, poisson_events, simulate};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: ways
    let events = poisson_events(11, 60, 600.0);
    let ways = [
        Protocol::ShortPoll { interval_s: 1.0 },
        Protocol::ShortPoll { interval_s: 10.0 },
        Protocol::LongPoll { timeout_s: 30.0 },
        Protocol::ServerSentEvents,
        Protocol::WebSocket,
    ];
    // ANCHOR_END: ways
    let mut table = Table::new([
        "way",
        "requests",
        "empty answers",
        "mean latency (ms)",
        "worst latency (ms)",
    ]);
    for way in ways {
        let run = simulate(way, &events, 0.05, 600.0);
        let n = run.latencies_s.len().max(1) as f64;
        let mean = run.latencies_s.iter().sum::<f64>() / n;
        let worst = run.latencies_s.iter().copied().fold(0.0, f64::max);
        table.push([
            way.to_string(),
            run.requests.to_string(),
            run.empty_responses.to_string(),
            format!("{:.0}", mean * 1e3),
            format!("{:.0}", worst * 1e3),
        ]);
        if way == (Protocol::ShortPoll { interval_s: 1.0 }) {
            show::value("short_poll_requests", run.requests);
            show::value("short_poll_empty", run.empty_responses);
        }
        if matches!(way, Protocol::LongPoll { .. }) {
            show::value("long_poll_requests", run.requests);
        }
    }
    show::table(&table.caption(format!(
        "{} events in 10 minutes, 50 ms one way; latency from publication to arrival",
        events.len()
    )));
}
