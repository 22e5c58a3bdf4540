//! The confusion matrix and macro precision, recall and F1 of 10 million labels of 5 classes,
//! against two baselines, each in interleaved rounds (`benches/interleaved/mod.rs`):
//!
//! - the read floor: one pass that reads every byte of both label vectors and does nothing
//!   else (an XOR fold, which the compiler turns into wide vector instructions). No way of
//!   counting the pairs can read them faster, so "ours / floor" says how far from the memory
//!   limit we are. A second comparison sets the same read compiled for AVX2 against it, on
//!   processors that have AVX2: if wider instructions do not make reading faster, the floor is
//!   set by memory, and no vector instructions would let a count beat it;
//! - scikit-learn's `precision_recall_fscore_support(average="macro")` on the same bytes, run by
//!   `benches/sklearn_metrics.py` in a Python worker that this bench drives round by round,
//!   so both sides meet the same load. It runs only when the environment variable
//!   `SYSDESIGN_PYTHON` names a Python with scikit-learn; `cargo book bench` sets it to the
//!   Python of the environment it manages under `~/.cache/sysdesign-book/venv` when scikit-learn
//!   is installed there, and says on the page when it is not.
//!
//! Against the floor, `ConfusionMatrix::from_bytes` (byte labels, counted in place) and
//! `ConfusionMatrix::from_bytes_parallel` on two threads (the floor reads on one) in rounds spread
//! over nine processes; against scikit-learn, it and the general `ConfusionMatrix::new` (any
//! `Ord` label, numbered through a map) in 21 rounds in one process, since scikit-learn takes
//! seconds to start and seconds a call.
//!
//! Run with `cargo bench --bench classification_metrics` (about two minutes with scikit-learn).

mod interleaved;

use interleaved::Comparison;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::num::NonZeroUsize;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;
use sysdesign::classification_metrics::{Average, ConfusionMatrix, Scores, ZeroDivision};

const LABELS: usize = 10_000_000;
const CLASSES: u8 = 5;
/// A fixed count, so the row's name is the same on every machine; on one core it shows what
/// the threads cost.
const TWO_THREADS: NonZeroUsize = NonZeroUsize::new(2).expect("2 is not zero");

fn labels() -> (Vec<u8>, Vec<u8>) {
    let mut rng = StdRng::seed_from_u64(20261123);
    let truth: Vec<u8> = (0..LABELS).map(|_| rng.random_range(0..CLASSES)).collect();
    let predicted = truth
        .iter()
        .map(|&t| {
            if rng.random_bool(0.8) {
                t
            } else {
                rng.random_range(0..CLASSES)
            }
        })
        .collect();
    (truth, predicted)
}

/// The read floor: every byte of both vectors read once, XORed into one byte so that the
/// compiler cannot skip the reads; it becomes wide vector instructions.
#[inline(always)]
fn read_floor(truth: &[u8], predicted: &[u8]) -> u8 {
    truth
        .iter()
        .zip(predicted)
        .fold(0u8, |acc, (t, p)| acc ^ t ^ p)
}

/// [`read_floor`] compiled for AVX2: the compiler may use 32-byte vectors instead of 16-byte
/// ones. Calling it on a processor without AVX2 is undefined behaviour, hence `unsafe`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn read_floor_avx2(truth: &[u8], predicted: &[u8]) -> u8 {
    read_floor(truth, predicted)
}

fn macro_scores(m: &ConfusionMatrix<u8>) -> Scores {
    m.scores(&Average::Macro, 1.0, ZeroDivision::Zero)
        .expect("beta 1 is valid")
}

/// scikit-learn in a Python process of its own, fed the same labels through a file.
struct Sklearn {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    _labels: tempfile::NamedTempFile,
}

