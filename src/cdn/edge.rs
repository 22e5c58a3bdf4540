//! The edge network: each request goes to the nearest edge, which answers from its LRU cache or
//! fetches from the origin; objects change at the origin, and copies at the edges go stale.

use super::{EARTH_CIRCUMFERENCE_KM, distance_km, rtt_ms};
use crate::caching::{Cache, Lru, ZipfError, zipf_trace};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashMap;

/// How content gets to the edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// An edge fetches an object from the origin on a miss and keeps it for `ttl_ms`; if
    /// `purge_after_ms` is set, the origin purges every edge's copy that long after an update.
    Pull {
        /// How long a fetched copy may be served, in ms (`u64::MAX`: until evicted).
        ttl_ms: u64,
        /// The delay from an update to the purge of every edge's copy, if the origin purges.
        purge_after_ms: Option<u64>,
    },
    /// The origin places the `capacity` most popular objects (keys `0..capacity`) on every edge
    /// before the first request, and pushes each new version of them `push_after_ms` after the
    /// update; other objects are fetched through the edge and not kept.
    Push {
        /// The delay from an update to its arrival at every edge, in ms.
        push_after_ms: u64,
    },
}

/// The CDN simulated.
#[derive(Clone, Debug, PartialEq)]
pub struct CdnConfig {
    /// The edges' positions in km (empty: no CDN, every request goes to the origin).
    pub edges: Vec<f64>,
    /// Objects each edge holds.
    pub capacity: usize,
    /// How content reaches the edges.
    pub fill: Fill,
    /// The origin's position in km.
    pub origin_km: f64,
    /// The origin's own time to answer, in ms, on top of the round trip.
    pub origin_ms: f64,
}

impl Default for CdnConfig {
    /// No edges, 1,000 objects an edge, pull with no expiry and no purge, the origin at 0 km
    /// answering in 20 ms.
    fn default() -> Self {
        CdnConfig {
            edges: Vec::new(),
            capacity: 1_000,
            fill: Fill::Pull {
                ttl_ms: u64::MAX,
                purge_after_ms: None,
            },
            origin_km: 0.0,
            origin_ms: 20.0,
        }
    }
}

/// One request: when, from where, for which object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request {
    /// The time of the request, in ms of the simulated clock.
    pub at_ms: u64,
    /// The client's position, in km.
    pub client_km: f64,
    /// The object asked for.
    pub key: u64,
}

/// A new version of an object written at the origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Update {
    /// When, in ms.
    pub at_ms: u64,
    /// Which object.
    pub key: u64,
}

/// What the simulation measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CdnReport {
    /// Each request's latency, in ms, in request order.
    pub latencies_ms: Vec<f64>,
    /// Requests an edge answered from its copy.
    pub hits: u64,
    /// Requests that went to the origin (misses, expired copies, objects not pushed, no CDN).
    pub misses: u64,
    /// Copies the origin sent to edges on its own initiative (push fill), not asked by a request.
    pub pushed: u64,
    /// Hits that served a version older than the origin's latest.
    pub stale: u64,
    /// The longest time, in ms, between an update and a hit that still served the version
    /// before it (0 if nothing stale was served).
    pub max_stale_ms: u64,
}

impl CdnReport {
    /// The share of requests answered by an edge.
    ///
    /// ```
    /// use sysdesign::cdn::CdnReport;
    /// let r = CdnReport { hits: 3, misses: 1, ..CdnReport::default() };
    /// assert_eq!(r.hit_ratio(), 0.75);
    /// ```
    pub fn hit_ratio(&self) -> f64 {
        let n = self.hits + self.misses;
        if n == 0 {
            0.0
        } else {
            self.hits as f64 / n as f64
        }
    }

    /// The mean latency, in ms (0 for no request).
    ///
    /// ```
    /// use sysdesign::cdn::CdnReport;
    /// let r = CdnReport { latencies_ms: vec![1.0, 3.0], ..CdnReport::default() };
    /// assert_eq!(r.mean_ms(), 2.0);
    /// ```
    pub fn mean_ms(&self) -> f64 {
        if self.latencies_ms.is_empty() {
            return 0.0;
        }
        self.latencies_ms.iter().sum::<f64>() / self.latencies_ms.len() as f64
    }

