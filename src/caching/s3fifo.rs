//! S3-FIFO: three FIFO queues that keep one-hit wonders out of the main cache.
//!
//! Yang, Zhang, Qiu, Yue and Vinayak, *FIFO Queues Are All You Need for Cache Eviction* (SOSP 2023),
//! start from an observation on production traces: most keys requested once are never requested
//! again before they would be evicted, the *one-hit wonders*. LRU gives each of them a full trip
//! through the cache, pushing out keys that would have been read again.
//! S3-FIFO filters them with a small queue in front of the main one:
//!
//! - **S**, a small FIFO holding 10% of the capacity, takes every new key.
//! - **M**, the main FIFO, holds the rest. A key leaving S goes to M only if it was read while in S;
//!   otherwise it is evicted, and its hash goes to
//! - **G**, the ghost queue, which remembers as many recently evicted keys (hashes, no values) as M
//!   holds. A key found in G on a miss was evicted too early: it goes straight to M.
//!
//! Each entry has a use counter capped at 3 (two bits). A hit only increments it: nothing moves,
//! which is why FIFO designs scale under concurrency where LRU's move-to-front does not. M evicts
//! like CLOCK: a tail entry with a nonzero count goes back to the head with its count decremented.
//! Each insertion into a full cache evicts exactly one entry.
//!
//! The ghost entries are stamped with the number of ghost insertions so far; an entry is alive
//! while fewer than `ghosts` insertions followed it, as the paper suggests, so G needs no list of its
//! own, and dead stamps are swept out whenever the table holds twice as many entries as G may keep alive.

use super::list::{Chain, PREALLOCATE_AT_MOST, Slab};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::hash::{BuildHasher, Hash};

/// The most a use counter counts to: two bits' worth.
const MAX_USES: u8 = 3;

/// Which of the two queues an entry is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Queue {
    Small,
    Main,
}

#[derive(Clone, Debug)]
struct Item<K, V> {
    key: K,
    value: V,
    /// The key's hash, kept so an eviction need not hash the key again.
    hash: u64,
    /// Hits since the entry entered its queue (or since the hand last passed it in M), capped.
    uses: u8,
    queue: Queue,
}

/// The ghost queue: hashes of keys recently evicted from S, each with its insertion stamp.
#[derive(Clone, Debug)]
struct Ghosts {
    /// `(hash, stamp)`; the hash is the table's key.
    table: HashTable<(u64, u64)>,
    /// Ghost insertions so far.
    clock: u64,
    /// How many of the latest insertions are alive.
    capacity: u64,
}

impl Ghosts {
    /// Alive while fewer than `capacity` insertions came after it: it is among the latest `capacity`.
    fn is_alive(&self, stamp: u64) -> bool {
        self.clock - stamp <= self.capacity
    }

    fn insert(&mut self, hash: u64) {
        if self.capacity == 0 {
            return;
        }
        let stamp = self.clock;
        self.clock += 1;
        // One probe finds the key's ghost or the place for it.
        match self.table.entry(hash, |&(h, _)| h == hash, |&(h, _)| h) {
            Entry::Occupied(mut ghost) => ghost.get_mut().1 = stamp,
            Entry::Vacant(place) => {
                place.insert((hash, stamp));
            }
        }
        if self.table.len() as u64 >= 2 * self.capacity {
            let (clock, capacity) = (self.clock, self.capacity);
            self.table.retain(|&mut (_, stamp)| clock - stamp <= capacity);
        }
    }

    /// Whether `hash` is a live ghost; if so it is forgotten, since its key is back in the cache.
    fn take(&mut self, hash: u64) -> bool {
        match self.table.find_entry(hash, |&(h, _)| h == hash) {
            Ok(entry) => {
                let ((_, stamp), _) = entry.remove();
                self.is_alive(stamp)
            }
            Err(_) => false,
        }
    }
}

