//! Cache servers behind one trait: in-memory servers (the default, with a health switch for
//! failure drills) and a real Redis reached over TCP.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Why a cache server did not answer. The client treats each of these as a miss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerError {
    /// The server refused the connection or is down.
    Unreachable {
        /// The server's name.
        server: String,
        /// What the network said.
        reason: String,
    },
    /// The server did not answer within the client's timeout.
    TimedOut {
        /// The server's name.
        server: String,
        /// The timeout that passed.
        after: Duration,
    },
    /// The server answered something that is not a cache reply.
    Protocol {
        /// The server's name.
        server: String,
        /// The reply or the error.
        reason: String,
    },
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreachable { server, reason } => {
                write!(f, "cache server {server} is unreachable: {reason}")
            }
            Self::TimedOut { server, after } => {
                write!(f, "cache server {server} did not answer within {after:?}")
            }
            Self::Protocol { server, reason } => {
                write!(f, "cache server {server} answered badly: {reason}")
            }
        }
    }
}

impl std::error::Error for ServerError {}

// ANCHOR: trait
/// One cache server as a client sees it: get and set with a deadline, either of which may fail.
pub trait CacheServer {
    /// The value under `key`, `None` when the server does not hold it.
    ///
    /// # Errors
    ///
    /// A [`ServerError`] when the server is unreachable or slower than `timeout`.
    fn get(&mut self, key: &str, timeout: Duration) -> Result<Option<String>, ServerError>;

    /// Stores `value` under `key`.
    ///
    /// # Errors
    ///
    /// A [`ServerError`] when the server is unreachable or slower than `timeout`.
    fn set(&mut self, key: &str, value: &str, timeout: Duration) -> Result<(), ServerError>;
}
// ANCHOR_END: trait

/// How an [`InMemoryServer`] behaves, switched by a test or a drill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// Answers at once.
    Up,
    /// Refuses connections, as a crashed process does.
    Down,
    /// Answers after this long (simulated: nothing sleeps), as an overloaded or paused
    /// process does; a client whose timeout is shorter gives up.
    Slow(Duration),
}

#[derive(Debug)]
struct State {
    health: Health,
    data: HashMap<String, String>,
    requests: u64,
}

/// An in-memory cache server: a shared handle, so a test can keep a clone and switch its
/// [`Health`] while a client owns the other.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::distributed_caching::{CacheServer, Health, InMemoryServer};
///
/// let server = InMemoryServer::new("cache-a");
/// let mut client_side = server.clone();
/// let timeout = Duration::from_millis(50);
/// client_side.set("user:1", "Ada", timeout)?;
/// assert_eq!(client_side.get("user:1", timeout)?, Some("Ada".to_string()));
///
/// server.set_health(Health::Slow(Duration::from_millis(200)));
/// assert!(client_side.get("user:1", timeout).is_err());
/// assert_eq!(server.requests(), 3);
/// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
/// ```
#[derive(Clone, Debug)]
pub struct InMemoryServer {
    name: String,
    state: Arc<Mutex<State>>,
}

