//! Crash sweeps: damage a log at every byte offset and check what recovery returns.
//!
//! A sweep commits a workload through a [`WalStore`] on a [`SimulatedLog`], remembering where
//! each transaction's commit record ends and the state after it.
//! Then, for every offset, it cuts the log there (a crash mid-write) or flips the byte there
//! (damage on the disk), replays the result, and compares it with the state after the last
//! transaction that lies wholly before that offset.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::log_file::SimulatedLog;
use super::record::Damage;
use super::wal::{Op, Stop, WalStore, replay};

type State = BTreeMap<Vec<u8>, Vec<u8>>;

/// `count` random transactions of one to four puts and deletes over six keys, from `seed`.
///
/// ```
/// use sysdesign::relational_acid::crash::workload;
///
/// assert_eq!(workload(1, 10), workload(1, 10));
/// assert_eq!(workload(1, 10).len(), 10);
/// ```
pub fn workload(seed: u64, count: usize) -> Vec<Vec<Op>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            (0..rng.random_range(1..=4))
                .map(|_| {
                    let key = format!("k{}", rng.random_range(0..6)).into_bytes();
                    if rng.random_range(0..4) == 0 {
                        Op::Delete(key)
                    } else {
                        let len = rng.random_range(0..12);
                        Op::Put(key, (0..len).map(|_| rng.random()).collect())
                    }
                })
                .collect()
        })
        .collect()
}

/// How a sweep damages the log at each offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Keep only the bytes before the offset, as a crash during a write does.
    Truncate,
    /// Invert every bit of the byte at the offset, as damage on the medium might.
    FlipByte,
}

/// What a sweep found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepReport {
    /// The damage applied.
    pub fault: Fault,
    /// Bytes in the undamaged log.
    pub log_len: usize,
    /// Transactions in the workload.
    pub transactions: usize,
    /// Offsets tried: every byte offset (and, for truncation, the end too).
    pub points: usize,
    /// Offsets where recovery returned exactly the state after the last transaction wholly
    /// before the offset.
    pub exact: usize,
    /// Offsets where it returned an earlier committed state: committed transactions lost.
    pub lost_committed: usize,
    /// Offsets where it returned a state no prefix of transactions produces: a partial
    /// transaction or garbage.
    pub partial_or_phantom: usize,
    /// Where recovery stopped, counted by kind.
    pub stops: BTreeMap<&'static str, usize>,
}

fn stop_kind(stop: &Stop) -> &'static str {
    match stop {
        Stop::CleanEnd => "clean end",
        Stop::Torn { .. } => "torn record",
        Stop::Corrupt {
            damage: Damage::Checksum { .. },
            ..
        } => "checksum mismatch",
        Stop::Corrupt {
            damage: Damage::Length(_),
            ..
        } => "impossible length",
        Stop::Corrupt {
            damage: Damage::Payload(_),
            ..
        } => "unreadable payload",
    }
}

// ANCHOR: sweep
/// Commits `transactions`, then damages the log with `fault` at every offset and classifies
/// what recovery returns.
///
/// ```
/// use sysdesign::relational_acid::crash::{sweep, workload, Fault};
///
/// let report = sweep(&workload(3, 5), Fault::Truncate);
/// assert_eq!(report.points, report.log_len + 1);
/// assert_eq!(report.exact, report.points);
/// ```
pub fn sweep(transactions: &[Vec<Op>], fault: Fault) -> SweepReport {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("an empty log opens");
    let mut model = State::new();
    let mut checkpoints = vec![(0, model.clone())]; // (end of the commit record, state after)
    for ops in transactions {
        store
            .commit(ops.clone())
            .expect("the simulated log has no planned fault");
        for op in ops {
            match op {
                Op::Put(k, v) => model.insert(k.clone(), v.clone()),
                Op::Delete(k) => model.remove(k),
            };
        }
        checkpoints.push((store.log_len() as usize, model.clone()));
    }
    let log = store.log().disk().to_vec();
    let offsets = match fault {
        Fault::Truncate => 0..=log.len(),
        Fault::FlipByte => 0..=log.len() - 1,
    };
    let mut report = SweepReport {
        fault,
        log_len: log.len(),
        transactions: transactions.len(),
        points: 0,
        exact: 0,
        lost_committed: 0,
        partial_or_phantom: 0,
        stops: BTreeMap::new(),
    };
    for offset in offsets {
        let recovered = match fault {
            Fault::Truncate => replay(&log[..offset]),
            Fault::FlipByte => {
                let mut damaged = log.clone();
                damaged[offset] ^= 0xff;
                replay(&damaged)
            }
        };
        // The last transaction whose commit record ends at or before the damage.
        let whole = checkpoints.iter().rposition(|(end, _)| *end <= offset);
        let expected = whole.expect("the empty prefix ends at offset 0");
        report.points += 1;
        *report
            .stops
            .entry(stop_kind(&recovered.recovery.stop))
            .or_default() += 1;
        match checkpoints
            .iter()
            .position(|(_, state)| *state == recovered.state)
        {
            _ if recovered.state == checkpoints[expected].1 => report.exact += 1,
            Some(earlier) if earlier < expected => report.lost_committed += 1,
            _ => report.partial_or_phantom += 1,
        }
    }
    report
}
// ANCHOR_END: sweep
