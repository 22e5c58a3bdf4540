//! The four write policies on one seeded workload of reads and writes: what each costs the
//! store, which reads were stale, and what a crash at the end loses.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::time::Instant;
use sysdesign::caching::{CachedStore, Store, WritePolicy, zipf_trace};
use sysdesign::show::{self, Table};

const KEYS: u64 = 100;
const OPS: usize = 2_000;
const EXPONENT: f64 = 0.9;
const WRITE_SHARE: f64 = 0.25;
const CAPACITY: usize = 10;
const SEED: u64 = 8;

#[derive(Clone, Copy)]
enum Op {
    Read(u64),
    Write(u64, u64),
}

fn main() {
    let keys = zipf_trace(KEYS, EXPONENT, OPS, SEED).expect("valid Zipf parameters");
    let mut rng = StdRng::seed_from_u64(SEED);
    // The value written is the request's position, so every write is distinguishable.
    let workload: Vec<Op> = keys
        .iter()
        .enumerate()
        .map(|(i, &key)| {
            if rng.random_bool(WRITE_SHARE) {
                Op::Write(key, i as u64)
            } else {
                Op::Read(key)
            }
        })
        .collect();
    let writes = workload
        .iter()
        .filter(|op| matches!(op, Op::Write(..)))
        .count();
    println!(
        "{OPS} requests over {KEYS} keys (Zipf, s = {EXPONENT}, seed {SEED}), {writes} of them \
         writes; an LRU cache of {CAPACITY} entries in front of a store that already holds every key."
    );

    // What the application was told it wrote: the truth a crash is measured against.
    let mut acknowledged: BTreeMap<u64, u64> = BTreeMap::new();
    for &op in &workload {
        if let Op::Write(key, value) = op {
            acknowledged.insert(key, value);
        }
    }
    let now = Instant::now(); // no TTL here, so time does not matter
    let mut costs = Table::new([
        "policy",
        "hits",
        "hit ratio (of reads)",
        "stale hits",
        "store reads",
        "store writes",
        "store writes per write",
    ]);
    let mut crashes = Table::new(["policy", "dirty entries", "lost writes", "lost keys"]);
    let mut write_back_loss = None;
    for policy in WritePolicy::ALL {
        let db: Store<u64, u64> = (0..KEYS).map(|k| (k, 0)).collect();
        let mut app = CachedStore::new(policy, CAPACITY)
            .expect("capacity is not zero")
            .with_store(db);
        for &op in &workload {
            match op {
                Op::Read(key) => {
                    app.read(&key, now);
                }
                Op::Write(key, value) => app.write(key, value, now),
            }
        }
        let c = app.counters();
        costs.push([
            policy.to_string(),
            c.hits.to_string(),
            format!("{:.3}", c.hits as f64 / c.reads as f64),
            c.stale_hits.to_string(),
            c.store_reads.to_string(),
            c.store_writes.to_string(),
            format!("{:.2}", c.store_writes as f64 / c.writes as f64),
        ]);
        let dirty = app.dirty_len();
        let report = app.crash();
        let shown: Vec<String> = report.lost_keys.iter().map(u64::to_string).collect();
        crashes.push([
            policy.to_string(),
            dirty.to_string(),
            report.lost_writes.to_string(),
            if shown.is_empty() {
                "none".to_string()
            } else {
                shown.join(" ")
            },
        ]);
        if policy == WritePolicy::WriteBack {
            let lost: Vec<[String; 3]> = report
                .lost_keys
                .iter()
                .map(|k| {
                    [
                        k.to_string(),
                        acknowledged[k].to_string(),
                        app.store()
                            .peek(k)
                            .map_or("none".to_string(), u64::to_string),
                    ]
                })
                .collect();
            write_back_loss = Some(lost);
        }
    }
    show::table(&costs.caption("the same workload under each write policy"));
    println!("Then the cache process crashes, before any flush:");
    show::table(&crashes.caption("what a crash at the end loses"));
    if let Some(lost) = write_back_loss {
        let mut table = Table::new(["key", "last value acknowledged", "value in the store"]);
        for row in lost {
            table.push(row);
        }
        show::table(&table.caption("write-back: the writes the store never received"));
    }
}
