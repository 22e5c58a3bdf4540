//! Caching: keep a small, fast copy of data that is slow to fetch, and decide what to drop when it is full.
//!
//! A cache holds at most `capacity` entries.
//! A read that finds its key is a *hit*; one that does not is a *miss*, and the caller fetches the
//! value from the slow place (a database, a service) and usually puts it in the cache.
//! When a new key arrives and the cache is full, an *eviction policy* chooses the victim:
//!
//! | policy | evicts | remembers |
//! | --- | --- | --- |
//! | [`Lru`] | the entry used least recently | the order of uses |
//! | [`Fifo`] | the entry inserted first, however often it was read since | the order of insertions |
//! | [`Mru`] | the entry used most recently | the order of uses |
//! | [`Lfu`] | the entry used fewest times, the least recent among equals | a use count per entry |
//! | [`S3Fifo`] | a new key not read again soon, else the oldest unread one | a two-bit use count, and recently evicted keys |
//!
//! # The design
//!
//! Every policy implements one trait, [`Cache`], so a workload can be replayed against any of them
//! ([`replay`]) and compared with the offline optimum ([`replay_opt`], Bélády's MIN).
//! Every operation is O(1): a hash map finds the entry, and an index-based doubly linked list
//! (nodes in a `Vec`, links are indices, no `unsafe`) keeps the order the policy needs.
//! LRU, FIFO and MRU share one such list; S3-FIFO keeps two; LFU keeps one list per use count, as in
//! Shah, Mitra and Matani, *An O(1) algorithm for implementing the LFU cache eviction scheme* (2010).
//! [`Cache::put`] returns the entry it evicted, so a caller (or the book) can see each policy's choice.
//! A capacity of zero is refused when the cache is built ([`CapacityError`]), never discovered later.
//!
//! Around the policies: [`TtlCache`] expires entries after a time to live, with the time passed in;
//! [`CachedStore`] puts a cache in front of a counting [`Store`] under one of four [`WritePolicy`]s
//! (cache-aside, write-through, write-around, write-back) and shows what a crash loses;
//! [`zipf_trace`] makes the skewed key traces real workloads look like.
//!
//! # Layout
//!
//! | module | idea |
//! | --- | --- |
//! | [`lru`], [`fifo`], [`mru`] | three policies over one index-based doubly linked list |
//! | [`lfu`] | frequency buckets, O(1) (Shah, Mitra and Matani 2010) |
//! | [`s3fifo`] | a small, a main and a ghost FIFO queue (Yang et al. 2023) |
//! | [`ttl`] | expiry with the time passed in: lazy on read, plus an explicit purge |
//! | [`store`], [`write_policy`] | a counting database and the four write policies in front of it |
//! | [`workload`], [`opt`] | Zipf traces, hit-ratio replay, and Bélády's offline optimum |
//!
//! ```
//! use sysdesign::caching::{Cache, Fifo, Lru};
//!
//! // Capacity 2: A and B fill it, A is read again, then C arrives.
//! let mut lru = Lru::<char, u32>::new(2).unwrap();
//! let mut fifo = Fifo::<char, u32>::new(2).unwrap();
//! for cache in [&mut lru as &mut dyn Cache<char, u32>, &mut fifo] {
//!     cache.put('A', 1);
//!     cache.put('B', 2);
//!     assert_eq!(cache.get(&'A'), Some(&1));
//! }
//! // LRU drops B, the least recently used; FIFO drops A, the first in, although A was just read.
//! assert_eq!(lru.put('C', 3), Some(('B', 2)));
//! assert_eq!(fifo.put('C', 3), Some(('A', 1)));
//! ```

use std::fmt;

pub mod fifo;
pub mod lfu;
mod list;
pub mod lru;
pub mod mru;
pub mod opt;
pub mod s3fifo;
pub mod store;
pub mod ttl;
pub mod workload;
pub mod write_policy;

pub use fifo::Fifo;
pub use lfu::Lfu;
pub use lru::Lru;
pub use mru::Mru;
pub use opt::replay_opt;
pub use s3fifo::S3Fifo;
pub use store::Store;
pub use ttl::TtlCache;
pub use workload::{HitStats, ZipfError, replay, zipf_trace};
pub use write_policy::{CachedStore, Counters, CrashReport, WritePolicy};

/// The hasher the caches use unless told otherwise: foldhash, fast and randomly seeded.
///
/// It is the hasher hashbrown and the `lru` crate default to, so the book's benchmarks compare
/// data structures, not hash functions.
/// Each instance gets its own seed, so an attacker cannot precompute keys that all land in the
/// same bucket for every process; that makes foldhash *minimally* resistant to **hash flooding**,
/// in the words of its documentation, which also says not to rely on it against an attacker who can
/// watch a long-running process to work out its seed.
/// Hash flooding sends keys chosen to collide, so each lookup walks a long chain and a server slows
/// to a crawl (Crosby and Wallach, *Denial of Service via Algorithmic Complexity Attacks*, USENIX
/// Security 2003).
/// Where keys come from untrusted clients, pass std's keyed SipHash instead,
/// [`std::collections::hash_map::RandomState`], through [`Lru::with_hasher`].
///
/// ```
/// use std::hash::BuildHasher;
/// use sysdesign::caching::DefaultHashBuilder;
///
/// let (a, b) = (DefaultHashBuilder::default(), DefaultHashBuilder::default());
/// // Two instances are seeded differently, so the same key (very likely) hashes differently.
/// assert_ne!(a.hash_one(42u64), b.hash_one(42u64));
/// assert_eq!(a.hash_one(42u64), a.hash_one(42u64));
/// ```
pub type DefaultHashBuilder = foldhash::fast::RandomState;

