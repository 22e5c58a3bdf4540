//! One token bucket shared by many processes, kept in Redis and updated by a Lua script, which
//! Redis runs atomically: no other command runs between the script's read and its write, so two
//! processes can never both take the last token.
//!
//! The caller passes the time in (milliseconds since any origin all callers share, e.g. the
//! Unix epoch); Redis only stores the bucket.
//!
//! ```no_run
//! use sysdesign::rate_limiting::redis::SharedTokenBucket;
//! use sysdesign::rate_limiting::Quota;
//! use std::time::Duration;
//!
//! let client = redis::Client::open("redis://127.0.0.1:6379/")?;
//! let mut conn = client.get_connection()?;
//! let quota = Quota::new(10, Duration::from_secs(1)).expect("valid quota");
//! let bucket = SharedTokenBucket::new("api:alice", quota);
//! let decision = bucket.check(&mut conn, 1_000)?;
//! assert!(decision.is_admitted());
//! # Ok::<(), redis::RedisError>(())
//! ```

use super::{Decision, Quota};
use std::time::Duration;

// ANCHOR: lua
/// The script: the same integer arithmetic as [`super::TokenBucket`], in milliseconds.
/// `KEYS[1]` is the bucket; `ARGV` holds limit, window (ms), now (ms). Returns `{admitted, retry_after_ms}`.
pub const TOKEN_BUCKET_LUA: &str = r#"
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local capacity = limit * window
local state = redis.call('HMGET', KEYS[1], 'level', 'last')
local level = tonumber(state[1]) or capacity
local last = tonumber(state[2]) or now
if now > last then
  level = math.min(capacity, level + (now - last) * limit)
  last = now
end
local admitted, retry = 0, 0
if level >= window then
  level = level - window
  admitted = 1
else
  retry = math.ceil((window - level) / limit)
end
redis.call('HSET', KEYS[1], 'level', level, 'last', last)
redis.call('PEXPIRE', KEYS[1], 2 * window)
return {admitted, retry}
"#;
// ANCHOR_END: lua

/// A token bucket named `key` in Redis, with `quota`.
#[derive(Clone, Debug)]
pub struct SharedTokenBucket {
    key: String,
    quota: Quota,
    script: redis::Script,
}

impl SharedTokenBucket {
    /// The bucket `key`; it is created full on first use.
    pub fn new(key: impl Into<String>, quota: Quota) -> SharedTokenBucket {
        SharedTokenBucket {
            key: key.into(),
            quota,
            script: redis::Script::new(TOKEN_BUCKET_LUA),
        }
    }

    /// Takes a token at `now_ms` if one is left (one round trip: `EVALSHA`, or `EVAL` the
    /// first time). The window is used in whole milliseconds, at least one.
    pub fn check(
        &self,
        conn: &mut dyn redis::ConnectionLike,
        now_ms: u64,
    ) -> redis::RedisResult<Decision> {
        let window_ms = (self.quota.window_ns() / 1_000_000).max(1);
        let (admitted, retry_ms): (i64, i64) = self
            .script
            .key(&self.key)
            .arg(self.quota.limit())
            .arg(window_ms)
            .arg(now_ms)
            .invoke(conn)?;
        Ok(if admitted == 1 {
            Decision::Admitted
        } else {
            Decision::Rejected {
                retry_after: Duration::from_millis(u64::try_from(retry_ms).unwrap_or(0)),
            }
        })
    }
}
