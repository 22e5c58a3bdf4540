//! Write policies: when the application writes, what happens to the cache and to the database?
//!
//! Reads are the easy half: look in the cache, on a miss read the database and keep a copy.
//! Writes create two copies of the truth, and each policy chooses which one to update, and when:
//!
//! | policy | a write goes to | the cached copy | risk |
//! | --- | --- | --- | --- |
//! | cache-aside | the store | is deleted (invalidated) | the next read misses |
//! | write-through | the store and the cache, together | is updated | every write pays the store's latency |
//! | write-around | the store only | is left alone | a cached copy is stale until it expires or is evicted |
//! | write-back | the cache only; the store later | is updated and marked dirty | a crash loses every dirty write |
//!
//! [`CachedStore`] runs one policy over an LRU cache (optionally with a TTL) in front of a
//! [`Store`] that counts its reads and writes, so the same workload can be replayed under each
//! policy and the costs compared. [`CachedStore::crash`] shows what a lost cache costs, and
//! [`CachedStore::store_mut`] is "another writer" changing the database behind the cache's back.

use super::{Cache, CapacityError, Lru, Store};
use std::fmt;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// What a write does to the cache and to the store; see the [module docs](self) for the table.
///
/// ```
/// use sysdesign::caching::WritePolicy;
/// assert_eq!(WritePolicy::ALL.len(), 4);
/// assert_eq!(WritePolicy::WriteBack.to_string(), "write-back");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WritePolicy {
    /// Write the store, then delete the cached copy; the next read refills it.
    CacheAside,
    /// Write the store and the cache together.
    WriteThrough,
    /// Write the store only; the cache is not touched, so a cached copy goes stale.
    WriteAround,
    /// Write the cache only and mark the entry dirty; the store gets it on eviction or flush.
    WriteBack,
}

impl WritePolicy {
    /// The four policies, in the order of the module's table.
    pub const ALL: [WritePolicy; 4] = [
        WritePolicy::CacheAside,
        WritePolicy::WriteThrough,
        WritePolicy::WriteAround,
        WritePolicy::WriteBack,
    ];
}

impl fmt::Display for WritePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WritePolicy::CacheAside => "cache-aside",
            WritePolicy::WriteThrough => "write-through",
            WritePolicy::WriteAround => "write-around",
            WritePolicy::WriteBack => "write-back",
        })
    }
}

/// A cached value, its deadline, and how many writes it holds that the store has not seen.
#[derive(Clone, Debug)]
struct Slot<V> {
    value: V,
    /// Writes absorbed since the store last saw this key; 0 means clean.
    unflushed: u64,
    expires_at: Option<Instant>,
}

/// Counts of everything a [`CachedStore`] did, for comparing policies on one workload.
///
/// ```
/// use sysdesign::caching::{CachedStore, WritePolicy};
/// let now = std::time::Instant::now();
/// let mut app = CachedStore::new(WritePolicy::WriteThrough, 8).unwrap();
/// app.write(1, "a", now);
/// app.read(&1, now);
/// let c = app.counters();
/// assert_eq!((c.reads, c.writes, c.hits, c.store_reads, c.store_writes), (1, 1, 1, 0, 1));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Reads the application made.
    pub reads: u64,
    /// Writes the application made.
    pub writes: u64,
    /// Reads answered by the cache.
    pub hits: u64,
    /// Reads that went to the store.
    pub misses: u64,
    /// Hits that returned a value older than the store's (the cache was clean but wrong).
    pub stale_hits: u64,
    /// Reads the store served.
    pub store_reads: u64,
    /// Writes the store received, from the application or from flushing dirty entries.
    pub store_writes: u64,
}

/// What a crash destroyed: writes acknowledged to the application that never reached the store.
///
/// ```
/// let report = sysdesign::caching::CrashReport::<u8>::default();
/// assert_eq!((report.lost_keys.len(), report.lost_writes), (0, 0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrashReport<K> {
    /// The keys whose latest value existed only in the cache, sorted.
    pub lost_keys: Vec<K>,
    /// The application writes lost with them (several writes to one key count several times).
    pub lost_writes: u64,
}

/// An LRU cache in front of a [`Store`], run under one [`WritePolicy`].
///
/// Reads are the same under every policy: a hit is served from the cache; a miss reads the store
/// and keeps a copy (a key absent from the store is not cached). Time is passed in, and matters
/// only with [`with_ttl`](CachedStore::with_ttl).
///
/// ```
/// use sysdesign::caching::{CachedStore, WritePolicy};
/// let now = std::time::Instant::now();
/// let mut app = CachedStore::new(WritePolicy::WriteBack, 8).unwrap();
/// app.write("likes", 1, now);
/// app.write("likes", 2, now);
/// assert_eq!(app.store().writes(), 0); // nothing reached the database yet
/// let lost = app.crash();
/// assert_eq!((lost.lost_keys, lost.lost_writes), (vec!["likes"], 2));
/// ```
#[derive(Clone, Debug)]
pub struct CachedStore<K, V> {
    policy: WritePolicy,
    cache: Lru<K, Slot<V>>,
    ttl: Option<Duration>,
    store: Store<K, V>,
    counters: Counters,
}

