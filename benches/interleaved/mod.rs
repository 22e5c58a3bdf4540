//! Interleaved comparisons: ours and theirs take turns, round after round, in one process, so
//! that whatever else the machine is doing lands on both alike.
//!
//! Criterion measures one function to the end before it starts the next. On a quiet machine
//! that is fine; on a busy one, a compile that starts halfway through slows only the second
//! function, and the ratio moves by as much as the load does (the Bloom filter's lookup ratio
//! once read 0.64 and later 1.18 with no code change). Here every round runs each function
//! once for a batch of about [`BATCH`], the order rotating so that none always goes first, and
//! records each one's time per iteration. A round gives one ratio, ours over theirs, measured
//! within the same fraction of a second; `cargo book bench` takes the median of those per-round
//! ratios, with a 95 % confidence interval for that median from the order statistics, and
//! flags a ratio whose interval crosses 1.
//!
//! Each comparison writes `target/interleaved/<name>.json` (every sample, the iterations per
//! batch, and the one-minute load average before and after), which `cargo book bench` reads
//! along with criterion's results.

#![allow(dead_code)] // each bench file uses part of it

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The time one function's batch should take in a round.
pub(crate) const BATCH: Duration = Duration::from_millis(5);

/// Rounds when the caller does not say.
pub(crate) const ROUNDS: usize = 101;

type Batch<'a> = Box<dyn FnMut(u64) -> Duration + 'a>;

struct Entry<'a> {
    function: String,
    baseline: bool,
    run: Batch<'a>,
}

/// A set of functions doing the same job on the same input, measured in alternating rounds.
pub(crate) struct Comparison<'a> {
    name: String,
    elements: Option<u64>,
    rounds: usize,
    entries: Vec<Entry<'a>>,
}

impl<'a> Comparison<'a> {
    /// A comparison named as the appendix will show it.
    pub(crate) fn new(name: impl Into<String>) -> Self {
        Comparison {
            name: name.into(),
            elements: None,
            rounds: ROUNDS,
            entries: Vec::new(),
        }
    }

    /// How many elements one iteration handles, for the time per element.
    pub(crate) fn elements(mut self, n: u64) -> Self {
        self.elements = Some(n);
        self
    }

    /// How many rounds to run (more for a narrower interval).
    pub(crate) fn rounds(mut self, rounds: usize) -> Self {
        self.rounds = rounds;
        self
    }

    /// One of ours: `f` is one iteration.
    pub(crate) fn ours<R>(&mut self, function: &str, f: impl FnMut() -> R + 'a) -> &mut Self {
        self.push(function, false, timed(f))
    }

    /// The baseline every one of ours is compared with (name it by its path, `crate::Item`).
    pub(crate) fn baseline<R>(&mut self, function: &str, f: impl FnMut() -> R + 'a) -> &mut Self {
        self.push(function, true, timed(f))
    }

    /// A baseline that times itself: `f(n)` runs `n` iterations and says how long they took
    /// (for work done in another process, which reports its own time).
    pub(crate) fn baseline_timed(
        &mut self,
        function: &str,
        f: impl FnMut(u64) -> Duration + 'a,
    ) -> &mut Self {
        self.push(function, true, Box::new(f))
    }

    fn push(&mut self, function: &str, baseline: bool, run: Batch<'a>) -> &mut Self {
        self.entries.push(Entry {
            function: function.to_string(),
            baseline,
            run,
        });
        self
    }

