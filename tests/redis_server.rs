//! Tests of `sysdesign::redis_server`. Those that start a server need `redis-server`: they are
//! ignored by plain `cargo test` and run by `cargo book test` (`--ignored redis_`).

use std::path::Path;
use sysdesign::redis_server::{RedisServer, RedisServerError, available, program};

fn connection(server: &RedisServer) -> redis::Connection {
    redis::Client::open(server.url())
        .expect("the server's URL is valid")
        .get_connection()
        .expect("the private server accepts connections")
}

#[test]
fn available_agrees_with_program_lookup() {
    assert_eq!(available(), program().is_some());
}

#[test]
fn missing_server_error_says_how_to_install_it() {
    let e = RedisServerError::NotInstalled {
        program: "redis-server".into(),
    };
    let message = e.to_string();
    assert!(
        message.contains("`redis-server` is not installed"),
        "{message}"
    );
    assert!(
        message.contains("apt-get install redis-server"),
        "{message}"
    );
    assert!(message.contains("REDIS_SERVER="), "{message}");
}

#[test]
#[ignore = "needs redis-server"]
fn redis_started_server_answers_set_and_get() {
    let server = RedisServer::start().expect("redis-server starts");
    let mut con = connection(&server);
    let () = redis::cmd("SET")
        .arg("greeting")
        .arg("hello")
        .query(&mut con)
        .expect("SET works");
    let value: String = redis::cmd("GET")
        .arg("greeting")
        .query(&mut con)
        .expect("GET works");
    assert_eq!(value, "hello");
    assert!(server.url().starts_with("redis://127.0.0.1:"));
}

#[test]
#[ignore = "needs redis-server"]
fn redis_server_listens_on_loopback_only_without_persistence() {
    let server = RedisServer::start().expect("redis-server starts");
    let mut con = connection(&server);
    let mut config = |name: &str| -> String {
        let pair: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg(name)
            .query(&mut con)
            .expect("CONFIG GET works");
        pair.get(1).cloned().unwrap_or_default()
    };
    assert_eq!(config("bind"), "127.0.0.1");
    assert_eq!(config("save"), "");
    assert_eq!(config("appendonly"), "no");
    assert_eq!(config("port"), server.port().to_string());
}

#[test]
#[ignore = "needs redis-server"]
fn redis_servers_started_together_are_separate() {
    let a = RedisServer::start().expect("first server starts");
    let b = RedisServer::start().expect("second server starts");
    assert_ne!(a.port(), b.port());
    let mut con_a = connection(&a);
    let mut con_b = connection(&b);
    let () = redis::cmd("SET")
        .arg("k")
        .arg("on a")
        .query(&mut con_a)
        .expect("SET works");
    let on_b: Option<String> = redis::cmd("GET")
        .arg("k")
        .query(&mut con_b)
        .expect("GET works");
    assert_eq!(on_b, None);
}

#[test]
#[ignore = "needs redis-server"]
fn redis_dropped_server_leaves_no_process_and_no_listener() {
    let server = RedisServer::start().expect("redis-server starts");
    let (pid, port) = (server.pid(), server.port());
    assert!(Path::new(&format!("/proc/{pid}")).exists() || !cfg!(target_os = "linux"));
    drop(server);
    if cfg!(target_os = "linux") {
        // Killed and waited for: not even a zombie is left.
        assert!(!Path::new(&format!("/proc/{pid}")).exists());
    }
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
