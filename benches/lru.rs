//! Our `Lru` against the `lru` crate, and our `S3Fifo` against `quick_cache`, in interleaved
//! rounds (`benches/interleaved/mod.rs`): ours and theirs take turns, so the machine's load hits
//! both alike and the ratio holds on a busy machine.
//!
//! `lru::LruCache` hashes with hashbrown's default hasher, foldhash, and so does our `Lru` by
//! default: "sysdesign Lru (foldhash)" compares the data structures on equal terms.
//! "sysdesign Lru (SipHash)" is ours given std's keyed SipHash, the price of resisting hash flooding.
//! `quick_cache::unsync::Cache` (the single-threaded one) also hashes with foldhash by default, as
//! does our `S3Fifo`.
//!
//! Two workloads, each on every cache:
//!
//! - get-or-insert: a Zipf trace of keys; each key is looked up and, on a miss, inserted. Each
//!   function keeps its own cache from one iteration to the next, so after the first replay every
//!   iteration starts from the same warm cache, and neither building nor dropping a cache is
//!   timed;
//! - get hit: every key of the trace is in the cache, so this times a hit alone.
//!
//! The crate's function is named by its path, `lru::LruCache` or `quick_cache::unsync::Cache`:
//! that makes it the baseline of its comparison on the book's benchmarks page (see
//! CONTRIBUTING.md, "Benchmarks").
//!
//! Run with `cargo bench --bench lru` (one to two minutes), or `cargo book bench` to regenerate the page.

mod interleaved;

use interleaved::Comparison;
use lru::LruCache;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZeroUsize;
use sysdesign::caching::{Cache, Lru, S3Fifo, zipf_trace};

const KEYS: u64 = 10_000;
const OPS: usize = 100_000;
const CAPACITY: usize = 1_000;
const EXPONENT: f64 = 0.9;
const SEED: u64 = 7;
/// Rounds per comparison: a round takes a few milliseconds, and a busy machine needs many of
/// them for a narrow range.
const ROUNDS: usize = 301;

/// The two operations the workloads need, under one name for every cache measured.
trait Measured {
    /// The value cached for `key`, counted as a use, if present.
    fn hit(&mut self, key: &u64) -> Option<u64>;
    /// Inserts `key` (evicting as the policy says when full).
    fn insert(&mut self, key: u64);
}

impl<S: BuildHasher> Measured for Lru<u64, u64, S> {
    fn hit(&mut self, key: &u64) -> Option<u64> {
        self.get(key).copied()
    }
    fn insert(&mut self, key: u64) {
        self.put(key, key);
    }
}

impl Measured for S3Fifo<u64, u64> {
    fn hit(&mut self, key: &u64) -> Option<u64> {
        self.get(key).copied()
    }
    fn insert(&mut self, key: u64) {
        self.put(key, key);
    }
}

impl Measured for LruCache<u64, u64> {
    fn hit(&mut self, key: &u64) -> Option<u64> {
        self.get(key).copied()
    }
    fn insert(&mut self, key: u64) {
        self.push(key, key);
    }
}

impl Measured for quick_cache::unsync::Cache<u64, u64> {
    fn hit(&mut self, key: &u64) -> Option<u64> {
        self.get(key).copied()
    }
    fn insert(&mut self, key: u64) {
        self.insert(key, key);
    }
}

/// What one iteration does with its cache.
#[derive(Clone, Copy, PartialEq)]
enum Workload {
    /// Gets each key of the trace; on a miss, inserts it.
    GetOrInsert,
    /// Gets each key of the trace, every one of which is cached (filled first).
    Hits,
}

impl Workload {
    /// Replays `trace` on `cache`; returns the hits, or the sum of the values hit, so the work
    /// cannot be optimized away.
    fn replay(self, cache: &mut impl Measured, trace: &[u64]) -> u64 {
        match self {
            Workload::GetOrInsert => {
                let mut hits = 0;
                for &key in trace {
                    if cache.hit(&key).is_some() {
                        hits += 1;
                    } else {
                        cache.insert(key);
                    }
                }
                hits
            }
            Workload::Hits => trace
                .iter()
                .map(|k| cache.hit(k).expect("every key of the trace is cached"))
                .sum(),
        }
    }

    /// `cache` ready for this workload: for hits, holding every key below `CAPACITY`, the keys
    /// of the hit trace.
    fn prepare<C: Measured>(self, mut cache: C) -> C {
        if self == Workload::Hits {
            for key in 0..CAPACITY as u64 {
                cache.insert(key);
            }
        }
        cache
    }
}

fn main() {
    let zipf = zipf_trace(KEYS, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    // Only keys below CAPACITY: with every one of them cached, each get is a hit.
    let hot = zipf_trace(CAPACITY as u64, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mix =
        format!("zipf get-or-insert ({OPS} ops, {KEYS} keys, s = {EXPONENT}, capacity {CAPACITY})");
    let hits = format!("get hit ({OPS} gets, capacity {CAPACITY})");

    lru_comparison(&mix, &zipf, Workload::GetOrInsert);
    lru_comparison(&hits, &hot, Workload::Hits);
    s3fifo_comparison(&format!("s3-fifo {mix}"), &zipf, Workload::GetOrInsert);
    s3fifo_comparison(&format!("s3-fifo {hits}"), &hot, Workload::Hits);
}

/// Our `Lru` with each hasher against `lru::LruCache`, each with a cache of its own.
fn lru_comparison(name: &str, trace: &[u64], workload: Workload) {
    let mut sip = workload
        .prepare(Lru::with_hasher(CAPACITY, RandomState::new()).expect("CAPACITY is not zero"));
    // The default hasher, the same type as `lru::DefaultHasher`.
    let mut fold = workload.prepare(Lru::new(CAPACITY).expect("CAPACITY is not zero"));
    let mut theirs = workload.prepare(LruCache::new(
        NonZeroUsize::new(CAPACITY).expect("CAPACITY is not zero"),
    ));
    let mut c = Comparison::new(name).elements(OPS as u64).rounds(ROUNDS);
    c.ours("sysdesign Lru (SipHash)", move || {
        workload.replay(&mut sip, trace)
    })
    .ours("sysdesign Lru (foldhash)", move || {
        workload.replay(&mut fold, trace)
    })
    .baseline("lru::LruCache", move || workload.replay(&mut theirs, trace));
    c.run();
}

/// Our `S3Fifo` against `quick_cache::unsync::Cache`, as [`lru_comparison`] does for LRU.
fn s3fifo_comparison(name: &str, trace: &[u64], workload: Workload) {
    let mut ours = workload.prepare(S3Fifo::new(CAPACITY).expect("CAPACITY is not zero"));
    let mut theirs = workload.prepare(quick_cache::unsync::Cache::new(CAPACITY));
    if workload == Workload::Hits {
        assert!(
            (0..CAPACITY as u64).all(|k| ours.contains(&k) && theirs.contains_key(&k)),
            "both caches hold every key of the trace"
        );
    }
    let mut c = Comparison::new(name).elements(OPS as u64).rounds(ROUNDS);
    c.ours("sysdesign S3Fifo", move || {
        workload.replay(&mut ours, trace)
    })
    .baseline("quick_cache::unsync::Cache", move || {
        workload.replay(&mut theirs, trace)
    });
    c.run();
}
