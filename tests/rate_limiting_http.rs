//! The axum middleware, exercised over real TCP on 127.0.0.1 by a tokio client; the test sets
//! the limiter's time itself (a `ManualClock`), so nothing sleeps and nothing depends on speed.

use axum::{Router, routing::get};
use std::time::Duration;
use sysdesign::rate_limiting::middleware::{Limit, ManualClock};
use sysdesign::rate_limiting::{Quota, TokenBucket};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Sends one GET over a fresh connection; returns the status code and the Retry-After header.
async fn get_status(addr: std::net::SocketAddr) -> (u16, Option<String>) {
    let mut stream = TcpStream::connect(addr).await.expect("server listens");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .expect("request sent");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("response read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {response:?}"));
    let retry_after = response.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("retry-after")
            .then(|| value.trim().to_string())
    });
    (status, retry_after)
}

#[tokio::test]
async fn over_the_limit_the_server_answers_429_with_retry_after_until_time_passes() {
    let clock = ManualClock::default();
    let quota = Quota::new(3, Duration::from_secs(6)).expect("valid quota");
    let app = Limit::new(TokenBucket::new(quota), clock.clone())
        .apply(Router::new().route("/", get(|| async { "hello\n" })));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    for _ in 0..3 {
        assert_eq!(get_status(addr).await, (200, None));
    }
    // The bucket is empty; one token comes back every 2 s.
    assert_eq!(get_status(addr).await, (429, Some("2".to_string())));
    clock.set(Duration::from_millis(1_500));
    assert_eq!(get_status(addr).await, (429, Some("1".to_string())));
    clock.set(Duration::from_secs(2));
    assert_eq!(get_status(addr).await, (200, None));
    assert_eq!(get_status(addr).await.0, 429);
    server.abort();
}
