//! The edge network: latency from distance and hits, stale copies bounded by the TTL or the
//! purge delay, push against pull, and the edges' hits checked against the `lru` crate.

use proptest::prelude::*;
use std::num::NonZeroUsize;
use sysdesign::cdn::{
    CdnConfig, Fill, Request, Update, distance_km, edge_positions, rtt_ms, simulate, workload,
};

#[test]
fn without_edges_every_request_pays_the_round_trip_to_the_origin() {
    let requests = workload(100, 1.0, 500, 10_000, 1).unwrap();
    let config = CdnConfig::default();
    let report = simulate(&config, &requests, &[]);
    assert_eq!((report.hits, report.misses), (0, 500));
    for (r, latency) in requests.iter().zip(&report.latencies_ms) {
        assert_eq!(
            *latency,
            rtt_ms(distance_km(r.client_km, 0.0)) + config.origin_ms
        );
    }
}

#[test]
fn a_hit_costs_the_round_trip_to_the_nearest_edge_only() {
    let config = CdnConfig {
        edges: vec![0.0, 10_000.0, 20_000.0],
        ..CdnConfig::default()
    };
    let twice = [
        Request {
            at_ms: 0,
            client_km: 9_000.0,
            key: 3,
        },
        Request {
            at_ms: 1,
            client_km: 9_000.0,
            key: 3,
        },
    ];
    let report = simulate(&config, &twice, &[]);
    assert_eq!(report.latencies_ms[1], rtt_ms(1_000.0));
    // The miss went client -> edge at 10,000 km -> origin at 0 and back.
    assert_eq!(
        report.latencies_ms[0],
        rtt_ms(1_000.0) + rtt_ms(10_000.0) + config.origin_ms
    );
}

#[test]
fn push_serves_the_pushed_objects_from_the_first_request() {
    let config = CdnConfig {
        edges: edge_positions(4, 0.0),
        capacity: 10,
        fill: Fill::Push { push_after_ms: 0 },
        ..CdnConfig::default()
    };
    let requests: Vec<Request> = (0..20)
        .map(|k| Request {
            at_ms: k,
            client_km: 5_000.0,
            key: k % 12,
        })
        .collect();
    let report = simulate(&config, &requests, &[]);
    // Keys 0..10 were pushed; 10 and 11 never are, and are fetched every time.
    assert_eq!(report.misses, 2); // keys 10 and 11, once each
    assert_eq!(report.pushed, 40);
}

#[test]
fn a_purge_ends_the_stale_window_before_the_ttl_would() {
    let requests: Vec<Request> = (0..600)
        .map(|s| Request {
            at_ms: s * 1_000,
            client_km: 100.0,
            key: 0,
        })
        .collect();
    let updates = [Update {
        at_ms: 30_500,
        key: 0,
    }];
    let run = |purge| {
        let config = CdnConfig {
            edges: vec![0.0],
            fill: Fill::Pull {
                ttl_ms: 300_000,
                purge_after_ms: purge,
            },
            ..CdnConfig::default()
        };
        simulate(&config, &requests, &updates)
    };
    assert_eq!(run(None).max_stale_ms, 299_000 - 30_500);
    assert_eq!(run(Some(2_000)).max_stale_ms, 1_500);
}

// ANCHOR: differential
/// The edges' hits, with no expiry and no update, are those of the `lru` crate's cache replaying
/// each edge's share of the requests.
#[test]
fn edge_hits_match_the_lru_crate_replaying_each_edges_requests() {
    let edges = edge_positions(8, 0.0);
    let requests = workload(5_000, 0.9, 40_000, 3_600_000, 9).unwrap();
    let config = CdnConfig {
        edges: edges.clone(),
        capacity: 200,
        ..CdnConfig::default()
    };
    let report = simulate(&config, &requests, &[]);

    let mut caches: Vec<lru::LruCache<u64, ()>> = edges
        .iter()
        .map(|_| lru::LruCache::new(NonZeroUsize::new(200).unwrap()))
        .collect();
    let mut hits = 0;
    for r in &requests {
        let nearest = (0..edges.len())
            .min_by(|&a, &b| {
                distance_km(r.client_km, edges[a]).total_cmp(&distance_km(r.client_km, edges[b]))
            })
            .unwrap();
        if caches[nearest].get(&r.key).is_some() {
            hits += 1;
        } else {
            caches[nearest].put(r.key, ());
        }
    }
    assert_eq!(report.hits, hits);
}
// ANCHOR_END: differential

fn requests_strategy() -> impl Strategy<Value = Vec<Request>> {
    prop::collection::vec((0u64..5_000, 0.0f64..40_075.0, 0u64..20), 1..200).prop_map(|mut v| {
        v.sort_by_key(|r| r.0);
        v.into_iter()
            .map(|(at_ms, client_km, key)| Request {
                at_ms,
                client_km,
                key,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A pull CDN serves a copy at most `ttl` after the update that made it stale, and with a
    /// purge at most the purge delay after.
    #[test]
    fn stale_copies_are_bounded_by_the_ttl_and_by_the_purge_delay(
        requests in requests_strategy(),
        updates in prop::collection::vec((0u64..5_000, 0u64..20), 0..30),
        edges in 1usize..5,
        capacity in 1usize..20,
        ttl in 1u64..3_000,
        purge in prop::option::of(0u64..3_000),
    ) {
        let updates: Vec<Update> = updates.into_iter().map(|(at_ms, key)| Update { at_ms, key }).collect();
        let config = CdnConfig {
            edges: edge_positions(edges, 0.0),
            capacity,
            fill: Fill::Pull { ttl_ms: ttl, purge_after_ms: purge },
            ..CdnConfig::default()
        };
        let report = simulate(&config, &requests, &updates);
        prop_assert!(report.max_stale_ms < ttl);
        if let Some(p) = purge {
            prop_assert!(report.max_stale_ms <= p);
        }
        prop_assert_eq!(report.hits + report.misses, requests.len() as u64);
    }

    /// Going through an edge on a miss is never faster than going to the origin directly
    /// (the triangle inequality), and a hit is never slower.
    #[test]
    fn a_miss_through_an_edge_is_never_faster_than_the_origin_direct(
        requests in requests_strategy(), edges in 1usize..9, capacity in 1usize..10,
    ) {
        let config = CdnConfig { edges: edge_positions(edges, 0.0), capacity, ..CdnConfig::default() };
        let report = simulate(&config, &requests, &[]);
        for (r, latency) in requests.iter().zip(&report.latencies_ms) {
            let direct = rtt_ms(distance_km(r.client_km, config.origin_km)) + config.origin_ms;
            let to_edge = config.edges.iter().map(|&e| rtt_ms(distance_km(r.client_km, e))).fold(f64::MAX, f64::min);
            prop_assert!(*latency + 1e-9 >= direct || (*latency - to_edge).abs() < 1e-9);
        }
    }

    /// LRU is a stack algorithm: with no expiry, a bigger cache at every edge never hits less.
    #[test]
    fn a_bigger_edge_cache_never_hits_less(requests in requests_strategy(), edges in 1usize..5, capacity in 1usize..15) {
        let run = |capacity| {
            let config = CdnConfig { edges: edge_positions(edges, 0.0), capacity, ..CdnConfig::default() };
            simulate(&config, &requests, &[]).hits
        };
        prop_assert!(run(capacity + 1) >= run(capacity));
    }
}
