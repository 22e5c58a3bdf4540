//! Bélády's MIN against brute force, and as an upper bound for every online policy.

use proptest::prelude::*;
use sysdesign::caching::{Cache, Fifo, Lfu, Lru, Mru, replay, replay_opt};

/// The fewest misses any eviction sequence can get, by trying every victim at every miss.
fn brute_force_min_misses(trace: &[u8], capacity: usize, cached: &mut Vec<u8>) -> u64 {
    let Some((&key, rest)) = trace.split_first() else {
        return 0;
    };
    if cached.contains(&key) {
        return brute_force_min_misses(rest, capacity, cached);
    }
    if cached.len() < capacity {
        cached.push(key);
        let misses = 1 + brute_force_min_misses(rest, capacity, cached);
        cached.pop();
        return misses;
    }
    let mut best = u64::MAX;
    for i in 0..cached.len() {
        let victim = std::mem::replace(&mut cached[i], key);
        best = best.min(1 + brute_force_min_misses(rest, capacity, cached));
        cached[i] = victim;
    }
    best
}

proptest! {
    #[test]
    fn belady_matches_brute_force_on_small_traces(
        capacity in 1usize..4,
        trace in prop::collection::vec(0u8..5, 0..12),
    ) {
        let opt = replay_opt(&trace, capacity).expect("capacity is at least 1");
        prop_assert_eq!(opt.misses, brute_force_min_misses(&trace, capacity, &mut Vec::new()));
        prop_assert_eq!(opt.requests(), trace.len() as u64);
    }

    #[test]
    fn no_online_policy_beats_belady(
        capacity in 1usize..6,
        trace in prop::collection::vec(0u8..10, 0..300),
    ) {
        let opt = replay_opt(&trace, capacity).expect("capacity is at least 1");
        let caches: Vec<Box<dyn Cache<u8, ()>>> = vec![
            Box::new(Lru::new(capacity).expect("capacity is at least 1")),
            Box::new(Fifo::new(capacity).expect("capacity is at least 1")),
            Box::new(Mru::new(capacity).expect("capacity is at least 1")),
            Box::new(Lfu::new(capacity).expect("capacity is at least 1")),
        ];
        for mut cache in caches {
            let stats = replay(cache.as_mut(), &trace);
            prop_assert!(stats.hits <= opt.hits, "{} {} > OPT {}", cache.name(), stats.hits, opt.hits);
        }
    }
}