/// An S3-FIFO cache (Yang et al., SOSP 2023): O(1) `get` and amortized O(1) `put`.
///
/// A hit sets no link, only a two-bit counter. `S` is the hasher, as for [`Lru`](super::Lru).
///
/// ```
/// use sysdesign::caching::{Cache, S3Fifo};
///
/// // Capacity 10: the small queue holds 1 entry, the main queue 9.
/// let mut cache = S3Fifo::new(10).unwrap();
/// cache.put("hot", 1);
/// cache.get(&"hot"); // read while in the small queue: it will be promoted
/// for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
///     cache.put(key, 0); // one-hit wonders, each read never
/// }
/// // "hot" went to the main queue; the one-hit wonders went through the small one.
/// assert_eq!(cache.peek(&"hot"), Some(&1));
/// assert!(!cache.contains(&"a"));
/// ```
#[derive(Clone, Debug)]
pub struct S3Fifo<K, V, S = DefaultHashBuilder> {
    index: HashTable<u32>,
    hasher: S,
    entries: Slab<Item<K, V>>,
    small: Chain,
    main: Chain,
    ghosts: Ghosts,
    /// The small queue's share: S is evicted from while it holds this many or more.
    small_capacity: usize,
    capacity: usize,
}

impl<K: Hash + Eq, V> S3Fifo<K, V> {
    /// An empty cache holding at most `capacity` entries, 10% of them (at least 1) in the small
    /// queue; zero is an error.
    ///
    /// ```
    /// use sysdesign::caching::S3Fifo;
    /// assert!(S3Fifo::<u64, u64>::new(0).is_err());
    /// assert_eq!(S3Fifo::<u64, u64>::new(100).unwrap().small_capacity(), 10);
    /// ```
    pub fn new(capacity: usize) -> Result<Self, CapacityError> {
        Self::with_hasher(capacity, DefaultHashBuilder::default())
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> S3Fifo<K, V, S> {
    /// An empty cache that hashes keys with `hasher`.
    ///
    /// ```
    /// use std::collections::hash_map::RandomState;
    /// use sysdesign::caching::{Cache, S3Fifo};
    /// let mut cache = S3Fifo::with_hasher(1, RandomState::new()).unwrap();
    /// cache.put(1, 'a');
    /// assert_eq!(cache.put(2, 'b'), Some((1, 'a')));
    /// ```
    pub fn with_hasher(capacity: usize, hasher: S) -> Result<Self, CapacityError> {
        let capacity = check_capacity(capacity, "S3-FIFO")?;
        let small_capacity = (capacity / 10).max(1);
        let mut entries = Slab::with_capacity(capacity.saturating_add(1));
        let (small, main) = (entries.new_chain(), entries.new_chain());
        Ok(S3Fifo {
            index: HashTable::with_capacity(capacity.min(PREALLOCATE_AT_MOST)),
            hasher,
            entries,
            small,
            main,
            ghosts: Ghosts {
                table: HashTable::new(),
                clock: 0,
                // G remembers as many keys as M holds.
                capacity: (capacity - small_capacity) as u64,
            },
            small_capacity,
            capacity,
        })
    }

    /// How many entries the small queue holds before it is the one evicted from.
    ///
    /// ```
    /// assert_eq!(sysdesign::caching::S3Fifo::<u8, u8>::new(5).unwrap().small_capacity(), 1);
    /// ```
    pub fn small_capacity(&self) -> usize {
        self.small_capacity
    }

    /// The number of entries in the small and in the main queue.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, S3Fifo};
    /// let mut cache = S3Fifo::new(10).unwrap();
    /// cache.put(1, ());
    /// assert_eq!(cache.queue_lens(), (1, 0));
    /// ```
    pub fn queue_lens(&self) -> (usize, usize) {
        (self.small.len, self.main.len)
    }

    fn find(&self, hash: u64, key: &K) -> Option<usize> {
        self.index
            .find(hash, |&i| self.entries.get(i as usize).key == *key)
            .map(|&i| i as usize)
    }

    fn chain(&mut self, queue: Queue) -> &mut Chain {
        match queue {
            Queue::Small => &mut self.small,
            Queue::Main => &mut self.main,
        }
    }

    /// Unlinks entry `index` from its queue and the table, and frees its slot.
    fn remove_at(&mut self, index: usize) -> (u64, K, V) {
        let hash = self.entries.get(index).hash;
        let slot = index as u32;
        self.index
            .find_entry(hash, |&i| i == slot)
            .expect("every queued entry has its index in the table")
            .remove();
        let queue = self.entries.get(index).queue;
        let mut chain = *self.chain(queue);
        self.entries.unlink(&mut chain, index);
        *self.chain(queue) = chain;
        let Item { key, value, .. } = self.entries.release(index);
        (hash, key, value)
    }

    // ANCHOR: s3fifo_evict
    /// Evicts exactly one entry from a full cache.
    fn evict(&mut self) -> (K, V) {
        loop {
            if self.small.len >= self.small_capacity || self.main.is_empty() {
                let tail = self
                    .entries
                    .tail(&self.small)
                    .expect("a full cache with an empty M has S");
                let entry = self.entries.get_mut(tail);
                if entry.uses > 0 {
                    // Read while in S: promote it to M, counting afresh.
                    entry.uses = 0;
                    entry.queue = Queue::Main;
                    self.entries.unlink(&mut self.small, tail);
                    self.entries.push_front(&mut self.main, tail);
                } else {
                    // A one-hit wonder: out, and remembered in G in case it returns.
                    let (hash, key, value) = self.remove_at(tail);
                    self.ghosts.insert(hash);
                    return (key, value);
                }
            } else {
                let tail = self.entries.tail(&self.main).expect("M is not empty here");
                let entry = self.entries.get_mut(tail);
                if entry.uses > 0 {
                    // Used since the hand last passed: one more lap, one use fewer.
                    entry.uses -= 1;
                    self.entries.move_to_front(&mut self.main, tail);
                } else {
                    let (_, key, value) = self.remove_at(tail);
                    return (key, value);
                }
            }
        }
    }
    // ANCHOR_END: s3fifo_evict
}

impl<K: Hash + Eq, V, S: BuildHasher> Cache<K, V> for S3Fifo<K, V, S> {
    fn name(&self) -> &'static str {
        "S3-FIFO"
    }

    // ANCHOR: s3fifo_get
    fn get(&mut self, key: &K) -> Option<&V> {
        let index = self.find(self.hasher.hash_one(key), key)?;
        // A hit moves nothing: it only counts, up to 3.
        let entry = self.entries.get_mut(index);
        entry.uses = (entry.uses + 1).min(MAX_USES);
        Some(&entry.value)
    }
    // ANCHOR_END: s3fifo_get

    fn peek(&self, key: &K) -> Option<&V> {
        let index = self.find(self.hasher.hash_one(key), key)?;
        Some(&self.entries.get(index).value)
    }

    // ANCHOR: s3fifo_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let hash = self.hasher.hash_one(&key);
        if let Some(index) = self.find(hash, &key) {
            // Replacing a value is a use, and evicts nothing.
            let entry = self.entries.get_mut(index);
            entry.value = value;
            entry.uses = (entry.uses + 1).min(MAX_USES);
            return None;
        }
        let evicted = (self.len() == self.capacity).then(|| self.evict());
        // A key evicted from S not long ago was a mistake to evict: it skips S this time.
        let queue = if self.ghosts.take(hash) {
            Queue::Main
        } else {
            Queue::Small
        };
        let index = self.entries.alloc(Item {
            key,
            value,
            hash,
            uses: 0,
            queue,
        });
        let mut chain = *self.chain(queue);
        self.entries.push_front(&mut chain, index);
        *self.chain(queue) = chain;
        let entries = &self.entries;
        self.index
            .insert_unique(hash, index as u32, |&i| entries.get(i as usize).hash);
        evicted
    }
    // ANCHOR_END: s3fifo_put

