//! Crash sweeps: damage a log at every byte offset and check what recovery returns.
//!
//! A sweep commits a workload through a [`WalStore`] on a [`SimulatedLog`], remembering where
//! each transaction's commit record ends, and leaves a torn tail after it.
//! Then, for every offset, it cuts the log there (a crash mid-write) or flips the byte there
//! (damage on the disk), opens the result, and compares it with the state that the wholly intact
//! committed transactions build; when `open` refuses, it repairs and compares again.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::frame::{Damage, FILE_HEADER};
use super::log_file::{LogFile, SimulatedLog};
use super::repair::salvage;
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

/// What a sweep found. Every offset ends in exactly one of the four outcomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepReport {
    /// The damage applied.
    pub fault: Fault,
    /// Bytes in the undamaged log: header, committed transactions, and a torn tail.
    pub log_len: usize,
    /// Bytes of that log that are the torn tail (an append cut short by a crash).
    pub tail_len: usize,
    /// Committed transactions in the log.
    pub transactions: usize,
    /// Offsets tried: every byte offset (and, for truncation, the end too).
    pub points: usize,
    /// `open` succeeded with exactly the committed transactions that lie wholly intact.
    pub opened_exact: usize,
    /// `open` succeeded with anything else: committed transactions lost, or a partial or phantom
    /// one. The store promises zero.
    pub opened_wrong: usize,
    /// `open` refused the file, and repair then recovered every committed transaction that lies
    /// wholly intact (all but the damaged one).
    pub refused_then_repaired: usize,
    /// `open` refused, and repair lost an intact committed transaction or kept a wrong one.
    /// The store promises zero.
    pub refused_repair_lost: usize,
    /// Where recovery stopped, counted by kind.
    pub stops: BTreeMap<&'static str, usize>,
}

fn stop_kind(stop: &Stop) -> &'static str {
    match stop {
        Stop::CleanEnd => "clean end",
        Stop::Torn { .. } => "torn tail",
        Stop::Corrupt { damage, .. } => match damage {
            Damage::Magic { .. } | Damage::Version { .. } => "bad file header",
            Damage::Marker { .. } => "no sync marker",
            Damage::LengthCheck { .. } | Damage::Length(_) => "damaged length",
            Damage::Checksum { .. } => "checksum mismatch",
            Damage::Payload(_) | Damage::Incomplete { .. } => "unreadable payload",
        },
    }
}

fn apply(state: &mut State, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Put(k, v) => state.insert(k.clone(), v.clone()),
            Op::Delete(k) => state.remove(k),
        };
    }
}

/// The state after every transaction that `keep` accepts (by index), in order.
fn state_of(transactions: &[Vec<Op>], keep: impl Fn(usize) -> bool) -> State {
    let mut state = State::new();
    for (_, ops) in transactions.iter().enumerate().filter(|(i, _)| keep(*i)) {
        apply(&mut state, ops);
    }
    state
}

// ANCHOR: sweep
/// Commits `transactions`, leaves half of one more as a torn tail, then damages the log with
/// `fault` at every offset: opens each copy, repairs it when `open` refuses, and classifies what
/// comes back against the transactions that lie wholly intact.
///
/// ```
/// use sysdesign::relational_acid::crash::{sweep, workload, Fault};
///
/// let report = sweep(&workload(3, 5), Fault::Truncate);
/// assert_eq!(report.points, report.log_len + 1);
/// assert_eq!(report.opened_exact, report.points);
/// let report = sweep(&workload(3, 5), Fault::FlipByte);
/// assert_eq!(report.opened_exact + report.refused_then_repaired, report.points);
/// ```
pub fn sweep(transactions: &[Vec<Op>], fault: Fault) -> SweepReport {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("an empty log opens");
    let mut ends = Vec::new(); // where each transaction's commit record ends
    for ops in transactions {
        store
            .commit(ops.clone())
            .expect("the simulated log has no planned fault");
        ends.push(store.log_len() as usize);
    }
    let committed_len = store.log_len() as usize;
    // A crash halfway through appending one more transaction leaves a torn tail.
    let extra = vec![Op::Put(b"torn".to_vec(), vec![7; 20])];
    // Its put record takes 57 bytes: keep that and 10 bytes of the commit record.
    store.log_mut().fail_next_write(57 + 10);
    store
        .commit(extra)
        .expect_err("the write was planned to fail");
    let mut log_file = store.log().clone();
    log_file.sync().expect("the cut write reaches the disk");
    let log = log_file.disk().to_vec();
    let offsets = match fault {
        Fault::Truncate => 0..=log.len(),
        Fault::FlipByte => 0..=log.len() - 1,
    };
    let mut report = SweepReport {
        fault,
        log_len: log.len(),
        tail_len: log.len() - committed_len,
        transactions: transactions.len(),
        points: 0,
        opened_exact: 0,
        opened_wrong: 0,
        refused_then_repaired: 0,
        refused_repair_lost: 0,
        stops: BTreeMap::new(),
    };
    for offset in offsets {
        let (damaged, intact) = match fault {
            // The transactions wholly before the cut are intact.
            Fault::Truncate => (
                log[..offset].to_vec(),
                state_of(transactions, |i| ends[i] <= offset),
            ),
            Fault::FlipByte => {
                let mut damaged = log.clone();
                damaged[offset] ^= 0xff;
                // Every transaction but the one whose bytes hold the offset is intact.
                let hit = |i: usize| {
                    (i.checked_sub(1).map_or(FILE_HEADER, |p| ends[p])..ends[i]).contains(&offset)
                };
                (damaged, state_of(transactions, |i| !hit(i)))
            }
        };
        report.points += 1;
        *report
            .stops
            .entry(stop_kind(&replay(&damaged).recovery.stop))
            .or_default() += 1;
        match WalStore::with_log(SimulatedLog::from_disk(damaged.clone())) {
            Ok(opened) if state(&opened) == intact => report.opened_exact += 1,
            Ok(_) => report.opened_wrong += 1,
            Err(_) => {
                let repaired = WalStore::with_log(SimulatedLog::from_disk(salvage(&damaged).bytes));
                match repaired {
                    Ok(store) if state(&store) == intact => report.refused_then_repaired += 1,
                    _ => report.refused_repair_lost += 1,
                }
            }
        }
    }
    report
}
// ANCHOR_END: sweep

fn state<L: LogFile>(store: &WalStore<L>) -> State {
    store
        .iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}
