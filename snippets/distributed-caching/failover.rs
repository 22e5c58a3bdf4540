//! A cache client over four in-memory servers, driven by a seeded Zipf workload through
//! cache-aside; server c fails, leaves the ring, comes back slow, recovers.
//! Every failure is a miss, never an error.

use std::time::Duration;
use sysdesign::caching::zipf_trace;
use sysdesign::distributed_caching::{CacheClient, Health, InMemoryServer, Lookup};
use sysdesign::hashing::HashRing;
use sysdesign::show::{self, Table};

const SERVERS: [&str; 4] = ["a", "b", "c", "d"];
const KEYS: u64 = 2_000;
const REQUESTS: usize = 20_000;

/// Replays `trace` through cache-aside; returns (hits, misses, failures, database reads).
fn phase(client: &mut CacheClient<HashRing, InMemoryServer>, trace: &[u64]) -> [u64; 4] {
    let mut counts = [0; 4];
    for key in trace {
        let key = format!("user:{key}");
        match client.get(&key) {
            Lookup::Hit(_) => counts[0] += 1,
            Lookup::Miss => {
                counts[1] += 1;
                counts[3] += 1; // read the database, then fill the cache
                let _ = client.set(&key, "row");
            }
            Lookup::Failed(_) => {
                counts[2] += 1;
                counts[3] += 1; // the server did not answer: read the database
            }
        }
    }
    counts
}

fn row(name: &str, client: &mut CacheClient<HashRing, InMemoryServer>, seed: u64) -> Vec<String> {
    let trace = zipf_trace(KEYS, 0.9, REQUESTS, seed).expect("valid Zipf parameters");
    let [hits, misses, failures, reads] = phase(client, &trace);
    vec![
        name.to_string(),
        hits.to_string(),
        misses.to_string(),
        failures.to_string(),
        reads.to_string(),
        format!("{:.3}", hits as f64 / REQUESTS as f64),
    ]
}

fn main() {
    let timeout = Duration::from_millis(20);
    let mut client = CacheClient::new(HashRing::new(100), timeout);
    let servers: Vec<InMemoryServer> = SERVERS.iter().map(|n| InMemoryServer::new(n)).collect();
    for s in &servers {
        client.add_server(s.name(), s.clone());
    }
    let c = servers[2].clone(); // a handle to server c, sharing its state
    let mut table = Table::new([
        "phase",
        "hits",
        "misses",
        "failures (as misses)",
        "database reads",
        "hit ratio",
    ]);
    table.push(row("1. cold start", &mut client, 1));
    let warm = row("2. warm", &mut client, 2);
    let warm_reads: u64 = warm[4].parse().expect("a count");
    table.push(warm);
    c.set_health(Health::Down);
    let down = row("3. c is down", &mut client, 3);
    let down_reads: u64 = down[4].parse().expect("a count");
    table.push(down);
    let owners: Vec<(String, String)> = (0..KEYS)
        .map(|k| format!("user:{k}"))
        .map(|k| {
            let owner = client.server_for(&k).expect("four servers").to_string();
            (k, owner)
        })
        .collect();
    let owned_by_c: Vec<String> = owners
        .iter()
        .filter(|(_, owner)| owner == "c")
        .map(|(k, _)| k.clone())
        .collect();
    client.remove_server("c");
    let moved: Vec<String> = ["a", "b", "d"]
        .iter()
        .map(|s| {
            let n = owned_by_c
                .iter()
                .filter(|k| client.server_for(k) == Some(*s))
                .count();
            format!("{n} to {s}")
        })
        .collect();
    let others_moved = owners
        .iter()
        .filter(|(k, owner)| owner != "c" && client.server_for(k) != Some(owner.as_str()))
        .count();
    table.push(row("4. c taken off the ring", &mut client, 4));
    table.push(row("5. warm again", &mut client, 5));
    c.set_health(Health::Slow(Duration::from_millis(50)));
    client.add_server("c", c.clone());
    let slow = row("6. c back on the ring, but slow", &mut client, 6);
    let waits: u32 = slow[3].parse().expect("a count");
    table.push(slow);
    c.set_health(Health::Up);
    table.push(row("7. c healthy", &mut client, 7));
    show::table(&table.caption(format!(
        "{REQUESTS} requests per phase, Zipf s = 0.9 over {KEYS} keys, timeout {timeout:?}"
    )));
    let held: Vec<String> = servers
        .iter()
        .map(|s| format!("{} holds {}", s.name(), s.len()))
        .collect();
    println!(
        "Taking c off the ring moved its {} keys (of {KEYS}): {}; other keys that moved: {others_moved}.",
        owned_by_c.len(),
        moved.join(", ")
    );
    println!("Keys held at the end: {}.", held.join(", "));
    println!(
        "In phase 6 each of the {waits} failed requests waited the whole timeout: {:.1} s of waiting in all.",
        (timeout * waits).as_secs_f64()
    );
    // The figures the chapter's prose quotes, by name.
    show::value("warm_db_reads", warm_reads);
    show::value("down_db_reads", down_reads);
    show::value(
        "down_over_warm",
        format!("{:.0}", down_reads as f64 / warm_reads as f64),
    );
}
