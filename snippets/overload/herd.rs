//! A thundering herd: many clients fail together, then retry with capped exponential backoff,
//! without jitter, with equal jitter and with full jitter; calls per 10 ms slot, charted.

use sysdesign::chart::LineChart;
use sysdesign::overload::{Backoff, Herd, Jitter, simulate_herd};
use sysdesign::show::{self, Table};

const SHOWN_SLOTS: usize = 150;
const BASE_MS: u64 = 20;
const CAP_MS: u64 = 2_000;

fn main() {
    let herd = Herd {
        clients: 200,
        outage_ms: 1,
        slot_ms: 10,
        capacity_per_slot: 10,
        max_calls: 10,
        seed: 2015,
    };
    println!(
        "{} clients fail at t = 0; their first calls fail ({} ms of outage); then the dependency serves {} calls per {} ms slot.",
        herd.clients, herd.outage_ms, herd.capacity_per_slot, herd.slot_ms
    );
    println!(
        "Backoff: base {BASE_MS} ms, cap {CAP_MS} ms, at most {} calls per client; seed {}.",
        herd.max_calls, herd.seed
    );
    let mut table = Table::new([
        "jitter",
        "peak retries / slot",
        "total calls",
        "calls per client",
        "succeeded",
        "gave up",
        "last success (ms)",
    ]);
    let mut quoted = Vec::new();
    let mut chart = LineChart::new("Calls per 10 ms slot after a shared failure (200 clients)")
        .x_label("time (ms)")
        .y_label("calls in the slot");
    for (name, jitter) in [
        ("no", Jitter::None),
        ("equal", Jitter::Equal),
        ("full", Jitter::Full),
    ] {
        let backoff =
            Backoff::new(BASE_MS, CAP_MS, jitter).expect("base is positive and below the cap");
        let outcome = simulate_herd(&backoff, &herd);
        let peak = outcome
            .calls_per_slot
            .iter()
            .skip(1)
            .max()
            .copied()
            .unwrap_or(0);
        if name != "equal" {
            quoted.push((format!("peak_{name}_jitter"), peak));
            quoted.push((format!("served_{name}_jitter"), outcome.succeeded));
        }
        table.push([
            name.to_string(),
            peak.to_string(),
            outcome.total_calls.to_string(),
            format!("{:.2}", outcome.total_calls as f64 / herd.clients as f64),
            outcome.succeeded.to_string(),
            outcome.gave_up.to_string(),
            outcome.last_success_ms.to_string(),
        ]);
        // Slot 0 holds the first calls of every client, the same for all three; the chart starts after it.
        let points: Vec<(f64, f64)> = (1..SHOWN_SLOTS)
            .map(|slot| {
                let calls = outcome.calls_per_slot.get(slot).copied().unwrap_or(0);
                ((slot as u64 * herd.slot_ms) as f64, calls as f64)
            })
            .collect();
        chart = chart.series(format!("{name} jitter"), points);
    }
    show::table(&table.caption("the dependency can serve 10 calls per slot"));
    for (name, value) in quoted {
        show::value(&name, value);
    }
    let svg = chart.to_svg().expect("every point is finite");
    show::svg(
        "herd_jitter",
        "Retries per slot: no jitter, equal jitter, full jitter",
        svg,
    );
}
