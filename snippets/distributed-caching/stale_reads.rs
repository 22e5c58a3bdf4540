//! Leader-follower replicas: reads served by a follower that applies writes `lag` late.
//! Seeded writes arrive at random (a Poisson process per key); reads come at random times.
//! The measured share of stale reads is set beside 1 - e^(-rate x lag), the chance that a key
//! was written within the last `lag`.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::time::Duration;
use sysdesign::chart::LineChart;
use sysdesign::distributed_caching::LeaderFollower;
use sysdesign::show::{self, Table};

const KEYS: u64 = 100;
const SECONDS: f64 = 200.0;
const READS: usize = 20_000;
const LAGS_MS: [u64; 8] = [1, 5, 10, 50, 100, 200, 500, 1_000];
const RATES: [f64; 3] = [0.1, 1.0, 5.0]; // writes per key per second

/// Writes to one key at `rate` per second: exponential gaps, so a Poisson process.
fn poisson_times(rate: f64, rng: &mut StdRng) -> Vec<f64> {
    let mut times = Vec::new();
    let mut t = 0.0;
    loop {
        let u: f64 = rng.random_range(0.0..1.0);
        t += -(1.0 - u).ln() / rate;
        if t >= SECONDS {
            return times;
        }
        times.push(t);
    }
}

/// The share of `READS` follower reads that were stale.
fn stale_share(rate: f64, lag: Duration, seed: u64) -> f64 {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut writes: Vec<(f64, u64)> = (0..KEYS)
        .flat_map(|k| {
            poisson_times(rate, &mut rng)
                .into_iter()
                .map(move |t| (t, k))
        })
        .collect();
    writes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut reads: Vec<(f64, u64)> = (0..READS)
        .map(|_| (rng.random_range(0.0..SECONDS), rng.random_range(0..KEYS)))
        .collect();
    reads.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut replicas = LeaderFollower::new(&[lag]);
    let mut next_write = writes.iter().peekable();
    let mut stale = 0;
    for (t, key) in reads {
        while let Some((w, k)) = next_write.next_if(|(w, _)| *w <= t) {
            replicas.write(
                &format!("k{k}"),
                &w.to_string(),
                Duration::from_secs_f64(*w),
            );
        }
        let read = replicas
            .read_follower(0, &format!("k{key}"), Duration::from_secs_f64(t))
            .expect("follower 0 exists");
        stale += usize::from(read.stale);
    }
    stale as f64 / READS as f64
}

fn main() {
    let mut table = Table::new(["lag", "writes/key/s", "stale reads", "1 - e^(-rate x lag)"]);
    let mut chart = LineChart::new("Stale reads from a lagging follower")
        .x_label("replication lag (ms, log scale)")
        .y_label("share of follower reads that were stale")
        .log_x()
        .y_range(0.0..1.0);
    for (i, rate) in RATES.iter().enumerate() {
        let mut curve = Vec::new();
        for (j, lag_ms) in LAGS_MS.iter().enumerate() {
            let lag = Duration::from_millis(*lag_ms);
            let measured = stale_share(*rate, lag, (i * 100 + j) as u64);
            let predicted = 1.0 - (-rate * lag.as_secs_f64()).exp();
            curve.push((*lag_ms as f64, measured));
            table.push([
                format!("{lag_ms} ms"),
                format!("{rate}"),
                format!("{:.2}%", 100.0 * measured),
                format!("{:.2}%", 100.0 * predicted),
            ]);
        }
        chart = chart.series(format!("{rate} writes per key per second"), curve);
    }
    show::table(&table.caption(format!(
        "{READS} reads from one follower, {KEYS} keys, {SECONDS} s of writes; reads from the leader are never stale"
    )));
    show::svg(
        "stale_reads",
        "Share of stale follower reads against replication lag, for three write rates",
        chart.to_svg().expect("every point is finite and positive"),
    );
}
