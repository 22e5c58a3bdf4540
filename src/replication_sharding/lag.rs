//! Asynchronous leader-follower replication on the simulated store of [`crate::replicated`]: the
//! leader acknowledges a write at once and ships it to its followers, which apply it one
//! replication lag later; a read at a follower in between is stale.

use crate::replicated::{Config, ConfigError, Sim, Time, stale_reads};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Where clients read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    /// Any of the followers (nodes 1 and 2), spreading the reads.
    Followers,
    /// The leader (node 0), which has every acknowledged write.
    Leader,
}

/// What one run with a fixed replication lag saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LagRun {
    /// The replication lag: every message from the leader takes exactly this long.
    pub lag: Time,
    /// Reads answered.
    pub reads: usize,
    /// Reads older than a write acknowledged before they began.
    pub stale: usize,
    /// The stale share a Poisson stream of writes predicts, `1 - exp(-lag / mean write gap)`.
    pub predicted: f64,
}

impl LagRun {
    /// Stale reads over reads (0 when none).
    pub fn stale_share(&self) -> f64 {
        if self.reads == 0 {
            0.0
        } else {
            self.stale as f64 / self.reads as f64
        }
    }
}

// ANCHOR: lag
/// Runs `ops` operations on one key against a leader (node 0) and two followers that apply the
/// leader's writes `lag` ms after it acknowledged them: N = 3, W = 1, R = 1, every write through
/// the leader. Operations arrive as a Poisson stream, one every `mean_gap` ms on average, each a
/// write with probability `write_share`.
///
/// A read that begins within `lag` of an acknowledged write misses it; with writes arriving at
/// random at rate λ, that happens with probability 1 - exp(-λ · lag), the `predicted` share.
///
/// ```
/// use sysdesign::replication_sharding::{ReadFrom, follower_reads};
///
/// let fresh = follower_reads(0, 2_000, 10.0, 0.2, ReadFrom::Followers, 1).unwrap();
/// assert_eq!(fresh.stale, 0);
/// let lagging = follower_reads(50, 2_000, 10.0, 0.2, ReadFrom::Followers, 1).unwrap();
/// assert!(lagging.stale_share() > 0.4, "{lagging:?}");
/// let leader = follower_reads(50, 2_000, 10.0, 0.2, ReadFrom::Leader, 1).unwrap();
/// assert_eq!(leader.stale, 0);
/// ```
pub fn follower_reads(
    lag: Time,
    ops: usize,
    mean_gap: f64,
    write_share: f64,
    read_from: ReadFrom,
    seed: u64,
) -> Result<LagRun, ConfigError> {
    let config = Config::new(3, 3, 1, 1)?.delay(lag, lag).timeout(lag + 10);
    let mut sim = Sim::new(config, seed)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let share = write_share.clamp(0.0, 1.0);
    let (mut at, mut value) = (0.0f64, 0);
    let mut last: Time = 0;
    for _ in 0..ops {
        // Exponential gaps: a Poisson stream. Never two operations in the same millisecond.
        let u: f64 = rng.random_range(f64::EPSILON..1.0);
        at += -mean_gap * u.ln();
        let t = (at.round() as Time).max(last + 1);
        last = t;
        if rng.random_bool(share) {
            value += 1;
            sim.write(t, 0, "x", value).expect("times only grow");
        } else {
            let node = match read_from {
                ReadFrom::Leader => 0,
                ReadFrom::Followers => rng.random_range(1..3),
            };
            sim.read(t, node, "x").expect("times only grow");
        }
    }
    sim.run_until(last + 2 * lag + 20);
    let (reads, stale) = stale_reads(sim.ops());
    let mean_write_gap = mean_gap / share.max(f64::MIN_POSITIVE);
    let predicted = match read_from {
        ReadFrom::Leader => 0.0,
        ReadFrom::Followers => 1.0 - (-(lag as f64) / mean_write_gap).exp(),
    };
    Ok(LagRun {
        lag,
        reads,
        stale,
        predicted,
    })
}
// ANCHOR_END: lag
