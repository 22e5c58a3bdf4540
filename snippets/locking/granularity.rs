//! timing: measured on the machine that builds the book
//! Counters updated by 1, 2 and 4 threads under one global lock and under 64 striped locks.
//! Bounded: every run makes exactly 2,000,000 updates.

use std::time::Instant;
use sysdesign::locking::{Counters, GlobalLock, HammerRun, StripedLocks, hammer};
use sysdesign::show::{self, Table};

const UPDATES: u64 = 2_000_000;
const KEYS: u64 = 1_024;
/// Spin rounds inside the critical section: the work a real update does while holding the lock.
const WORK: u32 = 200;

// ANCHOR: measure
/// `threads` threads share `UPDATES` updates of `counters`; the run and its wall time in seconds.
fn measure(counters: &dyn Counters, threads: usize) -> (HammerRun, f64) {
    let started = Instant::now();
    let run = hammer(counters, threads, UPDATES / threads as u64, KEYS, WORK, 7);
    (run, started.elapsed().as_secs_f64())
}
// ANCHOR_END: measure

fn main() {
    let mut table = Table::new([
        "locks",
        "threads",
        "updates",
        "million updates/s",
        "updates that waited",
    ]);
    for threads in [1, 2, 4] {
        let global = GlobalLock::default();
        let striped = StripedLocks::new(64);
        for counters in [&global as &dyn Counters, &striped] {
            let (run, seconds) = measure(counters, threads);
            table.push([
                counters.name(),
                threads.to_string(),
                run.updates.to_string(),
                format!("{:.2}", run.updates as f64 / seconds / 1e6),
                format!("{:.1}%", 100.0 * run.waited as f64 / run.updates as f64),
            ]);
        }
    }
    show::table(&table);
    println!(
        "machine: {} hardware threads",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
