//! Time-series roll-ups: raw points folded into per-minute and per-hour aggregates, with a
//! retention period for each resolution.

use std::collections::BTreeMap;

/// One minute in milliseconds.
pub const MINUTE_MS: u64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: u64 = 3_600_000;

// ANCHOR: aggregate
/// The summary of the points in one time bucket. It keeps the sum, not the mean, so that
/// buckets merge exactly: the mean of an hour is its sum over its count, never the mean of the
/// minutes' means.
///
/// ```
/// use sysdesign::specialized_storage::Aggregate;
/// let mut a = Aggregate::of(0, 2.0);
/// a.merge(&Aggregate::of(0, 6.0));
/// assert_eq!((a.count, a.min, a.max, a.mean()), (2, 2.0, 6.0, 4.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aggregate {
    /// The bucket's start, in milliseconds.
    pub start_ms: u64,
    /// Points in the bucket.
    pub count: u64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// The sum of the values.
    pub sum: f64,
}

impl Aggregate {
    /// The aggregate of one point, in the bucket starting at `start_ms`.
    pub fn of(start_ms: u64, value: f64) -> Aggregate {
        Aggregate {
            start_ms,
            count: 1,
            min: value,
            max: value,
            sum: value,
        }
    }

    /// Folds `other` into `self` (the bucket of `self` is kept).
    pub fn merge(&mut self, other: &Aggregate) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
    }

    /// The mean value.
    pub fn mean(&self) -> f64 {
        self.sum / self.count as f64
    }
}

/// Rolls aggregates (or raw points, as aggregates of one) up into buckets of `width_ms`,
/// in time order.
///
/// ```
/// use sysdesign::specialized_storage::{Aggregate, roll_up};
/// let points = [Aggregate::of(1_000, 1.0), Aggregate::of(59_000, 3.0), Aggregate::of(61_000, 5.0)];
/// let minutes = roll_up(&points, 60_000);
/// assert_eq!(minutes.len(), 2);
/// assert_eq!((minutes[0].count, minutes[0].mean()), (2, 2.0));
/// ```
pub fn roll_up(items: &[Aggregate], width_ms: u64) -> Vec<Aggregate> {
    let mut buckets: BTreeMap<u64, Aggregate> = BTreeMap::new();
    for item in items {
        let start = item.start_ms - item.start_ms % width_ms;
        buckets
            .entry(start)
            .and_modify(|b| b.merge(item))
            .or_insert(Aggregate {
                start_ms: start,
                ..*item
            });
    }
    buckets.into_values().collect()
}
// ANCHOR_END: aggregate

/// How long each resolution is kept, counted back from the time retention is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Raw points.
    pub raw_ms: u64,
    /// One-minute aggregates.
    pub minute_ms: u64,
    /// One-hour aggregates.
    pub hour_ms: u64,
}

/// The resolution a query reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Raw points, each as an aggregate of one.
    Raw,
    /// One-minute aggregates.
    Minute,
    /// One-hour aggregates.
    Hour,
}

// ANCHOR: series
/// One series (one metric of one host, say) kept at three resolutions. Every point updates
/// its minute and its hour as it arrives, so a roll-up is never a batch job that can fall
/// behind; [`TimeSeries::apply_retention`] then drops what is older than each resolution keeps.
///
/// ```
/// use sysdesign::specialized_storage::{Resolution, Retention, TimeSeries, HOUR_MS, MINUTE_MS};
/// let mut series = TimeSeries::new(Retention { raw_ms: HOUR_MS, minute_ms: 24 * HOUR_MS, hour_ms: u64::MAX });
/// for s in 0..7_200u64 {
///     series.insert(s * 1_000, (s % 60) as f64);
/// }
/// series.apply_retention(2 * HOUR_MS);
/// assert_eq!(series.sizes(), (3_600, 120, 2)); // raw: only the last hour is left
/// let hours = series.query(0, 2 * HOUR_MS, Resolution::Hour);
/// assert_eq!((hours[0].count, hours[0].min, hours[0].max, hours[0].mean()), (3_600, 0.0, 59.0, 29.5));
/// ```
#[derive(Clone, Debug)]
pub struct TimeSeries {
    retention: Retention,
    raw: BTreeMap<u64, Vec<f64>>,
    minutes: BTreeMap<u64, Aggregate>,
    hours: BTreeMap<u64, Aggregate>,
}

impl TimeSeries {
    /// An empty series with `retention`.
    pub fn new(retention: Retention) -> TimeSeries {
        TimeSeries {
            retention,
            raw: BTreeMap::new(),
            minutes: BTreeMap::new(),
            hours: BTreeMap::new(),
        }
    }

    /// Records `value` at `t_ms`, in any order.
    pub fn insert(&mut self, t_ms: u64, value: f64) {
        self.raw.entry(t_ms).or_default().push(value);
        for (level, width) in [(&mut self.minutes, MINUTE_MS), (&mut self.hours, HOUR_MS)] {
            let start = t_ms - t_ms % width;
            level
                .entry(start)
                .and_modify(|b| b.merge(&Aggregate::of(start, value)))
                .or_insert(Aggregate::of(start, value));
        }
    }

    /// Drops raw points, minutes and hours older than their retention, as of `now_ms`.
    /// An aggregate goes only once its whole bucket is older than the cut-off.
    pub fn apply_retention(&mut self, now_ms: u64) {
        let r = self.retention;
        self.raw = self.raw.split_off(&now_ms.saturating_sub(r.raw_ms));
        let keep_from =
            |keep: u64, width: u64| now_ms.saturating_sub(keep).saturating_sub(width - 1);
        self.minutes = self.minutes.split_off(&keep_from(r.minute_ms, MINUTE_MS));
        self.hours = self.hours.split_off(&keep_from(r.hour_ms, HOUR_MS));
    }

    /// The entries with a start in `[from_ms, to_ms)` at `resolution`, in time order.
    pub fn query(&self, from_ms: u64, to_ms: u64, resolution: Resolution) -> Vec<Aggregate> {
        match resolution {
            Resolution::Raw => self
                .raw
                .range(from_ms..to_ms)
                .flat_map(|(&t, values)| values.iter().map(move |&v| Aggregate::of(t, v)))
                .collect(),
            Resolution::Minute => self
                .minutes
                .range(from_ms..to_ms)
                .map(|(_, a)| *a)
                .collect(),
            Resolution::Hour => self.hours.range(from_ms..to_ms).map(|(_, a)| *a).collect(),
        }
    }

    /// Entries held: (raw points, minutes, hours).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.raw.values().map(Vec::len).sum(),
            self.minutes.len(),
            self.hours.len(),
        )
    }
}
// ANCHOR_END: series
