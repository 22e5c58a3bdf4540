//! TTL, time to live: an entry is served only until a deadline set when it was written.
//!
//! Eviction answers "the cache is full, what goes?"; a TTL answers "how old may an answer be?".
//! It bounds staleness: after another writer changes the database, a cached copy is wrong for at
//! most one TTL. Most caches combine both, as here: [`TtlCache`] is an [`Lru`] whose entries
//! carry a deadline.
//!
//! Expiry is *lazy*: nothing runs in the background. A read that finds a dead entry removes it and
//! reports a miss; [`TtlCache::purge_expired`] sweeps the rest when the caller decides to (Redis
//! does both: lazy deletion on access plus a periodic sampling sweep).
//! Until one of those happens, an expired entry still takes a slot, and under LRU it can push out a
//! live entry: capacity is spent on the dead.
//!
//! Time is passed in as an [`Instant`]; nothing here reads the clock, so tests and the book
//! replay the same hours in microseconds.

use super::{Cache, CapacityError, Lru};
use std::hash::Hash;
use std::time::{Duration, Instant};

/// A value and the moment it stops being served.
#[derive(Clone, Debug)]
struct Timed<V> {
    value: V,
    /// `None` when `now + ttl` is too far away for an `Instant`: the entry never expires.
    expires_at: Option<Instant>,
}

impl<V> Timed<V> {
    /// An entry is dead from its deadline on: at exactly `expires_at` it is already expired.
    // ANCHOR: ttl_expired
    fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|deadline| now >= deadline)
    }
    // ANCHOR_END: ttl_expired
}

/// An LRU cache whose entries expire `ttl` after they were put.
///
/// Reading an entry does not extend its life (no "sliding" expiry); putting it again does.
///
/// ```
/// use std::time::{Duration, Instant};
/// use sysdesign::caching::TtlCache;
///
/// let t0 = Instant::now(); // any instant: the cache only compares the ones it is given
/// let mut cache = TtlCache::new(10, Duration::from_secs(60)).unwrap();
/// cache.put("session", 42, t0);
/// assert_eq!(cache.get(&"session", t0 + Duration::from_secs(59)), Some(&42));
/// assert_eq!(cache.get(&"session", t0 + Duration::from_secs(60)), None);
/// assert_eq!(cache.len(), 0); // the expired read removed it
/// ```
#[derive(Clone, Debug)]
pub struct TtlCache<K, V> {
    entries: Lru<K, Timed<V>>,
    ttl: Duration,
}

impl<K: Hash + Eq + Clone, V> TtlCache<K, V> {
    /// An empty cache of at most `capacity` entries, each living `ttl`; a zero capacity is an error.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::caching::TtlCache;
    /// assert!(TtlCache::<u8, u8>::new(0, Duration::from_secs(1)).is_err());
    /// let cache = TtlCache::<u8, u8>::new(5, Duration::from_secs(1)).unwrap();
    /// assert_eq!(cache.ttl(), Duration::from_secs(1));
    /// ```
    pub fn new(capacity: usize, ttl: Duration) -> Result<Self, CapacityError> {
        Ok(TtlCache {
            entries: Lru::new(capacity)?,
            ttl,
        })
    }

    /// How long an entry lives after it is put.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let cache = sysdesign::caching::TtlCache::<u8, u8>::new(1, Duration::from_millis(5)).unwrap();
    /// assert_eq!(cache.ttl().as_millis(), 5);
    /// ```
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Inserts or replaces `key`, living until `now + ttl`, and returns the entry evicted to make room.
    ///
    /// The victim is the least recently used entry, expired or not: an expired entry that was
    /// used recently survives while an older live one goes.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(1, Duration::from_secs(1)).unwrap();
    /// assert_eq!(cache.put(1, "a", t0), None);
    /// assert_eq!(cache.put(2, "b", t0), Some((1, "a")));
    /// ```
    pub fn put(&mut self, key: K, value: V, now: Instant) -> Option<(K, V)> {
        let expires_at = now.checked_add(self.ttl);
        self.entries
            .put(key, Timed { value, expires_at })
            .map(|(k, timed)| (k, timed.value))
    }

    /// The value for `key` if it is still alive at `now`, counting as an LRU use.
    /// An expired entry is removed on the spot (lazy expiry) and the read is a miss.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(10)).unwrap();
    /// cache.put('k', 1, t0);
    /// assert_eq!(cache.get(&'k', t0 + Duration::from_secs(10)), None);
    /// assert_eq!(cache.len(), 0);
    /// ```
    // ANCHOR: ttl_get
    pub fn get(&mut self, key: &K, now: Instant) -> Option<&V> {
        if self.entries.peek(key)?.is_expired(now) {
            // Lazy expiry: the read that finds the entry dead is the one that removes it.
            self.entries.remove(key);
            return None;
        }
        self.entries.get(key).map(|timed| &timed.value)
    }
    // ANCHOR_END: ttl_get

    /// The value for `key` if it is alive at `now`, changing nothing (not a use, no removal).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(10)).unwrap();
    /// cache.put('k', 1, t0);
    /// assert_eq!(cache.peek(&'k', t0 + Duration::from_secs(11)), None);
    /// assert_eq!(cache.len(), 1); // still there, still taking a slot
    /// ```
    pub fn peek(&self, key: &K, now: Instant) -> Option<&V> {
        self.entries
            .peek(key)
            .filter(|timed| !timed.is_expired(now))
            .map(|timed| &timed.value)
    }

