//! A distributed lock on one Redis server: `SET key token NX PX ttl` to take it, a Lua
//! compare-and-delete to give it back, and a fencing token from a counter taken in the same
//! atomic step.

// ANCHOR: lua
/// Deletes the lock only if it still holds the caller's token: a holder whose lease expired
/// must not delete the lock someone else took since. `KEYS[1]` is the lock, `ARGV[1]` the token.
pub const RELEASE_LUA: &str = r#"
if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
else
  return 0
end
"#;

/// Takes the lock with `SET NX PX` and, only if that worked, increments the fencing counter, in
/// one atomic script, so the order of tokens is the order of grants. `KEYS[1]` is the lock,
/// `KEYS[2]` the counter; `ARGV[1]` the token, `ARGV[2]` the lease in ms. Returns the fencing
/// token, or 0 when the lock is held.
pub const ACQUIRE_FENCED_LUA: &str = r#"
if redis.call("set", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  return redis.call("incr", KEYS[2])
else
  return 0
end
"#;
// ANCHOR_END: lua

/// A named lock in one Redis server.
///
/// ```no_run
/// use sysdesign::locking::redis_lock::RedisLock;
///
/// let client = redis::Client::open("redis://127.0.0.1:6379/")?;
/// let mut conn = client.get_connection()?;
/// let lock = RedisLock::new("lock:seat-12A");
/// if let Some(fence) = lock.acquire(&mut conn, "worker-1:7f3a", 10_000)? {
///     // ... reserve the seat, sending `fence` with every write ...
///     assert!(fence >= 1);
///     assert!(lock.release(&mut conn, "worker-1:7f3a")?);
/// }
/// # Ok::<(), redis::RedisError>(())
/// ```
#[derive(Clone, Debug)]
pub struct RedisLock {
    key: String,
    fence_key: String,
    acquire: redis::Script,
    release: redis::Script,
}

impl RedisLock {
    /// The lock `key`; its fencing counter is `key` followed by `:fence`.
    pub fn new(key: impl Into<String>) -> RedisLock {
        let key = key.into();
        RedisLock {
            fence_key: format!("{key}:fence"),
            key,
            acquire: redis::Script::new(ACQUIRE_FENCED_LUA),
            release: redis::Script::new(RELEASE_LUA),
        }
    }

    // ANCHOR: acquire
    /// Takes the lock with a plain `SET key token NX PX ttl_ms`; true if it was free. No fencing
    /// token: see [`RedisLock::acquire`].
    pub fn try_set(
        &self,
        conn: &mut dyn redis::ConnectionLike,
        token: &str,
        ttl_ms: u64,
    ) -> redis::RedisResult<bool> {
        let reply: Option<String> = redis::cmd("SET")
            .arg(&self.key)
            .arg(token)
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms)
            .query(conn)?;
        Ok(reply.is_some())
    }

    /// Takes the lock for `ttl_ms` under `token` (unique to this holder) and returns its fencing
    /// token, or `None` if someone holds it.
    pub fn acquire(
        &self,
        conn: &mut dyn redis::ConnectionLike,
        token: &str,
        ttl_ms: u64,
    ) -> redis::RedisResult<Option<u64>> {
        let fence: u64 = self
            .acquire
            .key(&self.key)
            .key(&self.fence_key)
            .arg(token)
            .arg(ttl_ms)
            .invoke(conn)?;
        Ok((fence > 0).then_some(fence))
    }

    /// Gives the lock back if it still holds `token`; false if it had expired or passed on.
    pub fn release(
        &self,
        conn: &mut dyn redis::ConnectionLike,
        token: &str,
    ) -> redis::RedisResult<bool> {
        let deleted: i64 = self.release.key(&self.key).arg(token).invoke(conn)?;
        Ok(deleted == 1)
    }
    // ANCHOR_END: acquire

    /// Who holds the lock now: the token stored under it.
    pub fn holder(
        &self,
        conn: &mut dyn redis::ConnectionLike,
    ) -> redis::RedisResult<Option<String>> {
        redis::cmd("GET").arg(&self.key).query(conn)
    }

    /// Ends the current lease now, as its expiry would: `PEXPIRE key 0` deletes the key
    /// (a non-positive timeout deletes rather than expires it, per the Redis docs). Demos and
    /// tests use it to play "the lease ran out" without waiting on the clock.
    pub fn expire_now(&self, conn: &mut dyn redis::ConnectionLike) -> redis::RedisResult<()> {
        let _: i64 = redis::cmd("PEXPIRE").arg(&self.key).arg(0).query(conn)?;
        Ok(())
    }
}
