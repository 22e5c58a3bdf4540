//! TTL cache tests. Time is an `Instant` the test moves forward by hand: nothing sleeps.

use proptest::prelude::*;
use std::time::{Duration, Instant};
use sysdesign::caching::TtlCache;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn entry_is_served_until_one_nanosecond_before_its_deadline() {
    let t0 = Instant::now();
    let mut cache = TtlCache::new(4, secs(60)).expect("capacity 4");
    cache.put("user:7", "Ada", t0);
    let deadline = t0 + secs(60);
    assert_eq!(
        cache.peek(&"user:7", deadline - Duration::from_nanos(1)),
        Some(&"Ada")
    );
    assert_eq!(cache.get(&"user:7", deadline), None);
    assert!(cache.is_empty());
}

#[test]
fn zero_ttl_entries_are_born_expired() {
    let t0 = Instant::now();
    let mut cache = TtlCache::new(4, Duration::ZERO).expect("capacity 4");
    cache.put(1, 1, t0);
    assert_eq!(cache.get(&1, t0), None);
}

#[test]
fn purge_frees_the_slots_lazy_expiry_leaves_taken() {
    let t0 = Instant::now();
    let mut cache = TtlCache::new(3, secs(10)).expect("capacity 3");
    cache.put('a', 1, t0);
    cache.put('b', 2, t0);
    cache.put('c', 3, t0 + secs(8));
    let later = t0 + secs(15);
    assert_eq!((cache.len(), cache.live_len(later)), (3, 1));
    assert_eq!(cache.purge_expired(later), [('a', 1), ('b', 2)]);
    assert_eq!(cache.keys(), [&'c']);
    // The freed slots are used without evicting the live entry.
    assert_eq!(cache.put('d', 4, later), None);
    assert_eq!(cache.put('e', 5, later), None);
    assert_eq!(cache.get(&'c', later), Some(&3));
}

#[test]
fn time_going_backwards_does_not_resurrect_or_expire() {
    // Instants are monotonic in practice; if a caller passes an earlier one, the entry is alive.
    let t0 = Instant::now() + secs(100);
    let mut cache = TtlCache::new(1, secs(10)).expect("capacity 1");
    cache.put(1, 1, t0);
    assert_eq!(cache.get(&1, t0 - secs(50)), Some(&1));
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Advance(u8),
    Put(u8, u16),
    Get(u8),
    Purge,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u8..8).prop_map(Op::Advance),
        4 => (0u8..5, any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        4 => (0u8..5).prop_map(Op::Get),
        1 => Just(Op::Purge),
    ]
}

proptest! {
    /// Against a `Vec` of (key, value, deadline) kept in LRU order.
    #[test]
    fn ttl_cache_matches_a_vec_model(
        capacity in 1usize..4,
        ttl in 1u64..6,
        ops in prop::collection::vec(op(), 0..150),
    ) {
        let t0 = Instant::now();
        let mut now = t0;
        let mut cache = TtlCache::new(capacity, secs(ttl)).expect("capacity is at least 1");
        let mut model: Vec<(u8, u16, Instant)> = Vec::new();
        for (step, op) in ops.into_iter().enumerate() {
            match op {
                Op::Advance(s) => now += secs(u64::from(s)),
                Op::Put(k, v) => {
                    let expected = match model.iter().position(|e| e.0 == k) {
                        Some(i) => { model.remove(i); None }
                        None if model.len() == capacity => Some(model.remove(0)).map(|e| (e.0, e.1)),
                        None => None,
                    };
                    model.push((k, v, now + secs(ttl)));
                    prop_assert_eq!(cache.put(k, v, now), expected, "step {}", step);
                }
                Op::Get(k) => {
                    let expected = match model.iter().position(|e| e.0 == k) {
                        Some(i) if now >= model[i].2 => { model.remove(i); None }
                        Some(i) => { let e = model.remove(i); model.push(e); Some(e.1) }
                        None => None,
                    };
                    prop_assert_eq!(cache.get(&k, now).copied(), expected, "step {}", step);
                }
                Op::Purge => {
                    let expected: Vec<(u8, u16)> =
                        model.iter().filter(|e| now >= e.2).map(|e| (e.0, e.1)).collect();
                    model.retain(|e| now < e.2);
                    prop_assert_eq!(cache.purge_expired(now), expected, "step {}", step);
                }
            }
            let keys: Vec<u8> = cache.keys().into_iter().copied().collect();
            let model_keys: Vec<u8> = model.iter().map(|e| e.0).collect();
            prop_assert_eq!(keys, model_keys, "after step {}", step);
            let live = model.iter().filter(|e| now < e.2).count();
            prop_assert_eq!(cache.live_len(now), live);
        }
    }
}
