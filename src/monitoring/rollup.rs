//! Roll-ups: what a monitoring system stores per window (a minute, then five, then an hour)
//! instead of every request, and a seeded workload to fill them.

use super::LatencyHistogram;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::LogNormal;
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

/// One request as the service saw it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// When it arrived, since the start of the run.
    pub at: Duration,
    /// How long it took.
    pub latency: Duration,
    /// Whether it succeeded.
    pub ok: bool,
}

// ANCHOR: rollup
/// What one window keeps: two counts and a latency histogram. All three merge exactly, so
/// windows can be rolled up into longer ones; an average or a percentile would not merge.
#[derive(Clone, Debug, Default)]
pub struct Rollup {
    /// Requests that arrived in the window.
    pub requests: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Their latencies.
    pub latency: LatencyHistogram,
}

impl Rollup {
    fn absorb(&mut self, other: &Rollup) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.latency.merge(&other.latency);
    }
}

/// Roll-ups of fixed-width windows, keyed by the window's index (start / width).
///
/// ```
/// use std::time::Duration;
/// use sysdesign::monitoring::{Observation, Rollups};
///
/// let mut per_minute = Rollups::new(Duration::from_secs(60));
/// for s in [5, 50, 70] {
///     let at = Duration::from_secs(s);
///     per_minute.record(&Observation { at, latency: Duration::from_millis(s), ok: true });
/// }
/// let counts: Vec<u64> = per_minute.windows().map(|(_, r)| r.requests).collect();
/// assert_eq!(counts, [2, 1]);
/// assert_eq!(per_minute.coarsen(5).windows().count(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Rollups {
    width: Duration,
    windows: BTreeMap<u64, Rollup>,
}

impl Rollups {
    /// No windows yet, each `width` long.
    ///
    /// # Panics
    /// If `width` is zero.
    pub fn new(width: Duration) -> Self {
        assert!(
            !width.is_zero(),
            "a roll-up window must be longer than zero"
        );
        Rollups {
            width,
            windows: BTreeMap::new(),
        }
    }

    /// The window width.
    pub fn width(&self) -> Duration {
        self.width
    }

    /// Adds one request to its window.
    pub fn record(&mut self, obs: &Observation) {
        let index = (obs.at.as_nanos() / self.width.as_nanos()) as u64;
        let window = self.windows.entry(index).or_default();
        window.requests += 1;
        window.errors += u64::from(!obs.ok);
        window.latency.record(obs.latency);
    }

    /// The windows that saw a request, in time order, with their start.
    pub fn windows(&self) -> impl Iterator<Item = (Duration, &Rollup)> {
        let width = self.width;
        self.windows.iter().map(move |(i, r)| {
            let start = width.saturating_mul(u32::try_from(*i).unwrap_or(u32::MAX));
            (start, r)
        })
    }

    /// Windows `factor` times as wide, each the exact merge of the windows it covers.
    ///
    /// # Panics
    /// If `factor` is zero.
    pub fn coarsen(&self, factor: u32) -> Rollups {
        assert!(factor > 0, "a coarser window covers at least one window");
        let mut coarse = Rollups::new(self.width * factor);
        for (i, window) in &self.windows {
            let merged = coarse.windows.entry(i / u64::from(factor)).or_default();
            merged.absorb(window);
        }
        coarse
    }

    /// Every window merged into one.
    pub fn total(&self) -> Rollup {
        let mut total = Rollup::default();
        for window in self.windows.values() {
            total.absorb(window);
        }
        total
    }

    /// The mean over windows of each window's latency at quantile `q`: what a dashboard shows
    /// when it averages a stored p99 series. It is not a percentile of anything.
    pub fn average_of_percentiles(&self, q: f64) -> Duration {
        let n = self.windows.len().max(1) as u32;
        let sum: Duration = self.windows.values().map(|w| w.latency.percentile(q)).sum();
        sum / n
    }
}
// ANCHOR_END: rollup

// ANCHOR: workload
/// An hour of traffic with a busy stretch that is also slow, the common case: load raises
/// latency. Latencies are log-normal; requests arrive evenly within each minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// The random seed.
    pub seed: u64,
    /// How many minutes to generate.
    pub minutes: u32,
    /// Requests per quiet minute.
    pub quiet_per_minute: u32,
    /// The busy minutes.
    pub busy: Range<u32>,
    /// Requests per busy minute.
    pub busy_per_minute: u32,
    /// Median latency when quiet and when busy.
    pub median: (Duration, Duration),
    /// The log-normal's sigma (spread) for both.
    pub sigma: f64,
    /// Probability that a request fails, when quiet and when busy.
    pub error_rate: (f64, f64),
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            seed: 7,
            minutes: 60,
            quiet_per_minute: 200,
            busy: 40..50,
            busy_per_minute: 2_000,
            median: (Duration::from_millis(20), Duration::from_millis(60)),
            sigma: 0.6,
            error_rate: (0.005, 0.03),
        }
    }
}

impl Workload {
    /// The requests, in arrival order.
    ///
    /// # Panics
    /// If `sigma` is negative or not finite.
    pub fn generate(&self) -> Vec<Observation> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let dist = |median: Duration| {
            LogNormal::new(median.as_secs_f64().ln(), self.sigma)
                .expect("sigma is finite and not negative")
        };
        let (quiet, busy) = (dist(self.median.0), dist(self.median.1));
        let mut out = vec![];
        for minute in 0..self.minutes {
            let is_busy = self.busy.contains(&minute);
            let (n, latency, error_rate) = if is_busy {
                (self.busy_per_minute, &busy, self.error_rate.1)
            } else {
                (self.quiet_per_minute, &quiet, self.error_rate.0)
            };
            for i in 0..n {
                let at = Duration::from_secs(60 * u64::from(minute))
                    + Duration::from_secs(60) * i / n.max(1);
                let latency = Duration::from_secs_f64(rng.sample(latency));
                let ok = !rng.random_bool(error_rate);
                out.push(Observation { at, latency, ok });
            }
        }
        out
    }
}
// ANCHOR_END: workload
