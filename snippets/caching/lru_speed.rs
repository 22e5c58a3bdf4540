//! timing: measured on the machine that builds the book
//!
//! Our `Lru` against the `lru` crate on the same Zipf trace, replayed as get-or-insert.
//! Each variant runs once to warm up, then the best of several runs is kept (the least disturbed
//! by the rest of the machine). `cargo bench --bench lru` measures the same thing with criterion.

use lru::LruCache;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};
use sysdesign::caching::{Cache, Lru, zipf_trace};
use sysdesign::show::{self, Table};

const KEYS: u64 = 10_000;
const REQUESTS: usize = 500_000;
const EXPONENT: f64 = 0.9;
const CAPACITY: usize = 1_000;
const RUNS: usize = 7;

fn ours<S: BuildHasher>(cache: &mut Lru<u64, u64, S>, trace: &[u64]) -> u64 {
    let mut hits = 0;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.put(key, key);
        }
    }
    hits
}

fn theirs(cache: &mut LruCache<u64, u64>, trace: &[u64]) -> u64 {
    let mut hits = 0;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.push(key, key);
        }
    }
    hits
}

/// The best time of `RUNS` runs after one warm-up, each on a fresh cache; and the hits.
fn best_of(mut run: impl FnMut() -> u64) -> (Duration, u64) {
    let hits = run();
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        let again = std::hint::black_box(run());
        best = best.min(start.elapsed());
        assert_eq!(again, hits, "a replay is deterministic");
    }
    (best, hits)
}

fn main() {
    let trace = zipf_trace(KEYS, EXPONENT, REQUESTS, 1).expect("valid Zipf parameters");
    let cap = NonZeroUsize::new(CAPACITY).expect("CAPACITY is not zero");
    let results = [
        (
            "sysdesign::caching::Lru",
            "SipHash (std's keyed default)",
            best_of(|| {
                let hasher = RandomState::new();
                ours(
                    &mut Lru::with_hasher(CAPACITY, hasher).expect("not zero"),
                    &trace,
                )
            }),
        ),
        (
            "sysdesign::caching::Lru",
            "foldhash (the default, as lru's)",
            best_of(|| ours(&mut Lru::new(CAPACITY).expect("not zero"), &trace)),
        ),
        (
            "lru::LruCache",
            "foldhash (lru's default)",
            best_of(|| theirs(&mut LruCache::new(cap), &trace)),
        ),
    ];
    let (baseline, baseline_hits) = results[2].2;
    println!(
        "{REQUESTS} get-or-insert requests, Zipf s = {EXPONENT} over {KEYS} keys, capacity \
         {CAPACITY}; best of {RUNS} runs after a warm-up; {baseline_hits} hits in every run."
    );
    let mut table = Table::new(["implementation", "hasher", "ns per request", "time / lru's"]);
    for (name, hasher, (time, hits)) in results {
        assert_eq!(hits, baseline_hits, "both caches implement the same policy");
        table.push([
            name.to_string(),
            hasher.to_string(),
            format!("{:.1}", time.as_nanos() as f64 / REQUESTS as f64),
            format!("{:.2}x", time.as_secs_f64() / baseline.as_secs_f64()),
        ]);
    }
    show::table(&table.caption("measured on the machine that built this page"));
}