    /// When `key` expires: `Some(None)` if it never does, `None` if it is not cached.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(10)).unwrap();
    /// cache.put('k', 1, t0);
    /// assert_eq!(cache.expires_at(&'k'), Some(Some(t0 + Duration::from_secs(10))));
    /// assert_eq!(cache.expires_at(&'z'), None);
    /// ```
    pub fn expires_at(&self, key: &K) -> Option<Option<Instant>> {
        self.entries.peek(key).map(|timed| timed.expires_at)
    }

    /// Removes `key` (an invalidation) and returns its value, expired or not.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let mut cache = TtlCache::new(4, Duration::from_secs(10)).unwrap();
    /// cache.put('k', 1, Instant::now());
    /// assert_eq!(cache.remove(&'k'), Some(1));
    /// ```
    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.entries.remove(key).map(|timed| timed.value)
    }

    /// Removes every entry expired at `now` and returns them, least recently used first.
    /// This is the sweep that frees the slots lazy expiry would leave taken; it costs O(n).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(10)).unwrap();
    /// cache.put('a', 1, t0);
    /// cache.put('b', 2, t0 + Duration::from_secs(5));
    /// let purged = cache.purge_expired(t0 + Duration::from_secs(12));
    /// assert_eq!(purged, [('a', 1)]);
    /// assert_eq!(cache.len(), 1);
    /// ```
    // ANCHOR: ttl_purge
    pub fn purge_expired(&mut self, now: Instant) -> Vec<(K, V)> {
        let dead: Vec<K> = self
            .entries
            .iter()
            .filter(|(_, timed)| timed.is_expired(now))
            .map(|(key, _)| key.clone())
            .collect();
        dead.into_iter()
            .filter_map(|key| {
                let timed = self.entries.remove(&key)?;
                Some((key, timed.value))
            })
            .collect()
    }
    // ANCHOR_END: ttl_purge

    /// The number of entries held, counting expired ones not yet removed.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(1)).unwrap();
    /// cache.put('a', 1, t0);
    /// assert_eq!(cache.len(), 1);
    /// assert_eq!(cache.live_len(t0 + Duration::from_secs(1)), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The number of entries still alive at `now` (O(n)).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(1)).unwrap();
    /// cache.put('a', 1, t0);
    /// assert_eq!(cache.live_len(t0), 1);
    /// ```
    pub fn live_len(&self, now: Instant) -> usize {
        self.entries
            .iter()
            .filter(|(_, timed)| !timed.is_expired(now))
            .count()
    }

    /// Whether the cache holds no entry, expired or not.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let cache = sysdesign::caching::TtlCache::<u8, u8>::new(1, Duration::ZERO).unwrap();
    /// assert!(cache.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The most entries held, expired ones included.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let cache = sysdesign::caching::TtlCache::<u8, u8>::new(3, Duration::ZERO).unwrap();
    /// assert_eq!(cache.capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// The keys held, expired or not, the next LRU victim first.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::caching::TtlCache;
    ///
    /// let t0 = Instant::now();
    /// let mut cache = TtlCache::new(4, Duration::from_secs(1)).unwrap();
    /// cache.put('a', 1, t0);
    /// cache.put('b', 2, t0);
    /// assert_eq!(cache.keys(), [&'a', &'b']);
    /// ```
    pub fn keys(&self) -> Vec<&K> {
        self.entries.eviction_order()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn ttl_entry_expires_exactly_at_deadline() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(2, secs(30)).unwrap();
        cache.put("k", 1, t0);
        assert_eq!(
            cache.get(&"k", t0 + secs(30) - Duration::from_nanos(1)),
            Some(&1)
        );
        assert_eq!(cache.get(&"k", t0 + secs(30)), None);
    }

    #[test]
    fn expired_but_untouched_entries_still_take_capacity() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(2, secs(10)).unwrap();
        cache.put("dead", 0, t0);
        cache.put("live", 1, t0 + secs(9));
        // At t0 + 11 "dead" has expired but nobody read it: it still holds a slot,
        // and LRU evicts it only because it happens to be the least recent.
        let later = t0 + secs(11);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.live_len(later), 1);
        cache.get(&"live", later);
        assert_eq!(cache.put("new", 2, later), Some(("dead", 0)));
    }

    #[test]
    fn a_recently_read_expired_entry_can_push_out_a_live_one() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(2, secs(10)).unwrap();
        cache.put("live", 1, t0 + secs(5));
        cache.put("dead", 0, t0);
        // "dead" is the most recent use; at t0 + 12 it has expired, "live" has not.
        assert_eq!(cache.put("new", 2, t0 + secs(12)), Some(("live", 1)));
        assert_eq!(cache.purge_expired(t0 + secs(12)), [("dead", 0)]);
    }

    #[test]
    fn putting_again_extends_life_reading_does_not() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(2, secs(10)).unwrap();
        cache.put('a', 1, t0);
        cache.put('b', 1, t0);
        assert!(cache.get(&'a', t0 + secs(9)).is_some());
        cache.put('b', 2, t0 + secs(9));
        assert_eq!(cache.get(&'a', t0 + secs(10)), None);
        assert_eq!(cache.get(&'b', t0 + secs(10)), Some(&2));
    }

    #[test]
    fn peek_reports_expired_entries_as_absent_without_removing_them() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(1, secs(1)).unwrap();
        cache.put(1, 1, t0);
        assert_eq!(cache.peek(&1, t0 + secs(1)), None);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn unrepresentable_deadline_means_never_expires() {
        let t0 = Instant::now();
        let mut cache = TtlCache::new(1, Duration::MAX).unwrap();
        cache.put(1, 1, t0);
        assert_eq!(cache.expires_at(&1), Some(None));
        assert_eq!(cache.get(&1, t0 + secs(1_000_000_000)), Some(&1));
    }
}
