//! FIFO, first in first out: evict the entry that was inserted first, whatever happened since.
//!
//! Reads do not move anything, so a key read a thousand times is evicted as soon as it is the
//! oldest insertion. That is the difference from LRU, and the reason FIFO is cheaper under
//! concurrency (a read changes no shared state) and usually misses more.

use super::list::{KeyedList, Lookup};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use std::hash::Hash;

/// A first-in-first-out cache: O(1) `get` and `put`; `get` never changes the order.
///
/// Replacing the value of a cached key keeps its place in the queue.
///
/// ```
/// use sysdesign::caching::{Cache, Fifo};
///
/// let mut cache = Fifo::new(2).unwrap();
/// cache.put("a", 1);
/// cache.put("b", 2);
/// cache.get(&"a"); // does not save a
/// assert_eq!(cache.put("c", 3), Some(("a", 1)));
/// ```
#[derive(Clone, Debug)]
pub struct Fifo<K, V> {
    entries: KeyedList<K, V, DefaultHashBuilder>,
    capacity: usize,
}

impl<K: Hash + Eq, V> Fifo<K, V> {
    /// An empty cache holding at most `capacity` entries; zero is an error.
    ///
    /// ```
    /// use sysdesign::caching::Fifo;
    /// assert!(Fifo::<u64, u64>::new(0).is_err());
    /// assert!(Fifo::<u64, u64>::new(1).is_ok());
    /// ```
    pub fn new(capacity: usize) -> Result<Self, CapacityError> {
        let capacity = check_capacity(capacity, "FIFO")?;
        Ok(Fifo {
            entries: KeyedList::with_hasher(capacity, DefaultHashBuilder::default()),
            capacity,
        })
    }
}

impl<K: Hash + Eq, V> Cache<K, V> for Fifo<K, V> {
    fn name(&self) -> &'static str {
        "FIFO"
    }

    // ANCHOR: fifo_get
    fn get(&mut self, key: &K) -> Option<&V> {
        // No bookkeeping at all: a read does not change the eviction order.
        self.peek(key)
    }
    // ANCHOR_END: fifo_get

    fn peek(&self, key: &K) -> Option<&V> {
        self.entries
            .find(key)
            .map(|index| self.entries.value(index))
    }

    // ANCHOR: fifo_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let hash = match self.entries.lookup(&key) {
            Lookup::Found(index) => {
                // Same key, new value: it keeps its place in the queue.
                *self.entries.value_mut(index) = value;
                return None;
            }
            Lookup::Vacant(hash) => hash,
        };
        if self.entries.len() == self.capacity {
            // The first one in leaves; its node takes the new entry at the head.
            self.entries.replace_back(hash, key, value)
        } else {
            self.entries.push_front(hash, key, value);
            None
        }
    }
    // ANCHOR_END: fifo_put

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
        self.entries.iter_from_back().map(|(k, _)| k).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_ignores_reads_when_evicting() {
        let mut cache = Fifo::new(3).unwrap();
        for k in ['A', 'B', 'C'] {
            cache.put(k, ());
        }
        for _ in 0..10 {
            cache.get(&'A');
        }
        assert_eq!(cache.put('D', ()), Some(('A', ())));
    }

    #[test]
    fn replacing_a_value_keeps_the_insertion_place() {
        let mut cache = Fifo::new(2).unwrap();
        cache.put(1, "a");
        cache.put(2, "b");
        assert_eq!(cache.put(1, "A"), None);
        assert_eq!(cache.put(3, "c"), Some((1, "A")));
    }
}
