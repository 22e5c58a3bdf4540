//! Hot keys and two remedies. A hash ring spreads *keys* evenly, not *requests*: one key that
//! everyone reads sends all its traffic to one server. A near-cache in each client absorbs
//! repeated reads before they leave the process; salting stores a hot key under several names
//! that land on different servers, and each read picks one.

use super::client::{CacheClient, Lookup};
use super::server::{CacheServer, ServerError};
use crate::caching::{CapacityError, TtlCache};
use crate::hashing::Placement;
use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

// ANCHOR: near_cache
/// A small local cache in front of a [`CacheClient`], whose entries live `ttl` (so a value
/// changed on the server is seen at most `ttl` late).
///
/// ```
/// use std::time::{Duration, Instant};
/// use sysdesign::distributed_caching::{CacheClient, InMemoryServer, NearCache};
/// use sysdesign::hashing::HashRing;
///
/// let server = InMemoryServer::new("a");
/// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
/// client.add_server("a", server.clone());
/// client.set("celebrity", "profile")?;
/// let mut near = NearCache::new(100, Duration::from_secs(1)).expect("capacity > 0");
/// let t0 = Instant::now();
/// for i in 0..10 {
///     near.get(&mut client, "celebrity", t0 + Duration::from_millis(i));
/// }
/// assert_eq!(near.hits(), 9);
/// assert_eq!(server.requests(), 2); // the set and one get
/// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
/// ```
#[derive(Clone, Debug)]
pub struct NearCache {
    entries: TtlCache<String, String>,
    hits: u64,
}

impl NearCache {
    /// A near-cache of at most `capacity` entries, each kept `ttl`.
    ///
    /// # Errors
    ///
    /// [`CapacityError`] when `capacity` is zero.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::NearCache;
    /// assert!(NearCache::new(0, Duration::from_secs(1)).is_err());
    /// ```
    pub fn new(capacity: usize, ttl: Duration) -> Result<Self, CapacityError> {
        Ok(NearCache {
            entries: TtlCache::new(capacity, ttl)?,
            hits: 0,
        })
    }

    /// The value from the near-cache if it holds a live copy at `now`; else from `client`,
    /// keeping a copy on a hit.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer, Lookup, NearCache};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// let mut near = NearCache::new(1, Duration::from_secs(1)).expect("capacity > 0");
    /// assert_eq!(near.get(&mut client, "k", Instant::now()), Lookup::Miss);
    /// ```
    pub fn get<P: Placement, S: CacheServer>(
        &mut self,
        client: &mut CacheClient<P, S>,
        key: &str,
        now: Instant,
    ) -> Lookup {
        if let Some(value) = self.entries.get(&key.to_string(), now) {
            self.hits += 1;
            return Lookup::Hit(value.clone());
        }
        let lookup = client.get(key);
        if let Lookup::Hit(value) = &lookup {
            self.entries.put(key.to_string(), value.clone(), now);
        }
        lookup
    }

    /// How many reads the near-cache answered without asking a server.
    ///
    /// ```
    /// use std::time::Duration;
    /// let near = sysdesign::distributed_caching::NearCache::new(1, Duration::from_secs(1)).expect("capacity > 0");
    /// assert_eq!(near.hits(), 0);
    /// ```
    pub fn hits(&self) -> u64 {
        self.hits
    }
}
// ANCHOR_END: near_cache

/// Salting asked for zero copies of a hot key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZeroCopies;

impl fmt::Display for ZeroCopies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a salted hot key needs at least one copy, got 0")
    }
}

impl std::error::Error for ZeroCopies {}

// ANCHOR: salting
/// Key salting: each hot key is stored under `copies` names, `key#0` to `key#{copies-1}`,
/// which the ring places independently; a read picks one of them, a write updates all.
///
/// ```
/// use sysdesign::distributed_caching::KeySalter;
///
/// let salter = KeySalter::new(["celebrity"], 3)?;
/// assert_eq!(salter.write_keys("celebrity"), ["celebrity#0", "celebrity#1", "celebrity#2"]);
/// assert_eq!(salter.read_key("celebrity", 7), "celebrity#1");
/// assert_eq!(salter.read_key("nobody", 7), "nobody");
/// # Ok::<(), sysdesign::distributed_caching::ZeroCopies>(())
/// ```
#[derive(Clone, Debug)]
pub struct KeySalter {
    hot: BTreeSet<String>,
    copies: u64,
}

impl KeySalter {
    /// Salts the keys in `hot` into `copies` copies each.
    ///
    /// # Errors
    ///
    /// [`ZeroCopies`] when `copies` is zero.
    ///
    /// ```
    /// use sysdesign::distributed_caching::{KeySalter, ZeroCopies};
    /// assert_eq!(KeySalter::new(["k"], 0).unwrap_err(), ZeroCopies);
    /// ```
    pub fn new<I, K>(hot: I, copies: u64) -> Result<Self, ZeroCopies>
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        if copies == 0 {
            return Err(ZeroCopies);
        }
        Ok(KeySalter {
            hot: hot.into_iter().map(Into::into).collect(),
            copies,
        })
    }

    /// The name to read `key` under: copy `pick % copies` for a hot key (the caller draws `pick`
    /// at random), the key itself otherwise.
    ///
    /// ```
    /// let salter = sysdesign::distributed_caching::KeySalter::new(["h"], 2).expect("2 > 0");
    /// assert_eq!(salter.read_key("h", 0), "h#0");
    /// ```
    pub fn read_key(&self, key: &str, pick: u64) -> String {
        if self.hot.contains(key) {
            format!("{key}#{}", pick % self.copies)
        } else {
            key.to_string()
        }
    }

    /// Every name `key` is stored under.
    ///
    /// ```
    /// let salter = sysdesign::distributed_caching::KeySalter::new(["h"], 2).expect("2 > 0");
    /// assert_eq!(salter.write_keys("cold"), ["cold"]);
    /// ```
    pub fn write_keys(&self, key: &str) -> Vec<String> {
        if self.hot.contains(key) {
            (0..self.copies).map(|i| format!("{key}#{i}")).collect()
        } else {
            vec![key.to_string()]
        }
    }

    /// Writes `value` under every name of `key` through `client`.
    ///
    /// # Errors
    ///
    /// The first [`ServerError`]; the copies written before it keep the new value.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer, KeySalter};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// let salter = KeySalter::new(["h"], 2).expect("2 > 0");
    /// salter.set(&mut client, "h", "v")?;
    /// assert_eq!(client.get("h#1").value(), Some("v"));
    /// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
    /// ```
    pub fn set<P: Placement, S: CacheServer>(
        &self,
        client: &mut CacheClient<P, S>,
        key: &str,
        value: &str,
    ) -> Result<(), ServerError> {
        for name in self.write_keys(key) {
            client.set(&name, value)?;
        }
        Ok(())
    }
}
// ANCHOR_END: salting

/// The busiest server's load over the mean load: 1.0 is perfectly even, `n` means one server
/// of `n` takes everything. `None` for no servers or no load.
///
/// ```
/// use sysdesign::distributed_caching::peak_to_mean;
/// assert_eq!(peak_to_mean(&[10, 10, 10, 10]), Some(1.0));
/// assert_eq!(peak_to_mean(&[40, 0, 0, 0]), Some(4.0));
/// assert_eq!(peak_to_mean(&[]), None);
/// ```
pub fn peak_to_mean(loads: &[u64]) -> Option<f64> {
    let total: u64 = loads.iter().sum();
    let peak = loads.iter().max()?;
    (total > 0).then(|| *peak as f64 * loads.len() as f64 / total as f64)
}
