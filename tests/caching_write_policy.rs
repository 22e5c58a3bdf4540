//! Write policies: what the store sees, what a crash loses, and when readers see stale data.
//! Time is passed in; nothing sleeps.

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use sysdesign::caching::{CachedStore, Store, WritePolicy};

fn app(policy: WritePolicy, capacity: usize) -> CachedStore<u32, u32> {
    CachedStore::new(policy, capacity).expect("capacity is at least 1")
}

#[test]
fn write_back_loses_dirty_writes_on_crash() {
    let now = Instant::now();
    let mut app = app(WritePolicy::WriteBack, 8);
    app.write(1, 10, now);
    app.write(2, 20, now);
    app.write(2, 21, now);
    assert_eq!(app.flush(), 2);
    app.write(3, 30, now);
    app.write(1, 11, now);
    app.write(1, 12, now);
    let report = app.crash();
    assert_eq!(report.lost_keys, [1, 3]);
    assert_eq!(report.lost_writes, 3);
    // The store kept what was flushed, and only that.
    assert_eq!(app.store().peek(&1), Some(&10));
    assert_eq!(app.store().peek(&2), Some(&21));
    assert_eq!(app.store().peek(&3), None);
}

#[test]
fn every_policy_but_write_back_survives_a_crash_intact() {
    let now = Instant::now();
    for policy in [
        WritePolicy::CacheAside,
        WritePolicy::WriteThrough,
        WritePolicy::WriteAround,
    ] {
        let mut app = app(policy, 2);
        for k in 0..5 {
            app.write(k, k * 10, now);
            app.read(&k, now);
        }
        let report = app.crash();
        assert_eq!(report.lost_writes, 0, "{policy}");
        assert_eq!(app.cached_len(), 0, "{policy}");
        assert_eq!(app.store().len(), 5, "{policy}");
    }
}

#[test]
fn write_back_flushes_a_dirty_entry_when_it_is_evicted() {
    let now = Instant::now();
    let mut app = app(WritePolicy::WriteBack, 1);
    app.write(1, 10, now);
    assert_eq!(app.store().writes(), 0);
    app.write(2, 20, now); // evicts 1, which is dirty
    assert_eq!(app.store().peek(&1), Some(&10));
    assert_eq!(app.store().writes(), 1);
    assert_eq!(app.crash().lost_keys, [2]);
}

#[test]
fn write_back_coalesces_repeated_writes_into_one_store_write() {
    let now = Instant::now();
    let mut app = app(WritePolicy::WriteBack, 4);
    for v in 0..100 {
        app.write(7, v, now);
    }
    app.flush();
    assert_eq!(app.counters().writes, 100);
    assert_eq!(app.counters().store_writes, 1);
    assert_eq!(app.store().peek(&7), Some(&99));
}

#[test]
fn write_through_reads_hit_right_after_a_write() {
    let now = Instant::now();
    let mut app = app(WritePolicy::WriteThrough, 4);
    app.write(1, 10, now);
    assert_eq!(app.read(&1, now), Some(10));
    let c = app.counters();
    assert_eq!(
        (c.hits, c.misses, c.store_reads, c.store_writes),
        (1, 0, 0, 1)
    );
}

#[test]
fn cache_aside_invalidates_on_write_so_the_next_read_misses() {
    let now = Instant::now();
    let mut app = app(WritePolicy::CacheAside, 4);
    app.write(1, 10, now);
    assert_eq!(app.read(&1, now), Some(10)); // miss, fill
    assert_eq!(app.read(&1, now), Some(10)); // hit
    app.write(1, 11, now); // store, then delete the cached copy
    assert_eq!(app.read(&1, now), Some(11)); // miss, fresh
    let c = app.counters();
    assert_eq!((c.hits, c.misses, c.stale_hits), (1, 2, 0));
}

#[test]
fn write_around_leaves_a_cached_copy_stale_until_its_ttl() {
    let t0 = Instant::now();
    let mut app = app(WritePolicy::WriteAround, 4).with_ttl(Duration::from_secs(30));
    app.write(1, 10, t0);
    assert_eq!(app.read(&1, t0), Some(10)); // miss: write-around did not fill the cache
    app.write(1, 11, t0 + Duration::from_secs(1));
    assert_eq!(app.read(&1, t0 + Duration::from_secs(29)), Some(10)); // stale
    assert_eq!(app.read(&1, t0 + Duration::from_secs(30)), Some(11)); // expired, refetched
    let c = app.counters();
    assert_eq!((c.hits, c.stale_hits, c.misses), (1, 1, 2));
}

