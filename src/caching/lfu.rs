//! LFU, least frequently used: evict the entry with the fewest uses, the least recent among equals.
//!
//! The bet is that popularity lasts: a key used often will be used again.
//! A heap ordered by count would make every use O(log n). Shah, Mitra and Matani,
//! *An O(1) algorithm for implementing the LFU cache eviction scheme* (2010), make it O(1):
//! entries with the same count sit together in a *bucket*, buckets sit in a list in increasing
//! count, and a use moves an entry from its bucket to the next one up (creating it if the next
//! bucket holds a higher count). The victim is always in the first bucket.
//!
//! ```text
//! buckets:  [1: E D] -> [2: B] -> [5: A C]
//!                 ^ victim (count 1, least recent of the two)
//! ```
//!
//! Inside a bucket, entries are ordered by recency (the head is the most recent use), which breaks
//! ties the usual way: among keys used equally often, the least recently used goes.
//! Counts only grow: a key that was hot for an hour long ago keeps its count. Real systems age
//! counts (Redis decays its counters as time passes, `lfu-decay-time`; TinyLFU periodically halves
//! its sketch); this is plain LFU.

use super::list::{Chain, Slab};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use std::collections::HashMap;
use std::hash::Hash;

/// One cached entry and the bucket (use count) it is in.
#[derive(Clone, Debug)]
struct Entry<K, V> {
    key: K,
    value: V,
    bucket: usize,
}

/// All the entries used exactly `uses` times, most recent first.
#[derive(Clone, Debug)]
struct Bucket {
    uses: u64,
    entries: Chain,
}

/// A least-frequently-used cache with LRU tie-breaking: O(1) `get` and `put`.
///
/// Inserting a key counts as its first use; `get` and replacing a value each add one.
///
/// ```
/// use sysdesign::caching::{Cache, Lfu};
///
/// let mut cache = Lfu::new(2).unwrap();
/// cache.put("a", 1);
/// cache.put("b", 2);
/// cache.get(&"a");
/// cache.get(&"a");
/// cache.get(&"b");
/// // a has 3 uses, b has 2: b goes, although a was used less recently.
/// assert_eq!(cache.put("c", 3), Some(("b", 2)));
/// assert_eq!(cache.uses(&"a"), Some(3));
/// ```
#[derive(Clone, Debug)]
pub struct Lfu<K, V> {
    index: HashMap<K, usize, DefaultHashBuilder>,
    entries: Slab<Entry<K, V>>,
    buckets: Slab<Bucket>,
    /// The buckets in increasing use count.
    by_uses: Chain,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> Lfu<K, V> {
    /// An empty cache holding at most `capacity` entries; zero is an error.
    ///
    /// ```
    /// use sysdesign::caching::Lfu;
    /// assert!(Lfu::<u64, u64>::new(0).is_err());
    /// assert!(Lfu::<u64, u64>::new(1).is_ok());
    /// ```
    pub fn new(capacity: usize) -> Result<Self, CapacityError> {
        let capacity = check_capacity(capacity, "LFU")?;
        let mut buckets = Slab::with_capacity(16);
        let by_uses = buckets.new_chain();
        Ok(Lfu {
            index: HashMap::default(),
            entries: Slab::with_capacity(capacity),
            buckets,
            by_uses,
            capacity,
        })
    }

    /// How many times `key` has been used since it was inserted (the insertion is the first use).
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lfu};
    /// let mut cache = Lfu::new(2).unwrap();
    /// cache.put('x', ());
    /// cache.get(&'x');
    /// assert_eq!(cache.uses(&'x'), Some(2));
    /// assert_eq!(cache.uses(&'y'), None);
    /// ```
    pub fn uses(&self, key: &K) -> Option<u64> {
        let index = *self.index.get(key)?;
        Some(self.buckets.get(self.entries.get(index).bucket).uses)
    }

    // ANCHOR: lfu_bump
    /// Moves entry `index` from the bucket of count `n` to the bucket of count `n + 1`.
    fn bump(&mut self, index: usize) {
        let from = self.entries.get(index).bucket;
        let uses = self.buckets.get(from).uses + 1;
        // The next bucket up holds `uses` only if some entry already reached that count.
        let to = match self.buckets.next(&self.by_uses, from) {
            Some(next) if self.buckets.get(next).uses == uses => next,
            _ => {
                let bucket = self.buckets.alloc(Bucket {
                    uses,
                    entries: self.entries.new_chain(),
                });
                self.buckets.insert_after(&mut self.by_uses, from, bucket);
                bucket
            }
        };
        self.entries
            .unlink(&mut self.buckets.get_mut(from).entries, index);
        self.entries
            .push_front(&mut self.buckets.get_mut(to).entries, index);
        self.entries.get_mut(index).bucket = to;
        self.drop_bucket_if_empty(from);
    }
    // ANCHOR_END: lfu_bump

