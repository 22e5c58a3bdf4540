//! Differential tests: our `Lru` against the widely used `lru` crate.
//!
//! Both implement the same policy, so on the same operations they must return the same values,
//! evict the same entries and hold the same keys in the same order.
//! `LruCache::push` returns the evicted pair, or the *old* pair when the key was already there;
//! our `put` returns only evictions, so the test tells the two cases apart with `contains`.

use lru::LruCache;
use proptest::prelude::*;
use std::num::NonZeroUsize;
use sysdesign::caching::{Cache, Lru, zipf_trace};

#[derive(Clone, Copy, Debug)]
enum Op {
    Get(u8),
    Put(u8, u16),
    Peek(u8),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0u8..8;
    prop_oneof![
        4 => key.clone().prop_map(Op::Get),
        4 => (key.clone(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        1 => key.clone().prop_map(Op::Peek),
        1 => key.prop_map(Op::Remove),
    ]
}

/// What `LruCache::push` evicted, ignoring the replaced pair it returns for a present key.
fn push_evicted<K: std::hash::Hash + Eq + Copy, V>(
    theirs: &mut LruCache<K, V>,
    key: K,
    value: V,
) -> Option<(K, V)> {
    let present = theirs.contains(&key);
    let returned = theirs.push(key, value);
    if present { None } else { returned }
}

/// Our keys from most to least recently used, the order `LruCache::iter` uses.
fn ours_mru_first<K: std::hash::Hash + Eq + Clone, V>(ours: &Lru<K, V>) -> Vec<K> {
    let mut keys: Vec<K> = ours.eviction_order().into_iter().cloned().collect();
    keys.reverse();
    keys
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn same_results_as_lru_crate_on_random_operations(
        capacity in 1usize..6,
        ops in prop::collection::vec(op(), 0..200),
    ) {
        let mut ours = Lru::new(capacity).expect("capacity is at least 1");
        let mut theirs = LruCache::new(NonZeroUsize::new(capacity).expect("capacity is at least 1"));
        for (step, op) in ops.into_iter().enumerate() {
            match op {
                Op::Get(k) => prop_assert_eq!(ours.get(&k), theirs.get(&k), "step {}", step),
                Op::Peek(k) => prop_assert_eq!(ours.peek(&k), theirs.peek(&k), "step {}", step),
                Op::Put(k, v) => {
                    prop_assert_eq!(ours.put(k, v), push_evicted(&mut theirs, k, v), "step {}", step)
                }
                Op::Remove(k) => prop_assert_eq!(ours.remove(&k), theirs.pop(&k), "step {}", step),
            }
            let their_keys: Vec<u8> = theirs.iter().map(|(k, _)| *k).collect();
            prop_assert_eq!(ours_mru_first(&ours), their_keys, "after step {}", step);
        }
    }

    #[test]
    fn same_hits_as_lru_crate_on_zipf_traces(
        seed in any::<u64>(),
        capacity in 1usize..64,
        exponent in 0.0f64..1.5,
    ) {
        let trace = zipf_trace(200, exponent, 2_000, seed).expect("valid Zipf parameters");
        let (ours, theirs) = replay_both(&trace, capacity);
        prop_assert_eq!(ours, theirs);
    }
}

/// Replays `trace` as get-or-insert on both caches; returns (hits, evicted keys) for each.
fn replay_both(trace: &[u64], capacity: usize) -> ((u64, Vec<u64>), (u64, Vec<u64>)) {
    let mut ours = Lru::new(capacity).expect("capacity is at least 1");
    let mut theirs = LruCache::new(NonZeroUsize::new(capacity).expect("capacity is at least 1"));
    let (mut our_hits, mut our_evicted) = (0, Vec::new());
    let (mut their_hits, mut their_evicted) = (0, Vec::new());
    for &key in trace {
        if ours.get(&key).is_some() {
            our_hits += 1;
        } else if let Some((k, _)) = ours.put(key, key) {
            our_evicted.push(k);
        }
        if theirs.get(&key).is_some() {
            their_hits += 1;
        } else if let Some((k, _)) = push_evicted(&mut theirs, key, key) {
            their_evicted.push(k);
        }
    }
    ((our_hits, our_evicted), (their_hits, their_evicted))
}

#[test]
fn same_hits_and_victims_as_lru_crate_on_a_long_seeded_trace() {
    let trace = zipf_trace(10_000, 0.9, 200_000, 2024).expect("valid Zipf parameters");
    for capacity in [1, 10, 100, 1_000, 20_000] {
        let ((our_hits, our_evicted), (their_hits, their_evicted)) = replay_both(&trace, capacity);
        assert_eq!(our_hits, their_hits, "capacity {capacity}");
        assert_eq!(
            our_evicted.len(),
            their_evicted.len(),
            "capacity {capacity}"
        );
        if let Some(i) = (0..our_evicted.len()).find(|&i| our_evicted[i] != their_evicted[i]) {
            panic!(
                "capacity {capacity}: eviction #{i} differs: ours {} theirs {}",
                our_evicted[i], their_evicted[i]
            );
        }
        assert!(
            our_hits > 0,
            "a Zipf trace of 200k requests hits at capacity {capacity}"
        );
    }
}
