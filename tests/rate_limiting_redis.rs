//! The Redis-shared token bucket, against a private `redis-server` started by the test
//! (ignored by plain `cargo test`; `cargo book test` runs the `redis_` tests).
//!
//! Several client processes (the `rate-limit-client` binary) hammer one bucket at once; the
//! Lua script makes each take-a-token atomic, so together they admit exactly the global limit.

use std::process::{Command, Stdio};
use std::time::Duration;
use sysdesign::rate_limiting::Quota;
use sysdesign::rate_limiting::redis::SharedTokenBucket;
use sysdesign::redis_server::RedisServer;

const PROCESSES: usize = 6;
const ATTEMPTS_EACH: u64 = 40;
const LIMIT: u32 = 50;
const WINDOW_MS: u64 = 60_000;
const NOW_MS: u64 = 1_000_000;

// ANCHOR: processes
#[test]
#[ignore = "needs redis-server"]
fn redis_processes_share_one_limit() {
    let server = RedisServer::start().expect("redis-server starts");
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_rate-limit-client"))
                .args([
                    server.url(),
                    "api:shared".to_string(),
                    LIMIT.to_string(),
                    WINDOW_MS.to_string(),
                    NOW_MS.to_string(),
                    ATTEMPTS_EACH.to_string(),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
        })
        .collect();
    let mut total = 0;
    for child in children {
        // All clients were started before any is waited on, so they run at the same time.
        let output = child
            .expect("client process starts")
            .wait_with_output()
            .expect("client process ends");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let admitted: u64 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("the client prints a count");
        total += admitted;
    }
    // 240 attempts at one instant against a full bucket of 50: exactly 50 admitted.
    assert_eq!(total, u64::from(LIMIT));
}
// ANCHOR_END: processes

#[test]
#[ignore = "needs redis-server"]
fn redis_shared_bucket_refills_like_the_local_one() {
    let server = RedisServer::start().expect("redis-server starts");
    let mut conn = redis::Client::open(server.url())
        .expect("valid URL")
        .get_connection()
        .expect("connects");
    let quota = Quota::new(2, Duration::from_secs(2)).expect("valid quota");
    let bucket = SharedTokenBucket::new("api:alice", quota);
    let check = |conn: &mut redis::Connection, t: u64| {
        bucket.check(conn, t).expect("script runs").is_admitted()
    };
    assert!(check(&mut conn, 0));
    assert!(check(&mut conn, 0));
    assert!(!check(&mut conn, 999));
    assert!(check(&mut conn, 1_000));
    assert!(!check(&mut conn, 1_000));
}
