//! Our `Lru` against the `lru` crate, side by side in each group so the ratio can be read.
//!
//! `lru::LruCache` hashes with hashbrown's default hasher (foldhash), ours with std's SipHash
//! unless told otherwise, so each group has three lines: ours as shipped, ours with the very
//! hasher `lru` uses (the data structures compared on equal terms), and `lru` itself.
//!
//! The crate's function is named by its path, `lru::LruCache`: that makes it the baseline of
//! its group on the book's benchmarks page (see CONTRIBUTING.md, "Benchmarks").
//!
//! Run with `cargo bench --bench lru`, or `cargo book bench` to regenerate the page; the whole
//! run takes about 20 seconds.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lru::LruCache;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;
use sysdesign::caching::{Cache, Lru, zipf_trace};

const KEYS: u64 = 10_000;
const OPS: usize = 100_000;
const CAPACITY: usize = 1_000;
const EXPONENT: f64 = 0.9;
const SEED: u64 = 7;

fn capacity() -> NonZeroUsize {
    NonZeroUsize::new(CAPACITY).expect("CAPACITY is not zero")
}

/// Get each key; on a miss, insert it. Returns the hits so the work cannot be optimized away.
fn replay_ours<S: std::hash::BuildHasher>(cache: &mut Lru<u64, u64, S>, trace: &[u64]) -> u64 {
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

fn replay_theirs(cache: &mut LruCache<u64, u64>, trace: &[u64]) -> u64 {
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

fn zipf_get_or_insert(c: &mut Criterion) {
    let trace = zipf_trace(KEYS, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mut group = c.benchmark_group(format!(
        "zipf get-or-insert ({OPS} ops, {KEYS} keys, s = {EXPONENT}, capacity {CAPACITY})"
    ));
    group.throughput(Throughput::Elements(OPS as u64));
    group.bench_function("sysdesign Lru (SipHash)", |b| {
        b.iter_batched(
            || Lru::new(CAPACITY).expect("CAPACITY is not zero"),
            |mut cache| {
                black_box(replay_ours(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("sysdesign Lru (foldhash)", |b| {
        b.iter_batched(
            || Lru::with_hasher(CAPACITY, lru::DefaultHasher::default()).expect("not zero"),
            |mut cache| {
                black_box(replay_ours(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("lru::LruCache", |b| {
        b.iter_batched(
            || LruCache::new(capacity()),
            |mut cache| {
                black_box(replay_theirs(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn get_hit(c: &mut Criterion) {
    // Every key of the trace is cached: this measures a hit alone (lookup + move to front).
    let trace = zipf_trace(CAPACITY as u64, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mut ours = Lru::new(CAPACITY).expect("CAPACITY is not zero");
    let mut ours_fold =
        Lru::with_hasher(CAPACITY, lru::DefaultHasher::default()).expect("CAPACITY is not zero");
    let mut theirs = LruCache::new(capacity());
    for key in 0..CAPACITY as u64 {
        ours.put(key, key);
        ours_fold.put(key, key);
        theirs.push(key, key);
    }
    let mut group = c.benchmark_group(format!("get hit ({OPS} gets, capacity {CAPACITY})"));
    group.throughput(Throughput::Elements(OPS as u64));
    group.bench_function("sysdesign Lru (SipHash)", |b| {
        b.iter(|| {
            trace
                .iter()
                .map(|k| *ours.get(k).expect("cached"))
                .sum::<u64>()
        })
    });
    group.bench_function("sysdesign Lru (foldhash)", |b| {
        b.iter(|| {
            trace
                .iter()
                .map(|k| *ours_fold.get(k).expect("cached"))
                .sum::<u64>()
        })
    });
    group.bench_function("lru::LruCache", |b| {
        b.iter(|| {
            trace
                .iter()
                .map(|k| *theirs.get(k).expect("cached"))
                .sum::<u64>()
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = zipf_get_or_insert, get_hit
}
criterion_main!(benches);