    /// The `p`-th percentile of latency (nearest rank), in ms; `p` in (0, 100].
    ///
    /// ```
    /// use sysdesign::cdn::CdnReport;
    /// let r = CdnReport { latencies_ms: (1..=100).map(f64::from).collect(), ..CdnReport::default() };
    /// assert_eq!(r.percentile_ms(99.0), 99.0);
    /// assert_eq!(r.percentile_ms(50.0), 50.0);
    /// ```
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return 0.0;
        }
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }
}

/// `n` edge positions spread evenly round the world, the first at `origin_km`.
///
/// ```
/// use sysdesign::cdn::edge_positions;
/// let edges = edge_positions(4, 0.0);
/// assert_eq!(edges.len(), 4);
/// assert!((edges[1] - 40_075.0 / 4.0).abs() < 1e-9);
/// ```
pub fn edge_positions(n: usize, origin_km: f64) -> Vec<f64> {
    (0..n)
        .map(|i| {
            (origin_km + i as f64 * EARTH_CIRCUMFERENCE_KM / n as f64) % EARTH_CIRCUMFERENCE_KM
        })
        .collect()
}

/// `len` requests for `n_keys` objects with Zipf(`exponent`) popularity (the caching chapter's
/// [`zipf_trace`]), evenly spaced over `duration_ms`, from clients placed uniformly round the
/// world; seeded.
///
/// ```
/// use sysdesign::cdn::workload;
/// let requests = workload(1_000, 0.9, 500, 60_000, 3).unwrap();
/// assert_eq!(requests.len(), 500);
/// assert_eq!(requests, workload(1_000, 0.9, 500, 60_000, 3).unwrap());
/// assert!(requests.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
/// ```
pub fn workload(
    n_keys: u64,
    exponent: f64,
    len: usize,
    duration_ms: u64,
    seed: u64,
) -> Result<Vec<Request>, ZipfError> {
    let keys = zipf_trace(n_keys, exponent, len, seed)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
    Ok(keys
        .into_iter()
        .enumerate()
        .map(|(i, key)| Request {
            at_ms: i as u64 * duration_ms / len.max(1) as u64,
            client_km: rng.random_range(0.0..EARTH_CIRCUMFERENCE_KM),
            key,
        })
        .collect())
}

/// A copy held at an edge.
#[derive(Clone, Copy, Debug, Default)]
struct Cached {
    version: usize,
    fetched_at: u64,
}

/// Something the origin does to the edges at a time: purge a key, or push its latest version.
#[derive(Clone, Copy, Debug)]
enum Action {
    Purge(u64),
    Push(u64),
}

