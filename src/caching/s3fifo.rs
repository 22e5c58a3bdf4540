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
//! - **G**, the ghost queue, a FIFO of as many recently evicted keys (hashes, no values) as M
//!   holds. A key found in G on a miss was evicted too early: it goes straight to M.
//!
//! Each entry has a use counter capped at 3 (two bits). A hit only increments it: nothing moves,
//! which is why FIFO designs scale under concurrency where LRU's move-to-front does not. M evicts
//! like CLOCK: a tail entry with a nonzero count goes back to the head with its count decremented.
//! Each insertion into a full cache evicts exactly one entry.
//!
//! The ghosts live in the same hash table and slab as the cached entries, as the paper suggests:
//! a ghost is a node holding only a hash. So one probe of the table tells a miss from a ghost hit,
//! and evicting a key from S into G just empties its node and moves it to G's chain, without
//! touching the table.

use super::list::{Chain, PREALLOCATE_AT_MOST, Slab};
use super::{Cache, CapacityError, DefaultHashBuilder, check_capacity};
use hashbrown::HashTable;
use std::hash::{BuildHasher, Hash};

/// The most a use counter counts to: two bits' worth.
const MAX_USES: u8 = 3;

/// Which of the three queues a node is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Queue {
    Small,
    Main,
    Ghost,
}

/// A cached entry, or a ghost: a node of one of the three queues.
#[derive(Clone, Debug)]
struct Item<K, V> {
    /// The key's hash, kept so neither an eviction nor a ghost needs the key.
    hash: u64,
    /// Hits since the entry entered its queue (or since M's hand last passed it), capped.
    uses: u8,
    queue: Queue,
    /// The key and value; `None` for a ghost.
    entry: Option<(K, V)>,
}

