//! The cache client: it places each key on a server through a [`Placement`] (a hash ring) and
//! turns every server failure into a miss, so the application keeps working, only slower.

use super::server::{CacheServer, ServerError};
use crate::hashing::Placement;
use std::collections::BTreeMap;
use std::time::Duration;

/// The outcome of one lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The server held the key.
    Hit(String),
    /// The server answered that it does not hold the key.
    Miss,
    /// The server did not answer (down, or slower than the timeout); the caller treats this as
    /// a miss, and the error says why.
    Failed(ServerError),
}

impl Lookup {
    /// The value on a hit, `None` on a miss or a failure: the view the application needs.
    ///
    /// ```
    /// use sysdesign::distributed_caching::Lookup;
    /// assert_eq!(Lookup::Hit("v".into()).value(), Some("v"));
    /// assert_eq!(Lookup::Miss.value(), None);
    /// ```
    pub fn value(&self) -> Option<&str> {
        match self {
            Lookup::Hit(v) => Some(v),
            _ => None,
        }
    }
}

/// What one server saw from this client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Requests sent (gets and sets).
    pub requests: u64,
    /// Gets that found the key.
    pub hits: u64,
    /// Gets that did not find it.
    pub misses: u64,
    /// Requests that failed (unreachable or timed out).
    pub failures: u64,
}

// ANCHOR: client
/// A cache client over servers of type `S`, placed by `P`.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::distributed_caching::{CacheClient, Health, InMemoryServer, Lookup};
/// use sysdesign::hashing::HashRing;
///
/// let mut client = CacheClient::new(HashRing::new(100), Duration::from_millis(50));
/// let servers: Vec<InMemoryServer> =
///     ["a", "b", "c"].iter().map(|n| InMemoryServer::new(n)).collect();
/// for s in &servers {
///     client.add_server(s.name(), s.clone());
/// }
/// client.set("user:1", "Ada")?;
/// assert_eq!(client.get("user:1"), Lookup::Hit("Ada".into()));
///
/// // The server holding the key goes down: the client reports a failure, not a panic,
/// // and the application reads through to the database as on a miss.
/// let owner = client.server_for("user:1").expect("three servers").to_string();
/// servers.iter().find(|s| s.name() == owner).expect("owner exists").set_health(Health::Down);
/// assert!(matches!(client.get("user:1"), Lookup::Failed(_)));
/// assert_eq!(client.get_or_load("user:1", |_| "Ada from the database".into()), "Ada from the database");
/// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
/// ```
#[derive(Debug)]
pub struct CacheClient<P, S> {
    placement: P,
    servers: BTreeMap<String, S>,
    stats: BTreeMap<String, ServerStats>,
    timeout: Duration,
}

impl<P: Placement, S: CacheServer> CacheClient<P, S> {
    /// A client with no servers yet, which gives each request at most `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let client: CacheClient<HashRing, InMemoryServer> =
    ///     CacheClient::new(HashRing::new(10), Duration::from_millis(20));
    /// assert_eq!(client.timeout(), Duration::from_millis(20));
    /// ```
    pub fn new(placement: P, timeout: Duration) -> Self {
        CacheClient {
            placement,
            servers: BTreeMap::new(),
            stats: BTreeMap::new(),
            timeout,
        }
    }

    /// The timeout given to each request.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let client: CacheClient<HashRing, InMemoryServer> = CacheClient::new(HashRing::new(10), Duration::ZERO);
    /// assert_eq!(client.timeout(), Duration::ZERO);
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Adds a server under `name` (replacing one of that name) and places it on the ring.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// assert_eq!(client.server_for("any key"), Some("a"));
    /// ```
    pub fn add_server(&mut self, name: &str, server: S) {
        self.placement.add_node(name);
        self.servers.insert(name.to_string(), server);
        self.stats.entry(name.to_string()).or_default();
    }

    /// Takes the server `name` off the ring (as a configuration service does after missed
    /// heartbeats); its keys move to the servers that follow it. Returns the server.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// assert!(client.remove_server("a").is_some());
    /// assert_eq!(client.server_for("any key"), None);
    /// ```
    pub fn remove_server(&mut self, name: &str) -> Option<S> {
        self.placement.remove_node(name);
        self.servers.remove(name)
    }

