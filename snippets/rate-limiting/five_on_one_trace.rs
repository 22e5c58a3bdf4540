//! The five algorithms (the leaky bucket twice: as a meter and as a queue) on one seeded bursty
//! trace, 10 requests per second allowed: what each admits, the most it lets through in any one
//! second, and what happens around the window edge at 15 s.

use std::time::Duration;
use sysdesign::chart::LineChart;
use sysdesign::rate_limiting::{
    BurstyTrace, FixedWindow, LeakyBucketMeter, LeakyBucketQueue, Quota, RateLimiter,
    SlidingWindowCounter, SlidingWindowLog, TokenBucket, replay,
};
use sysdesign::show::{self, Table};

const LIMIT: u32 = 10;
const EDGE_S: f64 = 15.0;
const SEED: u64 = 2;

fn limiters(quota: Quota) -> Vec<Box<dyn RateLimiter>> {
    vec![
        Box::new(TokenBucket::new(quota)),
        Box::new(LeakyBucketMeter::new(quota)),
        Box::new(LeakyBucketQueue::new(quota)),
        Box::new(FixedWindow::new(quota)),
        Box::new(SlidingWindowLog::new(quota)),
        Box::new(SlidingWindowCounter::new(quota)),
    ]
}

/// The most served in any half-open interval `(t − 1 s, t]` (exact, in `Duration`s).
fn max_in_any_second(sorted: &[Duration]) -> usize {
    let mut best = 0;
    let mut start = 0;
    for (end, &t) in sorted.iter().enumerate() {
        while sorted[start] + Duration::from_secs(1) <= t {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best
}

/// Cumulative count of `times` (sorted) at each point of `grid`, minus `base`.
fn cumulative(times: &[f64], grid: &[f64], base: usize) -> Vec<(f64, f64)> {
    grid.iter()
        .map(|&x| (x, (times.partition_point(|&t| t <= x) - base) as f64))
        .collect()
}

/// How many of `sorted` are before `t`.
fn before(sorted: &[f64], t: f64) -> usize {
    sorted.partition_point(|&x| x < t)
}

/// The named values the chapter quotes.
const QUOTED: [&str; 10] = [
    "fixed_window_near_edge",
    "fixed_window_max_1s",
    "sliding_window_log_near_edge",
    "sliding_window_log_served",
    "token_bucket_served",
    "token_bucket_max_1s",
    "sliding_window_counter_max_1s",
    "leaky_bucket_queue_served",
    "leaky_bucket_queue_delayed",
    "leaky_bucket_queue_max_1s",
];

fn main() {
    let spec = BurstyTrace {
        duration: Duration::from_secs(30),
        background_per_sec: 3.0,
        bursts: 4,
        burst_size: 40,
        burst_spread: Duration::from_millis(300),
        edge_burst: Some(Duration::from_secs_f64(EDGE_S)),
        seed: SEED,
    };
    let trace = spec.generate();
    let quota = Quota::new(LIMIT, Duration::from_secs(1)).expect("a valid quota");
    let offered: Vec<f64> = trace.iter().map(Duration::as_secs_f64).collect();
    println!(
        "{} requests in 30 s (seed {SEED}): Poisson background at 3/s, 4 bursts of 40 within 300 ms, \
         and one more burst of 40 centred on the window edge at {EDGE_S} s.",
        trace.len()
    );
    println!("Quota: {LIMIT} requests per second, for every algorithm.");

    let mut table = Table::new([
        "algorithm",
        "served",
        "of which delayed",
        "max in any 1 s",
        "served 14.7-15.3 s",
    ]);
    table.push([
        "(offered)".to_string(),
        offered.len().to_string(),
        "-".to_string(),
        max_in_any_second(&trace).to_string(),
        (before(&offered, EDGE_S + 0.3) - before(&offered, EDGE_S - 0.3)).to_string(),
    ]);
    let grid: Vec<f64> = (0..=600).map(|i| f64::from(i) * 0.05).collect();
    let zoom: Vec<f64> = (0..=200).map(|i| 14.5 + f64::from(i) * 0.005).collect();
    let mut full = LineChart::new("Requests served over time, one trace, 10 per second allowed")
        .x_label("time (s)")
        .y_label("requests served so far")
        .series("offered", cumulative(&offered, &grid, 0));
    let mut edge = LineChart::new("Around the window edge at 15 s")
        .x_label("time (s)")
        .y_label("served since 14.5 s")
        .series(
            "offered",
            cumulative(&offered, &zoom, before(&offered, 14.5)),
        );
    let mut quoted: Vec<(String, usize)> = Vec::new();
    for mut limiter in limiters(quota) {
        let outcome = replay(limiter.as_mut(), &trace);
        let delayed = trace
            .iter()
            .zip(&outcome)
            .filter(|(arrival, served)| served.is_some_and(|s| s > **arrival))
            .count();
        let mut exact: Vec<Duration> = outcome.iter().flatten().copied().collect();
        exact.sort_unstable();
        let served: Vec<f64> = exact.iter().map(Duration::as_secs_f64).collect();
        let near_edge = before(&served, EDGE_S + 0.3) - before(&served, EDGE_S - 0.3);
        let max_1s = max_in_any_second(&exact);
        // The figures the chapter's prose quotes, by name ("fixed_window_max_1s" and so on).
        let key: String = limiter
            .name()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        quoted.push((format!("{key}_served"), served.len()));
        quoted.push((format!("{key}_delayed"), delayed));
        quoted.push((format!("{key}_max_1s"), max_1s));
        quoted.push((format!("{key}_near_edge"), near_edge));
        table.push([
            limiter.name().to_string(),
            served.len().to_string(),
            delayed.to_string(),
            max_1s.to_string(),
            near_edge.to_string(),
        ]);
        full = full.series(limiter.name(), cumulative(&served, &grid, 0));
        edge = edge.series(
            limiter.name(),
            cumulative(&served, &zoom, before(&served, 14.5)),
        );
    }
    show::table(&table.caption(
        "requests served (a queued request counts when it is served) on one seeded trace",
    ));
    for (name, value) in quoted.iter().filter(|(n, _)| QUOTED.contains(&n.as_str())) {
        show::value(name, value);
    }
    let svg = full.to_svg().expect("finite points");
    show::svg(
        "five_on_one_trace",
        "Cumulative requests served by each algorithm on one trace",
        svg,
    );
    let svg = edge.to_svg().expect("finite points");
    show::svg(
        "window_edge",
        "Zoom on the burst that straddles the 15 s window edge",
        svg,
    );
}
