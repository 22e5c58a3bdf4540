//! A tick-based simulation of a server with a fixed capacity, whose clients give up after a
//! timeout, with an unbounded queue or a bounded one that sheds what does not fit.

use std::collections::VecDeque;
use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Poisson};

// ANCHOR: admission
/// What the server does with a request that arrives while it is busy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Queue it, however long the queue is.
    Unbounded,
    /// Queue it if fewer than `limit` requests wait; otherwise reject it at once (load shedding).
    Bounded {
        /// The longest the queue may be.
        limit: usize,
    },
}

/// The server and its clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Requests the server completes per tick.
    pub capacity_per_tick: u32,
    /// Ticks a client waits for its answer; an answer later than that is wasted work.
    pub timeout_ticks: u64,
    /// Ticks simulated.
    pub ticks: u64,
    /// Seed of the Poisson arrivals.
    pub seed: u64,
}
// ANCHOR_END: admission

/// Why [`simulate_server`] refused its input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ServerError {
    /// The offered load (requests per tick) is negative, zero or not finite.
    BadLoad(f64),
    /// The server completes nothing per tick, or the run has no tick.
    EmptyRun,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerError::BadLoad(load) => {
                write!(f, "offered load {load} is not a positive, finite rate")
            }
            ServerError::EmptyRun => write!(f, "a capacity or a run length of 0 measures nothing"),
        }
    }
}

impl std::error::Error for ServerError {}

/// What one run of [`simulate_server`] measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoadReport {
    /// Requests that arrived.
    pub offered: u64,
    /// Requests rejected at the door (shed).
    pub shed: u64,
    /// Requests completed within their client's timeout.
    pub good: u64,
    /// Requests completed after their client had given up: capacity spent on nothing.
    pub wasted: u64,
    /// Requests the server completed per tick on average (good and wasted).
    pub throughput: f64,
    /// Good completions per tick on average.
    pub goodput: f64,
    /// Mean ticks a completed request waited in the queue.
    pub mean_wait: f64,
    /// Mean queue length, sampled at the end of each tick.
    pub mean_queue: f64,
    /// The longest the queue was.
    pub max_queue: usize,
}

// ANCHOR: simulate
/// Runs `config.ticks` ticks: each tick a Poisson number of requests (mean `offered_per_tick`)
/// arrives and is admitted or shed, then the server completes up to `capacity_per_tick` queued
/// requests, oldest first. It cannot know that a client gave up, so it serves those too.
///
/// ```
/// use sysdesign::overload::{simulate_server, Admission, ServerConfig};
///
/// let config = ServerConfig { capacity_per_tick: 10, timeout_ticks: 5, ticks: 2_000, seed: 3 };
/// let unbounded = simulate_server(15.0, Admission::Unbounded, &config)?;
/// let bounded = simulate_server(15.0, Admission::Bounded { limit: 50 }, &config)?;
/// assert!(unbounded.goodput < 1.0); // past its capacity, the FIFO server answers only the dead
/// assert!(bounded.goodput > 9.5); // shedding keeps it near its capacity of 10
/// # Ok::<(), sysdesign::overload::ServerError>(())
/// ```
pub fn simulate_server(
    offered_per_tick: f64,
    admission: Admission,
    config: &ServerConfig,
) -> Result<LoadReport, ServerError> {
    if !offered_per_tick.is_finite() || offered_per_tick <= 0.0 {
        return Err(ServerError::BadLoad(offered_per_tick));
    }
    if config.capacity_per_tick == 0 || config.ticks == 0 {
        return Err(ServerError::EmptyRun);
    }
    let arrivals =
        Poisson::new(offered_per_tick).map_err(|_| ServerError::BadLoad(offered_per_tick))?;
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut queue: VecDeque<u64> = VecDeque::new(); // arrival tick of each waiting request
    let (mut offered, mut shed, mut good, mut wasted) = (0u64, 0u64, 0u64, 0u64);
    let (mut total_wait, mut total_queue, mut max_queue) = (0u64, 0u64, 0usize);
    for tick in 0..config.ticks {
        // A Poisson draw is a whole number, returned as f64.
        let arrived = arrivals.sample(&mut rng) as u64;
        offered += arrived;
        for _ in 0..arrived {
            match admission {
                Admission::Bounded { limit } if queue.len() >= limit => shed += 1,
                _ => queue.push_back(tick),
            }
        }
        for _ in 0..config.capacity_per_tick {
            let Some(arrived_at) = queue.pop_front() else {
                break;
            };
            let wait = tick - arrived_at;
            total_wait += wait;
            if wait <= config.timeout_ticks {
                good += 1;
            } else {
                wasted += 1;
            }
        }
        total_queue += queue.len() as u64;
        max_queue = max_queue.max(queue.len());
    }
    let ticks = config.ticks as f64;
    let completed = good + wasted;
    Ok(LoadReport {
        offered,
        shed,
        good,
        wasted,
        throughput: completed as f64 / ticks,
        goodput: good as f64 / ticks,
        mean_wait: if completed == 0 {
            0.0
        } else {
            total_wait as f64 / completed as f64
        },
        mean_queue: total_queue as f64 / ticks,
        max_queue,
    })
}
// ANCHOR_END: simulate
