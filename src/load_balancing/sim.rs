//! A cluster of unequal servers behind a balancer, simulated event by event on a clock of its
//! own: Poisson arrivals from many clients, each server a queue with one worker and exponential
//! service times at its own rate, outages, and a health checker probing on a schedule.

use super::strategy::{Balancer, Strategy};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One server: how many requests a second it completes, one at a time, and its weight for
/// weighted round robin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Server {
    /// Mean service rate, requests per second.
    pub rate: f64,
    /// Weight for weighted round robin.
    pub weight: u32,
}

impl Server {
    /// A server completing `rate` requests a second, with weight `weight`.
    pub const fn new(rate: f64, weight: u32) -> Server {
        Server { rate, weight }
    }
}

/// A server down (refusing connections) from `from` to `to`, seconds of simulated time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outage {
    /// Which server.
    pub server: usize,
    /// When it goes down.
    pub from: f64,
    /// When it is back.
    pub to: f64,
}

/// An active health checker: probes every server every `interval`; `fall` failed probes in a
/// row take a server out of rotation, `rise` good ones put it back (HAProxy's names).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthCheck {
    /// Seconds between probes.
    pub interval: f64,
    /// Failed probes in a row before a server is taken out.
    pub fall: u32,
    /// Good probes in a row before it is put back.
    pub rise: u32,
}

/// What the checker did, and when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthEvent {
    /// Simulated time, seconds.
    pub at: f64,
    /// Which server.
    pub server: usize,
    /// True when it was put back into rotation, false when taken out.
    pub healthy: bool,
}

/// The cluster and its traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The servers.
    pub servers: Vec<Server>,
    /// Arrivals per second, in total.
    pub arrival_rate: f64,
    /// How many requests to simulate.
    pub requests: usize,
    /// How many distinct client addresses the requests come from (uniformly).
    pub clients: u32,
    /// Outages.
    pub outages: Vec<Outage>,
    /// The health checker, if any.
    pub health_check: Option<HealthCheck>,
    /// The seed of the arrivals, service times and the balancer's own draws.
    pub seed: u64,
}

/// One request's fate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request {
    /// When it arrived.
    pub arrival: f64,
    /// The server it was sent to (None: no server in rotation).
    pub server: Option<usize>,
    /// Its response time in seconds, or None when it failed (sent to a server that was down).
    pub latency: Option<f64>,
}

/// What a run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Every request, in arrival order.
    pub requests: Vec<Request>,
    /// What the health checker did.
    pub health_events: Vec<HealthEvent>,
    /// Requests sent to each server.
    pub per_server: Vec<usize>,
}

impl Run {
    /// The response time at quantile `q` (0 to 1) of the requests that succeeded, nearest rank.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        let mut ok: Vec<f64> = self.requests.iter().filter_map(|r| r.latency).collect();
        if ok.is_empty() {
            return None;
        }
        ok.sort_by(f64::total_cmp);
        let rank = ((q * ok.len() as f64).ceil() as usize).clamp(1, ok.len());
        Some(ok[rank - 1])
    }

    /// Requests that failed.
    pub fn failed(&self) -> usize {
        self.requests.iter().filter(|r| r.latency.is_none()).count()
    }
}

fn is_down(outages: &[Outage], server: usize, t: f64) -> bool {
    outages
        .iter()
        .any(|o| o.server == server && o.from <= t && t < o.to)
}

/// A time ordered for the heap (simulated times are finite).
#[derive(Clone, Copy, Debug, PartialEq)]
struct At(f64);
impl Eq for At {}
impl PartialOrd for At {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for At {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

// ANCHOR: unequal
/// The chapter's servers: one completes 400 requests a second, two complete 200 and one 100
/// (900 in all), each weighted by its rate (4, 2, 2 and 1) for weighted round robin.
pub const UNEQUAL: [Server; 4] = [
    Server::new(400.0, 4),
    Server::new(200.0, 2),
    Server::new(200.0, 2),
    Server::new(100.0, 1),
];
// ANCHOR_END: unequal

impl Cluster {
    /// The [`UNEQUAL`] servers with requests arriving at `load` times their capacity (0.7: 630
    /// a second) from `clients` addresses; no outage and no health checker.
    ///
    /// ```
    /// use sysdesign::load_balancing::Cluster;
    /// let c = Cluster::unequal(0.7, 1_000, 100, 1);
    /// assert_eq!(c.capacity(), 900.0);
    /// assert!((c.arrival_rate - 630.0).abs() < 1e-9);
    /// ```
    pub fn unequal(load: f64, requests: usize, clients: u32, seed: u64) -> Cluster {
        let servers = UNEQUAL.to_vec();
        let capacity: f64 = servers.iter().map(|s| s.rate).sum();
        Cluster {
            servers,
            arrival_rate: load * capacity,
            requests,
            clients,
            outages: vec![],
            health_check: None,
            seed,
        }
    }