    /// The server that holds `key`, `None` when there is no server.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let client: CacheClient<HashRing, InMemoryServer> = CacheClient::new(HashRing::new(10), Duration::ZERO);
    /// assert_eq!(client.server_for("k"), None);
    /// ```
    pub fn server_for(&self, key: &str) -> Option<&str> {
        self.placement.node_for(key.as_bytes())
    }

    /// Looks `key` up on its server. A failure is returned as [`Lookup::Failed`], never as a
    /// panic or an error the caller must handle: to the application it is a miss.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer, Lookup};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// assert_eq!(client.get("k"), Lookup::Miss);
    /// ```
    // ANCHOR: client_get
    pub fn get(&mut self, key: &str) -> Lookup {
        let timeout = self.timeout;
        let (server, stats) = match self.route(key) {
            Ok(found) => found,
            Err(e) => return Lookup::Failed(e),
        };
        stats.requests += 1;
        match server.get(key, timeout) {
            Ok(Some(value)) => {
                stats.hits += 1;
                Lookup::Hit(value)
            }
            Ok(None) => {
                stats.misses += 1;
                Lookup::Miss
            }
            Err(e) => {
                stats.failures += 1;
                Lookup::Failed(e)
            }
        }
    }

    /// Stores `value` under `key` on its server.
    ///
    /// # Errors
    ///
    /// The [`ServerError`] of the server (or `Unreachable` when there is no server); callers of
    /// a cache usually ignore it, since the database still holds the value.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer, Lookup};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// assert!(client.set("k", "v").is_err()); // no server yet
    /// client.add_server("a", InMemoryServer::new("a"));
    /// client.set("k", "v")?;
    /// assert_eq!(client.get("k").value(), Some("v"));
    /// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
    /// ```
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ServerError> {
        let timeout = self.timeout;
        let (server, stats) = self.route(key)?;
        stats.requests += 1;
        server.set(key, value, timeout).inspect_err(|_| {
            stats.failures += 1;
        })
    }

    /// Cache-aside: the cached value, or else `load(key)` (the database), stored in the cache
    /// on a miss. When the server failed, the loaded value is returned but not stored.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// let mut loads = 0;
    /// for _ in 0..3 {
    ///     client.get_or_load("k", |k| { loads += 1; format!("row for {k}") });
    /// }
    /// assert_eq!(loads, 1);
    /// ```
    pub fn get_or_load(&mut self, key: &str, load: impl FnOnce(&str) -> String) -> String {
        match self.get(key) {
            Lookup::Hit(value) => value,
            Lookup::Miss => {
                let value = load(key);
                // A failed set only costs a later miss.
                let _ = self.set(key, &value);
                value
            }
            Lookup::Failed(_) => load(key),
        }
    }
    // ANCHOR_END: client_get

    /// What server `name` saw from this client (zero for an unknown name).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// client.get("k");
    /// assert_eq!(client.stats("a").requests, 1);
    /// assert_eq!(client.stats("a").misses, 1);
    /// ```
    pub fn stats(&self, name: &str) -> ServerStats {
        self.stats.get(name).copied().unwrap_or_default()
    }

    /// The names of the servers on the ring, in name order.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheClient, InMemoryServer};
    /// use sysdesign::hashing::HashRing;
    /// let mut client = CacheClient::new(HashRing::new(10), Duration::from_millis(5));
    /// client.add_server("b", InMemoryServer::new("b"));
    /// client.add_server("a", InMemoryServer::new("a"));
    /// assert_eq!(client.server_names(), ["a", "b"]);
    /// ```
    pub fn server_names(&self) -> Vec<&str> {
        self.servers.keys().map(String::as_str).collect()
    }

    /// The server for `key`, its entry and its stats, or why there is none.
    fn route(&mut self, key: &str) -> Result<(&mut S, &mut ServerStats), ServerError> {
        let name = self
            .placement
            .node_for(key.as_bytes())
            .ok_or_else(|| ServerError::Unreachable {
                server: "(none)".to_string(),
                reason: "the client has no cache server".to_string(),
            })?
            .to_string();
        let server = self
            .servers
            .get_mut(&name)
            .ok_or_else(|| ServerError::Unreachable {
                server: name.clone(),
                reason: "placed on the ring but not registered with the client".to_string(),
            })?;
        let stats = self.stats.entry(name).or_default();
        Ok((server, stats))
    }
}
// ANCHOR_END: client
