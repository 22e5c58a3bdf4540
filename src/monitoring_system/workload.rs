//! Seeded series of the shapes a monitoring system stores, and what a year of one costs.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, LogNormal, Poisson};

use crate::specialized_storage::{HOUR_MS, Retention, TimeSeries};

/// The shape of a series' values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeriesKind {
    /// A value that never changes (`up = 1`, a build number).
    Constant,
    /// A counter of events that only grows by whole numbers (`requests_total`).
    Counter,
    /// A small whole number that wanders (open connections, queue depth).
    SmallInteger,
    /// A percentage with two decimals that wanders (CPU use, 37.25).
    TwoDecimals,
    /// A measurement at full float precision (a mean latency in seconds).
    FullPrecision,
}

impl SeriesKind {
    /// Every kind, in order.
    pub const ALL: [SeriesKind; 5] = [
        SeriesKind::Constant,
        SeriesKind::Counter,
        SeriesKind::SmallInteger,
        SeriesKind::TwoDecimals,
        SeriesKind::FullPrecision,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            SeriesKind::Constant => "constant",
            SeriesKind::Counter => "counter",
            SeriesKind::SmallInteger => "small integer gauge",
            SeriesKind::TwoDecimals => "percentage, 2 decimals",
            SeriesKind::FullPrecision => "full-precision float",
        }
    }
}

// ANCHOR: series
/// `points` points of `kind`, one every `interval` time units from `start`, each moved by up
/// to `jitter` units either way (a scrape is never exactly on time), from a generator seeded
/// with `seed`.
///
/// ```
/// use sysdesign::monitoring_system::{SeriesKind, series};
///
/// let s = series(SeriesKind::Counter, 100, 1_700_000_000, 10, 0, 7);
/// assert_eq!(s.len(), 100);
/// assert!(s.windows(2).all(|w| w[1].0 - w[0].0 == 10 && w[1].1 >= w[0].1));
/// ```
pub fn series(
    kind: SeriesKind,
    points: usize,
    start: i64,
    interval: i64,
    jitter: i64,
    seed: u64,
) -> Vec<(i64, f64)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let arrivals: Poisson<f64> = Poisson::new(50.0).expect("a positive mean");
    let latency = LogNormal::new(0.05f64.ln(), 0.3).expect("finite parameters");
    let mut value: f64 = match kind {
        SeriesKind::Constant => 1.0,
        SeriesKind::Counter => 0.0,
        SeriesKind::SmallInteger => 20.0,
        SeriesKind::TwoDecimals => 40.0,
        SeriesKind::FullPrecision => 0.05,
    };
    (0..points)
        .map(|i| {
            let shift = if jitter > 0 {
                rng.random_range(-jitter..=jitter)
            } else {
                0
            };
            let t = start + i as i64 * interval + shift;
            value = match kind {
                SeriesKind::Constant => value,
                SeriesKind::Counter => value + arrivals.sample(&mut rng).round(),
                SeriesKind::SmallInteger => {
                    (value + rng.random_range(-2.0..=2.0f64).round()).max(0.0)
                }
                SeriesKind::TwoDecimals => {
                    let step = rng.random_range(-1.0..1.0f64);
                    ((value + step).clamp(0.0, 100.0) * 100.0).round() / 100.0
                }
                SeriesKind::FullPrecision => latency.sample(&mut rng),
            };
            (t, value)
        })
        .collect()
}
// ANCHOR_END: series

/// Entries one series holds once a year of points, one every `interval_s` seconds, has gone
/// through [`TimeSeries`] with `retention` (retention applied once a day): raw points,
/// minute aggregates, hour aggregates.
///
/// ```
/// use sysdesign::monitoring_system::entries_after_a_year;
/// use sysdesign::specialized_storage::{Retention, HOUR_MS};
///
/// let days = |d: u64| d * 24 * HOUR_MS;
/// let keep = Retention { raw_ms: days(2), minute_ms: days(30), hour_ms: days(365) };
/// let (raw, minutes, hours) = entries_after_a_year(60, keep);
/// assert_eq!(raw, 2 * 24 * 60);
/// assert_eq!(minutes, 30 * 24 * 60);
/// assert_eq!(hours, 365 * 24);
/// ```
pub fn entries_after_a_year(interval_s: u64, retention: Retention) -> (usize, usize, usize) {
    let mut series = TimeSeries::new(retention);
    let step = interval_s.max(1) * 1_000;
    let day = 24 * HOUR_MS;
    let year = 365 * day;
    let mut t = 0;
    while t < year {
        series.insert(t, 1.0);
        t += step;
        if t % day < step {
            series.apply_retention(t - t % day);
        }
    }
    series.apply_retention(year);
    series.sizes()
}
