//! Crash sweeps of the log-structured store, on a simulated directory.
//!
//! [`sweep`] damages the store's file at every byte offset (cut there, or that byte flipped),
//! opens each copy, repairs it when `open` refuses, and compares the result with the records that
//! lie wholly intact, exactly as [`crate::relational_acid::crash::sweep`] does for the
//! write-ahead log. [`compaction_sweep`] crashes a compaction after every unit of work (every byte
//! written, every `fsync`, create and rename) and checks that the file a restart finds is the old
//! one or the new one, never neither and never a mix, and that no key or value changed.

use std::collections::BTreeMap;
use std::ffi::OsStr;

use super::log::{LogStore, repair_in};
use super::{KeyValueStore, KvError, SyncPolicy};
use crate::relational_acid::crash::{Fault, SweepReport};
use crate::relational_acid::dir::{Directory, SimDir};
use crate::relational_acid::frame::{FILE_HEADER, write_frame};
use crate::relational_acid::{LogFile, Op};

type State = BTreeMap<Vec<u8>, Vec<u8>>;

const NAME: &str = "kv.log";

/// Every key and value of `store`.
fn state<D: Directory>(store: &LogStore<D>) -> Result<State, KvError> {
    let mut state = State::new();
    for key in store.keys() {
        let value = store.get(key)?.unwrap_or_default();
        state.insert(key.to_vec(), value);
    }
    Ok(state)
}

/// A simulated directory holding one file with `bytes` on its disk.
fn dir_with(bytes: &[u8]) -> SimDir {
    let mut dir = SimDir::new();
    let mut file = dir.open(OsStr::new(NAME)).expect("no fault is planned");
    file.append(bytes).expect("no fault is planned");
    file.sync().expect("no fault is planned");
    dir
}

/// Writes `ops` through a store (skipping deletes of absent keys, which write nothing); returns
/// the file, with half a record more as a torn tail, and the records with where each ends.
fn written(ops: &[Op]) -> (Vec<u8>, Vec<(Op, usize)>, usize) {
    let dir = SimDir::new();
    let mut store =
        LogStore::open_in(dir.clone(), OsStr::new(NAME), SyncPolicy::EveryWrite).expect("opens");
    let mut records = Vec::new();
    for op in ops {
        let wrote = match op {
            Op::Put(k, v) => store.put(k, v).map(|()| true),
            Op::Delete(k) => store.delete(k),
        };
        if wrote.expect("no fault is planned") {
            records.push((op.clone(), store.log_bytes() as usize));
        }
    }
    let committed = store.log_bytes() as usize;
    let mut bytes = dir.contents(OsStr::new(NAME)).expect("the file exists");
    // Half of one more record (a put of "torn"): what a crash in the middle of an append leaves.
    let mut extra = Vec::new();
    write_frame(&mut extra, committed as u64, b"\x01\x04\0\0\0torn!");
    bytes.extend_from_slice(&extra[..extra.len() / 2]);
    (bytes, records, committed)
}

fn state_of(records: &[(Op, usize)], keep: impl Fn(usize) -> bool) -> State {
    let mut state = State::new();
    for (_, (op, _)) in records.iter().enumerate().filter(|(i, _)| keep(*i)) {
        match op {
            Op::Put(k, v) => state.insert(k.clone(), v.clone()),
            Op::Delete(k) => state.remove(k),
        };
    }
    state
}

