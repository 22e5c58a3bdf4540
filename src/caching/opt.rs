//! Bélády's MIN (also called OPT): the best any eviction policy could do, knowing the future.
//!
//! When the cache is full, evict the key whose next request is farthest away (or never comes).
//! Bélády proved in 1966 (*A study of replacement algorithms for a virtual-storage computer*,
//! IBM Systems Journal 5(2)) that no policy gets fewer misses on the same trace.
//! It needs the whole trace in advance, so it is not a [`Cache`](super::Cache) you could deploy:
//! it is the ceiling the real policies are measured against. If LRU is at 0.71 and MIN at 0.78,
//! no cleverer policy can win more than 7 points at this capacity.

use super::workload::HitStats;
use super::{CapacityError, DefaultHashBuilder, check_capacity};
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// Hits and misses of Bélády's optimal offline policy on `trace` with `capacity` slots.
///
/// It looks ahead in `trace`: use it only to compare policies on a recorded workload.
/// O(n log c) time for a trace of n requests and capacity c.
///
/// ```
/// use sysdesign::caching::{Lru, replay, replay_opt};
///
/// let trace = ['A', 'B', 'C', 'A', 'B', 'D', 'A', 'B', 'C', 'D'];
/// let opt = replay_opt(&trace, 3).unwrap();
/// let mut lru: Lru<char, ()> = Lru::new(3).unwrap();
/// let lru = replay(&mut lru, &trace);
/// // Both evict C at D. Back at C, LRU evicts D, needed next;
/// // MIN evicts A (never needed again) and keeps D.
/// assert_eq!((opt.hits, lru.hits), (5, 4));
/// assert!(replay_opt(&trace, 0).is_err());
/// ```
pub fn replay_opt<K: Hash + Eq>(trace: &[K], capacity: usize) -> Result<HitStats, CapacityError> {
    let capacity = check_capacity(capacity, "OPT")?;
    let next_use = next_uses(trace);
    // ANCHOR: belady
    // Cached keys, ordered by when they are next needed: the last one is the victim.
    // An entry is (next use, position of the request that put it there); the position is unique,
    // so keys never needed again (next use = usize::MAX) still have distinct entries.
    let mut by_next_use: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut cached: HashMap<&K, (usize, usize), DefaultHashBuilder> = HashMap::default();
    let mut stats = HitStats::default();
    for (position, key) in trace.iter().enumerate() {
        let entry = (next_use[position], position);
        if let Some(old) = cached.insert(key, entry) {
            stats.hits += 1;
            by_next_use.remove(&old);
        } else {
            stats.misses += 1;
            if cached.len() > capacity {
                let (_, victim_position) = by_next_use
                    .pop_last()
                    .expect("a full cache has a farthest-needed key");
                cached.remove(&trace[victim_position]);
            }
        }
        by_next_use.insert(entry);
    }
    // ANCHOR_END: belady
    Ok(stats)
}

/// For each position, the position of the next request for the same key (`usize::MAX` if none).
fn next_uses<K: Hash + Eq>(trace: &[K]) -> Vec<usize> {
    let mut next = vec![usize::MAX; trace.len()];
    let mut seen: HashMap<&K, usize, DefaultHashBuilder> = HashMap::default();
    for (position, key) in trace.iter().enumerate().rev() {
        if let Some(later) = seen.insert(key, position) {
            next[position] = later;
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belady_evicts_the_key_needed_farthest_in_the_future() {
        // Capacity 2. At D, A is needed next at once and B never again: B must go.
        let trace = ['A', 'B', 'D', 'A', 'D'];
        assert_eq!(
            replay_opt(&trace, 2).unwrap(),
            HitStats { hits: 2, misses: 3 }
        );
    }

    #[test]
    fn next_uses_points_at_the_following_request_of_each_key() {
        assert_eq!(next_uses(&[1, 2, 1, 1]), [2, usize::MAX, 3, usize::MAX]);
    }

    #[test]
    fn capacity_larger_than_the_key_set_only_misses_cold() {
        let trace = [1, 2, 3, 1, 2, 3, 1];
        assert_eq!(
            replay_opt(&trace, 10).unwrap(),
            HitStats { hits: 4, misses: 3 }
        );
    }
}
