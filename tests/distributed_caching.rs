//! Tests of `sysdesign::distributed_caching`: the client treats failures as misses, the
//! remedies for hot keys, replicas that lag, and (ignored unless `redis-server` is present,
//! named `redis_...`) the same client over private Redis servers.

use proptest::prelude::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use sysdesign::distributed_caching::{
    CacheClient, CacheServer, Health, InMemoryServer, KeySalter, LeaderFollower, Lookup, NearCache,
    RedisCacheServer, ServerError,
};
use sysdesign::hashing::HashRing;
use sysdesign::redis_server::RedisServer;

const TIMEOUT: Duration = Duration::from_millis(50);

fn memory_cluster(names: &[&str]) -> (CacheClient<HashRing, InMemoryServer>, Vec<InMemoryServer>) {
    let mut client = CacheClient::new(HashRing::new(64), TIMEOUT);
    let servers: Vec<InMemoryServer> = names.iter().map(|n| InMemoryServer::new(n)).collect();
    for s in &servers {
        client.add_server(s.name(), s.clone());
    }
    (client, servers)
}

fn server_named<'a>(servers: &'a [InMemoryServer], name: &str) -> &'a InMemoryServer {
    servers
        .iter()
        .find(|s| s.name() == name)
        .expect("the server exists")
}

#[test]
fn unreachable_server_is_a_miss_and_the_database_answers() {
    let (mut client, servers) = memory_cluster(&["a", "b", "c"]);
    client.set("user:1", "cached").expect("all servers are up");
    let owner = client
        .server_for("user:1")
        .expect("servers exist")
        .to_string();
    server_named(&servers, &owner).set_health(Health::Down);
    assert!(matches!(
        client.get("user:1"),
        Lookup::Failed(ServerError::Unreachable { server, .. }) if server == owner
    ));
    assert_eq!(
        client.get_or_load("user:1", |_| "from db".into()),
        "from db"
    );
    assert_eq!(client.stats(&owner).failures, 2);
}

#[test]
fn server_slower_than_the_timeout_is_a_miss_but_a_slightly_slow_one_answers() {
    let (mut client, servers) = memory_cluster(&["a"]);
    client.set("k", "v").expect("up");
    servers[0].set_health(Health::Slow(TIMEOUT));
    assert_eq!(client.get("k"), Lookup::Hit("v".into()));
    servers[0].set_health(Health::Slow(TIMEOUT + Duration::from_millis(1)));
    assert_eq!(
        client.get("k"),
        Lookup::Failed(ServerError::TimedOut {
            server: "a".into(),
            after: TIMEOUT
        })
    );
}

#[test]
fn other_servers_keep_serving_while_one_is_down() {
    let (mut client, servers) = memory_cluster(&["a", "b", "c", "d"]);
    let keys: Vec<String> = (0..200).map(|i| format!("key:{i}")).collect();
    for k in &keys {
        client.set(k, k).expect("all up");
    }
    servers[1].set_health(Health::Down);
    for k in &keys {
        let owner = client.server_for(k).expect("servers exist").to_string();
        match client.get(k) {
            Lookup::Hit(v) => {
                assert_ne!(owner, "b", "{k}");
                assert_eq!(v, *k);
            }
            Lookup::Failed(_) => assert_eq!(owner, "b", "{k}"),
            Lookup::Miss => panic!("{k} was written and its server is up"),
        }
    }
}

#[test]
fn removing_a_dead_server_moves_only_its_keys() {
    let (mut client, servers) = memory_cluster(&["a", "b", "c", "d"]);
    let keys: Vec<String> = (0..400).map(|i| format!("key:{i}")).collect();
    let before: Vec<String> = keys
        .iter()
        .map(|k| client.server_for(k).expect("servers").to_string())
        .collect();
    servers[2].set_health(Health::Down);
    client.remove_server("c").expect("c was registered");
    for (k, owner) in keys.iter().zip(&before) {
        let now = client.server_for(k).expect("servers remain");
        if owner != "c" {
            assert_eq!(now, owner, "{k} moved although its server stayed");
        } else {
            assert_ne!(now, "c");
        }
    }
}

#[test]
fn client_without_servers_fails_every_request_without_panicking() {
    let mut client: CacheClient<HashRing, InMemoryServer> =
        CacheClient::new(HashRing::new(8), TIMEOUT);
    assert!(matches!(client.get("k"), Lookup::Failed(_)));
    assert!(client.set("k", "v").is_err());
    assert_eq!(client.get_or_load("k", |_| "db".into()), "db");
}

