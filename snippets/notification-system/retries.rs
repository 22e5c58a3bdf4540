//! A provider that fails before delivering, or delivers and times out: what the users see
//! with no retry, with retries alone, and with retries carrying an idempotency key; then the
//! timeout rate swept.

use sysdesign::chart::LineChart;
use sysdesign::notification_system::{Faults, Policy, deliver_all};
use sysdesign::show::{self, Table};

const SENT: u64 = 10_000;
const SEED: u64 = 12;

fn main() {
    // ANCHOR: policies
    let faults = Faults {
        fail_before: 0.05,
        timeout_after: 0.05,
    };
    let policies = [
        Policy::NoRetry,
        Policy::RetryWithoutKey,
        Policy::RetryWithKey,
    ];
    let tallies: Vec<_> = policies
        .iter()
        .map(|&p| deliver_all(SENT, faults, p, SEED))
        .collect();
    // ANCHOR_END: policies
    let mut table = Table::new([
        "policy",
        "lost",
        "duplicates",
        "calls per notification",
        "longest backoff",
    ]);
    for (policy, t) in policies.iter().zip(&tallies) {
        table.push([
            format!("{policy:?}"),
            t.lost.to_string(),
            t.duplicates.to_string(),
            format!("{:.3}", t.calls as f64 / t.sent as f64),
            format!("{} ms", t.max_wait_ms),
        ]);
    }
    show::table(&table.caption(format!(
        "{SENT} notifications; 5 % of calls fail, 5 % deliver and time out"
    )));
    show::value("lost_no_retry", tallies[0].lost);
    show::value("dup_no_retry", tallies[0].duplicates);
    show::value("dup_no_key", tallies[1].duplicates);
    show::value("lost_no_key", tallies[1].lost);
    show::value("dup_key", tallies[2].duplicates);
    show::value("lost_key", tallies[2].lost);

    // ANCHOR: sweep
    let (mut lost, mut dups, mut keyed) = (Vec::new(), Vec::new(), Vec::new());
    let mut sweep = Table::new([
        "timeouts after delivery",
        "lost, no retry",
        "duplicates, no key",
        "duplicates, key",
    ]);
    for percent in [0, 2, 5, 10, 15, 20, 30] {
        let f = Faults {
            fail_before: 0.05,
            timeout_after: percent as f64 / 100.0,
        };
        let none = deliver_all(SENT, f, Policy::NoRetry, SEED);
        let no_key = deliver_all(SENT, f, Policy::RetryWithoutKey, SEED);
        let key = deliver_all(SENT, f, Policy::RetryWithKey, SEED);
        sweep.push([
            format!("{percent} %"),
            none.lost.to_string(),
            no_key.duplicates.to_string(),
            key.duplicates.to_string(),
        ]);
        let x = percent as f64;
        lost.push((x, none.lost as f64));
        dups.push((x, no_key.duplicates as f64));
        keyed.push((x, (key.duplicates + key.lost) as f64));
    }
    // ANCHOR_END: sweep
    show::table(&sweep.caption(
        "5 % of calls fail before delivering; the share that times out after delivering varies",
    ));
    let chart = LineChart::new("What 10,000 notifications become as timeouts grow")
        .x_label("calls that deliver, then time out (%)")
        .y_label("notifications")
        .series("lost, no retry", lost)
        .series("duplicated, retry without key", dups)
        .series("lost or duplicated, retry with key", keyed);
    show::svg(
        "notification-retries",
        "Retries without a key turn every timeout into a duplicate; with a key there are neither losses nor duplicates",
        chart.to_svg().expect("finite points"),
    );
}
