//! timing: measured on the machine that builds the book
//! The same cache client over real Redis: three private redis-server processes on loopback,
//! one of them killed mid-run; a server that never answers; and a real leader-follower pair,
//! read right after each write. Without redis-server it falls back to in-memory servers and
//! says so on its first line.

use std::net::TcpListener;
use std::time::{Duration, Instant};
use sysdesign::distributed_caching::{
    AnyServer, CacheClient, CacheServer, Health, InMemoryServer, Lookup, RedisCacheServer,
    ServerError,
};
use sysdesign::hashing::HashRing;
use sysdesign::redis_server::{self, RedisServer};
use sysdesign::show::{self, Table};

const KEYS: usize = 3_000;
/// Long enough that a private server on a loaded build machine still answers in time.
const TIMEOUT: Duration = Duration::from_millis(200);

/// What a pass over every key saw, and how long a request took on average.
fn pass(client: &mut CacheClient<HashRing, AnyServer>) -> (usize, usize, usize, Duration) {
    let (mut hits, mut misses, mut failures) = (0, 0, 0);
    let started = Instant::now();
    for i in 0..KEYS {
        match client.get(&format!("user:{i}")) {
            Lookup::Hit(_) => hits += 1,
            Lookup::Miss => misses += 1,
            Lookup::Failed(_) => failures += 1,
        }
    }
    (hits, misses, failures, started.elapsed() / KEYS as u32)
}

fn redis(url: &str, name: &str) -> AnyServer {
    AnyServer::Redis(Box::new(
        RedisCacheServer::new(name, url).expect("a private server's URL is valid"),
    ))
}

fn query<T: redis::FromRedisValue>(con: &mut redis::Connection, cmd: &mut redis::Cmd) -> T {
    cmd.query(con).expect("the private server answers")
}

/// Makes `follower` replicate `leader` and waits (bounded) until the link is up.
fn replicate(leader: &RedisServer, follower: &mut redis::Connection) {
    let () = query(
        follower,
        redis::cmd("REPLICAOF").arg("127.0.0.1").arg(leader.port()),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let info: String = query(follower, redis::cmd("INFO").arg("replication"));
        if info.contains("master_link_status:up") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "replication did not start: {info}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes `n` values to the leader and reads each back from the follower at once; with
/// `wait`, the writer first waits for one replica to acknowledge (Redis's WAIT command).
fn read_after_write(
    n: usize,
    wait: bool,
    leader: &mut redis::Connection,
    follower: &mut redis::Connection,
) -> (usize, Duration) {
    let mut stale = 0;
    let started = Instant::now();
    for i in 0..n {
        let () = query(leader, redis::cmd("SET").arg("price").arg(i));
        if wait {
            let acked: i64 = query(leader, redis::cmd("WAIT").arg(1).arg(1_000));
            assert_eq!(acked, 1, "the follower acknowledged");
        }
        let seen: Option<usize> = query(follower, redis::cmd("GET").arg("price"));
        stale += usize::from(seen != Some(i));
    }
    (stale, started.elapsed() / n as u32)
}

fn row(name: &str, (hits, misses, failures, per): (usize, usize, usize, Duration)) -> [String; 5] {
    [
        name.to_string(),
        hits.to_string(),
        misses.to_string(),
        failures.to_string(),
        format!("{:.1} µs", per.as_secs_f64() * 1e6),
    ]
}

fn connect(server: &RedisServer) -> redis::Connection {
    redis::Client::open(server.url())
        .and_then(|c| c.get_connection())
        .expect("the private server accepts connections")
}

/// The failure drill: three servers (private Redis processes, or in-memory ones), one killed
/// halfway. Every Redis process lives inside this function and is stopped when it returns.
fn drill(use_redis: bool) -> Table {
    let mut processes: Vec<RedisServer> = Vec::new();
    let mut memory: Vec<InMemoryServer> = Vec::new();
    let mut client = CacheClient::new(HashRing::new(100), TIMEOUT);
    for i in 0..3 {
        let name = format!("cache-{i}");
        if use_redis {
            let server = RedisServer::start().expect("redis-server is installed, so it starts");
            client.add_server(&name, redis(&server.url(), &name));
            processes.push(server);
        } else {
            let server = InMemoryServer::new(&name);
            client.add_server(&name, AnyServer::Memory(server.clone()));
            memory.push(server);
        }
    }
    for i in 0..KEYS {
        client
            .set(&format!("user:{i}"), "profile")
            .expect("every server is up");
    }
    let mut table = Table::new([
        "pass",
        "hits",
        "misses",
        "failures (as misses)",
        "mean time per get",
    ]);
    table.push(row("all three up", pass(&mut client)));
    if use_redis {
        drop(processes.remove(1)); // the process is killed: connections are refused
    } else {
        memory[1].set_health(Health::Down);
    }
    table.push(row("cache-1 killed", pass(&mut client)));
    table.caption(format!(
        "{KEYS} keys, one get each per pass, timeout {TIMEOUT:?}"
    ))
}

/// Asks a server that accepts TCP connections but never answers: only the timeout ends the wait.
fn silent_server() -> String {
    let silent = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "redis://127.0.0.1:{}/",
        silent.local_addr().expect("bound").port()
    );
    let mut stuck = RedisCacheServer::new("silent", &url).expect("a valid URL");
    let started = Instant::now();
    let result = stuck.get("user:1", TIMEOUT);
    let waited = started.elapsed();
    match result {
        Err(e @ ServerError::TimedOut { .. }) => format!(
            "A server that never answers: the get gave up after {:.1} ms with a {TIMEOUT:?} timeout ({e}).",
            waited.as_secs_f64() * 1e3
        ),
        other => panic!("a silent server must time out, got {other:?}"),
    }
}

/// A real leader and follower, both private: how many reads of the follower, right after a
/// write to the leader, return the old value, without and with WAIT.
fn replica_reads() -> Table {
    let leader = RedisServer::start().expect("redis-server starts");
    let follower = RedisServer::start().expect("redis-server starts");
    let (mut to_leader, mut to_follower) = (connect(&leader), connect(&follower));
    replicate(&leader, &mut to_follower);
    let n = 2_000;
    let mut replicas = Table::new([
        "writer",
        "reads right after the write that were stale",
        "mean time per key (write + read)",
    ]);
    for (name, wait) in [
        ("SET, then GET on the follower", false),
        ("SET, WAIT 1, then GET on the follower", true),
    ] {
        let (stale, per) = read_after_write(n, wait, &mut to_leader, &mut to_follower);
        replicas.push([
            name.to_string(),
            format!("{stale} of {n} ({:.1}%)", 100.0 * stale as f64 / n as f64),
            format!("{:.1} µs", per.as_secs_f64() * 1e6),
        ]);
    }
    replicas.caption("a real Redis leader and follower (REPLICAOF), both private, on loopback")
}

fn main() {
    let use_redis = redis_server::available();
    if use_redis {
        println!(
            "Backend: Redis, three private redis-server processes on 127.0.0.1 (free ports), persistence off."
        );
    } else {
        println!(
            "Backend: in-memory servers (no redis-server on this machine; install it to run this against Redis)."
        );
    }
    show::table(&drill(use_redis));
    println!("{}", silent_server());
    if use_redis {
        show::table(&replica_reads());
    } else {
        println!("The leader-follower measurement needs redis-server; skipped.");
    }
}
