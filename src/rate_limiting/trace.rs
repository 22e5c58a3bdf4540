//! A seeded bursty arrival trace, and replaying it through a limiter.

use super::{Decision, RateLimiter};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::time::Duration;

/// A bursty arrival process: Poisson background traffic plus bursts (many requests within a
/// short spread) at seeded random instants, and optionally one burst centred on a chosen instant.
#[derive(Clone, Debug)]
pub struct BurstyTrace {
    /// How long the trace lasts.
    pub duration: Duration,
    /// Mean background requests per second (Poisson).
    pub background_per_sec: f64,
    /// How many bursts at random instants.
    pub bursts: u32,
    /// Requests in each burst.
    pub burst_size: u32,
    /// Each burst's requests fall uniformly within this span.
    pub burst_spread: Duration,
    /// One more burst, centred on this instant (e.g. a window edge).
    pub edge_burst: Option<Duration>,
    /// Seed of the generator.
    pub seed: u64,
}

impl BurstyTrace {
    /// The arrival times, sorted.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::rate_limiting::BurstyTrace;
    /// let trace = BurstyTrace {
    ///     duration: Duration::from_secs(10),
    ///     background_per_sec: 2.0,
    ///     bursts: 1,
    ///     burst_size: 30,
    ///     burst_spread: Duration::from_millis(100),
    ///     edge_burst: None,
    ///     seed: 1,
    /// };
    /// let t = trace.generate();
    /// assert_eq!(t, trace.generate()); // seeded
    /// assert!(t.len() >= 30 && t.windows(2).all(|p| p[0] <= p[1]));
    /// ```
    pub fn generate(&self) -> Vec<Duration> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let end = self.duration.as_secs_f64();
        let mut times = Vec::new();
        if self.background_per_sec > 0.0 {
            let mut t = 0.0;
            loop {
                let u: f64 = rng.random();
                t += -(1.0 - u).ln() / self.background_per_sec;
                if t >= end {
                    break;
                }
                times.push(Duration::from_secs_f64(t));
            }
        }
        let spread = self.burst_spread.as_secs_f64();
        let mut centres: Vec<f64> = (0..self.bursts)
            .map(|_| rng.random::<f64>() * (end - spread).max(0.0) + spread / 2.0)
            .collect();
        if let Some(edge) = self.edge_burst {
            centres.push(edge.as_secs_f64());
        }
        for centre in centres {
            for _ in 0..self.burst_size {
                let t = centre - spread / 2.0 + rng.random::<f64>() * spread;
                times.push(Duration::from_secs_f64(t.clamp(0.0, end)));
            }
        }
        times.sort_unstable();
        times
    }
}

/// Runs `trace` (sorted arrival times) through `limiter`; for each arrival, the instant it is
/// served (arrival plus any queueing delay), or `None` if rejected.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::rate_limiting::{FixedWindow, Quota, replay};
/// let mut w = FixedWindow::new(Quota::new(1, Duration::from_secs(1))?);
/// let t = [Duration::ZERO, Duration::from_millis(10)];
/// assert_eq!(replay(&mut w, &t), [Some(Duration::ZERO), None]);
/// # Ok::<(), sysdesign::rate_limiting::QuotaError>(())
/// ```
pub fn replay(limiter: &mut dyn RateLimiter, trace: &[Duration]) -> Vec<Option<Duration>> {
    trace
        .iter()
        .map(|&t| match limiter.check(t) {
            Decision::Admitted => Some(t),
            Decision::Delayed { delay } => Some(t + delay),
            Decision::Rejected { .. } => None,
        })
        .collect()
}