    fn drop_bucket_if_empty(&mut self, bucket: usize) {
        if self.buckets.get(bucket).entries.is_empty() {
            self.buckets.unlink(&mut self.by_uses, bucket);
            let Bucket { entries, .. } = self.buckets.release(bucket);
            self.entries.free_chain(entries);
        }
    }

    fn remove_at(&mut self, index: usize) -> (K, V) {
        let bucket = self.entries.get(index).bucket;
        self.entries
            .unlink(&mut self.buckets.get_mut(bucket).entries, index);
        let Entry { key, value, .. } = self.entries.release(index);
        self.index.remove(&key);
        self.drop_bucket_if_empty(bucket);
        (key, value)
    }

    // ANCHOR: lfu_evict
    /// Removes the least recently used entry of the lowest-count bucket.
    fn evict(&mut self) -> Option<(K, V)> {
        let lowest = self.buckets.head(&self.by_uses)?;
        let victim = self.entries.tail(&self.buckets.get(lowest).entries)?;
        Some(self.remove_at(victim))
    }
    // ANCHOR_END: lfu_evict

    /// Inserts a key that is not present, with one use.
    fn insert_new(&mut self, key: K, value: V) {
        let ones = match self.buckets.head(&self.by_uses) {
            Some(head) if self.buckets.get(head).uses == 1 => head,
            _ => {
                let bucket = self.buckets.alloc(Bucket {
                    uses: 1,
                    entries: self.entries.new_chain(),
                });
                self.buckets.push_front(&mut self.by_uses, bucket);
                bucket
            }
        };
        let index = self.entries.alloc(Entry {
            key: key.clone(),
            value,
            bucket: ones,
        });
        self.entries
            .push_front(&mut self.buckets.get_mut(ones).entries, index);
        self.index.insert(key, index);
    }
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> for Lfu<K, V> {
    fn name(&self) -> &'static str {
        "LFU"
    }

    fn get(&mut self, key: &K) -> Option<&V> {
        let index = *self.index.get(key)?;
        self.bump(index);
        Some(&self.entries.get(index).value)
    }

    fn peek(&self, key: &K) -> Option<&V> {
        let index = *self.index.get(key)?;
        Some(&self.entries.get(index).value)
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&index) = self.index.get(&key) {
            self.entries.get_mut(index).value = value;
            self.bump(index);
            return None;
        }
        // Evict before inserting, or the newcomer (one use) would be its own victim.
        let evicted = if self.index.len() == self.capacity {
            self.evict()
        } else {
            None
        };
        self.insert_new(key, value);
        evicted
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        let index = *self.index.get(key)?;
        Some(self.remove_at(index).1)
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn eviction_order(&self) -> Vec<&K> {
        self.buckets
            .indices(&self.by_uses)
            .flat_map(|b| self.entries.indices_rev(&self.buckets.get(b).entries))
            .map(|i| &self.entries.get(i).key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lfu_breaks_ties_by_recency() {
        let mut cache = Lfu::new(3).unwrap();
        for k in ['A', 'B', 'C'] {
            cache.put(k, ());
        }
        // All have two uses; B's second use is the oldest.
        for k in ['B', 'A', 'C'] {
            cache.get(&k);
        }
        assert_eq!(cache.put('D', ()), Some(('B', ())));
    }

    #[test]
    fn lfu_keeps_the_frequent_key_that_lru_would_drop() {
        let mut cache = Lfu::new(2).unwrap();
        cache.put('A', ());
        for _ in 0..5 {
            cache.get(&'A');
        }
        cache.put('B', ());
        cache.get(&'B');
        // LRU would evict A (least recent); LFU evicts B (2 uses against 6).
        assert_eq!(cache.put('C', ()), Some(('B', ())));
    }

    #[test]
    fn empty_buckets_are_released() {
        let mut cache = Lfu::new(2).unwrap();
        cache.put(1, ());
        for _ in 0..100 {
            cache.get(&1);
        }
        assert_eq!(cache.by_uses.len, 1);
        assert_eq!(cache.uses(&1), Some(101));
        cache.remove(&1);
        assert!(cache.by_uses.is_empty());
        // Only the bucket list's own sentinel is left in use.
        assert_eq!(cache.buckets.indices(&cache.by_uses).count(), 0);
    }

    #[test]
    fn eviction_order_walks_buckets_then_recency() {
        let mut cache = Lfu::new(4).unwrap();
        for k in [1, 2, 3, 4] {
            cache.put(k, ());
        }
        cache.get(&3);
        cache.get(&1);
        assert_eq!(cache.eviction_order(), [&2, &4, &3, &1]);
    }
}
