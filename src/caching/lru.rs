//! LRU, least recently used: evict the entry whose last use is oldest.
//!
//! The bet is temporal locality: what was used a moment ago is likely to be used again soon.
//! Every use moves the entry to the head of the list, so the tail is always the least recently used.

use super::list::{KeyedList, Lookup};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use std::hash::{BuildHasher, Hash};

/// A least-recently-used cache: O(1) `get` and `put`.
///
/// `S` is the hash table's hasher; the default, [`DefaultHashBuilder`], is foldhash, fast and
/// randomly seeded, the same hasher the `lru` crate and hashbrown default to.
/// [`Lru::with_hasher`] takes another one, such as std's keyed SipHash when keys come from
/// people who might choose them to collide (see [`DefaultHashBuilder`] on hash flooding).
///
/// ```
/// use sysdesign::caching::{Cache, Lru};
///
/// let mut cache = Lru::new(2).unwrap();
/// cache.put("a", 1);
/// cache.put("b", 2);
/// cache.get(&"a"); // a is now the most recently used
/// assert_eq!(cache.put("c", 3), Some(("b", 2)));
/// assert_eq!(cache.eviction_order(), [&"a", &"c"]);
/// ```
#[derive(Clone, Debug)]
pub struct Lru<K, V, S = DefaultHashBuilder> {
    entries: KeyedList<K, V, S>,
    capacity: usize,
}

impl<K: Hash + Eq, V> Lru<K, V> {
    /// An empty cache holding at most `capacity` entries; zero is an error.
    ///
    /// ```
    /// use sysdesign::caching::Lru;
    /// assert!(Lru::<u64, u64>::new(0).is_err());
    /// assert_eq!(Lru::<u64, u64>::new(8).unwrap().len(), 0);
    /// ```
    pub fn new(capacity: usize) -> Result<Self, CapacityError> {
        Self::with_hasher(capacity, DefaultHashBuilder::default())
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> Lru<K, V, S> {
    /// An empty cache that hashes keys with `hasher`.
    ///
    /// ```
    /// use std::collections::hash_map::RandomState; // std's keyed SipHash
    /// use sysdesign::caching::{Cache, Lru};
    ///
    /// let mut cache = Lru::with_hasher(1, RandomState::new()).unwrap();
    /// cache.put(1, 1);
    /// assert_eq!(cache.put(2, 2), Some((1, 1)));
    /// ```
    pub fn with_hasher(capacity: usize, hasher: S) -> Result<Self, CapacityError> {
        let capacity = check_capacity(capacity, "LRU")?;
        Ok(Lru {
            entries: KeyedList::with_hasher(capacity, hasher),
            capacity,
        })
    }

    /// The number of entries held (also available through [`Cache::len`]).
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(2).unwrap();
    /// cache.put('a', 1);
    /// assert_eq!(cache.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no entry.
    ///
    /// ```
    /// assert!(sysdesign::caching::Lru::<u8, u8>::new(2).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// The entries from least to most recently used (the next victim first).
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(3).unwrap();
    /// cache.put(1, 'a');
    /// cache.put(2, 'b');
    /// let entries: Vec<_> = cache.iter().collect();
    /// assert_eq!(entries, [(&1, &'a'), (&2, &'b')]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.entries.iter_from_back()
    }

    /// A mutable reference to the value for `key`, without counting a use.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(2).unwrap();
    /// cache.put(1, 10);
    /// *cache.peek_mut(&1).unwrap() += 1;
    /// assert_eq!(cache.peek(&1), Some(&11));
    /// ```
    pub fn peek_mut(&mut self, key: &K) -> Option<&mut V> {
        let index = self.entries.find(key)?;
        Some(self.entries.value_mut(index))
    }

    /// Removes every entry.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(2).unwrap();
    /// cache.put(1, 1);
    /// cache.clear();
    /// assert!(cache.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> Cache<K, V> for Lru<K, V, S> {
    fn name(&self) -> &'static str {
        "LRU"
    }

