//! Quorums: N replicas, a write acknowledged by W of them, a read answered by R of them.
//!
//! When R + W > N, every set of R replicas meets every set of W, so a read reaches at least one
//! replica that holds the newest acknowledged write, and (with last-writer-wins stamps) returns it
//! or something newer. This module sweeps N, R and W over [`crate::replicated`]'s simulation and
//! counts stale reads; the tests check the overlap argument on random schedules, partitions,
//! delays and clocks, and show the two ways real stores step outside it: sloppy quorums, whose
//! stand-in nodes are outside the read set, and last-writer-wins on skewed clocks, which keeps an
//! older write over a newer one.
//!
//! ```
//! use sysdesign::quorum::sweep;
//! use sysdesign::replicated::{Config, Workload};
//!
//! let workload = Workload { ops: 300, write_share: 0.3, mean_gap: 2, at_replicas: true };
//! let rows = sweep(3, |n, r, w| Config::new(n, n, r, w).map(|c| c.delay(1, 10)), workload, 5).unwrap();
//! assert_eq!(rows.len(), 9);
//! assert!(rows.iter().filter(|row| row.r + row.w > 3).all(|row| row.summary.stale_reads == 0));
//! ```

use crate::replicated::{Config, ConfigError, Summary, Workload, run_workload, summarize};

/// One (R, W) setting of a sweep and what its run saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepRow {
    /// N.
    pub n: usize,
    /// R.
    pub r: usize,
    /// W.
    pub w: usize,
    /// What the run saw.
    pub summary: Summary,
}

// ANCHOR: sweep
/// Runs the same workload, with the same seed, for every W and R from 1 to `n`, on the cluster
/// `config(n, r, w)` builds; rows in order of W, then R.
pub fn sweep(
    n: usize,
    config: impl Fn(usize, usize, usize) -> Result<Config, ConfigError>,
    workload: Workload,
    seed: u64,
) -> Result<Vec<SweepRow>, ConfigError> {
    let mut rows = Vec::new();
    for w in 1..=n {
        for r in 1..=n {
            let run = run_workload(config(n, r, w)?, workload, seed)?;
            let summary = summarize(run.ops());
            rows.push(SweepRow { n, r, w, summary });
        }
    }
    Ok(rows)
}
// ANCHOR_END: sweep
