//! The server-selection strategies, behind one balancer that keeps what each needs: a cursor,
//! smooth weights, active connection counts, an average of response times, a seeded generator.

use crate::hashing::stable_hash;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt;

/// How the balancer picks a server for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// A healthy server chosen uniformly at random.
    Random,
    /// The healthy servers in turn.
    RoundRobin,
    /// In turn, each server as often as its weight, interleaved (nginx's smooth weighted round robin).
    WeightedRoundRobin,
    /// The healthy server with the fewest requests in progress.
    LeastConnections,
    /// The healthy server with the lowest (requests in progress + 1) × its average response time.
    LeastResponseTime,
    /// A hash of the client's address, modulo the number of servers.
    IpHash,
    /// Two distinct healthy servers at random; the one with fewer requests in progress.
    PowerOfTwoChoices,
}

impl Strategy {
    /// Every strategy, in the order the chapter lists them.
    pub const ALL: [Strategy; 7] = [
        Strategy::Random,
        Strategy::RoundRobin,
        Strategy::WeightedRoundRobin,
        Strategy::LeastConnections,
        Strategy::LeastResponseTime,
        Strategy::IpHash,
        Strategy::PowerOfTwoChoices,
    ];
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Random => "random",
            Strategy::RoundRobin => "round robin",
            Strategy::WeightedRoundRobin => "weighted round robin",
            Strategy::LeastConnections => "least connections",
            Strategy::LeastResponseTime => "least response time",
            Strategy::IpHash => "IP hash",
            Strategy::PowerOfTwoChoices => "power of two choices",
        })
    }
}

/// What the balancer knows about one server.
#[derive(Clone, Debug, PartialEq)]
struct Backend {
    weight: u32,
    healthy: bool,
    active: u32,
    /// Exponentially weighted moving average of response times, seconds; None before the first.
    average: Option<f64>,
    /// Smooth weighted round robin's running weight.
    current: i64,
}

/// How much each new response time counts in the moving average.
const EWMA_WEIGHT: f64 = 0.1;

// ANCHOR: balancer
/// A load balancer over servers numbered from 0, with one strategy.
///
/// ```
/// use sysdesign::load_balancing::{Balancer, Strategy};
/// let mut lb = Balancer::new(Strategy::WeightedRoundRobin, &[3, 1, 1], 7);
/// let picks: Vec<usize> = (0..5).map(|_| lb.pick(0).unwrap()).collect();
/// assert_eq!(picks, [0, 1, 0, 2, 0]); // nginx's smooth order for weights 3, 1, 1
/// ```
#[derive(Debug)]
pub struct Balancer {
    strategy: Strategy,
    backends: Vec<Backend>,
    cursor: usize,
    rng: StdRng,
}

