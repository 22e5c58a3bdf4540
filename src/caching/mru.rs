//! MRU, most recently used: evict the entry used last.
//!
//! It sounds backwards, and for most workloads it is. It wins on one pattern: a loop over more
//! data than fits. LRU then evicts each key just before it comes round again and hits nothing,
//! while MRU keeps most of the loop and sacrifices only the key it just served.

use super::list::{KeyedList, Lookup};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use std::hash::Hash;

/// A most-recently-used cache: O(1) `get` and `put`.
///
/// ```
/// use sysdesign::caching::{Cache, Mru, Lru, replay};
///
/// // A loop over 4 keys through a cache of 3: LRU always evicts the key needed next.
/// let trace: Vec<u32> = (0..40).map(|i| i % 4).collect();
/// let mut mru: Mru<u32, ()> = Mru::new(3).unwrap();
/// let mut lru: Lru<u32, ()> = Lru::new(3).unwrap();
/// assert_eq!(replay(&mut lru, &trace).hits, 0);
/// assert_eq!(replay(&mut mru, &trace).hits, 24);
/// ```
#[derive(Clone, Debug)]
pub struct Mru<K, V> {
    entries: KeyedList<K, V, DefaultHashBuilder>,
    capacity: usize,
}

impl<K: Hash + Eq, V> Mru<K, V> {
    /// An empty cache holding at most `capacity` entries; zero is an error.
    ///
    /// ```
    /// use sysdesign::caching::Mru;
    /// assert!(Mru::<u64, u64>::new(0).is_err());
    /// assert!(Mru::<u64, u64>::new(1).is_ok());
    /// ```
    pub fn new(capacity: usize) -> Result<Self, CapacityError> {
        let capacity = check_capacity(capacity, "MRU")?;
        Ok(Mru {
            entries: KeyedList::with_hasher(capacity, DefaultHashBuilder::default()),
            capacity,
        })
    }
}

impl<K: Hash + Eq, V> Cache<K, V> for Mru<K, V> {
    fn name(&self) -> &'static str {
        "MRU"
    }

    fn get(&mut self, key: &K) -> Option<&V> {
        let index = self.entries.find(key)?;
        Some(self.entries.move_to_front(index))
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.entries
            .find(key)
            .map(|index| self.entries.value(index))
    }

    // ANCHOR: mru_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let hash = match self.entries.lookup(&key) {
            Lookup::Found(index) => {
                *self.entries.value_mut(index) = value;
                self.entries.move_to_front(index);
                return None;
            }
            Lookup::Vacant(hash) => hash,
        };
        // The same list as LRU, evicted from the other end: the head is the most recent use.
        let evicted = if self.entries.len() == self.capacity {
            self.entries.pop_front()
        } else {
            None
        };
        self.entries.push_front(hash, key, value);
        evicted
    }
    // ANCHOR_END: mru_put

    fn remove(&mut self, key: &K) -> Option<V> {
        self.entries.remove(key)
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn eviction_order(&self) -> Vec<&K> {
        self.entries.iter_from_front().map(|(k, _)| k).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mru_evicts_the_entry_just_used() {
        let mut cache = Mru::new(3).unwrap();
        for k in ['A', 'B', 'C'] {
            cache.put(k, ());
        }
        cache.get(&'A');
        assert_eq!(cache.put('D', ()), Some(('A', ())));
        assert_eq!(cache.eviction_order(), [&'D', &'C', &'B']);
    }
}
