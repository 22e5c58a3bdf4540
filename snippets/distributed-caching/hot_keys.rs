//! Hot keys: the ring spreads keys evenly, but a skewed workload sends most requests to the
//! servers of a few keys. Two remedies, measured on the same seeded traces: a near-cache in the
//! client, and salting the hottest keys into copies that land on different servers.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::time::{Duration, Instant};
use sysdesign::caching::zipf_trace;
use sysdesign::chart::LineChart;
use sysdesign::distributed_caching::{
    CacheClient, InMemoryServer, KeySalter, NearCache, peak_to_mean,
};
use sysdesign::hashing::HashRing;
use sysdesign::show::{self, Table};

const SERVERS: usize = 8;
const KEYS: u64 = 10_000;
const REQUESTS: usize = 50_000;
const EXPONENTS: [f64; 6] = [0.0, 0.4, 0.8, 1.0, 1.2, 1.4];
const HOT: u64 = 10; // the ten most requested keys are salted...
const COPIES: u64 = 8; // ...into eight copies each

#[derive(Clone, Copy)]
enum Remedy {
    None,
    NearCache,
    Salting,
}

/// A fresh cluster holding every key (salted copies too, when salting), with its servers.
fn cluster(salter: &KeySalter) -> (CacheClient<HashRing, InMemoryServer>, Vec<InMemoryServer>) {
    let mut client = CacheClient::new(HashRing::new(100), Duration::from_millis(20));
    let servers: Vec<InMemoryServer> = (0..SERVERS)
        .map(|i| InMemoryServer::new(&format!("cache-{i}")))
        .collect();
    for s in &servers {
        client.add_server(s.name(), s.clone());
    }
    for key in 0..KEYS {
        salter
            .set(&mut client, &format!("item:{key}"), "value")
            .expect("every server is up");
    }
    (client, servers)
}

/// Requests that reached each server while `trace` was replayed with `remedy`.
fn loads(trace: &[u64], remedy: Remedy) -> Vec<u64> {
    let hot = (0..HOT).map(|k| format!("item:{k}"));
    let salter = match remedy {
        Remedy::Salting => KeySalter::new(hot, COPIES),
        _ => KeySalter::new(Vec::<String>::new(), 1),
    }
    .expect("copies > 0");
    let (mut client, servers) = cluster(&salter);
    let before: Vec<u64> = servers.iter().map(InMemoryServer::requests).collect();
    // One request per millisecond; the near-cache keeps 100 entries for one second.
    let mut near = NearCache::new(100, Duration::from_secs(1)).expect("capacity > 0");
    let mut rng = StdRng::seed_from_u64(7);
    let t0 = Instant::now();
    for (i, key) in trace.iter().enumerate() {
        let key = format!("item:{key}");
        let now = t0 + Duration::from_millis(i as u64);
        match remedy {
            Remedy::None => drop(client.get(&key)),
            Remedy::NearCache => drop(near.get(&mut client, &key, now)),
            Remedy::Salting => {
                drop(client.get(&salter.read_key(&key, rng.random_range(0..COPIES))))
            }
        }
    }
    servers
        .iter()
        .zip(before)
        .map(|(s, b)| s.requests() - b)
        .collect()
}

fn main() {
    let names = [
        "no remedy",
        "near-cache (100 entries, 1 s)",
        "salting (top 10 keys x 8)",
    ];
    let remedies = [Remedy::None, Remedy::NearCache, Remedy::Salting];
    let mut curves = vec![Vec::new(); remedies.len()];
    let mut table = Table::new([
        "Zipf s",
        "top key's share",
        "no remedy",
        "near-cache",
        "salting",
        "near-cache: requests sent",
    ]);
    for (i, s) in EXPONENTS.iter().enumerate() {
        let trace = zipf_trace(KEYS, *s, REQUESTS, 100 + i as u64).expect("valid Zipf parameters");
        let top = trace.iter().filter(|&&k| k == 0).count() as f64 / REQUESTS as f64;
        let mut row = vec![format!("{s:.1}"), format!("{:.1}%", 100.0 * top)];
        let mut sent = 0;
        for ((remedy, curve), name) in remedies.iter().zip(&mut curves).zip(names) {
            let load = loads(&trace, *remedy);
            let ratio = peak_to_mean(&load).expect("requests were made");
            curve.push((*s, ratio));
            row.push(format!("{ratio:.2}"));
            if name.starts_with("near") {
                sent = load.iter().sum::<u64>();
            }
        }
        row.push(format!("{sent} of {REQUESTS}"));
        table.push(row);
    }
    show::table(&table.caption(format!(
        "busiest server's load over the mean ({SERVERS} servers, {KEYS} keys, {REQUESTS} requests; 1.00 is even)"
    )));
    let mut chart = LineChart::new("Load on the busiest of 8 cache servers, over the mean")
        .x_label("Zipf exponent s (0 = uniform; larger = hotter keys)")
        .y_label("peak / mean load")
        .y_range(0.0..4.0);
    for (name, curve) in names.iter().zip(curves) {
        chart = chart.series(*name, curve);
    }
    show::svg(
        "hot_keys",
        "Peak-to-mean server load against workload skew, with and without remedies",
        chart.to_svg().expect("every point is finite"),
    );
}
