//! Repair: an explicit step, never part of opening, that salvages a damaged log.
//!
//! [`salvage`] reads every intact frame, before and after the damage: at a damaged frame it scans
//! forward for the next sync marker that starts an intact frame (see [`super::frame`]).
//! A transaction is kept only if its commit record is intact and the log holds exactly as many
//! of its records as the commit record counts; every other transaction is reported as dropped,
//! with the reason.
//! [`WalStore::repair`] keeps a byte-identical backup of the file first, then replaces it with the
//! salvaged log through [`replace_file`] (temporary file, `fsync`, `rename`, `fsync` directory).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::ops::Range;
use std::path::Path;

use super::dir::{Directory, FsDir, keep_backup, replace_file};
use super::error::{Step, WalError};
use super::frame::{FILE_HEADER, Header, resync};
use super::log_file::LogFile as _;
use super::record::{Decoded, Record, decode};
use super::wal::{Op, WAL_FORMAT, WalStore};

/// Why a repair dropped a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Records of it were read, but no intact commit record: it never committed, or its commit
    /// record was in the damaged bytes.
    NoCommit {
        /// Its records that were read.
        records: usize,
    },
    /// Its commit record names more records than were read: some were in the damaged bytes.
    Incomplete {
        /// Records the commit record counts.
        expected: u32,
        /// Records read.
        found: usize,
    },
    /// Nothing of it could be read, but later transaction ids show that it existed. (The ids of
    /// transactions that an earlier repair dropped are missing too, and are reported again.)
    Unreadable,
}

/// A transaction a repair did not keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Its id.
    pub tx: u64,
    /// Why.
    pub why: DropReason,
}

/// What a repair found, kept and dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Transactions (for the log-structured store: records) kept.
    pub kept: u64,
    /// Transactions dropped, with the reason (the log-structured store has no transactions and
    /// leaves this empty: its damaged records are the `skipped` bytes).
    pub dropped: Vec<Dropped>,
    /// Byte ranges of the original file that were not intact frames and were skipped.
    pub skipped: Vec<Range<u64>>,
    /// Bytes of the original file.
    pub original_len: u64,
    /// Bytes of the repaired file.
    pub repaired_len: u64,
    /// The name of the backup copy of the original file (empty for a [`salvage`] in memory).
    pub backup: String,
}

/// A salvaged log: its new bytes and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Salvaged {
    /// The repaired log: header, then the kept transactions, re-framed.
    pub bytes: Vec<u8>,
    /// What was kept and dropped.
    pub report: RepairReport,
    /// Whether any intact frame or a valid header was found; if not, the file is not ours.
    pub recognised: bool,
}

