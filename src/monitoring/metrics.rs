//! The three kinds of metric a service keeps, and a registry that renders them in Prometheus'
//! text exposition format.

use hdrhistogram::Histogram as Hdr;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

// ANCHOR: counter_gauge
/// A count that only goes up (requests served, errors): readers take its rate over time.
#[derive(Clone, Debug, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    /// Adds one.
    pub fn inc(&self) {
        self.inc_by(1);
    }

    /// Adds `n`.
    pub fn inc_by(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A value that goes up and down (queue length, memory in use): readers take it as it is.
#[derive(Clone, Debug, Default)]
pub struct Gauge(Arc<AtomicU64>);

impl Gauge {
    /// Sets the value.
    pub fn set(&self, value: f64) {
        self.0.store(value.to_bits(), Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}
// ANCHOR_END: counter_gauge

// ANCHOR: histogram
/// Latencies, kept as an HDR histogram of microseconds (three significant digits), so any
/// percentile can be read later and two histograms can be merged exactly.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::monitoring::LatencyHistogram;
///
/// let h = LatencyHistogram::new();
/// for ms in 1..=100 {
///     h.record(Duration::from_millis(ms));
/// }
/// assert_eq!(h.count(), 100);
/// // The 99th of 100 values is 99 ms, read back to within 0.1%.
/// let p99 = h.percentile(0.99).as_secs_f64();
/// assert!((p99 - 0.099).abs() <= 0.099 / 1000.0);
/// ```
#[derive(Clone, Debug)]
pub struct LatencyHistogram(Arc<Mutex<Recorded>>);

#[derive(Clone, Debug)]
struct Recorded {
    hdr: Hdr<u64>,
    /// The exact sum, which Prometheus exports beside the buckets (`_sum`).
    sum_micros: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram that grows to any latency.
    pub fn new() -> Self {
        // `new` grows on demand (auto-resize), so recording never clamps a value.
        let hdr = Hdr::new(3).expect("3 significant figures is within 0..=5");
        let recorded = Recorded { hdr, sum_micros: 0 };
        LatencyHistogram(Arc::new(Mutex::new(recorded)))
    }

    /// Records one latency (rounded down to a microsecond).
    pub fn record(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let mut r = self.lock();
        if r.hdr.record(micros).is_err() {
            // Only a value beyond what the histogram can ever grow to (about 2^63) fails.
            r.hdr.saturating_record(micros);
        }
        r.sum_micros = r.sum_micros.saturating_add(micros);
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> u64 {
        self.lock().hdr.len()
    }

    /// The sum of every latency recorded.
    pub fn sum(&self) -> Duration {
        Duration::from_micros(self.lock().sum_micros)
    }

    /// The latency at quantile `q` (0.99 for p99): the nearest-rank value, to within 0.1%.
    pub fn percentile(&self, q: f64) -> Duration {
        Duration::from_micros(self.lock().hdr.value_at_quantile(q))
    }

    /// How many latencies were at most `bound` (to within the histogram's precision).
    pub fn count_at_most(&self, bound: Duration) -> u64 {
        let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX);
        self.lock().hdr.count_between(0, micros)
    }

    /// Adds every latency of `other` to this histogram: the merge is exact, unlike any
    /// combination of the two histograms' percentiles.
    pub fn merge(&self, other: &LatencyHistogram) {
        let theirs = other.lock().clone();
        let mut r = self.lock();
        // Both grow on demand, so adding cannot run out of range.
        r.hdr
            .add(&theirs.hdr)
            .expect("auto-resizing histograms accept any value");
        r.sum_micros = r.sum_micros.saturating_add(theirs.sum_micros);
    }

    /// A copy of the underlying HDR histogram.
    pub fn snapshot(&self) -> Hdr<u64> {
        self.lock().hdr.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Recorded> {
        // A panic while recording leaves the counts usable; keep serving them.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
// ANCHOR_END: histogram

/// The value at quantile `q` of `values` by nearest rank: the smallest value with at least
/// `q` of the values at or below it. The model the HDR histogram is tested against.
///
/// ```
/// assert_eq!(sysdesign::monitoring::nearest_rank(&[5, 1, 4, 2, 3], 0.5), Some(3));
/// assert_eq!(sysdesign::monitoring::nearest_rank(&[], 0.5), None);
/// ```
pub fn nearest_rank(values: &[u64], q: f64) -> Option<u64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = ((q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize).max(1);
    sorted.get(rank - 1).copied()
}

/// Why a metric could not be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricError {
    /// Not `[a-zA-Z_:][a-zA-Z0-9_:]*`, the Prometheus metric name syntax.
    BadName(String),
    /// A metric of this name is already registered.
    Duplicate(String),
    /// Histogram bucket bounds must be increasing and not empty.
    BadBuckets(String),
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricError::BadName(name) => write!(
                f,
                "metric name {name:?} must match [a-zA-Z_:][a-zA-Z0-9_:]*"
            ),
            MetricError::Duplicate(name) => write!(f, "metric {name:?} is already registered"),
            MetricError::BadBuckets(name) => write!(
                f,
                "histogram {name:?} needs at least one bucket bound, in increasing order"
            ),
        }
    }
}

impl std::error::Error for MetricError {}

#[derive(Clone, Debug)]
enum Metric {
    Counter(Counter),
    Gauge(Gauge),
    Histogram {
        histogram: LatencyHistogram,
        buckets: Vec<Duration>,
    },
}

#[derive(Clone, Debug)]
struct Family {
    name: String,
    help: String,
    metric: Metric,
}

// ANCHOR: registry
/// The metrics of one process, by name, rendered on demand in Prometheus' text format.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::monitoring::Registry;
///
/// let registry = Registry::default();
/// let served = registry.counter("requests_total", "Requests served.")?;
/// served.inc_by(3);
/// let text = registry.render();
/// assert!(text.contains("# TYPE requests_total counter\nrequests_total 3\n"));
/// # Ok::<(), sysdesign::monitoring::MetricError>(())
/// ```
#[derive(Debug, Default)]
pub struct Registry {
    families: Mutex<Vec<Family>>,
}

impl Registry {
    /// Registers a counter.
    pub fn counter(&self, name: &str, help: &str) -> Result<Counter, MetricError> {
        let counter = Counter::default();
        self.register(name, help, Metric::Counter(counter.clone()))?;
        Ok(counter)
    }

    /// Registers a gauge.
    pub fn gauge(&self, name: &str, help: &str) -> Result<Gauge, MetricError> {
        let gauge = Gauge::default();
        self.register(name, help, Metric::Gauge(gauge.clone()))?;
        Ok(gauge)
    }

    /// Registers a latency histogram, exported in seconds with these bucket upper bounds
    /// (the `+Inf` bucket is added).
    pub fn histogram(
        &self,
        name: &str,
        help: &str,
        buckets: &[Duration],
    ) -> Result<LatencyHistogram, MetricError> {
        if buckets.is_empty() || buckets.windows(2).any(|w| w[0] >= w[1]) {
            return Err(MetricError::BadBuckets(name.to_string()));
        }
        let histogram = LatencyHistogram::new();
        let metric = Metric::Histogram {
            histogram: histogram.clone(),
            buckets: buckets.to_vec(),
        };
        self.register(name, help, metric)?;
        Ok(histogram)
    }

    fn register(&self, name: &str, help: &str, metric: Metric) -> Result<(), MetricError> {
        if !is_metric_name(name) {
            return Err(MetricError::BadName(name.to_string()));
        }
        let mut families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        if families.iter().any(|f| f.name == name) {
            return Err(MetricError::Duplicate(name.to_string()));
        }
        families.push(Family {
            name: name.to_string(),
            help: help.to_string(),
            metric,
        });
        Ok(())
    }

    /// Every metric in the text exposition format (version 0.0.4): `# HELP` and `# TYPE` lines,
    /// then one sample per line; a histogram has cumulative `_bucket{le="..."}` samples ending
    /// with `le="+Inf"`, then `_sum` and `_count`. Every line ends with `\n`.
    pub fn render(&self) -> String {
        let families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        for family in families.iter() {
            let name = &family.name;
            let help = escape_help(&family.help);
            let _ = writeln!(out, "# HELP {name} {help}");
            match &family.metric {
                Metric::Counter(c) => {
                    let _ = writeln!(out, "# TYPE {name} counter\n{name} {}", c.get());
                }
                Metric::Gauge(g) => {
                    let _ = writeln!(out, "# TYPE {name} gauge\n{name} {}", float(g.get()));
                }
                Metric::Histogram { histogram, buckets } => {
                    let _ = writeln!(out, "# TYPE {name} histogram");
                    for bound in buckets {
                        let n = histogram.count_at_most(*bound);
                        let le = float(bound.as_secs_f64());
                        let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {n}");
                    }
                    let count = histogram.count();
                    let sum = float(histogram.sum().as_secs_f64());
                    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
                    let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {count}");
                }
            }
        }
        out
    }
}
// ANCHOR_END: registry

/// The media type a scraper expects for [`Registry::render`]'s output.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `# HELP` text escapes only backslash and line feed.
fn escape_help(help: &str) -> String {
    help.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A float as the format spells it: Go's `ParseFloat` syntax, with `+Inf`, `-Inf` and `NaN`.
fn float(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        x.to_string()
    }
}

/// One sample line of the text format, as [`parse`] reads it back.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The series name (with `_bucket`, `_sum` or `_count` for a histogram's parts).
    pub name: String,
    /// The labels, in the order written.
    pub labels: Vec<(String, String)>,
    /// The value.
    pub value: f64,
}

/// Reads the samples of a text-format body (the subset [`Registry::render`] writes: no
/// timestamps, no escapes in label values); comments are skipped. Returns the first line it
/// cannot read as the error.
///
/// ```
/// let samples = sysdesign::monitoring::parse("# TYPE x counter\nx 2\ny_bucket{le=\"+Inf\"} 1\n")?;
/// assert_eq!(samples[0].value, 2.0);
/// assert_eq!(samples[1].labels, vec![("le".to_string(), "+Inf".to_string())]);
/// # Ok::<(), String>(())
/// ```
pub fn parse(text: &str) -> Result<Vec<Sample>, String> {
    let mut samples = vec![];
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("cannot read sample line {line:?}");
        let (series, value) = line.rsplit_once(' ').ok_or_else(bad)?;
        let value = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().map_err(|_| bad())?,
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, vec![]),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').ok_or_else(bad)?;
                let mut labels = vec![];
                for pair in body.split(',').filter(|p| !p.is_empty()) {
                    let (k, v) = pair.split_once('=').ok_or_else(bad)?;
                    let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                    labels.push((k.to_string(), v.ok_or_else(bad)?.to_string()));
                }
                (name, labels)
            }
        };
        if !is_metric_name(name) {
            return Err(bad());
        }
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    Ok(samples)
}