// ANCHOR: simulate
/// Replays `requests` (in time order) against the CDN, with `updates` (in any order) changing
/// objects at the origin.
///
/// ```
/// use sysdesign::cdn::{CdnConfig, Fill, Request, Update, simulate};
///
/// // A pull CDN with a 60 s TTL: the object changes at 10 s; the edge serves the old copy
/// // until its TTL, counted from the fetch at 0 s, runs out at 60 s.
/// let config = CdnConfig {
///     edges: vec![0.0],
///     fill: Fill::Pull { ttl_ms: 60_000, purge_after_ms: None },
///     ..CdnConfig::default()
/// };
/// let at = |s: u64| Request { at_ms: s * 1_000, client_km: 0.0, key: 1 };
/// let report = simulate(&config, &[at(0), at(30), at(59), at(61)], &[Update { at_ms: 10_000, key: 1 }]);
/// assert_eq!(report.stale, 2);
/// assert_eq!(report.max_stale_ms, 49_000);
/// ```
pub fn simulate(config: &CdnConfig, requests: &[Request], updates: &[Update]) -> CdnReport {
    let mut report = CdnReport {
        latencies_ms: Vec::with_capacity(requests.len()),
        ..CdnReport::default()
    };
    let capacity = config.capacity.max(1);
    let mut edges: Vec<Lru<u64, Cached>> = config
        .edges
        .iter()
        .map(|_| Lru::new(capacity).expect("capacity is at least 1"))
        .collect();
    // update_times[key][v] is when version v of key was replaced by version v + 1.
    let mut update_times: HashMap<u64, Vec<u64>> = HashMap::new();
    let mut updates = updates.to_vec();
    updates.sort_by_key(|u| u.at_ms);
    let mut actions: Vec<(u64, Action)> = Vec::new();
    for u in &updates {
        match config.fill {
            Fill::Pull {
                purge_after_ms: Some(d),
                ..
            } => actions.push((u.at_ms.saturating_add(d), Action::Purge(u.key))),
            Fill::Push { push_after_ms } if u.key < capacity as u64 => {
                actions.push((u.at_ms.saturating_add(push_after_ms), Action::Push(u.key)))
            }
            _ => {}
        }
    }
    actions.sort_by_key(|(at, _)| *at);
    if let Fill::Push { .. } = config.fill {
        for edge in &mut edges {
            for key in 0..capacity as u64 {
                edge.put(key, Cached::default());
                report.pushed += 1;
            }
        }
    }
    let (mut next_update, mut next_action) = (0, 0);
    for request in requests {
        let now = request.at_ms;
        // The origin's changes up to now, then the purges and pushes they caused.
        while next_update < updates.len() && updates[next_update].at_ms <= now {
            let u = updates[next_update];
            update_times.entry(u.key).or_default().push(u.at_ms);
            next_update += 1;
        }
        while next_action < actions.len() && actions[next_action].0 <= now {
            let (at, action) = actions[next_action];
            next_action += 1;
            match action {
                Action::Purge(key) => edges.iter_mut().for_each(|e| {
                    e.remove(&key);
                }),
                Action::Push(key) => {
                    // The version current at the time of the push.
                    let version = versions_at(&update_times, key, at);
                    for edge in &mut edges {
                        edge.put(
                            key,
                            Cached {
                                version,
                                fetched_at: at,
                            },
                        );
                        report.pushed += 1;
                    }
                }
            }
        }
        let latest = update_times.get(&request.key).map_or(0, Vec::len);
        let to_origin = rtt_ms(distance_km(request.client_km, config.origin_km)) + config.origin_ms;
        let Some((edge_km, edge)) = nearest(&config.edges, &mut edges, request.client_km) else {
            report.misses += 1;
            report.latencies_ms.push(to_origin);
            continue;
        };
        let to_edge = rtt_ms(distance_km(request.client_km, edge_km));
        let ttl = match config.fill {
            Fill::Pull { ttl_ms, .. } => ttl_ms,
            Fill::Push { .. } => u64::MAX,
        };
        let fresh_copy = edge
            .get(&request.key)
            .copied()
            .filter(|c| now < c.fetched_at.saturating_add(ttl));
        if let Some(copy) = fresh_copy {
            report.hits += 1;
            report.latencies_ms.push(to_edge);
            if copy.version < latest {
                report.stale += 1;
                let replaced_at = update_times[&request.key][copy.version];
                report.max_stale_ms = report.max_stale_ms.max(now - replaced_at);
            }
            continue;
        }
        // A miss, or an expired copy: the edge asks the origin.
        report.misses += 1;
        let via_edge = to_edge + rtt_ms(distance_km(edge_km, config.origin_km)) + config.origin_ms;
        report.latencies_ms.push(via_edge);
        if let Fill::Pull { .. } = config.fill {
            edge.put(
                request.key,
                Cached {
                    version: latest,
                    fetched_at: now,
                },
            );
        }
    }
    report
}
// ANCHOR_END: simulate

/// The version of `key` current at time `at`: the number of its updates at or before `at`.
fn versions_at(update_times: &HashMap<u64, Vec<u64>>, key: u64, at: u64) -> usize {
    update_times
        .get(&key)
        .map_or(0, |times| times.iter().filter(|&&t| t <= at).count())
}

/// The edge nearest to `client_km`, with its position.
fn nearest<'a>(
    positions: &[f64],
    edges: &'a mut [Lru<u64, Cached>],
    client_km: f64,
) -> Option<(f64, &'a mut Lru<u64, Cached>)> {
    let best = (0..positions.len()).min_by(|&a, &b| {
        distance_km(client_km, positions[a]).total_cmp(&distance_km(client_km, positions[b]))
    })?;
    Some((positions[best], &mut edges[best]))
}
