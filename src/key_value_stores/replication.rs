//! The consistency choice of a replicated key-value store, simulated: N replicas, a write waits
//! for W of them, a read asks R of them and keeps the newest answer (as in Dynamo and Cassandra).
//!
//! A write reaches W replicas before it is acknowledged and the others later, after a seeded
//! random lag. A read is *stale* when the newest version among the R replicas it asked is older
//! than the last acknowledged write. When `R + W > N`, every read set overlaps every write set in
//! at least one replica, so no read is stale; below that, stale reads appear, more of them the
//! longer replication lags.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use std::fmt;

/// N, W and R.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quorum {
    /// Replicas of each key.
    pub replicas: usize,
    /// Replicas that must hold a write before it is acknowledged.
    pub write: usize,
    /// Replicas a read asks.
    pub read: usize,
}

/// A quorum or workload that makes no sense; carries the offending values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QuorumError {
    /// W or R is zero or larger than N.
    OutOfRange(Quorum),
    /// The lag must be at least one step.
    ZeroLag,
    /// The share of writes must lie in 0..=1.
    WriteShare(f64),
}

impl fmt::Display for QuorumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuorumError::OutOfRange(q) => write!(
                f,
                "W = {} and R = {} must each lie between 1 and N = {}",
                q.write, q.read, q.replicas
            ),
            QuorumError::ZeroLag => write!(f, "the replication lag must be at least 1 step"),
            QuorumError::WriteShare(s) => write!(f, "the share of writes {s} is not in 0..=1"),
        }
    }
}

impl std::error::Error for QuorumError {}

/// What a simulated run saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuorumReport {
    /// Writes acknowledged.
    pub writes: usize,
    /// Reads answered.
    pub reads: usize,
    /// Reads that returned an older version than the last acknowledged write.
    pub stale_reads: usize,
}

impl QuorumReport {
    /// The share of reads that were stale (0 when there were no reads).
    ///
    /// ```
    /// use sysdesign::key_value_stores::replication::QuorumReport;
    ///
    /// let report = QuorumReport { writes: 5, reads: 4, stale_reads: 1 };
    /// assert_eq!(report.stale_share(), 0.25);
    /// ```
    pub fn stale_share(&self) -> f64 {
        if self.reads == 0 {
            0.0
        } else {
            self.stale_reads as f64 / self.reads as f64
        }
    }
}

// ANCHOR: quorum
/// Runs `steps` operations on one key, each a write with probability `write_share`, else a read.
/// A write goes at once to W replicas picked at random and reaches each of the others after
/// 1 to `max_lag` steps; a read asks R replicas picked at random.
///
/// ```
/// use sysdesign::key_value_stores::replication::{Quorum, simulate};
///
/// let strong = Quorum { replicas: 3, write: 2, read: 2 };
/// assert_eq!(simulate(strong, 10_000, 0.3, 8, 1).unwrap().stale_reads, 0);
/// let fast = Quorum { replicas: 3, write: 1, read: 1 };
/// assert!(simulate(fast, 10_000, 0.3, 8, 1).unwrap().stale_reads > 0);
/// ```
pub fn simulate(
    quorum: Quorum,
    steps: usize,
    write_share: f64,
    max_lag: u64,
    seed: u64,
) -> Result<QuorumReport, QuorumError> {
    let Quorum {
        replicas: n,
        write: w,
        read: r,
    } = quorum;
    if w == 0 || r == 0 || w > n || r > n {
        return Err(QuorumError::OutOfRange(quorum));
    }
    if max_lag == 0 {
        return Err(QuorumError::ZeroLag);
    }
    if !(0.0..=1.0).contains(&write_share) {
        return Err(QuorumError::WriteShare(write_share));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut held = vec![0u64; n]; // the newest version each replica holds
    let mut in_flight: Vec<(u64, usize, u64)> = Vec::new(); // (arrives at step, replica, version)
    let mut order: Vec<usize> = (0..n).collect();
    let mut latest = 0u64;
    let mut report = QuorumReport {
        writes: 0,
        reads: 0,
        stale_reads: 0,
    };
    for now in 0..steps as u64 {
        // Deliver what has arrived; replicas keep the newest version they have seen.
        in_flight.retain(|&(at, replica, version)| {
            if at <= now {
                held[replica] = held[replica].max(version);
            }
            at > now
        });
        order.shuffle(&mut rng);
        if rng.random_bool(write_share) {
            latest += 1;
            for &replica in &order[..w] {
                held[replica] = latest;
            }
            for &replica in &order[w..] {
                in_flight.push((now + rng.random_range(1..=max_lag), replica, latest));
            }
            report.writes += 1;
        } else {
            let newest = order[..r].iter().map(|&replica| held[replica]).max();
            report.reads += 1;
            if newest.unwrap_or(0) < latest {
                report.stale_reads += 1;
            }
        }
    }
    Ok(report)
}
// ANCHOR_END: quorum