impl Sklearn {
    /// Starts the worker, or says why it cannot.
    fn start(truth: &[u8], predicted: &[u8]) -> Result<(Sklearn, String), String> {
        let python = std::env::var_os("SYSDESIGN_PYTHON").ok_or(
            "SYSDESIGN_PYTHON is not set (`cargo book bench` sets it when its Python environment has scikit-learn)",
        )?;
        let mut labels = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        labels
            .write_all(truth)
            .and_then(|()| labels.write_all(predicted))
            .map_err(|e| format!("cannot write the labels for scikit-learn: {e}"))?;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/sklearn_metrics.py");
        let mut child = Command::new(&python)
            .arg(script)
            .arg(labels.path())
            .arg(truth.len().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", python.to_string_lossy()))?;
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut versions = String::new();
        stdout.read_line(&mut versions).map_err(|e| e.to_string())?;
        if versions.is_empty() {
            let _ = child.wait();
            return Err(format!(
                "{} {script} printed nothing (is scikit-learn installed there?)",
                python.to_string_lossy()
            ));
        }
        let worker = Sklearn {
            child,
            stdin,
            stdout,
            _labels: labels,
        };
        Ok((worker, versions.trim().to_string()))
    }

    /// Runs `n` calls in the worker and returns the time it measured for them.
    fn run(&mut self, n: u64) -> Duration {
        writeln!(self.stdin, "run {n}").expect("the scikit-learn worker is running");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("the scikit-learn worker answers");
        let ns: u64 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the scikit-learn worker answered {line:?}"));
        Duration::from_nanos(ns)
    }
}

impl Drop for Sklearn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let (truth, predicted) = labels();
    let (truth, predicted) = (truth.as_slice(), predicted.as_slice());
    if !interleaved::in_child() {
        assert_eq!(
            ConfusionMatrix::from_bytes(truth, predicted).expect("equal lengths"),
            ConfusionMatrix::new(truth, predicted).expect("equal lengths"),
            "both paths count the same matrix"
        );
    }

    // The floor is cheap, so this comparison gets many rounds and a narrow range.
    let mut floor = Comparison::new(format!(
        "confusion matrix and macro F1 of {LABELS} byte labels, against one read of them"
    ))
    .elements(LABELS as u64);
    floor
        .ours("sysdesign ConfusionMatrix::from_bytes", || {
            macro_scores(
                &ConfusionMatrix::from_bytes(black_box(truth), black_box(predicted))
                    .expect("equal lengths"),
            )
        })
        .ours(
            "sysdesign ConfusionMatrix::from_bytes_parallel (2 threads)",
            || {
                macro_scores(
                    &ConfusionMatrix::from_bytes_parallel(
                        black_box(truth),
                        black_box(predicted),
                        TWO_THREADS,
                    )
                    .expect("equal lengths"),
                )
            },
        )
        .baseline(
            "std::iter::Iterator::fold (XOR of every label byte: the read floor)",
            || read_floor(black_box(truth), black_box(predicted)),
        );
    floor.run();

    // Is the floor set by memory or by instructions? The same read, compiled for AVX2 (32 bytes
    // an instruction instead of the baseline's 16), answers it where the processor has AVX2.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        let mut wide = Comparison::new(format!(
            "one read of {LABELS} byte labels, AVX2 against the baseline x86-64 instructions"
        ))
        .elements(LABELS as u64);
        wide.ours("read floor compiled for AVX2 (#[target_feature])", || {
            // SAFETY: `read_floor_avx2` needs AVX2, and `is_x86_feature_detected!` found it.
            unsafe { read_floor_avx2(black_box(truth), black_box(predicted)) }
        })
        .baseline(
            "std::iter::Iterator::fold (XOR of every label byte: the read floor)",
            || read_floor(black_box(truth), black_box(predicted)),
        );
        wide.run();
    } else {
        println!(
            "no AVX2 on this processor: the read floor is measured with baseline instructions only"
        );
    }

    // Started only where its comparison runs: not under `cargo test`, not in a child process.
    let mut sklearn = if interleaved::smoke_test() || interleaved::in_child() {
        None
    } else {
        match Sklearn::start(truth, predicted) {
            Ok((worker, versions)) => {
                println!("baseline: {versions}");
                Some(worker)
            }
            Err(why) => {
                println!("scikit-learn not measured: {why}");
                None
            }
        }
    };

    // scikit-learn takes seconds a call: fewer rounds.
    let mut c = Comparison::new(format!(
        "confusion matrix and macro precision, recall and F1 ({LABELS} labels, {CLASSES} classes)"
    ))
    .elements(LABELS as u64)
    .rounds(21)
    // One process: the scikit-learn worker takes seconds to start, and its calls take seconds.
    .processes(1);
    c.ours("sysdesign ConfusionMatrix::from_bytes", || {
        macro_scores(
            &ConfusionMatrix::from_bytes(black_box(truth), black_box(predicted))
                .expect("equal lengths"),
        )
    })
    .ours("sysdesign ConfusionMatrix::new", || {
        macro_scores(
            &ConfusionMatrix::new(black_box(truth), black_box(predicted)).expect("equal lengths"),
        )
    });
    if let Some(worker) = &mut sklearn {
        c.baseline_timed("sklearn.metrics.precision_recall_fscore_support", |n| {
            worker.run(n)
        });
    }
    c.run();
}
