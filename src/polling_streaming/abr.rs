//! Adaptive bitrate streaming, simulated: a player downloads a video as segments (HLS, DASH),
//! each available at several bitrates, and picks the next segment's bitrate from the throughput
//! it measured on the last ones. Time is simulated; the bandwidth trace is seeded.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

// ANCHOR: rule
/// A throughput rule: estimate bandwidth as the harmonic mean of the last `window` segment
/// downloads, and pick the highest bitrate at most `safety` times that estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct ThroughputRule {
    /// The bitrates offered, in kbit/s, increasing (an HLS multivariant playlist's variants).
    pub ladder: Vec<u32>,
    /// How many recent downloads the estimate uses.
    pub window: usize,
    /// The share of the estimate the rule is willing to spend (below 1 leaves headroom).
    pub safety: f64,
}

impl ThroughputRule {
    /// The bandwidth estimate in kbit/s from recent throughputs (harmonic mean: one slow
    /// download pulls it down more than one fast download pushes it up). None before the first.
    pub fn estimate(&self, recent_kbps: &[f64]) -> Option<f64> {
        let last = &recent_kbps[recent_kbps.len().saturating_sub(self.window)..];
        if last.is_empty() || last.iter().any(|&x| x <= 0.0) {
            return None;
        }
        Some(last.len() as f64 / last.iter().map(|x| 1.0 / x).sum::<f64>())
    }

    /// The bitrate for the next segment: the highest rung at most `safety * estimate`, or the
    /// lowest rung when none fits or there is no estimate yet.
    pub fn choose(&self, recent_kbps: &[f64]) -> u32 {
        let lowest = self.ladder.first().copied().unwrap_or(0);
        let Some(estimate) = self.estimate(recent_kbps) else {
            return lowest;
        };
        let budget = self.safety * estimate;
        self.ladder
            .iter()
            .copied()
            .filter(|&b| f64::from(b) <= budget)
            .max()
            .unwrap_or(lowest)
    }
}
// ANCHOR_END: rule

/// One downloaded segment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Its index in the stream.
    pub index: usize,
    /// When its download started, in seconds since play was pressed.
    pub started: f64,
    /// The link's bandwidth during the download, kbit/s.
    pub bandwidth_kbps: f64,
    /// The estimate the choice was made on (None for the first segments).
    pub estimate_kbps: Option<f64>,
    /// The bitrate chosen.
    pub bitrate_kbps: u32,
    /// Seconds of video buffered when its download finished.
    pub buffer_s: f64,
    /// Seconds the playback stalled waiting for it.
    pub stall_s: f64,
}

/// A piecewise-constant bandwidth trace: `(from second, kbit/s)`, seeded.
pub fn bandwidth_trace(seed: u64, seconds: u32, step_s: u32) -> Vec<(f64, f64)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let levels = [800.0, 1_500.0, 3_000.0, 5_000.0, 8_000.0];
    let mut level: usize = 3;
    (0..seconds.div_ceil(step_s.max(1)))
        .map(|i| {
            // A random walk over the levels, one step at most, so the link drifts.
            let step: i32 = rng.random_range(-1..=1);
            level = level
                .saturating_add_signed(step as isize)
                .min(levels.len() - 1);
            (f64::from(i * step_s.max(1)), levels[level])
        })
        .collect()
}

fn bandwidth_at(trace: &[(f64, f64)], t: f64) -> f64 {
    trace
        .iter()
        .rev()
        .find(|(from, _)| *from <= t)
        .or(trace.first())
        .map_or(1.0, |&(_, kbps)| kbps)
}

// ANCHOR: play
/// Plays `segments` segments of `segment_s` seconds each over the bandwidth `trace`: each
/// download takes `bitrate * segment_s / bandwidth` seconds; the buffer drains in real time
/// while it downloads, and playback stalls when it runs dry. The player downloads the next
/// segment as soon as the last one is in, unless the buffer already holds `max_buffer_s`.
pub fn play(
    rule: &ThroughputRule,
    trace: &[(f64, f64)],
    segments: usize,
    segment_s: f64,
    max_buffer_s: f64,
) -> Vec<Segment> {
    let (mut now, mut buffer) = (0.0f64, 0.0f64);
    let mut measured = vec![];
    let mut out = vec![];
    for index in 0..segments {
        // Wait while the buffer is full: playing drains it.
        if buffer > max_buffer_s - segment_s {
            let wait = buffer - (max_buffer_s - segment_s);
            now += wait;
            buffer -= wait;
        }
        let estimate = rule.estimate(&measured);
        let bitrate = rule.choose(&measured);
        let bandwidth = bandwidth_at(trace, now);
        let download = f64::from(bitrate) * segment_s / bandwidth;
        let stall = (download - buffer).max(0.0);
        buffer = (buffer - download).max(0.0) + segment_s;
        out.push(Segment {
            index,
            started: now,
            bandwidth_kbps: bandwidth,
            estimate_kbps: estimate,
            bitrate_kbps: bitrate,
            buffer_s: buffer,
            stall_s: stall,
        });
        now += download;
        measured.push(f64::from(bitrate) * segment_s / download);
    }
    out
}
// ANCHOR_END: play