#[test]
fn cache_aside_serves_another_writers_change_only_after_ttl_or_invalidation() {
    let t0 = Instant::now();
    let db: Store<u32, u32> = [(1, 100)].into_iter().collect();
    let mut app = app(WritePolicy::CacheAside, 4)
        .with_store(db)
        .with_ttl(Duration::from_secs(60));
    assert_eq!(app.read(&1, t0), Some(100));
    app.store_mut().write(1, 200); // another service writes the database directly
    assert_eq!(app.read(&1, t0 + Duration::from_secs(59)), Some(100));
    assert_eq!(app.read(&1, t0 + Duration::from_secs(60)), Some(200));
    app.store_mut().write(1, 300);
    assert!(app.invalidate(&1));
    assert_eq!(app.read(&1, t0 + Duration::from_secs(61)), Some(300));
    assert_eq!(app.counters().stale_hits, 1);
}

#[test]
fn write_back_flushes_an_expired_dirty_entry_instead_of_dropping_it() {
    let t0 = Instant::now();
    let mut app = app(WritePolicy::WriteBack, 4).with_ttl(Duration::from_secs(5));
    app.write(1, 10, t0);
    assert_eq!(app.read(&1, t0 + Duration::from_secs(5)), Some(10));
    assert_eq!(app.store().peek(&1), Some(&10));
}

#[test]
fn reading_a_key_the_store_lacks_caches_nothing() {
    let now = Instant::now();
    let mut app = app(WritePolicy::CacheAside, 4);
    assert_eq!(app.read(&9, now), None);
    assert_eq!(app.read(&9, now), None);
    assert_eq!((app.cached_len(), app.store().reads()), (0, 2));
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Read(u32),
    Write(u32, u32),
    Flush,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u32..6).prop_map(Op::Read),
        4 => (0u32..6, any::<u32>()).prop_map(|(k, v)| Op::Write(k, v)),
        1 => Just(Op::Flush),
    ]
}

fn policy() -> impl Strategy<Value = WritePolicy> {
    prop::sample::select(WritePolicy::ALL.to_vec())
}

proptest! {
    /// With one writer, every policy but write-around returns the last value written;
    /// write-around can return an older one, and then it counts a stale hit.
    #[test]
    fn reads_see_the_last_write_unless_written_around(
        policy in policy(),
        capacity in 1usize..4,
        ops in prop::collection::vec(op(), 0..150),
    ) {
        let now = Instant::now();
        let mut app = app(policy, capacity);
        let mut truth: BTreeMap<u32, u32> = BTreeMap::new();
        let mut stale = 0;
        for op in ops {
            match op {
                Op::Read(k) => {
                    let got = app.read(&k, now);
                    if got != truth.get(&k).copied() {
                        prop_assert_eq!(policy, WritePolicy::WriteAround);
                        stale += 1;
                    }
                }
                Op::Write(k, v) => { app.write(k, v, now); truth.insert(k, v); }
                Op::Flush => { app.flush(); }
            }
        }
        prop_assert_eq!(app.counters().stale_hits, stale);
    }

    /// After a crash the store holds the last write of every key except the reported lost ones,
    /// and only write-back, unflushed, loses any.
    #[test]
    fn the_store_holds_every_write_but_the_reported_lost_ones(
        policy in policy(),
        capacity in 1usize..4,
        ops in prop::collection::vec(op(), 0..150),
        flush_before_crash in any::<bool>(),
    ) {
        let now = Instant::now();
        let mut app = app(policy, capacity);
        let mut truth: BTreeMap<u32, u32> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Read(k) => { app.read(&k, now); }
                Op::Write(k, v) => { app.write(k, v, now); truth.insert(k, v); }
                Op::Flush => { app.flush(); }
            }
        }
        if flush_before_crash {
            app.flush();
        }
        let report = app.crash();
        if policy != WritePolicy::WriteBack || flush_before_crash {
            prop_assert_eq!(report.lost_writes, 0);
        }
        for (k, v) in &truth {
            if !report.lost_keys.contains(k) {
                prop_assert_eq!(app.store().peek(k), Some(v), "key {}", k);
            }
        }
        for k in &report.lost_keys {
            prop_assert!(truth.contains_key(k), "lost key {} was never written", k);
        }
        prop_assert_eq!(report.lost_keys.is_empty(), report.lost_writes == 0);
    }
}