// ANCHOR: kv_sweep
/// Writes `ops`, leaves a torn tail, then damages the file with `fault` at every offset and
/// classifies what opening (and, if it refuses, repairing) returns.
///
/// ```
/// use sysdesign::key_value_stores::crash::sweep;
/// use sysdesign::relational_acid::crash::{workload, Fault};
///
/// let ops: Vec<_> = workload(1, 4).into_iter().flatten().collect();
/// let report = sweep(&ops, Fault::FlipByte);
/// assert_eq!(report.opened_wrong + report.refused_repair_lost, 0);
/// ```
pub fn sweep(ops: &[Op], fault: Fault) -> SweepReport {
    let (log, records, committed) = written(ops);
    let ends: Vec<usize> = records.iter().map(|(_, end)| *end).collect();
    let offsets = match fault {
        Fault::Truncate => 0..=log.len(),
        Fault::FlipByte => 0..=log.len() - 1,
    };
    let mut report = SweepReport {
        fault,
        log_len: log.len(),
        tail_len: log.len() - committed,
        transactions: records.len(),
        points: 0,
        opened_exact: 0,
        opened_wrong: 0,
        refused_then_repaired: 0,
        refused_repair_lost: 0,
        stops: BTreeMap::new(),
    };
    for offset in offsets {
        let (damaged, intact) = match fault {
            Fault::Truncate => (
                log[..offset].to_vec(),
                state_of(&records, |i| ends[i] <= offset),
            ),
            Fault::FlipByte => {
                let mut damaged = log.clone();
                damaged[offset] ^= 0xff;
                let start = |i: usize| i.checked_sub(1).map_or(FILE_HEADER, |p| ends[p]);
                let hit = |i: usize| (start(i)..ends[i]).contains(&offset);
                (damaged, state_of(&records, |i| !hit(i)))
            }
        };
        report.points += 1;
        let mut dir = dir_with(&damaged);
        let opened = LogStore::open_in(dir.clone(), OsStr::new(NAME), SyncPolicy::EveryWrite);
        let kind = match &opened {
            Ok(store) if store.torn_bytes() > 0 => "torn tail",
            Ok(_) => "clean end",
            Err(_) => "refused",
        };
        *report.stops.entry(kind).or_default() += 1;
        match opened.map(|store| state(&store)) {
            Ok(Ok(got)) if got == intact => report.opened_exact += 1,
            Ok(_) => report.opened_wrong += 1,
            Err(_) => {
                let repaired = repair_in(&mut dir, OsStr::new(NAME)).and_then(|_| {
                    let store = LogStore::open_in(dir, OsStr::new(NAME), SyncPolicy::EveryWrite)?;
                    state(&store)
                });
                match repaired {
                    Ok(got) if got == intact => report.refused_then_repaired += 1,
                    _ => report.refused_repair_lost += 1,
                }
            }
        }
    }
    report
}
// ANCHOR_END: kv_sweep

/// What [`compaction_sweep`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactionReport {
    /// Units of work one compaction does: bytes written, plus `fsync`s, creates and renames.
    pub units: u64,
    /// Crash points tried: every unit, each with the directory's renames lost or kept.
    pub crash_points: usize,
    /// Restarts that found the old file, byte for byte.
    pub old_file: usize,
    /// Restarts that found the new, compacted file, byte for byte.
    pub new_file: usize,
    /// Restarts that found anything else, or a store whose keys and values differ. Must be 0.
    pub lost_or_mixed: usize,
}

// ANCHOR: compaction_sweep
/// Writes `ops`, then compacts, crashing after every unit of work in turn; restarts each time,
/// once as if the directory's un-synced renames were lost and once as if they reached the disk.
///
/// ```
/// use sysdesign::key_value_stores::crash::compaction_sweep;
/// use sysdesign::relational_acid::crash::workload;
///
/// let ops: Vec<_> = workload(1, 6).into_iter().flatten().collect();
/// let report = compaction_sweep(&ops);
/// assert_eq!(report.lost_or_mixed, 0);
/// assert_eq!(report.old_file + report.new_file, report.crash_points);
/// ```
pub fn compaction_sweep(ops: &[Op]) -> CompactionReport {
    let name = OsStr::new(NAME);
    let (log, records, committed) = written(ops);
    let before = state_of(&records, |_| true);
    let base = dir_with(&log[..committed]);
    let old = base.contents(name).expect("the file exists");
    let (new, units) = {
        let dir = base.deep_clone();
        let mut store =
            LogStore::open_in(dir.clone(), name, SyncPolicy::EveryWrite).expect("opens");
        let start = dir.used();
        store.compact().expect("no fault is planned");
        (
            dir.contents(name).expect("the file exists"),
            dir.used() - start,
        )
    };
    let mut report = CompactionReport {
        units,
        ..CompactionReport::default()
    };
    for renames_reached_disk in [false, true] {
        for budget in 0..=units {
            let mut dir = base.deep_clone();
            let mut store =
                LogStore::open_in(dir.clone(), name, SyncPolicy::EveryWrite).expect("opens");
            dir.crash_after(budget);
            let _ = store.compact(); // fails unless the budget covers it all
            let restarted = dir.after_crash(renames_reached_disk);
            let found = restarted.contents(name).unwrap_or_default();
            let reopened = LogStore::open_in(restarted, name, SyncPolicy::EveryWrite)
                .and_then(|store| state(&store));
            report.crash_points += 1;
            match reopened {
                Ok(state) if state == before && found == old => report.old_file += 1,
                Ok(state) if state == before && found == new => report.new_file += 1,
                _ => report.lost_or_mixed += 1,
            }
        }
    }
    report
}
// ANCHOR_END: compaction_sweep