    // ANCHOR: lru_get
    #[inline(always)]
    fn get(&mut self, key: &K) -> Option<&V> {
        let index = self.entries.find(key)?;
        // A use makes the entry the most recent: it goes to the head, far from eviction.
        Some(self.entries.move_to_front(index))
    }
    // ANCHOR_END: lru_get

    fn peek(&self, key: &K) -> Option<&V> {
        self.entries
            .find(key)
            .map(|index| self.entries.value(index))
    }

    // ANCHOR: lru_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        match self.entries.lookup(&key) {
            Lookup::Found(index) => {
                // Replacing a value is a use, and evicts nothing.
                *self.entries.value_mut(index) = value;
                self.entries.move_to_front(index);
                None
            }
            // Full: the tail is the least recently used. Its node takes the new entry and
            // moves to the head, so a full cache neither frees nor allocates a node.
            Lookup::Vacant(hash) if self.entries.len() == self.capacity => {
                self.entries.replace_back(hash, key, value)
            }
            Lookup::Vacant(hash) => {
                self.entries.push_front(hash, key, value);
                None
            }
        }
    }
    // ANCHOR_END: lru_put

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
    fn after_clear_the_cache_fills_and_evicts_as_a_new_one() {
        let mut cache = Lru::new(3).unwrap();
        for k in ['A', 'B', 'C'] {
            cache.put(k, ());
        }
        cache.clear();
        assert!(cache.is_empty() && !cache.contains(&'A') && !cache.contains(&'C'));
        for k in ['D', 'E', 'F'] {
            cache.put(k, ());
        }
        cache.get(&'D');
        assert_eq!(cache.eviction_order(), [&'E', &'F', &'D']);
        assert_eq!(cache.put('G', ()), Some(('E', ())));
        assert_eq!(cache.eviction_order(), [&'F', &'D', &'G']);
    }

    #[test]
    fn evicts_least_recently_used_not_oldest() {
        let mut cache = Lru::new(3).unwrap();
        for k in ['A', 'B', 'C'] {
            cache.put(k, ());
        }
        cache.get(&'A'); // A is the oldest insertion but now the most recent use
        assert_eq!(cache.put('D', ()), Some(('B', ())));
        assert!(cache.contains(&'A'));
    }

    #[test]
    fn replacing_a_value_evicts_nothing_and_counts_as_use() {
        let mut cache = Lru::new(2).unwrap();
        cache.put(1, "a");
        cache.put(2, "b");
        assert_eq!(cache.put(1, "A"), None);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.put(3, "c"), Some((2, "b")));
        assert_eq!(cache.peek(&1), Some(&"A"));
    }

    #[test]
    fn peek_and_contains_do_not_change_the_victim() {
        let mut cache = Lru::new(2).unwrap();
        cache.put(1, ());
        cache.put(2, ());
        assert!(cache.contains(&1));
        assert_eq!(cache.peek(&1), Some(&()));
        assert_eq!(cache.put(3, ()), Some((1, ())));
    }

    #[test]
    fn zero_capacity_is_a_typed_error() {
        let err = Lru::<u8, u8>::new(0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "LRU cache: the capacity must be at least 1, got 0"
        );
    }

    #[test]
    fn huge_capacity_does_not_allocate_up_front() {
        let mut cache = Lru::new(usize::MAX).unwrap();
        cache.put(1, 1);
        assert_eq!(cache.capacity(), usize::MAX);
    }

    #[test]
    fn removed_key_frees_room_for_a_new_one() {
        let mut cache = Lru::new(2).unwrap();
        cache.put(1, ());
        cache.put(2, ());
        assert_eq!(cache.remove(&1), Some(()));
        assert_eq!(cache.put(3, ()), None);
        assert_eq!(cache.eviction_order(), [&2, &3]);
    }
}