/// A bounded key-value cache with an eviction policy.
///
/// [`get`](Cache::get) counts as a use (it may change what is evicted next);
/// [`peek`](Cache::peek) and [`contains`](Cache::contains) do not.
/// The trait is object safe, so policies can be compared through `&mut dyn Cache<K, V>`.
///
/// ```
/// use sysdesign::caching::{Cache, Lfu, Lru};
///
/// let mut caches: Vec<Box<dyn Cache<u32, &str>>> =
///     vec![Box::new(Lru::new(1).unwrap()), Box::new(Lfu::new(1).unwrap())];
/// for cache in &mut caches {
///     assert_eq!(cache.put(1, "one"), None);
///     assert_eq!(cache.put(2, "two"), Some((1, "one")));
/// }
/// assert_eq!(caches[0].name(), "LRU");
/// ```
pub trait Cache<K, V> {
    /// A short label for tables and charts, such as `"LRU"`.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Mru};
    /// assert_eq!(Mru::<u8, u8>::new(4).unwrap().name(), "MRU");
    /// ```
    fn name(&self) -> &'static str;

    /// The value for `key`, counting this as a use of the entry.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(2).unwrap();
    /// cache.put("k", 7);
    /// assert_eq!(cache.get(&"k"), Some(&7));
    /// assert_eq!(cache.get(&"missing"), None);
    /// ```
    fn get(&mut self, key: &K) -> Option<&V>;

    /// The value for `key`, without counting a use: what to evict next does not change.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(2).unwrap();
    /// cache.put(1, 'a');
    /// cache.put(2, 'b');
    /// assert_eq!(cache.peek(&1), Some(&'a'));
    /// // The peek did not save 1: it is still the least recently used.
    /// assert_eq!(cache.put(3, 'c'), Some((1, 'a')));
    /// ```
    fn peek(&self, key: &K) -> Option<&V>;

    /// Inserts or replaces `key`, and returns the entry evicted to make room, if any.
    ///
    /// Replacing the value of a key already present evicts nothing and returns `None`;
    /// whether it counts as a use depends on the policy (it does for LRU, MRU and LFU, not for FIFO).
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Fifo};
    /// let mut cache = Fifo::new(1).unwrap();
    /// assert_eq!(cache.put(1, "a"), None);
    /// assert_eq!(cache.put(1, "b"), None); // a replacement, not an eviction
    /// assert_eq!(cache.put(2, "c"), Some((1, "b")));
    /// ```
    fn put(&mut self, key: K, value: V) -> Option<(K, V)>;

    /// Removes `key` (an invalidation) and returns its value.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lfu};
    /// let mut cache = Lfu::new(2).unwrap();
    /// cache.put(1, "a");
    /// assert_eq!(cache.remove(&1), Some("a"));
    /// assert_eq!(cache.remove(&1), None);
    /// ```
    fn remove(&mut self, key: &K) -> Option<V>;

    /// Whether `key` is cached; like [`peek`](Cache::peek), this is not a use.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(1).unwrap();
    /// cache.put(1, ());
    /// assert_eq!((cache.contains(&1), cache.contains(&2)), (true, false));
    /// ```
    fn contains(&self, key: &K) -> bool {
        self.peek(key).is_some()
    }

    /// The number of entries held.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Mru};
    /// let mut cache = Mru::new(2).unwrap();
    /// cache.put(1, ());
    /// assert_eq!(cache.len(), 1);
    /// ```
    fn len(&self) -> usize;

    /// The most entries the cache holds before it evicts.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lfu};
    /// assert_eq!(Lfu::<u8, u8>::new(3).unwrap().capacity(), 3);
    /// ```
    fn capacity(&self) -> usize;

    /// Whether the cache holds no entry.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Fifo};
    /// let cache = Fifo::<u8, u8>::new(3).unwrap();
    /// assert!(cache.is_empty());
    /// ```
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys held, from the next victim to the last one the policy would evict.
    ///
    /// This walks the whole cache (O(n)): it is for tests and for showing a cache's state.
    ///
    /// ```
    /// use sysdesign::caching::{Cache, Lru};
    /// let mut cache = Lru::new(3).unwrap();
    /// for k in ['A', 'B', 'C'] {
    ///     cache.put(k, ());
    /// }
    /// cache.get(&'A');
    /// assert_eq!(cache.eviction_order(), [&'B', &'C', &'A']);
    /// ```
    fn eviction_order(&self) -> Vec<&K>;
}

/// A cache was asked to hold zero entries, which no eviction policy can honour.
///
/// ```
/// use sysdesign::caching::{CapacityError, Lru};
/// let err = Lru::<u32, u32>::new(0).unwrap_err();
/// assert_eq!(err, CapacityError { policy: "LRU" });
/// assert_eq!(err.to_string(), "LRU cache: the capacity must be at least 1, got 0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityError {
    /// The policy that was being built, such as `"LRU"`.
    pub policy: &'static str,
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cache: the capacity must be at least 1, got 0",
            self.policy
        )
    }
}

impl std::error::Error for CapacityError {}

/// Refuses a zero capacity for `policy`.
fn check_capacity(capacity: usize, policy: &'static str) -> Result<usize, CapacityError> {
    if capacity == 0 {
        Err(CapacityError { policy })
    } else {
        Ok(capacity)
    }
}