impl InMemoryServer {
    /// An empty server that is [`Health::Up`].
    ///
    /// ```
    /// let server = sysdesign::distributed_caching::InMemoryServer::new("cache-a");
    /// assert_eq!(server.name(), "cache-a");
    /// assert_eq!(server.len(), 0);
    /// ```
    pub fn new(name: &str) -> Self {
        InMemoryServer {
            name: name.to_string(),
            state: Arc::new(Mutex::new(State {
                health: Health::Up,
                data: HashMap::new(),
                requests: 0,
            })),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the map half-updated: every update is
        // one HashMap call, so a poisoned lock still guards consistent data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server's name.
    ///
    /// ```
    /// assert_eq!(sysdesign::distributed_caching::InMemoryServer::new("b").name(), "b");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Switches how the server behaves from now on; its data survives a `Down` spell, as if the
    /// network, not the process, had failed.
    ///
    /// ```
    /// use sysdesign::distributed_caching::{Health, InMemoryServer};
    /// let server = InMemoryServer::new("a");
    /// server.set_health(Health::Down);
    /// assert_eq!(server.health(), Health::Down);
    /// ```
    pub fn set_health(&self, health: Health) {
        self.state().health = health;
    }

    /// How the server behaves now.
    ///
    /// ```
    /// use sysdesign::distributed_caching::{Health, InMemoryServer};
    /// assert_eq!(InMemoryServer::new("a").health(), Health::Up);
    /// ```
    pub fn health(&self) -> Health {
        self.state().health
    }

    /// How many requests reached the server (answered or not): its load.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::distributed_caching::{CacheServer, InMemoryServer};
    /// let mut server = InMemoryServer::new("a");
    /// let _ = server.get("k", Duration::from_millis(1));
    /// assert_eq!(server.requests(), 1);
    /// ```
    pub fn requests(&self) -> u64 {
        self.state().requests
    }

    /// How many keys the server holds.
    ///
    /// ```
    /// assert_eq!(sysdesign::distributed_caching::InMemoryServer::new("a").len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.state().data.len()
    }

    /// Whether the server holds no key.
    ///
    /// ```
    /// assert!(sysdesign::distributed_caching::InMemoryServer::new("a").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts a request and checks health: the error the client would see, if any.
    fn admit(&self, state: &mut State, timeout: Duration) -> Result<(), ServerError> {
        state.requests += 1;
        match state.health {
            Health::Up => Ok(()),
            Health::Down => Err(ServerError::Unreachable {
                server: self.name.clone(),
                reason: "connection refused".to_string(),
            }),
            Health::Slow(latency) if latency > timeout => Err(ServerError::TimedOut {
                server: self.name.clone(),
                after: timeout,
            }),
            Health::Slow(_) => Ok(()),
        }
    }
}

impl CacheServer for InMemoryServer {
    fn get(&mut self, key: &str, timeout: Duration) -> Result<Option<String>, ServerError> {
        let mut state = self.state();
        self.admit(&mut state, timeout)?;
        Ok(state.data.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str, timeout: Duration) -> Result<(), ServerError> {
        let mut state = self.state();
        self.admit(&mut state, timeout)?;
        state.data.insert(key.to_string(), value.to_string());
        Ok(())
    }
}

/// Either kind of server, so one client can be built over whichever backend is present.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::distributed_caching::{AnyServer, CacheServer, InMemoryServer, RedisCacheServer};
///
/// let mut servers = vec![
///     AnyServer::Memory(InMemoryServer::new("a")),
///     // Port 1 on loopback: nothing listens there, so the connection is refused.
///     AnyServer::Redis(Box::new(RedisCacheServer::new("b", "redis://127.0.0.1:1/")?)),
/// ];
/// let timeout = Duration::from_millis(100);
/// assert_eq!(servers[0].get("k", timeout)?, None);
/// assert!(servers[1].get("k", timeout).is_err());
/// # Ok::<(), sysdesign::distributed_caching::ServerError>(())
/// ```
#[derive(Debug)]
pub enum AnyServer {
    /// An in-memory server.
    Memory(InMemoryServer),
    /// A real Redis (boxed: its connection is much larger than the in-memory handle).
    #[cfg(feature = "redis")]
    Redis(Box<super::RedisCacheServer>),
}

impl CacheServer for AnyServer {
    fn get(&mut self, key: &str, timeout: Duration) -> Result<Option<String>, ServerError> {
        match self {
            Self::Memory(s) => s.get(key, timeout),
            #[cfg(feature = "redis")]
            Self::Redis(s) => s.get(key, timeout),
        }
    }

    fn set(&mut self, key: &str, value: &str, timeout: Duration) -> Result<(), ServerError> {
        match self {
            Self::Memory(s) => s.set(key, value, timeout),
            #[cfg(feature = "redis")]
            Self::Redis(s) => s.set(key, value, timeout),
        }
    }
}
