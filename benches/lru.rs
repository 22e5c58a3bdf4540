//! Our `Lru` against the `lru` crate, and our `S3Fifo` against `quick_cache`, side by side in each
//! group so the ratio can be read.
//!
//! `lru::LruCache` hashes with hashbrown's default hasher, foldhash, and so does our `Lru` by
//! default: "sysdesign Lru (foldhash)" compares the data structures on equal terms.
//! "sysdesign Lru (SipHash)" is ours given std's keyed SipHash, the price of resisting hash flooding.
//! `quick_cache::unsync::Cache` (the single-threaded one) also hashes with foldhash by default, as
//! does our `S3Fifo`.
//!
//! The crate's function is named by its path, `lru::LruCache` or `quick_cache::unsync::Cache`:
//! that makes it the baseline of its group on the book's benchmarks page (see CONTRIBUTING.md,
//! "Benchmarks").
//!
//! Run with `cargo bench --bench lru`, or `cargo book bench` to regenerate the page; the whole
//! run takes about 40 seconds.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lru::LruCache;
use std::collections::hash_map::RandomState;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;
use sysdesign::caching::{Cache, Lru, S3Fifo, zipf_trace};

const KEYS: u64 = 10_000;
const OPS: usize = 100_000;
const CAPACITY: usize = 1_000;
const EXPONENT: f64 = 0.9;
const SEED: u64 = 7;

fn capacity() -> NonZeroUsize {
    NonZeroUsize::new(CAPACITY).expect("CAPACITY is not zero")
}

/// Get each key; on a miss, insert it. Returns the hits so the work cannot be optimized away.
fn replay_ours(cache: &mut impl Cache<u64, u64>, trace: &[u64]) -> u64 {
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

fn replay_quick_cache(cache: &mut quick_cache::unsync::Cache<u64, u64>, trace: &[u64]) -> u64 {
    let mut hits = 0;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.insert(key, key);
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
            || Lru::with_hasher(CAPACITY, RandomState::new()).expect("CAPACITY is not zero"),
            |mut cache| {
                black_box(replay_ours(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("sysdesign Lru (foldhash)", |b| {
        b.iter_batched(
            // The default hasher, the same type as `lru::DefaultHasher`.
            || Lru::new(CAPACITY).expect("CAPACITY is not zero"),
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
    let mut ours = Lru::with_hasher(CAPACITY, RandomState::new()).expect("CAPACITY is not zero");
    let mut ours_fold = Lru::new(CAPACITY).expect("CAPACITY is not zero");
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

fn s3fifo_get_or_insert(c: &mut Criterion) {
    let trace = zipf_trace(KEYS, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mut group = c.benchmark_group(format!(
        "s3-fifo zipf get-or-insert ({OPS} ops, {KEYS} keys, s = {EXPONENT}, capacity {CAPACITY})"
    ));
    group.throughput(Throughput::Elements(OPS as u64));
    group.bench_function("sysdesign S3Fifo", |b| {
        b.iter_batched(
            || S3Fifo::new(CAPACITY).expect("CAPACITY is not zero"),
            |mut cache| {
                black_box(replay_ours(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("quick_cache::unsync::Cache", |b| {
        b.iter_batched(
            || quick_cache::unsync::Cache::new(CAPACITY),
            |mut cache| {
                black_box(replay_quick_cache(&mut cache, &trace));
                cache
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn s3fifo_get_hit(c: &mut Criterion) {
    // Every key of the trace is cached: a hit alone (lookup + count).
    let trace = zipf_trace(CAPACITY as u64, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mut ours = S3Fifo::new(CAPACITY).expect("CAPACITY is not zero");
    let mut theirs = quick_cache::unsync::Cache::new(CAPACITY);
    for key in 0..CAPACITY as u64 {
        ours.put(key, key);
        theirs.insert(key, key);
    }
    assert!(
        (0..CAPACITY as u64).all(|k| ours.contains(&k) && theirs.contains_key(&k)),
        "both caches hold every key of the trace"
    );
    let mut group = c.benchmark_group(format!("s3-fifo get hit ({OPS} gets, capacity {CAPACITY})"));
    group.throughput(Throughput::Elements(OPS as u64));
    group.bench_function("sysdesign S3Fifo", |b| {
        b.iter(|| {
            trace
                .iter()
                .map(|k| *ours.get(k).expect("cached"))
                .sum::<u64>()
        })
    });
    group.bench_function("quick_cache::unsync::Cache", |b| {
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
    targets = zipf_get_or_insert, get_hit, s3fifo_get_or_insert, s3fifo_get_hit
}
criterion_main!(benches);