#[test]
fn near_cache_serves_repeats_locally_and_sees_changes_after_its_ttl() {
    let (mut client, servers) = memory_cluster(&["a", "b"]);
    client.set("hot", "v1").expect("up");
    let ttl = Duration::from_millis(100);
    let mut near = NearCache::new(16, ttl).expect("capacity > 0");
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    for ms in 0..50 {
        assert_eq!(near.get(&mut client, "hot", at(ms)).value(), Some("v1"));
    }
    assert_eq!(near.hits(), 49);
    client.set("hot", "v2").expect("up");
    // Within the TTL the near-cache still answers the old value: the price of the remedy.
    assert_eq!(near.get(&mut client, "hot", at(99)).value(), Some("v1"));
    assert_eq!(near.get(&mut client, "hot", at(100)).value(), Some("v2"));
    let requests: u64 = servers.iter().map(InMemoryServer::requests).sum();
    assert_eq!(requests, 4, "two sets and two gets reached a server");
}

#[test]
fn salted_copies_spread_a_hot_key_over_several_servers() {
    let (mut client, servers) = memory_cluster(&["a", "b", "c", "d", "e", "f", "g", "h"]);
    let salter = KeySalter::new(["hot"], 16).expect("16 > 0");
    salter.set(&mut client, "hot", "v").expect("all up");
    for pick in 0..16 {
        assert_eq!(client.get(&salter.read_key("hot", pick)).value(), Some("v"));
    }
    let holding = servers.iter().filter(|s| !s.is_empty()).count();
    assert!(
        holding >= 4,
        "16 copies landed on only {holding} of 8 servers"
    );
}

#[test]
fn follower_read_returns_the_last_write_that_has_reached_it() {
    let ms = Duration::from_millis;
    let mut replicas = LeaderFollower::new(&[ms(0), ms(30)]);
    replicas.write("k", "1", ms(0));
    replicas.write("k", "2", ms(10));
    let fast = replicas.read_follower(0, "k", ms(10)).expect("follower 0");
    assert_eq!(
        (fast.value.map(|v| v.value), fast.stale),
        (Some("2".into()), false)
    );
    let slow = replicas.read_follower(1, "k", ms(35)).expect("follower 1");
    assert_eq!(
        (slow.value.map(|v| v.value), slow.stale),
        (Some("1".into()), true)
    );
    let err = replicas.read_follower(2, "k", ms(35)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no follower 2 (there are 2 followers, numbered from 0)"
    );
}

#[derive(Clone, Debug)]
enum Op {
    Set(u8, u8),
    Get(u8),
    Health(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..20, any::<u8>()).prop_map(|(k, v)| Op::Set(k, v)),
        (0u8..20).prop_map(Op::Get),
        (0usize..3, any::<bool>()).prop_map(|(s, up)| Op::Health(s, up)),
    ]
}

proptest! {
    /// Against a HashMap: a hit always returns a value once written under that key, and the
    /// latest one whenever every set of that key succeeded.
    #[test]
    fn client_never_returns_a_value_that_was_not_written(ops in prop::collection::vec(op(), 1..200)) {
        let (mut client, servers) = memory_cluster(&["a", "b", "c"]);
        let mut latest: HashMap<String, String> = HashMap::new();
        let mut written: HashMap<String, Vec<String>> = HashMap::new();
        let mut clean: HashMap<String, bool> = HashMap::new();
        for op in ops {
            match op {
                Op::Set(k, v) => {
                    let (k, v) = (format!("k{k}"), v.to_string());
                    let ok = client.set(&k, &v).is_ok();
                    written.entry(k.clone()).or_default().push(v.clone());
                    latest.insert(k.clone(), v);
                    let entry = clean.entry(k).or_insert(true);
                    *entry &= ok;
                }
                Op::Get(k) => {
                    let k = format!("k{k}");
                    match client.get(&k) {
                        Lookup::Hit(v) => {
                            prop_assert!(written.get(&k).is_some_and(|w| w.contains(&v)));
                            if clean.get(&k) == Some(&true) {
                                prop_assert_eq!(Some(&v), latest.get(&k));
                            }
                        }
                        Lookup::Miss => prop_assert!(clean.get(&k) != Some(&true) || !latest.contains_key(&k)),
                        Lookup::Failed(_) => {}
                    }
                }
                Op::Health(s, up) => servers[s].set_health(if up { Health::Up } else { Health::Down }),
            }
        }
    }

    /// Against a scan of the write log: a follower read at `now` holds the last write made at or
    /// before `now - lag`, and is stale exactly when the leader holds a later one.
    #[test]
    fn follower_matches_a_scan_of_the_log(
        writes in prop::collection::vec((0u8..4, 0u64..50), 0..60),
        reads in prop::collection::vec((0u8..4, 0u64..3000), 1..40),
        lag in 0u64..400,
    ) {
        let ms = Duration::from_millis;
        let mut replicas = LeaderFollower::new(&[ms(lag)]);
        let mut log = Vec::new();
        let mut now = 0;
        for (i, (k, gap)) in writes.iter().enumerate() {
            now += gap;
            let v = i.to_string();
            replicas.write(&format!("k{k}"), &v, ms(now));
            log.push((now, *k, v));
        }
        let mut reads = reads;
        reads.sort_by_key(|r| r.1);
        for (k, t) in reads {
            let read = replicas.read_follower(0, &format!("k{k}"), ms(t)).expect("follower 0");
            let expected = log.iter().rfind(|(w, kk, _)| *kk == k && w + lag <= t);
            prop_assert_eq!(read.value.as_ref().map(|v| &v.value), expected.map(|e| &e.2));
            let newest = log.iter().rfind(|(_, kk, _)| *kk == k);
            prop_assert_eq!(read.stale, newest.map(|e| &e.2) != expected.map(|e| &e.2));
        }
    }
}