    // ANCHOR: simulate
    /// Runs the cluster with one strategy. Before each arrival, everything due earlier happens
    /// in time order: completions (the balancer hears each one) and health probes.
    pub fn simulate(&self, strategy: Strategy) -> Run {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let weights: Vec<u32> = self.servers.iter().map(|s| s.weight).collect();
        let mut lb = Balancer::new(strategy, &weights, self.seed ^ 0x9e37_79b9);
        let n = self.servers.len();
        let mut free_at = vec![0.0_f64; n]; // when each server's worker is next idle
        let mut completions: BinaryHeap<Reverse<(At, usize)>> = BinaryHeap::new();
        let mut latencies_done: Vec<(usize, f64)> = Vec::new();
        let (mut streak_bad, mut streak_good) = (vec![0u32; n], vec![0u32; n]);
        let mut next_probe = self.health_check.map_or(f64::INFINITY, |h| h.interval);
        let mut run = Run {
            requests: Vec::with_capacity(self.requests),
            health_events: Vec::new(),
            per_server: vec![0; n],
        };
        let mut now = 0.0;
        for _ in 0..self.requests {
            now += exponential(&mut rng, self.arrival_rate);
            loop {
                let next_done = completions
                    .peek()
                    .map_or(f64::INFINITY, |Reverse((At(t), _))| *t);
                if next_done.min(next_probe) > now {
                    break;
                }
                if next_done <= next_probe {
                    let Reverse((_, k)) = completions.pop().expect("peeked");
                    let (server, latency) = latencies_done[k];
                    lb.finished(server, latency);
                } else {
                    let h = self
                        .health_check
                        .expect("a probe is due only with a checker");
                    for s in 0..n {
                        let ok = !is_down(&self.outages, s, next_probe);
                        if ok {
                            streak_good[s] += 1;
                            streak_bad[s] = 0;
                        } else {
                            streak_bad[s] += 1;
                            streak_good[s] = 0;
                        }
                        let healthy = lb.is_healthy(s);
                        if healthy && streak_bad[s] >= h.fall
                            || !healthy && streak_good[s] >= h.rise
                        {
                            lb.set_healthy(s, !healthy);
                            run.health_events.push(HealthEvent {
                                at: next_probe,
                                server: s,
                                healthy: !healthy,
                            });
                        }
                    }
                    next_probe += h.interval;
                }
            }
            let client = rng.random_range(0..self.clients);
            let service = exponential(&mut rng, 1.0); // scaled by the server's rate below
            let Some(server) = lb.pick(client) else {
                run.requests.push(Request {
                    arrival: now,
                    server: None,
                    latency: None,
                });
                continue;
            };
            run.per_server[server] += 1;
            let latency = if is_down(&self.outages, server, now) {
                // Connection refused: fails at once, and the balancer sees a quick response.
                completions.push(Reverse((At(now), latencies_done.len())));
                latencies_done.push((server, 0.0));
                None
            } else {
                let start = free_at[server].max(now);
                free_at[server] = start + service / self.servers[server].rate;
                let latency = free_at[server] - now;
                completions.push(Reverse((At(free_at[server]), latencies_done.len())));
                latencies_done.push((server, latency));
                Some(latency)
            };
            run.requests.push(Request {
                arrival: now,
                server: Some(server),
                latency,
            });
        }
        run
    }
    // ANCHOR_END: simulate

    /// The cluster's total capacity, requests per second.
    pub fn capacity(&self) -> f64 {
        self.servers.iter().map(|s| s.rate).sum()
    }
}

fn exponential(rng: &mut StdRng, rate: f64) -> f64 {
    let u: f64 = rng.random();
    -(1.0 - u).ln() / rate
}
