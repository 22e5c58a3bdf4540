//! A real Redis as a cache server, reached over TCP with the `redis` crate (feature `redis`).

use std::fmt;
use std::io;
use std::time::{Duration, Instant};

use super::{CacheServer, ServerError};

// ANCHOR: redis
/// A real Redis server reached over TCP with the `redis` crate. It connects lazily and again
/// after a failure, and bounds every connect, read and write by the caller's timeout, so a
/// dead or stalled server costs at most that long.
///
/// ```no_run
/// use std::time::Duration;
/// use sysdesign::distributed_caching::{CacheServer, RedisCacheServer};
/// use sysdesign::redis_server::RedisServer;
///
/// let redis = RedisServer::start()?;
/// let mut server = RedisCacheServer::new("cache-a", &redis.url())?;
/// let timeout = Duration::from_millis(200);
/// server.set("user:1", "Ada", timeout)?;
/// assert_eq!(server.get("user:1", timeout)?, Some("Ada".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RedisCacheServer {
    name: String,
    client: redis::Client,
    connection: Option<redis::Connection>,
}

impl RedisCacheServer {
    /// A server named `name` at `url` (`redis://host:port/`); nothing is connected yet.
    ///
    /// # Errors
    ///
    /// [`ServerError::Protocol`] when `url` is not a Redis URL.
    ///
    /// ```
    /// use sysdesign::distributed_caching::RedisCacheServer;
    /// assert!(RedisCacheServer::new("a", "redis://127.0.0.1:6390/").is_ok());
    /// assert!(RedisCacheServer::new("a", "not a url").is_err());
    /// ```
    pub fn new(name: &str, url: &str) -> Result<Self, ServerError> {
        use redis::IntoConnectionInfo;
        let bad_url = |e: redis::RedisError| ServerError::Protocol {
            server: name.to_string(),
            reason: format!("bad URL {url:?}: {e}"),
        };
        let info = url.into_connection_info().map_err(bad_url)?;
        // No `CLIENT SETINFO` round trip when connecting: its reply would be one more wait on
        // a stalled server, outside the budget that `run` keeps.
        let settings = info.redis_settings().clone().set_skip_set_lib_name();
        let client = redis::Client::open(info.set_redis_settings(settings)).map_err(bad_url)?;
        Ok(RedisCacheServer {
            name: name.to_string(),
            client,
            connection: None,
        })
    }

    // ANCHOR: redis_run
    /// Runs `command` within `timeout` in all: connecting (when needed) spends part of the
    /// budget, and the reads and writes get what is left. Drops the connection after a failure,
    /// so the next call starts afresh.
    fn run<T: redis::FromRedisValue>(
        &mut self,
        command: &redis::Cmd,
        timeout: Duration,
    ) -> Result<T, ServerError> {
        // Network I/O needs a deadline on the real clock; nothing here decides on time otherwise.
        let started = Instant::now();
        let result = self.connected(timeout).and_then(|connection| {
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(io::Error::from(io::ErrorKind::TimedOut).into());
            }
            connection.set_read_timeout(Some(left))?;
            connection.set_write_timeout(Some(left))?;
            command.query(connection)
        });
        result.map_err(|e| {
            self.connection = None;
            self.classify(e, timeout)
        })
    }
    // ANCHOR_END: redis_run

    fn connected(&mut self, timeout: Duration) -> redis::RedisResult<&mut redis::Connection> {
        if self.connection.is_none() {
            self.connection = Some(self.client.get_connection_with_timeout(timeout)?);
        }
        Ok(self.connection.as_mut().expect("connected just above"))
    }

    fn classify(&self, e: redis::RedisError, timeout: Duration) -> ServerError {
        let server = self.name.clone();
        if e.is_timeout() {
            ServerError::TimedOut {
                server,
                after: timeout,
            }
        } else if e.is_io_error() || e.is_connection_refusal() || e.is_connection_dropped() {
            ServerError::Unreachable {
                server,
                reason: e.to_string(),
            }
        } else {
            ServerError::Protocol {
                server,
                reason: e.to_string(),
            }
        }
    }
}
// ANCHOR_END: redis

impl fmt::Debug for RedisCacheServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisCacheServer")
            .field("name", &self.name)
            .field("connected", &self.connection.is_some())
            .finish()
    }
}

impl CacheServer for RedisCacheServer {
    fn get(&mut self, key: &str, timeout: Duration) -> Result<Option<String>, ServerError> {
        self.run(redis::cmd("GET").arg(key), timeout)
    }

    fn set(&mut self, key: &str, value: &str, timeout: Duration) -> Result<(), ServerError> {
        self.run(redis::cmd("SET").arg(key).arg(value), timeout)
    }
}
