//! Heartbeat failure detection: a node sends "I am alive" every `interval` ms; a monitor that has
//! heard nothing for `timeout` ms suspects it. A short timeout notices a crash sooner and suspects
//! a node that is only slow (a delayed or lost heartbeat, a pause) more often.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// How heartbeats travel from a node to its monitor, and how the node stalls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeartbeatLink {
    /// A heartbeat every this many ms.
    pub interval: f64,
    /// The smallest one-way delay, in ms.
    pub delay_min: f64,
    /// The mean of the exponential extra delay on top, in ms (queues, retransmissions).
    pub delay_extra_mean: f64,
    /// The chance a heartbeat is lost.
    pub loss: f64,
    /// Mean time between two pauses of the node (garbage collection, swapping), in ms.
    pub pause_every: f64,
    /// Mean length of a pause, exponential, in ms.
    pub pause_mean: f64,
}

fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    -mean * u.ln()
}

// ANCHOR: arrivals
/// The times, sorted, at which the monitor receives heartbeats from a node that runs (and never
/// crashes) for `horizon` ms, each paired with the time it was sent. A heartbeat due during a
/// pause goes out when the pause ends.
pub fn heartbeat_arrivals(link: &HeartbeatLink, horizon: f64, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pauses = Vec::new();
    let mut t = exponential(&mut rng, link.pause_every);
    while t < horizon {
        let length = exponential(&mut rng, link.pause_mean);
        pauses.push((t, t + length));
        t += length + exponential(&mut rng, link.pause_every);
    }
    let mut arrivals = Vec::new();
    let (mut next, mut pause) = (0.0, 0);
    while next < horizon {
        while pause < pauses.len() && pauses[pause].1 <= next {
            pause += 1;
        }
        if pause < pauses.len() && pauses[pause].0 <= next {
            next = pauses[pause].1; // frozen: the timer fires when the pause ends
        }
        let delay = link.delay_min + exponential(&mut rng, link.delay_extra_mean);
        if !rng.random_bool(link.loss.clamp(0.0, 1.0)) {
            arrivals.push((next + delay, next));
        }
        next += link.interval.max(1e-3);
    }
    arrivals.sort_by(|a, b| a.0.total_cmp(&b.0));
    arrivals
}
// ANCHOR_END: arrivals

/// What one timeout gave on one trace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectorRun {
    /// The timeout, in ms.
    pub timeout: f64,
    /// Times a live node was suspected, per hour.
    pub false_suspicions_per_hour: f64,
    /// The share of time a live node spent suspected.
    pub suspected_share: f64,
    /// Mean time from a crash to the suspicion, in ms, over the crashes tried.
    pub mean_detection: f64,
    /// The longest time from a crash to the suspicion.
    pub max_detection: f64,
}

// ANCHOR: detector
/// Runs the monitor with `timeout` on the heartbeats of a live node for `horizon` ms, counting the
/// silences longer than the timeout (false suspicions); then asks, for `crashes` crash times
/// spread evenly over the run, how long after the crash the monitor would have suspected it: the
/// last heartbeat sent before the crash arrives, and the timeout runs from there.
///
/// ```
/// use sysdesign::leader_election::{HeartbeatLink, detector_run, heartbeat_arrivals};
///
/// let link = HeartbeatLink { interval: 100.0, delay_min: 1.0, delay_extra_mean: 5.0, loss: 0.01,
///                            pause_every: 10_000.0, pause_mean: 50.0 };
/// let trace = heartbeat_arrivals(&link, 3_600_000.0, 1);
/// let eager = detector_run(&trace, 3_600_000.0, 150.0, 1_000);
/// let patient = detector_run(&trace, 3_600_000.0, 1_000.0, 1_000);
/// assert!(eager.false_suspicions_per_hour > patient.false_suspicions_per_hour);
/// assert!(eager.mean_detection < patient.mean_detection);
/// ```
pub fn detector_run(
    arrivals: &[(f64, f64)],
    horizon: f64,
    timeout: f64,
    crashes: usize,
) -> DetectorRun {
    let (mut suspicions, mut suspected) = (0usize, 0.0f64);
    let mut last = 0.0f64;
    for &(at, _) in arrivals.iter().filter(|(at, _)| *at <= horizon) {
        if at - last > timeout {
            suspicions += 1;
            suspected += at - last - timeout;
        }
        last = last.max(at);
    }
    // By send time, with the latest arrival so far: the last heartbeat heard of before a crash.
    let mut by_sent: Vec<(f64, f64)> = arrivals.iter().map(|&(at, sent)| (sent, at)).collect();
    by_sent.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut latest = 0.0f64;
    let heard_by: Vec<f64> = by_sent
        .iter()
        .map(|&(_, at)| {
            latest = latest.max(at);
            latest
        })
        .collect();
    let mut detections = Vec::with_capacity(crashes);
    for i in 0..crashes {
        let crash = horizon * (i as f64 + 0.5) / crashes.max(1) as f64;
        let sent_before = by_sent.partition_point(|&(sent, _)| sent < crash);
        let heard = if sent_before == 0 {
            0.0
        } else {
            heard_by[sent_before - 1]
        };
        detections.push((heard + timeout - crash).max(0.0));
    }
    let hours = horizon / 3_600_000.0;
    DetectorRun {
        timeout,
        false_suspicions_per_hour: suspicions as f64 / hours,
        suspected_share: suspected / horizon,
        mean_detection: detections.iter().sum::<f64>() / detections.len().max(1) as f64,
        max_detection: detections.iter().copied().fold(0.0, f64::max),
    }
}
// ANCHOR_END: detector