impl Balancer {
    /// A balancer over `weights.len()` servers, all healthy, with these weights (only weighted
    /// round robin reads them) and a seed for the strategies that draw at random.
    pub fn new(strategy: Strategy, weights: &[u32], seed: u64) -> Self {
        let backends = weights
            .iter()
            .map(|&weight| Backend {
                weight,
                healthy: true,
                active: 0,
                average: None,
                current: 0,
            })
            .collect();
        Balancer {
            strategy,
            backends,
            cursor: 0,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// Marks a server in or out of rotation (what a health checker does).
    pub fn set_healthy(&mut self, server: usize, healthy: bool) {
        self.backends[server].healthy = healthy;
    }

    /// Whether a server is in rotation.
    pub fn is_healthy(&self, server: usize) -> bool {
        self.backends[server].healthy
    }

    /// Requests in progress on a server, as the balancer counts them.
    pub fn active(&self, server: usize) -> u32 {
        self.backends[server].active
    }

    /// Picks the server for a request from `client` (an IPv4 address as a number; only IP hash
    /// reads it) and counts the request as in progress there. None when no server is healthy.
    pub fn pick(&mut self, client: u32) -> Option<usize> {
        let healthy: Vec<usize> = (0..self.backends.len())
            .filter(|&i| self.backends[i].healthy)
            .collect();
        if healthy.is_empty() {
            return None;
        }
        let chosen = match self.strategy {
            Strategy::Random => healthy[self.rng.random_range(0..healthy.len())],
            Strategy::RoundRobin => self.round_robin(),
            Strategy::WeightedRoundRobin => self.smooth_weighted(&healthy),
            Strategy::LeastConnections => self.least_by(&healthy, |b| f64::from(b.active)),
            Strategy::LeastResponseTime => self.least_by(&healthy, |b| {
                (f64::from(b.active) + 1.0) * b.average.unwrap_or(0.0)
            }),
            Strategy::IpHash => self.ip_hash(client),
            Strategy::PowerOfTwoChoices => self.two_choices(&healthy),
        };
        self.backends[chosen].active += 1;
        Some(chosen)
    }

    /// Tells the balancer a request on `server` finished after `response_time` seconds.
    pub fn finished(&mut self, server: usize, response_time: f64) {
        let b = &mut self.backends[server];
        b.active = b.active.saturating_sub(1);
        b.average = Some(match b.average {
            None => response_time,
            Some(avg) => avg + EWMA_WEIGHT * (response_time - avg),
        });
    }
    // ANCHOR_END: balancer

    fn round_robin(&mut self) -> usize {
        // Walk on from the cursor to the next healthy server (one exists).
        let n = self.backends.len();
        loop {
            let i = self.cursor % n;
            self.cursor = (self.cursor + 1) % n;
            if self.backends[i].healthy {
                return i;
            }
        }
    }

    // ANCHOR: smooth
    /// nginx's smooth weighted round robin: every pick, each healthy server's running weight
    /// grows by its weight; the largest is chosen and loses the total. Over any cycle of
    /// Σweights picks each server is chosen exactly its weight's times, spread out.
    fn smooth_weighted(&mut self, healthy: &[usize]) -> usize {
        let mut total = 0i64;
        let mut best = healthy[0];
        for &i in healthy {
            let b = &mut self.backends[i];
            b.current += i64::from(b.weight);
            total += i64::from(b.weight);
            if b.current > self.backends[best].current {
                best = i;
            }
        }
        self.backends[best].current -= total;
        best
    }
    // ANCHOR_END: smooth

    fn least_by(&mut self, healthy: &[usize], cost: impl Fn(&Backend) -> f64) -> usize {
        // Ties go round robin from the cursor, so equal servers share the load.
        let n = self.backends.len();
        let start = self.cursor;
        self.cursor = (self.cursor + 1) % n;
        let mut best: Option<(f64, usize)> = None;
        for k in 0..n {
            let i = (start + k) % n;
            if !healthy.contains(&i) {
                continue;
            }
            let c = cost(&self.backends[i]);
            if best.is_none_or(|(bc, _)| c < bc) {
                best = Some((c, i));
            }
        }
        best.expect("at least one healthy server").1
    }

    // ANCHOR: ip_hash
    /// The client's address hashed, modulo the number of servers, healthy or not; when that
    /// server is out of rotation, the next healthy one after it. The same address reaches the
    /// same server for as long as the set of servers and their health stay the same.
    fn ip_hash(&self, client: u32) -> usize {
        let n = self.backends.len();
        let home = (stable_hash(&client.to_be_bytes()) % n as u64) as usize;
        (0..n)
            .map(|k| (home + k) % n)
            .find(|&i| self.backends[i].healthy)
            .expect("at least one healthy server")
    }
    // ANCHOR_END: ip_hash

    // ANCHOR: two_choices
    /// Two distinct healthy servers drawn at random, the less busy one kept (Mitzenmacher's
    /// "power of two choices"); with one healthy server, that one.
    fn two_choices(&mut self, healthy: &[usize]) -> usize {
        if healthy.len() == 1 {
            return healthy[0];
        }
        let a = self.rng.random_range(0..healthy.len());
        let mut b = self.rng.random_range(0..healthy.len() - 1);
        if b >= a {
            b += 1;
        }
        let (a, b) = (healthy[a], healthy[b]);
        if self.backends[b].active < self.backends[a].active {
            b
        } else {
            a
        }
    }
    // ANCHOR_END: two_choices
}
