//! A single-server FIFO queue, simulated on a clock of its own: Poisson arrivals, service
//! times exponential (M/M/1) or fixed (M/D/1), and what a customer waits.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt;

use crate::delivery_framework::{Count, PerSecond, Seconds};

/// How long serving one customer takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Exponentially distributed with the server's mean: the M/M/1 queue.
    Exponential,
    /// Always exactly the mean: the M/D/1 queue.
    Deterministic,
}

// ANCHOR: queue
/// One seeded run of a queue: customers arrive at `arrival_rate` (Poisson), one server works
/// at `service_rate`, first come first served, and the queue has no limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Queue {
    /// Mean arrivals per second, λ.
    pub arrival_rate: PerSecond,
    /// Mean customers the server completes per second when busy, μ.
    pub service_rate: PerSecond,
    /// The shape of the service time.
    pub service: Service,
    /// Customers simulated.
    pub customers: usize,
    /// Seed of the arrivals and service times.
    pub seed: u64,
}

/// What a run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueRun {
    /// Customers served per second: completions over the time of the last one.
    pub throughput: PerSecond,
    /// Arrivals per second, λ as measured: arrivals over the time of the last one.
    pub arrivals: PerSecond,
    /// Mean time from arrival to the start of service.
    pub mean_wait: Seconds,
    /// Mean time from arrival to departure (wait plus service), W in Little's law.
    pub mean_in_system: Seconds,
    /// The 99th percentile of the time in the system.
    pub p99_in_system: Seconds,
    /// Time-average number of customers in the system, L, from the first arrival's clock to
    /// the last arrival's, found by sweeping the count of customers present (not from the
    /// waits), as a monitor sampling the queue's length would see it.
    pub mean_number: Count,
}
// ANCHOR_END: queue

/// Why a queue cannot be simulated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QueueError {
    /// A rate is zero, negative or not finite.
    BadRate(f64),
    /// No customers to simulate.
    NoCustomers,
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::BadRate(r) => {
                write!(f, "a rate must be positive and finite, not {r} per second")
            }
            QueueError::NoCustomers => write!(f, "a queue needs at least one customer"),
        }
    }
}

impl std::error::Error for QueueError {}

/// An exponential sample of mean `1 / rate`, by inversion; `1 - u` is in (0, 1], so the
/// logarithm is finite.
fn exponential(rng: &mut StdRng, rate: f64) -> f64 {
    let u: f64 = rng.random();
    -(1.0 - u).ln() / rate
}

impl Queue {
    /// Runs the queue.
    ///
    /// ```
    /// use sysdesign::delivery_framework::PerSecond;
    /// use sysdesign::latency_throughput::{Queue, Service, mm1_mean_wait};
    ///
    /// let queue = Queue {
    ///     arrival_rate: PerSecond::new(500.0),
    ///     service_rate: PerSecond::new(1000.0),
    ///     service: Service::Exponential,
    ///     customers: 200_000,
    ///     seed: 1,
    /// };
    /// let run = queue.run().unwrap();
    /// let theory = mm1_mean_wait(queue.arrival_rate, queue.service_rate).unwrap();
    /// assert!((run.mean_wait / theory - 1.0).abs() < 0.05);
    /// ```
    pub fn run(&self) -> Result<QueueRun, QueueError> {
        for rate in [self.arrival_rate.get(), self.service_rate.get()] {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(QueueError::BadRate(rate));
            }
        }
        if self.customers == 0 {
            return Err(QueueError::NoCustomers);
        }
        let (lambda, mu) = (self.arrival_rate.get(), self.service_rate.get());
        let mut rng = StdRng::seed_from_u64(self.seed);
        // ANCHOR: lindley
        // The simulated clock: each customer's arrival, service start and departure.
        let mut arrival = 0.0_f64;
        let mut server_free_at = 0.0_f64;
        let mut total_wait = 0.0;
        let mut in_system = Vec::with_capacity(self.customers);
        // Every arrival (+1) and departure (−1), to sweep the number present later.
        let mut events = Vec::with_capacity(2 * self.customers);
        for _ in 0..self.customers {
            arrival += exponential(&mut rng, lambda);
            let service = match self.service {
                Service::Exponential => exponential(&mut rng, mu),
                Service::Deterministic => 1.0 / mu,
            };
            let start = arrival.max(server_free_at);
            server_free_at = start + service;
            total_wait += start - arrival;
            in_system.push(server_free_at - arrival);
            events.push((arrival, 1_i64));
            events.push((server_free_at, -1_i64));
        }
        // ANCHOR_END: lindley
        let n = self.customers as f64;
        let (end, last_arrival) = (server_free_at, arrival);
        // ANCHOR: sweep
        // L: the integral of the number present over [0, last arrival], divided by its length.
        // Customers still inside at the last arrival are cut off, as any window would cut them.
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut present, mut last, mut area) = (0_i64, 0.0, 0.0);
        for (t, change) in events {
            let t = t.min(last_arrival);
            area += present as f64 * (t - last);
            present += change;
            last = t;
        }
        // ANCHOR_END: sweep
        let mean_in_system = in_system.iter().sum::<f64>() / n;
        in_system.sort_by(f64::total_cmp);
        let p99_index = ((0.99 * n).ceil() as usize).clamp(1, self.customers) - 1;
        Ok(QueueRun {
            throughput: PerSecond::new(n / end),
            arrivals: PerSecond::new(n / last_arrival),
            mean_wait: Seconds::new(total_wait / n),
            mean_in_system: Seconds::new(mean_in_system),
            p99_in_system: Seconds::new(in_system[p99_index]),
            mean_number: Count::new(area / last_arrival),
        })
    }
}

/// The utilisation ρ = λ / μ: the share of time the server is busy.
pub fn utilisation(arrival_rate: PerSecond, service_rate: PerSecond) -> f64 {
    arrival_rate / service_rate
}

// ANCHOR: closed_form
/// The M/M/1 queue's mean wait before service, `ρ / (μ − λ)`; `None` unless ρ < 1, when the
/// queue grows without bound.
pub fn mm1_mean_wait(arrival_rate: PerSecond, service_rate: PerSecond) -> Option<Seconds> {
    let (lambda, mu) = (arrival_rate.get(), service_rate.get());
    let rho = lambda / mu;
    (rho < 1.0).then(|| Seconds::new(rho / (mu - lambda)))
}

/// The M/D/1 queue's mean wait before service, `ρ / (2 (μ − λ))`, half the M/M/1 wait
/// (the Pollaczek–Khinchine formula with no variance in service); `None` unless ρ < 1.
pub fn md1_mean_wait(arrival_rate: PerSecond, service_rate: PerSecond) -> Option<Seconds> {
    mm1_mean_wait(arrival_rate, service_rate).map(|w| w * 0.5)
}
// ANCHOR_END: closed_form
