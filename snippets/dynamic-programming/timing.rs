//! timing: measured on the machine that builds the book
//!
//! Wall-clock time of the three versions on strings with no common letter, best of 3 runs.

use std::hint::black_box;
use std::time::{Duration, Instant};
use sysdesign::dynamic_programming::{edit_distance, memoized_edit_distance, naive_edit_distance};
use sysdesign::show::{self, Table};

const RUNS: usize = 3;

fn best_of(mut run: impl FnMut() -> usize) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .min()
        .expect("RUNS > 0")
}

fn micros(time: Duration) -> String {
    format!("{:.1}", time.as_secs_f64() * 1e6)
}

fn main() {
    let mut table = Table::new([
        "n",
        "naive µs",
        "memoized µs",
        "bottom-up µs",
        "naive / bottom-up",
    ]);
    for n in [4, 6, 8, 10, 11] {
        let (a, b) = (vec![b'a'; n], vec![b'b'; n]);
        let naive = best_of(|| {
            naive_edit_distance(black_box(&a), black_box(&b))
                .expect("short")
                .distance
        });
        let memo = best_of(|| {
            memoized_edit_distance(black_box(&a), black_box(&b))
                .expect("short")
                .distance
        });
        let bottom_up = best_of(|| edit_distance(black_box(&a), black_box(&b)));
        table.push([
            n.to_string(),
            micros(naive),
            micros(memo),
            micros(bottom_up),
            format!("{:.0}", naive.as_secs_f64() / bottom_up.as_secs_f64()),
        ]);
    }
    show::table(&table.caption("best of 3 runs, measured on the machine that built this page"));
    let mut table = Table::new(["n", "bottom-up ms", "cells", "ns per cell"]);
    for n in [1_000, 4_000] {
        let (a, b) = (vec![b'a'; n], vec![b'b'; n]);
        let time = best_of(|| edit_distance(black_box(&a), black_box(&b)));
        let cells = ((n + 1) * (n + 1)) as f64;
        table.push([
            n.to_string(),
            format!("{:.2}", time.as_secs_f64() * 1e3),
            format!("{cells:.0}"),
            format!("{:.2}", time.as_secs_f64() * 1e9 / cells),
        ]);
    }
    show::table(
        &table.caption("bottom-up on long strings, where the naive recursion would never finish"),
    );
}
