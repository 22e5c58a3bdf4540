//! Distributed caching: one cache spread over several servers, reached through a client that
//! knows which server holds which key.
//!
//! The client places keys with a [`Placement`](crate::hashing::Placement) (a consistent-hash
//! ring), so adding or losing a server moves only that server's share of the keys.
//! A cache is an optimisation, never the source of truth: when a server is down or slower than
//! the client's timeout, the client reports [`Lookup::Failed`] and the application reads the
//! database as on a miss, so the system keeps working, only slower.
//!
//! The servers sit behind one trait, [`CacheServer`]: [`InMemoryServer`] (the default, with a
//! [`Health`] switch for failure drills that never sleeps) and [`RedisCacheServer`], a real
//! Redis reached over TCP (start a private one with [`crate::redis_server::RedisServer`]).
//! [`NearCache`] and [`KeySalter`] are the two remedies for a hot key, and [`LeaderFollower`]
//! shows why reads served by followers can be stale.
//!
//! ```
//! use std::time::Duration;
//! use sysdesign::distributed_caching::{CacheClient, Health, InMemoryServer, Lookup};
//! use sysdesign::hashing::HashRing;
//!
//! let mut client = CacheClient::new(HashRing::new(100), Duration::from_millis(20));
//! let a = InMemoryServer::new("a");
//! client.add_server("a", a.clone());
//! assert_eq!(client.get_or_load("user:7", |_| "Grace".into()), "Grace");
//! assert_eq!(client.get("user:7"), Lookup::Hit("Grace".into()));
//! a.set_health(Health::Slow(Duration::from_secs(1)));
//! assert!(matches!(client.get("user:7"), Lookup::Failed(_)));
//! ```

mod client;
mod hot_keys;
#[cfg(feature = "redis")]
mod redis;
mod replicas;
mod server;

pub use client::{CacheClient, Lookup, ServerStats};
pub use hot_keys::{KeySalter, NearCache, ZeroCopies, peak_to_mean};
#[cfg(feature = "redis")]
pub use redis::RedisCacheServer;
pub use replicas::{FollowerRead, LeaderFollower, NoSuchFollower, Versioned};
pub use server::{AnyServer, CacheServer, Health, InMemoryServer, ServerError};