impl<K: Ord + Hash + Clone, V: Clone + PartialEq> CachedStore<K, V> {
    /// An empty store behind an LRU cache of `capacity` entries; entries never expire.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// assert!(CachedStore::<u8, u8>::new(WritePolicy::CacheAside, 0).is_err());
    /// let app = CachedStore::<u8, u8>::new(WritePolicy::CacheAside, 4).unwrap();
    /// assert_eq!(app.policy(), WritePolicy::CacheAside);
    /// ```
    pub fn new(policy: WritePolicy, capacity: usize) -> Result<Self, CapacityError> {
        Ok(CachedStore {
            policy,
            cache: Lru::new(capacity)?,
            ttl: None,
            store: Store::new(),
            counters: Counters::default(),
        })
    }

    /// Uses `store` as the database (for example one preloaded with [`FromIterator`]).
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, Store, WritePolicy};
    /// let db: Store<u8, &str> = [(1, "one")].into_iter().collect();
    /// let mut app = CachedStore::new(WritePolicy::CacheAside, 4).unwrap().with_store(db);
    /// assert_eq!(app.read(&1, std::time::Instant::now()), Some("one"));
    /// ```
    pub fn with_store(mut self, store: Store<K, V>) -> Self {
        self.store = store;
        self
    }

    /// Cached entries expire `ttl` after they were filled or written.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// use std::time::{Duration, Instant};
    /// let t0 = Instant::now();
    /// let mut app = CachedStore::new(WritePolicy::WriteThrough, 4)
    ///     .unwrap()
    ///     .with_ttl(Duration::from_secs(5));
    /// app.write(1, 'a', t0);
    /// app.read(&1, t0 + Duration::from_secs(5)); // expired: a miss
    /// assert_eq!(app.counters().misses, 1);
    /// ```
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// The write policy in force.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let app = CachedStore::<u8, u8>::new(WritePolicy::WriteAround, 1).unwrap();
    /// assert_eq!(app.policy().to_string(), "write-around");
    /// ```
    pub fn policy(&self) -> WritePolicy {
        self.policy
    }

    /// Reads `key` at time `now`: from the cache if it holds a live copy, else from the store.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, Store, WritePolicy};
    /// let now = std::time::Instant::now();
    /// let db: Store<u8, u8> = [(1, 10)].into_iter().collect();
    /// let mut app = CachedStore::new(WritePolicy::CacheAside, 4).unwrap().with_store(db);
    /// assert_eq!(app.read(&1, now), Some(10)); // miss: the store is read, the cache filled
    /// assert_eq!(app.read(&1, now), Some(10)); // hit
    /// assert_eq!((app.counters().hits, app.store().reads()), (1, 1));
    /// ```
    // ANCHOR: write_policy_read
    pub fn read(&mut self, key: &K, now: Instant) -> Option<V> {
        self.counters.reads += 1;
        let expired = match self.cache.peek(key) {
            Some(slot) => slot.expires_at.is_some_and(|deadline| now >= deadline),
            None => false,
        };
        if expired {
            self.invalidate(key);
        }
        if let Some(slot) = self.cache.get(key) {
            self.counters.hits += 1;
            // Clean but different from the store: someone wrote around this cache.
            if slot.unflushed == 0 && self.store.peek(key) != Some(&slot.value) {
                self.counters.stale_hits += 1;
            }
            return Some(slot.value.clone());
        }
        self.counters.misses += 1;
        let value = self.store.read(key)?;
        self.fill(key.clone(), value.clone(), 0, now);
        Some(value)
    }
    // ANCHOR_END: write_policy_read

    /// Writes `key` at time `now` under the policy in force.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let now = std::time::Instant::now();
    /// let mut app = CachedStore::new(WritePolicy::CacheAside, 4).unwrap();
    /// app.write(1, 'a', now);
    /// assert_eq!((app.store().writes(), app.cached_len()), (1, 0));
    /// ```
    // ANCHOR: write_policy_write
    pub fn write(&mut self, key: K, value: V, now: Instant) {
        self.counters.writes += 1;
        match self.policy {
            WritePolicy::CacheAside => {
                self.store.write(key.clone(), value);
                self.cache.remove(&key); // the next read fetches the new value
            }
            WritePolicy::WriteThrough => {
                self.store.write(key.clone(), value.clone());
                self.fill(key, value, 0, now);
            }
            WritePolicy::WriteAround => {
                self.store.write(key, value); // a cached copy, if any, is now stale
            }
            WritePolicy::WriteBack => {
                let unflushed = self.cache.peek(&key).map_or(0, |slot| slot.unflushed);
                self.fill(key, value, unflushed + 1, now); // the store hears of it later
            }
        }
    }
    // ANCHOR_END: write_policy_write

    /// Writes every dirty entry to the store and returns how many there were.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let now = std::time::Instant::now();
    /// let mut app = CachedStore::new(WritePolicy::WriteBack, 4).unwrap();
    /// app.write(1, 'a', now);
    /// app.write(1, 'b', now);
    /// assert_eq!(app.flush(), 1); // two writes coalesced into one
    /// assert_eq!(app.store().peek(&1), Some(&'b'));
    /// assert_eq!(app.crash().lost_writes, 0);
    /// ```
    // ANCHOR: write_back_flush
    pub fn flush(&mut self) -> usize {
        let dirty: Vec<K> = self
            .cache
            .iter()
            .filter(|(_, slot)| slot.unflushed > 0)
            .map(|(key, _)| key.clone())
            .collect();
        for key in &dirty {
            let slot = self
                .cache
                .peek_mut(key)
                .expect("dirty keys were just listed");
            slot.unflushed = 0;
            let value = slot.value.clone();
            self.store.write(key.clone(), value);
        }
        dirty.len()
    }

    /// Puts a value in the cache; a dirty entry evicted to make room is written to the store first.
    fn fill(&mut self, key: K, value: V, unflushed: u64, now: Instant) {
        let expires_at = self.ttl.and_then(|ttl| now.checked_add(ttl));
        let slot = Slot {
            value,
            unflushed,
            expires_at,
        };
        if let Some((old_key, old)) = self.cache.put(key, slot)
            && old.unflushed > 0
        {
            self.store.write(old_key, old.value);
        }
    }
    // ANCHOR_END: write_back_flush

    /// Drops the cached copy of `key`, writing it to the store first if it is dirty.
    /// Returns whether a copy was cached.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let mut app = CachedStore::new(WritePolicy::WriteBack, 4).unwrap();
    /// app.write(1, 'a', std::time::Instant::now());
    /// assert!(app.invalidate(&1));
    /// assert_eq!(app.store().peek(&1), Some(&'a'));
    /// ```
    pub fn invalidate(&mut self, key: &K) -> bool {
        match self.cache.remove(key) {
            Some(slot) => {
                if slot.unflushed > 0 {
                    self.store.write(key.clone(), slot.value);
                }
                true
            }
            None => false,
        }
    }

    /// The cache process dies: its memory is gone, and with it every write the store never saw.
    ///
    /// Only write-back can lose anything; under the other policies the store had every write
    /// before the application was told "done".
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let mut app = CachedStore::new(WritePolicy::WriteThrough, 4).unwrap();
    /// app.write(1, 'a', std::time::Instant::now());
    /// assert_eq!(app.crash().lost_writes, 0);
    /// assert_eq!(app.cached_len(), 0);
    /// ```
    // ANCHOR: write_back_crash
    pub fn crash(&mut self) -> CrashReport<K> {
        let mut report = CrashReport {
            lost_keys: Vec::new(),
            lost_writes: 0,
        };
        for (key, slot) in self.cache.iter().filter(|(_, slot)| slot.unflushed > 0) {
            report.lost_keys.push(key.clone());
            report.lost_writes += slot.unflushed;
        }
        report.lost_keys.sort();
        self.cache.clear();
        report
    }
    // ANCHOR_END: write_back_crash

    /// The database, to inspect it.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let app = CachedStore::<u8, u8>::new(WritePolicy::WriteBack, 1).unwrap();
    /// assert!(app.store().is_empty());
    /// ```
    pub fn store(&self) -> &Store<K, V> {
        &self.store
    }

    /// The database, for *another writer* that changes it without going through this cache.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let now = std::time::Instant::now();
    /// let mut app = CachedStore::new(WritePolicy::CacheAside, 4).unwrap();
    /// app.write(1, "old", now);
    /// app.read(&1, now);
    /// app.store_mut().write(1, "new"); // behind the cache's back
    /// assert_eq!(app.read(&1, now), Some("old"));
    /// assert_eq!(app.counters().stale_hits, 1);
    /// ```
    pub fn store_mut(&mut self) -> &mut Store<K, V> {
        &mut self.store
    }

    /// Everything counted so far, store reads and writes included.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let app = CachedStore::<u8, u8>::new(WritePolicy::WriteBack, 1).unwrap();
    /// assert_eq!(app.counters().reads, 0);
    /// ```
    pub fn counters(&self) -> Counters {
        Counters {
            store_reads: self.store.reads(),
            store_writes: self.store.writes(),
            ..self.counters
        }
    }

    /// The number of cached entries.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let mut app = CachedStore::new(WritePolicy::WriteThrough, 4).unwrap();
    /// app.write(1, 1, std::time::Instant::now());
    /// assert_eq!(app.cached_len(), 1);
    /// ```
    pub fn cached_len(&self) -> usize {
        self.cache.len()
    }

    /// The number of cached entries the store has not seen yet.
    ///
    /// ```
    /// use sysdesign::caching::{CachedStore, WritePolicy};
    /// let mut app = CachedStore::new(WritePolicy::WriteBack, 4).unwrap();
    /// app.write(1, 1, std::time::Instant::now());
    /// assert_eq!(app.dirty_len(), 1);
    /// ```
    pub fn dirty_len(&self) -> usize {
        self.cache.iter().filter(|(_, s)| s.unflushed > 0).count()
    }
}
