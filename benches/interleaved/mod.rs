//! Interleaved comparisons: ours and theirs take turns, round after round, so that whatever else
//! the machine is doing lands on both alike, and the rounds are spread over several fresh
//! processes, so that no one process's memory layout decides the ratio.
//!
//! Criterion measures one function to the end before it starts the next. On a quiet machine
//! that is fine; on a busy one, a compile that starts halfway through slows only the second
//! function, and the ratio moves by as much as the load does (the Bloom filter's lookup ratio
//! once read 0.64 and later 1.18 with no code change). Here every round runs each function
//! once for a batch of about [`BATCH`], the order rotating so that none always goes first, and
//! records each one's time per iteration. A round gives one ratio, ours over theirs, measured
//! within the same fraction of a second.
//!
//! Load is not the only thing that moves a ratio. Where the code, the heap and the stack land
//! in memory changes from one process to the next (address-space layout randomization), and so
//! do the collisions in the processor's caches and predictors that follow from it: a copy of
//! the LRU bench, run as eight processes on 2026-11-30, gave hit ratios against `lru` from 0.42
//! to 1.33, while the rounds within each process agreed closely. Mytkowicz et al. ("Producing
//! Wrong Data Without Doing Anything Obviously Wrong!", ASPLOS 2009) and Curtsinger and Berger
//! (STABILIZER, ASPLOS 2013) measured the same effect. So a comparison runs its rounds in
//! [`PROCESSES`] fresh processes (this bench's own executable started again, running that one
//! comparison), each calibrating and running its share of the rounds; `cargo book bench` takes
//! each process's median ratio and reports the median of those, with a confidence interval
//! from their order statistics, and flags a ratio whose interval crosses 1.
//!
//! Each comparison writes `target/interleaved/<name>.json` (every sample in process order, the
//! number of processes, the iterations per batch, and the one-minute load average before and
//! after), which `cargo book bench` reads along with criterion's results.

#![allow(dead_code)] // each bench file uses part of it

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The time one function's batch should take in a round.
pub(crate) const BATCH: Duration = Duration::from_millis(5);

/// Rounds when the caller does not say.
pub(crate) const ROUNDS: usize = 101;

/// Fresh processes a comparison's rounds are split over when the caller does not say. With 9,
/// the interval `cargo book bench` reports (the second lowest to the second highest of the
/// nine per-process medians) holds the median with 96 % confidence.
pub(crate) const PROCESSES: usize = 9;

/// Set in a child process: the file name ([`slug`]) of the one comparison it runs.
const CHILD: &str = "SYSDESIGN_INTERLEAVED_CHILD";
/// Set in a child process: how many rounds it runs.
const CHILD_ROUNDS: &str = "SYSDESIGN_INTERLEAVED_ROUNDS";
/// Set in a child process: where it writes its samples.
const CHILD_OUT: &str = "SYSDESIGN_INTERLEAVED_OUT";

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
    processes: usize,
    entries: Vec<Entry<'a>>,
}

/// What one process measured: per function, the iterations per batch and the time per
/// iteration of each round.
struct Measured {
    iterations: Vec<u64>,
    samples: Vec<Vec<f64>>,
}