    fn remove(&mut self, key: &K) -> Option<V> {
        let index = self.find(self.hasher.hash_one(key), key)?;
        Some(self.remove_at(index).2)
    }

    fn len(&self) -> usize {
        self.small.len + self.main.len
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    /// The order in which the entries would go if the cache had to evict them all now, with no
    /// request in between: the eviction loop replayed on a copy of the queues and counters.
    fn eviction_order(&self) -> Vec<&K> {
        use std::collections::VecDeque;
        // (index, uses), oldest first.
        let queue = |chain: &Chain| -> VecDeque<(usize, u8)> {
            self.entries
                .indices_rev(chain)
                .map(|i| (i, self.entries.get(i).uses))
                .collect()
        };
        let (mut small, mut main) = (queue(&self.small), queue(&self.main));
        let mut order = Vec::with_capacity(self.len());
        loop {
            let from_small = small.len() >= self.small_capacity || main.is_empty();
            let from = if from_small { &mut small } else { &mut main };
            let Some((index, uses)) = from.pop_front() else {
                break;
            };
            if uses > 0 {
                // Promoted from S with a fresh count, or another lap in M with one use fewer.
                main.push_back((index, if from_small { 0 } else { uses - 1 }));
            } else {
                order.push(&self.entries.get(index).key);
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caching::{Lru, replay};

    #[test]
    fn a_key_read_in_the_small_queue_is_promoted_not_evicted() {
        let mut cache = S3Fifo::new(10).unwrap(); // S holds 1, M 9
        cache.put(0, ());
        cache.get(&0);
        assert_eq!(cache.put(1, ()), None);
        // Full only at 10; the promotion happens when S must give up an entry.
        for k in 2..10 {
            cache.put(k, ());
        }
        assert_eq!(cache.queue_lens(), (10, 0));
        // S is over its share: 0 was read, so it moves to M, and 1, never read, is the victim.
        assert_eq!(cache.put(10, ()), Some((1, ())));
        assert_eq!(cache.queue_lens(), (9, 1));
        assert!(cache.contains(&0));
    }

    #[test]
    fn a_ghost_hit_goes_straight_to_the_main_queue() {
        let mut cache = S3Fifo::new(10).unwrap();
        for k in 0..10 {
            cache.put(k, ());
        }
        assert_eq!(cache.put(10, ()), Some((0, ())));
        // 0 is remembered in G: back on a miss, it enters M, not S.
        assert_eq!(cache.put(0, ()), Some((1, ())));
        assert_eq!(cache.queue_lens(), (9, 1));
    }

    #[test]
    fn the_main_queue_gives_used_entries_another_lap() {
        let mut cache = S3Fifo::new(10).unwrap(); // S holds 1, M 9
        for k in 0..10 {
            cache.put(k, ());
        }
        cache.get(&0);
        cache.get(&1);
        // 0 and 1 were read in S: promoted to M in that order; 2 is the victim.
        assert_eq!(cache.put(10, ()), Some((2, ())));
        assert_eq!(cache.queue_lens(), (8, 2));
        cache.get(&0);
        // S drains first (all unread). In M, 0 is older but was read: it gets another lap,
        // so 1 goes before it.
        let expected: Vec<i32> = (3..=10).chain([1, 0]).collect();
        assert_eq!(cache.eviction_order(), expected.iter().collect::<Vec<_>>());
    }

    #[test]
    fn one_hit_wonders_do_not_flush_the_hot_keys() {
        // Ten hot keys read again and again, then a scan of 1000 keys seen once, then the hot keys.
        let hot: Vec<u64> = (0..10).cycle().take(200).collect();
        let scan: Vec<u64> = (1000..2000).collect();
        let trace: Vec<u64> = [hot.clone(), scan, hot].concat();
        let s3 = replay::<_, (), _>(&mut S3Fifo::new(20).unwrap(), &trace);
        let lru = replay::<_, (), _>(&mut Lru::new(20).unwrap(), &trace);
        // LRU loses the hot keys to the scan and misses each once more; S3-FIFO keeps them in M.
        assert_eq!(lru.misses, 10 + 1000 + 10);
        assert_eq!(s3.misses, 10 + 1000);
    }

    #[test]
    fn ghosts_expire_after_as_many_insertions_as_main_holds() {
        let mut ghosts = Ghosts {
            table: HashTable::new(),
            clock: 0,
            capacity: 3,
        };
        for h in 0..4 {
            ghosts.insert(h);
        }
        // 0 was followed by three insertions: dead. 1 is the oldest alive.
        assert!(!ghosts.take(0));
        assert!(ghosts.take(1));
        assert!(!ghosts.take(1), "a ghost hit forgets the ghost");
        for h in 10..100 {
            ghosts.insert(h);
        }
        assert!(ghosts.table.len() < 6, "dead stamps are swept");
    }

    #[test]
    fn removing_frees_room_and_never_makes_a_ghost() {
        let mut cache = S3Fifo::new(2).unwrap();
        cache.put(1, 'a');
        cache.put(2, 'b');
        assert_eq!(cache.remove(&1), Some('a'));
        assert_eq!(cache.put(3, 'c'), None);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.ghosts.clock, 0);
    }
}
