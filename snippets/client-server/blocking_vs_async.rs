//! timing: measured on the machine that builds the book
//!
//! The same echo service, served with a thread per connection (blocking I/O) and with one
//! tokio runtime of two worker threads (non-blocking I/O), loaded by the same client with 10
//! to 1,000 connections open at once, each making 20 round trips of 64 bytes on 127.0.0.1.

use std::time::{Duration, Instant};
use sysdesign::chart::LineChart;
use sysdesign::client_server::{LoadServer, ServerStyle, THREAD_STACK};
use sysdesign::show::{self, Table};

const CONNECTIONS: [usize; 5] = [10, 30, 100, 300, 1_000];
const ROUND_TRIPS: usize = 20;
const REPEATS: usize = 3;
const DEADLINE: Duration = Duration::from_secs(4);

/// The best of a few runs at one connection count: (run, seconds).
fn best(style: ServerStyle, connections: usize) -> (sysdesign::client_server::LoadRun, f64) {
    let mut best: Option<(sysdesign::client_server::LoadRun, f64)> = None;
    for _ in 0..REPEATS {
        let server = LoadServer::start(style).expect("a loopback port is free");
        // ANCHOR: time
        let start = Instant::now();
        let run = server.drive(connections, ROUND_TRIPS, DEADLINE);
        let seconds = start.elapsed().as_secs_f64();
        // ANCHOR_END: time
        server.stop();
        if best.is_none_or(|(_, s)| seconds < s) {
            best = Some((run, seconds));
        }
        if seconds > 1.0 {
            break; // a slow machine: one run is enough, and keeps the program within its time limit
        }
    }
    best.expect("at least one repeat")
}

fn main() {
    let mut table = Table::new([
        "server",
        "connections",
        "round trips done",
        "failed connections",
        "threads in the process",
        "wall time",
        "round trips per second",
    ]);
    let mut series = Vec::new();
    for style in [ServerStyle::ThreadPerConnection, ServerStyle::AsyncRuntime] {
        let mut points = Vec::new();
        for n in CONNECTIONS {
            let (run, seconds) = best(style, n);
            let rate = run.round_trips as f64 / seconds;
            table.push([
                style.name().to_string(),
                n.to_string(),
                run.round_trips.to_string(),
                run.failed.to_string(),
                run.peak_threads
                    .map_or("n/a".to_string(), |t| t.to_string()),
                format!("{:.1} ms", seconds * 1e3),
                format!("{rate:.0}"),
            ]);
            if run.failed == 0 {
                points.push((n as f64, rate));
            }
            let key = match style {
                ServerStyle::ThreadPerConnection => "threads",
                ServerStyle::AsyncRuntime => "async",
            };
            show::value(&format!("{key}_{n}_rate"), format!("{rate:.0}"));
            if let Some(t) = run.peak_threads {
                show::value(&format!("{key}_{n}_threads"), t);
            }
        }
        series.push((style.name(), points));
    }
    show::table(&table.caption(format!(
        "Best of {REPEATS} runs; {ROUND_TRIPS} round trips per connection; server threads get a {} KiB stack",
        THREAD_STACK / 1024
    )));
    let mut chart = LineChart::new("Round trips per second against open connections")
        .x_label("connections open at once (log scale)")
        .y_label("round trips per second")
        .log_x();
    for (name, points) in series {
        if !points.is_empty() {
            chart = chart.series(name, points);
        }
    }
    show::svg(
        "blocking-vs-async",
        "Thread per connection against one async runtime, on loopback (measured on the build machine)",
        chart.to_svg().expect("every point is finite and positive"),
    );
}
