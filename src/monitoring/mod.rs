//! Monitoring: the numbers a service keeps about itself (how many requests, how many failed,
//! how slow they were), rolled up per minute, watched by alert rules, and served to a scraper.
//!
//! Three kinds of metric: a [`Counter`] only goes up, a [`Gauge`] goes up and down, and a
//! [`LatencyHistogram`] keeps every latency in an HDR histogram (the `hdrhistogram` crate), so
//! any percentile can be read to 0.1% and two histograms merge exactly. That choice is the
//! chapter's point: averages hide the tail and percentiles do not merge, so per-minute
//! [`Rollups`] keep counts and histograms, and coarser windows are built by merging them.
//! An [`Alert`] applies an [`AlertRule`] with hysteresis (fire above one threshold, resolve
//! below a lower one, each held for a while) on a clock passed in. A [`Registry`] renders
//! everything in Prometheus' text exposition format, which, with the `http` feature,
//! [`MetricsEndpoint`] serves on 127.0.0.1.
//!
//! ```
//! use std::time::Duration;
//! use sysdesign::monitoring::{Rollups, Workload};
//!
//! let mut per_minute = Rollups::new(Duration::from_secs(60));
//! for obs in Workload::default().generate() {
//!     per_minute.record(&obs);
//! }
//! // The mean of the per-minute p99s is not the hour's p99.
//! let averaged = per_minute.average_of_percentiles(0.99);
//! let merged = per_minute.total().latency.percentile(0.99);
//! assert!(averaged < merged);
//! ```

mod alert;
#[cfg(feature = "http")]
mod endpoint;
mod metrics;
mod rollup;

pub use alert::{Alert, AlertRule, AlertState, RuleError, Transition};
#[cfg(feature = "http")]
pub use endpoint::{MetricsEndpoint, Scrape};
pub use metrics::{
    CONTENT_TYPE, Counter, Gauge, LatencyHistogram, MetricError, Registry, Sample, nearest_rank,
    parse,
};
pub use rollup::{Observation, Rollup, Rollups, Workload};