// ANCHOR: salvage
/// Salvages every transaction of `log` that can be proven intact, before and after any damage.
///
/// ```
/// use sysdesign::relational_acid::repair::salvage;
/// use sysdesign::relational_acid::{SimulatedLog, WalStore};
///
/// let mut store = WalStore::with_log(SimulatedLog::new())?;
/// for i in 0..3 {
///     store.begin().put("k", i.to_string()).commit()?;
/// }
/// let mut log = store.log().disk().to_vec();
/// log[8 + 64 + 20] ^= 0xff; // inside transaction 2 (a transaction here takes 64 bytes)
/// let salvaged = salvage(&log);
/// assert_eq!(salvaged.report.kept, 2);
/// assert_eq!(salvaged.report.dropped[0].tx, 2);
/// # Ok::<(), sysdesign::relational_acid::WalError>(())
/// ```
pub fn salvage(log: &[u8]) -> Salvaged {
    let header_ok = WAL_FORMAT.check(log) == Header::Valid;
    let mut offset = if header_ok { FILE_HEADER } else { 0 };
    let mut report = RepairReport {
        original_len: log.len() as u64,
        ..RepairReport::default()
    };
    let mut pending: BTreeMap<u64, Vec<Op>> = BTreeMap::new();
    let mut kept: Vec<(u64, Vec<Op>)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut frames = 0;
    while offset < log.len() {
        match decode(log, offset) {
            Decoded::Record(record, len) => {
                frames += 1;
                offset += len;
                match record {
                    Record::Put { tx, key, value } => {
                        seen.insert(tx);
                        pending.entry(tx).or_default().push(Op::Put(key, value));
                    }
                    Record::Delete { tx, key } => {
                        seen.insert(tx);
                        pending.entry(tx).or_default().push(Op::Delete(key));
                    }
                    Record::Commit { tx, records } => {
                        seen.insert(tx);
                        let ops = pending.remove(&tx).unwrap_or_default();
                        if ops.len() == records as usize {
                            kept.push((tx, ops));
                        } else {
                            let (expected, found) = (records, ops.len());
                            let why = DropReason::Incomplete { expected, found };
                            report.dropped.push(Dropped { tx, why });
                        }
                    }
                }
            }
            Decoded::End => break,
            // Torn or damaged: skip to the next intact frame, if there is one.
            Decoded::Torn | Decoded::Corrupt(_) => {
                let next = resync(log, offset + 1).unwrap_or(log.len());
                report.skipped.push(offset as u64..next as u64);
                offset = next;
            }
        }
    }
    for (tx, ops) in pending {
        let why = DropReason::NoCommit { records: ops.len() };
        report.dropped.push(Dropped { tx, why });
    }
    // Ids are consecutive from 1: a gap below the highest id seen is a transaction lost whole.
    let highest = seen.last().copied().unwrap_or(0);
    for tx in (1..highest).filter(|tx| !seen.contains(tx)) {
        let why = DropReason::Unreadable;
        report.dropped.push(Dropped { tx, why });
    }
    report.dropped.sort_by_key(|d| d.tx);
    let mut bytes = WAL_FORMAT.header().to_vec();
    for (tx, ops) in &kept {
        for op in ops {
            let record = match op.clone() {
                Op::Put(key, value) => Record::Put {
                    tx: *tx,
                    key,
                    value,
                },
                Op::Delete(key) => Record::Delete { tx: *tx, key },
            };
            record.encode_into(&mut bytes, 0);
        }
        let records = ops.len() as u32; // it was read from a commit record
        Record::Commit { tx: *tx, records }.encode_into(&mut bytes, 0);
    }
    report.kept = kept.len() as u64;
    report.repaired_len = bytes.len() as u64;
    Salvaged {
        bytes,
        report,
        recognised: header_ok || frames > 0,
    }
}
// ANCHOR_END: salvage

impl WalStore {
    // ANCHOR: repair
    /// Repairs the log at `path`: keeps a byte-identical backup beside it (`path.damaged`), then
    /// replaces it with every transaction [`salvage`] can prove intact, and reports what it dropped.
    ///
    /// A file in which not one intact record is found is refused with
    /// [`WalError::NothingToSalvage`] and left as it is.
    pub fn repair(path: impl AsRef<Path>) -> Result<RepairReport, WalError> {
        let path = path.as_ref();
        let Some((mut dir, name)) = FsDir::of_file(path) else {
            return Err(WalError::Io {
                file: path.display().to_string(),
                step: Step::Read,
                source: std::io::Error::other("the path names no file"),
            });
        };
        repair_in(&mut dir, &name)
    }
    // ANCHOR_END: repair
}

/// [`WalStore::repair`] on the file `name` of any [`Directory`].
pub fn repair_in<D: Directory>(dir: &mut D, name: &OsStr) -> Result<RepairReport, WalError> {
    let file = dir.describe(name);
    let io = |step| {
        let file = file.clone();
        move |source| WalError::Io { file, step, source }
    };
    let bytes = dir
        .open(name)
        .and_then(|mut log| log.read_all())
        .map_err(io(Step::Read))?;
    let Salvaged {
        bytes: repaired,
        mut report,
        recognised,
    } = salvage(&bytes);
    if !recognised {
        let found = bytes[..bytes.len().min(16)].to_vec();
        return Err(WalError::NothingToSalvage { file, found });
    }
    let backup: OsString = keep_backup(dir, name, &bytes).map_err(io(Step::Backup))?;
    replace_file(dir, name, &repaired).map_err(io(Step::Replace))?;
    report.backup = dir.describe(&backup);
    Ok(report)
}
