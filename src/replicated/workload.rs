//! Random schedules of reads and writes on one key, and what a run of one saw.

use super::{Config, ConfigError, OpRecord, Outcome, Request, Sim, Time, stale_reads};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A random schedule: `ops` operations on the key `"x"`, each a write with probability
/// `write_share` (writing 1, 2, 3, ... in order), each from a client at a node drawn uniformly,
/// the gaps between invocations drawn uniformly in `0..=2 * mean_gap` ms, so operations overlap
/// when the gap is shorter than a round trip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    /// Operations in the schedule.
    pub ops: usize,
    /// The share of writes, clamped to 0..=1.
    pub write_share: f64,
    /// Mean gap between two invocations, in ms.
    pub mean_gap: Time,
    /// Clients only at the key's replicas (true), or at any node of the cluster.
    pub at_replicas: bool,
}

/// What a run saw, over all its operations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Reads answered.
    pub reads: usize,
    /// Answered reads older than a write acknowledged before they began.
    pub stale_reads: usize,
    /// Writes acknowledged.
    pub writes: usize,
    /// Operations refused or timed out.
    pub failed: usize,
    /// Mean latency of answered reads, in ms.
    pub mean_read_ms: f64,
    /// Mean latency of acknowledged writes, in ms.
    pub mean_write_ms: f64,
}

impl Summary {
    /// Stale reads over answered reads (0 when none was answered).
    pub fn stale_share(&self) -> f64 {
        if self.reads == 0 {
            0.0
        } else {
            self.stale_reads as f64 / self.reads as f64
        }
    }
}

/// Runs `workload` on a new cluster built from `config`, with every random choice (schedule and
/// delays) drawn from `seed`, until every operation has an answer; returns the finished run.
///
/// ```
/// use sysdesign::replicated::{Config, Workload, run_workload, summarize};
///
/// let workload = Workload { ops: 500, write_share: 0.3, mean_gap: 2, at_replicas: true };
/// let strict = Config::new(3, 3, 2, 2).unwrap().delay(1, 10);
/// let run = run_workload(strict, workload, 1).unwrap();
/// assert_eq!(summarize(run.ops()).stale_reads, 0);
/// let fast = Config::new(3, 3, 1, 1).unwrap().delay(1, 10);
/// let run = run_workload(fast, workload, 1).unwrap();
/// assert!(summarize(run.ops()).stale_reads > 0);
/// ```
pub fn run_workload(config: Config, workload: Workload, seed: u64) -> Result<Sim, ConfigError> {
    let clients = if workload.at_replicas {
        config.replicas
    } else {
        config.nodes
    };
    let settle = config
        .timeout
        .saturating_add(config.delay_max.saturating_mul(2))
        .saturating_add(1);
    // Two generators from one seed: the schedule's does not shift when the delays change.
    let mut sim = Sim::new(config, seed)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_5eed);
    let share = workload.write_share.clamp(0.0, 1.0);
    let mut at: Time = 0;
    let mut value = 0;
    for _ in 0..workload.ops {
        at = at.saturating_add(rng.random_range(0..=workload.mean_gap.saturating_mul(2)));
        let node = rng.random_range(0..clients);
        if rng.random_bool(share) {
            value += 1;
            sim.write(at, node, "x", value)
                .expect("times only grow and the node is in the cluster");
        } else {
            sim.read(at, node, "x")
                .expect("times only grow and the node is in the cluster");
        }
    }
    sim.run_until(at.saturating_add(settle));
    Ok(sim)
}

/// Counts and mean latencies of a finished run's operations.
pub fn summarize(ops: &[OpRecord]) -> Summary {
    let (reads, stale_reads) = stale_reads(ops);
    let mean = |request_is_read: bool| {
        let latencies: Vec<u64> = ops
            .iter()
            .filter(|op| {
                matches!(op.request, Request::Read) == request_is_read
                    && op.outcome.is_some_and(|o| o.succeeded())
            })
            .filter_map(OpRecord::latency)
            .collect();
        if latencies.is_empty() {
            0.0
        } else {
            latencies.iter().sum::<u64>() as f64 / latencies.len() as f64
        }
    };
    Summary {
        reads,
        stale_reads,
        writes: ops
            .iter()
            .filter(|op| matches!(op.outcome, Some(Outcome::Written(_))))
            .count(),
        failed: ops
            .iter()
            .filter(|op| op.outcome.is_some_and(|o| !o.succeeded()))
            .count(),
        mean_read_ms: mean(true),
        mean_write_ms: mean(false),
    }
}