// The same client over real Redis servers, each private to the test.

fn redis_cluster(n: usize) -> (Vec<RedisServer>, CacheClient<HashRing, RedisCacheServer>) {
    let servers: Vec<RedisServer> = (0..n)
        .map(|_| RedisServer::start().expect("redis-server starts"))
        .collect();
    let mut client = CacheClient::new(HashRing::new(64), Duration::from_millis(500));
    for (i, s) in servers.iter().enumerate() {
        let name = format!("redis-{i}");
        client.add_server(
            &name,
            RedisCacheServer::new(&name, &s.url()).expect("a valid URL"),
        );
    }
    (servers, client)
}

#[test]
#[ignore = "needs redis-server"]
fn redis_client_stores_each_key_on_the_server_the_ring_names() {
    let (servers, mut client) = redis_cluster(3);
    for i in 0..60 {
        client
            .set(&format!("key:{i}"), &i.to_string())
            .expect("servers are up");
    }
    for i in 0..60 {
        let key = format!("key:{i}");
        assert_eq!(client.get(&key).value(), Some(i.to_string().as_str()));
        let owner = client.server_for(&key).expect("servers").to_string();
        for (j, s) in servers.iter().enumerate() {
            let mut con = redis::Client::open(s.url())
                .expect("url")
                .get_connection()
                .expect("up");
            let held: Option<String> = redis::cmd("GET").arg(&key).query(&mut con).expect("GET");
            assert_eq!(
                held.is_some(),
                owner == format!("redis-{j}"),
                "{key} on redis-{j}"
            );
        }
    }
}

#[test]
#[ignore = "needs redis-server"]
fn redis_stopped_server_is_a_miss_and_the_others_keep_serving() {
    let (mut servers, mut client) = redis_cluster(3);
    for i in 0..60 {
        client
            .set(&format!("key:{i}"), "v")
            .expect("servers are up");
    }
    drop(servers.remove(1)); // redis-1's process is killed
    let (mut hits, mut failures) = (0, 0);
    for i in 0..60 {
        let key = format!("key:{i}");
        let owner = client.server_for(&key).expect("servers").to_string();
        match client.get(&key) {
            Lookup::Hit(_) => hits += 1,
            Lookup::Failed(ServerError::Unreachable { server, .. }) => {
                assert_eq!(server, owner);
                assert_eq!(owner, "redis-1");
                failures += 1;
            }
            other => panic!("{key} on {owner}: {other:?}"),
        }
    }
    assert!(hits > 0 && failures > 0, "hits {hits}, failures {failures}");
    assert_eq!(client.stats("redis-1").failures, failures);
}

#[test]
#[ignore = "needs redis-server"]
fn redis_silent_server_times_out_as_a_miss() {
    // A listener that never accepts: the kernel completes the TCP handshake, nothing answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "redis://127.0.0.1:{}/",
        silent.local_addr().expect("bound").port()
    );
    let mut server = RedisCacheServer::new("silent", &url).expect("a valid URL");
    let timeout = Duration::from_millis(100);
    assert_eq!(
        server.get("k", timeout),
        Err(ServerError::TimedOut {
            server: "silent".into(),
            after: timeout
        })
    );
}

#[test]
#[ignore = "needs redis-server"]
fn redis_and_memory_backends_give_the_same_lookups() {
    let (_servers, mut redis_client) = redis_cluster(2);
    let (mut memory_client, _memory) = memory_cluster(&["redis-0", "redis-1"]);
    for i in 0..100u32 {
        let key = format!("k{}", i % 17);
        if i % 3 == 0 {
            redis_client.set(&key, &i.to_string()).expect("redis up");
            memory_client.set(&key, &i.to_string()).expect("memory up");
        } else {
            assert_eq!(redis_client.get(&key), memory_client.get(&key), "{key}");
        }
    }
}