/// What one probe of the table found.
enum Found {
    Cached(usize),
    Ghost(usize),
    Absent,
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
    /// Node indices of cached entries and ghosts alike.
    index: HashTable<u32>,
    hasher: S,
    items: Slab<Item<K, V>>,
    small: Chain,
    main: Chain,
    ghosts: Chain,
    /// The small queue's share: S is evicted from while it holds this many or more.
    small_capacity: usize,
    /// How many ghosts G keeps: as many entries as M may hold.
    ghost_capacity: usize,
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
        let mut items = Slab::with_capacity(capacity);
        let (small, main, ghosts) = (items.new_chain(), items.new_chain(), items.new_chain());
        Ok(S3Fifo {
            index: HashTable::with_capacity(capacity.min(PREALLOCATE_AT_MOST)),
            hasher,
            items,
            small,
            main,
            ghosts,
            small_capacity,
            ghost_capacity: capacity - small_capacity,
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

    /// The number of entries in the small and the main queue, and of ghosts.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, S3Fifo};
    /// let mut cache = S3Fifo::new(10).unwrap();
    /// cache.put(1, ());
    /// assert_eq!(cache.queue_lens(), (1, 0, 0));
    /// ```
    pub fn queue_lens(&self) -> (usize, usize, usize) {
        (self.small.len, self.main.len, self.ghosts.len)
    }

    // ANCHOR: s3fifo_lookup
    /// One probe: the cached entry for `key`, its ghost, or nothing.
    #[inline]
    fn lookup(&self, hash: u64, key: &K) -> Found {
        let found = self.index.find(hash, |&i| {
            let item = self.items.get(i as usize);
            // A ghost has no key left to compare: its hash stands for it.
            item.hash == hash && item.entry.as_ref().is_none_or(|(k, _)| k == key)
        });
        match found {
            None => Found::Absent,
            Some(&i) if self.items.get(i as usize).queue == Queue::Ghost => {
                Found::Ghost(i as usize)
            }
            Some(&i) => Found::Cached(i as usize),
        }
    }
    // ANCHOR_END: s3fifo_lookup

    fn chain(&mut self, queue: Queue) -> &mut Chain {
        match queue {
            Queue::Small => &mut self.small,
            Queue::Main => &mut self.main,
            Queue::Ghost => &mut self.ghosts,
        }
    }

    /// Takes node `index` out of its queue.
    fn unlink(&mut self, index: usize) {
        let mut chain = *self.chain(self.items.get(index).queue);
        self.items.unlink(&mut chain, index);
        *self.chain(self.items.get(index).queue) = chain;
    }

    /// Unlinks node `index`, drops it from the table and frees it.
    fn remove_at(&mut self, index: usize) -> Item<K, V> {
        self.unlink(index);
        let (hash, slot) = (self.items.get(index).hash, index as u32);
        self.index
            .find_entry(hash, |&i| i == slot)
            .expect("every node in a queue has its index in the table")
            .remove();
        self.items.release(index)
    }

    /// Turns the entry at S's tail, `index`, into a ghost, and returns its key and value.
    fn make_ghost(&mut self, index: usize) -> (K, V) {
        if self.ghost_capacity == 0 {
            return self.remove_at(index).entry.expect("S holds cached entries");
        }
        self.items.unlink(&mut self.small, index);
        let item = self.items.get_mut(index);
        let evicted = item.entry.take().expect("S holds cached entries");
        item.queue = Queue::Ghost;
        self.items.push_front(&mut self.ghosts, index);
        if self.ghosts.len > self.ghost_capacity {
            let oldest = self.items.tail(&self.ghosts).expect("G is not empty");
            self.remove_at(oldest);
        }
        evicted
    }

    // ANCHOR: s3fifo_evict
    /// Evicts exactly one entry from a full cache.
    fn evict(&mut self) -> (K, V) {
        loop {
            if self.small.len >= self.small_capacity || self.main.is_empty() {
                let tail = self
                    .items
                    .tail(&self.small)
                    .expect("a full cache with an empty M has S");
                let item = self.items.get_mut(tail);
                if item.uses == 0 {
                    // A one-hit wonder: out, and remembered in G in case it returns.
                    return self.make_ghost(tail);
                }
                // Read while in S: promote it to M, counting afresh.
                item.uses = 0;
                item.queue = Queue::Main;
                self.items.unlink(&mut self.small, tail);
                self.items.push_front(&mut self.main, tail);
            } else {
                let tail = self.items.tail(&self.main).expect("M is not empty here");
                let item = self.items.get_mut(tail);
                if item.uses == 0 {
                    return self.remove_at(tail).entry.expect("M holds cached entries");
                }
                // Used since the hand last passed: one more lap, one use fewer.
                item.uses -= 1;
                self.items.move_to_front(&self.main, tail);
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
    #[inline]
    fn get(&mut self, key: &K) -> Option<&V> {
        let Found::Cached(index) = self.lookup(self.hasher.hash_one(key), key) else {
            return None;
        };
        // A hit moves nothing: it only counts, up to 3.
        let item = self.items.get_mut(index);
        item.uses = (item.uses + 1).min(MAX_USES);
        item.entry.as_ref().map(|(_, v)| v)
    }
    // ANCHOR_END: s3fifo_get

    fn peek(&self, key: &K) -> Option<&V> {
        let Found::Cached(index) = self.lookup(self.hasher.hash_one(key), key) else {
            return None;
        };
        self.items.get(index).entry.as_ref().map(|(_, v)| v)
    }

    // ANCHOR: s3fifo_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let hash = self.hasher.hash_one(&key);
        let ghost = match self.lookup(hash, &key) {
            Found::Cached(index) => {
                // Replacing a value is a use, and evicts nothing.
                let item = self.items.get_mut(index);
                item.entry = Some((key, value));
                item.uses = (item.uses + 1).min(MAX_USES);
                return None;
            }
            Found::Ghost(index) => {
                // Out of G now, so making room below cannot drop it.
                self.items.unlink(&mut self.ghosts, index);
                Some(index)
            }
            Found::Absent => None,
        };
        let evicted = (self.len() == self.capacity).then(|| self.evict());
        let item = |queue| Item {
            hash,
            uses: 0,
            queue,
            entry: Some((key, value)),
        };
        match ghost {
            // Evicted from S not long ago, so evicted too early: this time it skips S.
            // The ghost's node, already in the table, becomes the entry.
            Some(index) => {
                *self.items.get_mut(index) = item(Queue::Main);
                self.items.push_front(&mut self.main, index);
            }
            None => {
                let index = self.items.alloc(item(Queue::Small));
                self.items.push_front(&mut self.small, index);
                let items = &self.items;
                self.index
                    .insert_unique(hash, index as u32, |&i| items.get(i as usize).hash);
            }
        }
        evicted
    }
    // ANCHOR_END: s3fifo_put

    fn remove(&mut self, key: &K) -> Option<V> {
        let Found::Cached(index) = self.lookup(self.hasher.hash_one(key), key) else {
            return None;
        };
        self.remove_at(index).entry.map(|(_, v)| v)
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
            self.items
                .indices_rev(chain)
                .map(|i| (i, self.items.get(i).uses))
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
            } else if let Some((key, _)) = &self.items.get(index).entry {
                order.push(key);
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
        assert_eq!(cache.queue_lens(), (10, 0, 0));
        // S is over its share: 0 was read, so it moves to M, and 1, never read, is the victim.
        assert_eq!(cache.put(10, ()), Some((1, ())));
        assert_eq!(cache.queue_lens(), (9, 1, 1));
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
        assert_eq!(cache.queue_lens(), (9, 1, 1));
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
        assert_eq!(cache.queue_lens(), (8, 2, 1));
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
    fn ghosts_are_kept_for_as_many_keys_as_main_holds() {
        let mut cache = S3Fifo::new(4).unwrap(); // S holds 1, M 3, G 3
        for k in 0..8 {
            cache.put(k, ());
        }
        // 0 to 3 were evicted from S, one by one: G keeps the last three.
        assert_eq!(cache.queue_lens(), (4, 0, 3));
        let ghosts: Vec<u64> = cache
            .items
            .indices(&cache.ghosts)
            .map(|i| cache.items.get(i).hash)
            .collect();
        let expected: Vec<u64> = [3, 2, 1].iter().map(|k| cache.hasher.hash_one(k)).collect();
        assert_eq!(ghosts, expected);
        // A ghost hit leaves G.
        cache.put(3, ());
        assert_eq!(cache.queue_lens(), (3, 1, 3));
        assert_eq!(
            cache.items.get(cache.items.tail(&cache.main).unwrap()).hash,
            expected[0]
        );
    }

    #[test]
    fn removing_frees_room_and_never_makes_a_ghost() {
        let mut cache = S3Fifo::new(2).unwrap();
        cache.put(1, 'a');
        cache.put(2, 'b');
        assert_eq!(cache.remove(&1), Some('a'));
        assert_eq!(cache.put(3, 'c'), None);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.queue_lens().2, 0);
    }
}