    /// Calibrates each function's batch, runs the rounds, prints a summary and writes the
    /// samples for `cargo book bench`. Under `cargo test` ([`smoke_test`]) it runs each
    /// function once and writes nothing.
    pub(crate) fn run(&mut self) {
        if smoke_test() {
            for e in &mut self.entries {
                (e.run)(1);
                println!("{} / {}: ran once (smoke test)", self.name, e.function);
            }
            return;
        }
        let load_before = load_average();
        let iterations: Vec<u64> = self
            .entries
            .iter_mut()
            .map(|e| calibrate(&mut e.run))
            .collect();
        let mut samples = vec![Vec::with_capacity(self.rounds); self.entries.len()];
        for round in 0..self.rounds {
            for k in 0..self.entries.len() {
                let i = (round + k) % self.entries.len();
                let n = iterations[i];
                let elapsed = (self.entries[i].run)(n);
                samples[i].push(elapsed.as_nanos() as f64 / n as f64);
            }
        }
        let load_after = load_average();
        self.report(&samples);
        let functions: Vec<serde_json::Value> = (self.entries.iter())
            .zip(&iterations)
            .zip(&samples)
            .map(|((e, n), s)| {
                serde_json::json!({
                    "function": e.function,
                    "baseline": e.baseline,
                    "iterations_per_round": n,
                    "samples_ns": s,
                })
            })
            .collect();
        let json = serde_json::json!({
            "group": self.name,
            "elements": self.elements,
            "rounds": self.rounds,
            "load_before": load_before,
            "load_after": load_after,
            "functions": functions,
        });
        let dir = output_dir();
        let file = dir.join(format!("{}.json", slug(&self.name)));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&file, format!("{json:#}\n")))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    }

    /// Per function its median time, and per one of ours the median per-round ratio.
    fn report(&self, samples: &[Vec<f64>]) {
        println!("{} ({} rounds)", self.name, self.rounds);
        for (e, s) in self.entries.iter().zip(samples) {
            println!("  {:<60} median {:>12.1} ns", e.function, median(s));
        }
        for (b, base) in self.entries.iter().zip(samples).filter(|(e, _)| e.baseline) {
            for (o, ours) in self
                .entries
                .iter()
                .zip(samples)
                .filter(|(e, _)| !e.baseline)
            {
                let ratios: Vec<f64> = ours.iter().zip(base).map(|(o, b)| o / b).collect();
                let (lo, hi) = (min(&ratios), max(&ratios));
                println!(
                    "  {} / {}: median ratio {:.3} (rounds from {lo:.3} to {hi:.3})",
                    o.function,
                    b.function,
                    median(&ratios)
                );
            }
        }
    }
}

/// True when the bench runs as a test (`cargo test --benches`), as criterion decides it: cargo
/// passes `--bench` only to `cargo bench`.
pub(crate) fn smoke_test() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

/// Wraps one iteration into a batch of `n`, timed on the monotonic clock.
fn timed<'a, R>(mut f: impl FnMut() -> R + 'a) -> Batch<'a> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        start.elapsed()
    })
}

/// Doubles the iterations until a batch takes at least [`BATCH`]; this also warms caches and
/// the branch predictor. A function slower than a batch runs once per round.
fn calibrate(run: &mut Batch<'_>) -> u64 {
    let mut n = 1;
    loop {
        let elapsed = run(n);
        if elapsed >= BATCH {
            return n;
        }
        // Jump close to the target once the time is measurable, then settle by doubling.
        let scale = if elapsed > Duration::from_micros(100) {
            (BATCH.as_secs_f64() / elapsed.as_secs_f64()).clamp(1.0, 16.0)
        } else {
            2.0
        };
        n = ((n as f64 * scale).ceil() as u64).max(n + 1);
    }
}

/// `$SYSDESIGN_INTERLEAVED_DIR` (which `cargo book bench` sets), else
/// `$CARGO_TARGET_DIR/interleaved`, else `interleaved/` in the target folder that holds this
/// executable (`target/release/deps/<bench>` when cargo runs it).
fn output_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SYSDESIGN_INTERLEAVED_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("interleaved");
    }
    let exe = std::env::current_exe().expect("the running bench has a path");
    let target = exe
        .ancestors()
        .nth(3)
        .expect("the bench runs from target/<profile>/deps/");
    target.join("interleaved")
}

/// A file name from a comparison's name: letters and digits kept, runs of others as one `_`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The one-minute load average, as `/proc/loadavg` gives it, or null where there is none.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