impl<'a> Comparison<'a> {
    /// A comparison named as the appendix will show it.
    pub(crate) fn new(name: impl Into<String>) -> Self {
        Comparison {
            name: name.into(),
            elements: None,
            rounds: ROUNDS,
            processes: PROCESSES,
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

    /// How many fresh processes share the rounds (1 runs them all in this one, for a baseline
    /// that holds a resource which cannot be started again cheaply, such as a Python worker).
    pub(crate) fn processes(mut self, processes: usize) -> Self {
        assert!(processes > 0, "a comparison runs in at least one process");
        self.processes = processes;
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

    /// Runs the rounds (in fresh processes unless [`processes`](Self::processes) is 1), prints
    /// a summary and writes the samples for `cargo book bench`. Under `cargo test`
    /// ([`smoke_test`]) it runs each function once and writes nothing. In a child process it runs
    /// only the comparison the parent named, and every other one returns at once.
    pub(crate) fn run(&mut self) {
        if smoke_test() {
            for e in &mut self.entries {
                (e.run)(1);
                println!("{} / {}: ran once (smoke test)", self.name, e.function);
            }
            return;
        }
        if let Some(target) = std::env::var_os(CHILD) {
            if target.to_str() == Some(slug(&self.name).as_str()) {
                self.run_child();
            }
            return;
        }
        let load_before = load_average();
        let per_process = self.rounds.div_ceil(self.processes);
        let processes: Vec<Measured> = if self.processes == 1 {
            vec![self.measure(self.rounds)]
        } else {
            (0..self.processes)
                .map(|k| self.spawn(k, per_process))
                .collect()
        };
        let load_after = load_average();
        let samples: Vec<Vec<f64>> = (0..self.entries.len())
            .map(|i| {
                processes
                    .iter()
                    .flat_map(|p| p.samples[i].clone())
                    .collect()
            })
            .collect();
        let rounds = samples[0].len();
        self.report(&samples, processes.len());
        let functions: Vec<serde_json::Value> = (self.entries.iter())
            .enumerate()
            .zip(&samples)
            .map(|((i, e), s)| {
                let iterations: Vec<u64> = processes.iter().map(|p| p.iterations[i]).collect();
                serde_json::json!({
                    "function": e.function,
                    "baseline": e.baseline,
                    "iterations_per_round": iterations,
                    "samples_ns": s,
                })
            })
            .collect();
        let json = serde_json::json!({
            "group": self.name,
            "elements": self.elements,
            "rounds": rounds,
            "processes": processes.len(),
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

    /// Calibrates each function's batch, then runs `rounds` rounds in this process.
    fn measure(&mut self, rounds: usize) -> Measured {
        let iterations: Vec<u64> = self
            .entries
            .iter_mut()
            .map(|e| calibrate(&mut e.run))
            .collect();
        let mut samples = vec![Vec::with_capacity(rounds); self.entries.len()];
        for round in 0..rounds {
            for k in 0..self.entries.len() {
                let i = (round + k) % self.entries.len();
                let n = iterations[i];
                let elapsed = (self.entries[i].run)(n);
                samples[i].push(elapsed.as_nanos() as f64 / n as f64);
            }
        }
        Measured {
            iterations,
            samples,
        }
    }

    /// Process `k` of the comparison: this executable again, with the same arguments, told to
    /// run only this comparison for `rounds` rounds; returns what it measured.
    fn spawn(&self, k: usize, rounds: usize) -> Measured {
        let dir = output_dir();
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let out = dir.join(format!("{}.process-{k}.part", slug(&self.name)));
        let exe = std::env::current_exe().expect("the running bench has a path");
        let status = Command::new(&exe)
            .args(std::env::args_os().skip(1))
            .env(CHILD, slug(&self.name))
            .env(CHILD_ROUNDS, rounds.to_string())
            .env(CHILD_OUT, &out)
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        assert!(
            status.success(),
            "{}: process {k} of {} failed ({status})",
            self.name,
            self.processes
        );
        let measured = read_part(&out, self.entries.len(), rounds);
        let _ = std::fs::remove_file(&out);
        measured
    }

    /// In a child: runs the rounds the parent asked for and writes them where it said.
    fn run_child(&mut self) {
        let rounds: usize = std::env::var(CHILD_ROUNDS)
            .ok()
            .and_then(|r| r.parse().ok())
            .filter(|&r| r > 0)
            .unwrap_or_else(|| panic!("{CHILD_ROUNDS} is not a positive number of rounds"));
        let out = std::env::var_os(CHILD_OUT)
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("{CHILD_OUT} names no file"));
        let m = self.measure(rounds);
        let json = serde_json::json!({ "iterations": m.iterations, "samples_ns": m.samples });
        std::fs::write(&out, json.to_string())
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    }

    /// Per function its median time, and per one of ours the median of the per-process median
    /// ratios, with the lowest and highest of those.
    fn report(&self, samples: &[Vec<f64>], processes: usize) {
        let rounds = samples[0].len();
        println!(
            "{} ({processes} processes, {rounds} rounds in all)",
            self.name
        );
        for (e, s) in self.entries.iter().zip(samples) {
            println!("  {:<60} median {:>12.1} ns", e.function, median(s));
        }
        let per_process = rounds / processes;
        for (b, base) in self.entries.iter().zip(samples).filter(|(e, _)| e.baseline) {
            for (o, ours) in self
                .entries
                .iter()
                .zip(samples)
                .filter(|(e, _)| !e.baseline)
            {
                let ratios: Vec<f64> = ours.iter().zip(base).map(|(o, b)| o / b).collect();
                let medians: Vec<f64> = ratios.chunks(per_process).map(median).collect();
                println!(
                    "  {} / {}: median ratio {:.3} (process medians from {:.3} to {:.3})",
                    o.function,
                    b.function,
                    median(&medians),
                    min(&medians),
                    max(&medians)
                );
            }
        }
    }
}

/// Reads what a child wrote: per function the iterations per batch and `rounds` samples.
fn read_part(file: &Path, functions: usize, rounds: usize) -> Measured {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let json: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
    let iterations: Vec<u64> = serde_json::from_value(json["iterations"].clone())
        .unwrap_or_else(|e| panic!("{}: iterations: {e}", file.display()));
    let samples: Vec<Vec<f64>> = serde_json::from_value(json["samples_ns"].clone())
        .unwrap_or_else(|e| panic!("{}: samples_ns: {e}", file.display()));
    assert!(
        iterations.len() == functions
            && samples.len() == functions
            && samples.iter().all(|s| s.len() == rounds),
        "{} does not hold {rounds} rounds of {functions} functions",
        file.display()
    );
    Measured {
        iterations,
        samples,
    }
}

/// True when the bench runs as a test (`cargo test --benches`), as criterion decides it: cargo
/// passes `--bench` only to `cargo bench`.
pub(crate) fn smoke_test() -> bool {
    !std::env::args().any(|a| a == "--bench")
}

/// True in a child process started by [`Comparison::run`]: setup that only some other
/// comparison needs, such as starting a worker, can be skipped.
pub(crate) fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
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
