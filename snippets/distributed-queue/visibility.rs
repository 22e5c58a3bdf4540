//! The visibility timeout swept against consumers that are slow and that crash: 10,000
//! messages at 4 a second, 20 consumers, work log-normal with a 2-second median (σ = 1), a
//! 1 % chance that a consumer crashes mid-message and takes 5 s to restart, 5 receives before
//! the dead-letter queue. A tick is 100 ms. Once with a fixed lease, once with a heartbeat
//! that extends the lease every third of the timeout. Seeded, so the same on every run.

use sysdesign::chart::LineChart;
use sysdesign::distributed_queue::{ConsumerConfig, ConsumerReport, run_consumers};
use sysdesign::show::{self, Table};

const TIMEOUTS_S: [u64; 9] = [1, 2, 5, 10, 20, 30, 60, 120, 300];
/// The rows the page quotes.
const QUOTED: [&str; 6] = [
    "fixed_1",
    "fixed_10",
    "fixed_30",
    "fixed_300",
    "heartbeat_1",
    "heartbeat_10",
];

fn seconds(ticks: f64) -> String {
    format!("{:.1}", ticks / 10.0)
}

// ANCHOR: sweep
fn run(timeout_s: u64, heartbeat: bool) -> ConsumerReport {
    let timeout = timeout_s * 10; // ticks of 100 ms
    let config = ConsumerConfig {
        visibility_timeout: timeout,
        heartbeat_every: heartbeat.then_some((timeout / 3).max(1)),
        ..ConsumerConfig::default()
    };
    run_consumers(&config, 2026)
}
// ANCHOR_END: sweep

fn main() {
    let mut table = Table::new([
        "timeout (s)",
        "lease",
        "done twice",
        "wasted work (s)",
        "dead-lettered",
        "unfinished",
        "p50 (s)",
        "p99 (s)",
        "after a crash, mean (s)",
        "extensions per msg",
    ]);
    let (mut dup_fixed, mut dup_beat) = (Vec::new(), Vec::new());
    let (mut crash_fixed, mut crash_beat) = (Vec::new(), Vec::new());
    for heartbeat in [false, true] {
        for t in TIMEOUTS_S {
            let r = run(t, heartbeat);
            let name = if heartbeat { "heartbeat" } else { "fixed" };
            table.push([
                t.to_string(),
                name.to_string(),
                r.duplicates.to_string(),
                seconds(r.wasted_ticks as f64),
                r.dead_lettered.to_string(),
                r.unfinished.to_string(),
                seconds(r.latency_p50 as f64),
                seconds(r.latency_p99 as f64),
                seconds(r.crashed_latency_mean),
                format!("{:.1}", r.extensions as f64 / 10_000.0),
            ]);
            let (dup, crash) = if heartbeat {
                (&mut dup_beat, &mut crash_beat)
            } else {
                (&mut dup_fixed, &mut crash_fixed)
            };
            dup.push((t as f64, r.duplicates as f64 / 10.0));
            crash.push((t as f64, r.crashed_latency_mean / 10.0));
            let key = format!("{name}_{t}");
            if QUOTED.contains(&key.as_str()) {
                show::value(&format!("dup_{key}"), r.duplicates);
                show::value(&format!("wasted_{key}"), seconds(r.wasted_ticks as f64));
                show::value(&format!("dead_{key}"), r.dead_lettered);
                show::value(&format!("p50_{key}"), seconds(r.latency_p50 as f64));
                show::value(&format!("p99_{key}"), seconds(r.latency_p99 as f64));
                show::value(&format!("crashed_{key}"), seconds(r.crashed_latency_mean));
                show::value(
                    &format!("ext_{key}"),
                    format!("{:.1}", r.extensions as f64 / 10_000.0),
                );
            }
        }
    }
    show::table(
        &table.caption(
            "10,000 messages, 20 consumers, work median 2 s (σ = 1), 1 % crash mid-message",
        ),
    );
    let chart = LineChart::new("Work done twice against the visibility timeout")
        .x_label("visibility timeout (s, log scale)")
        .y_label("messages done twice per 1,000")
        .log_x()
        .series("fixed lease", dup_fixed)
        .series("heartbeat every timeout / 3", dup_beat);
    show::svg(
        "duplicates",
        "Duplicates per 1,000 messages as the visibility timeout grows",
        chart.to_svg().expect("finite points"),
    );
    let chart = LineChart::new("A crashed consumer's message waits for the timeout")
        .x_label("visibility timeout (s, log scale)")
        .y_label("mean send-to-done after a crash (s)")
        .log_x()
        .series("fixed lease", crash_fixed)
        .series("heartbeat every timeout / 3", crash_beat);
    show::svg(
        "crash_wait",
        "Mean time to completion of the messages whose first consumer crashed",
        chart.to_svg().expect("finite points"),
    );
}
