//! A key-value store whose only file is a write-ahead log.
//!
//! A commit appends the transaction's records and a commit record in one write, then `fsync`s,
//! and only then changes the in-memory map and returns.
//! Opening the store replays the log: it applies each transaction whose commit record is intact.
//! What follows the last commit record is either a torn tail (records an interrupted append left,
//! the last of them cut short), which is truncated and reported in [`Recovery`], or damage
//! (anything else), which makes opening fail with [`WalError::Damaged`] and leaves the file as it
//! is, for [`WalStore::repair`] to salvage.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::Path;

pub use super::error::{Step, WalError};
pub use transaction::Transaction;
use transaction::check_sizes;

mod transaction;
use super::frame::{FILE_HEADER, Format, Header};
use super::log_file::{FileLog, LogFile};
use super::record::{Damage, Decoded, Record, decode};

/// The write-ahead log's file format: magic `sd-wal`, version 1.
pub const WAL_FORMAT: Format = Format {
    magic: *b"sd-wal",
    version: 1,
};

/// One change inside a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Set the key to the value.
    Put(Vec<u8>, Vec<u8>),
    /// Remove the key.
    Delete(Vec<u8>),
}

/// Where and why a replay stopped reading the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// At the end of the log, after a whole record.
    CleanEnd,
    /// At byte `at`, inside a record that the log ends before finishing.
    Torn {
        /// Offset of the cut record.
        at: u64,
    },
    /// At byte `at`, at a complete record that is damaged.
    Corrupt {
        /// Offset of the damaged record.
        at: u64,
        /// What is wrong with it.
        damage: Damage,
    },
}

/// What a replay of the log found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// Transactions whose commit record was read, and so were applied.
    pub committed: u64,
    /// Bytes of log up to the end of the last commit record: what is kept.
    pub valid_len: u64,
    /// Bytes after it: uncommitted records and whatever follows the stop.
    pub discarded: u64,
    /// Where reading stopped.
    pub stop: Stop,
}

/// The result of [`replay`]: the state the committed transactions build, and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    /// Every key and value after the committed transactions, in order.
    pub state: BTreeMap<Vec<u8>, Vec<u8>>,
    /// The highest committed transaction id, 0 if none.
    pub last_tx: u64,
    /// What was found.
    pub recovery: Recovery,
}

// ANCHOR: replay
/// Rebuilds the state from a log's bytes: exactly the transactions whose commit record is intact,
/// stopping at the first torn or damaged record.
///
/// ```
/// use sysdesign::relational_acid::{replay, Stop, WalStore, SimulatedLog};
///
/// let mut store = WalStore::with_log(SimulatedLog::new())?;
/// store.begin().put("a", "1").commit()?;
/// let whole = store.log().disk().len();
/// store.begin().put("b", "2").commit()?;
/// let bytes = &store.log().disk()[..whole + 5]; // a crash mid-way through the second
/// let replayed = replay(bytes);
/// assert_eq!(replayed.recovery.committed, 1);
/// assert_eq!(replayed.recovery.stop, Stop::Torn { at: whole as u64 });
/// assert_eq!(replayed.state.len(), 1);
/// # Ok::<(), sysdesign::relational_acid::WalError>(())
/// ```
pub fn replay(log: &[u8]) -> Replayed {
    let mut state = BTreeMap::new();
    let mut pending: HashMap<u64, Vec<Op>> = HashMap::new();
    let (mut committed, mut last_tx) = (0, 0);
    let header = WAL_FORMAT.check(log);
    let (mut offset, mut valid_len, first_stop) = match header {
        Header::Empty => (0, 0, Some(Stop::CleanEnd)),
        Header::Torn => (0, 0, Some(Stop::Torn { at: 0 })),
        Header::Wrong(damage) => (0, 0, Some(Stop::Corrupt { at: 0, damage })),
        Header::Valid => (FILE_HEADER, FILE_HEADER, None),
    };
    let stop = first_stop.unwrap_or_else(|| {
        loop {
            let at = offset as u64;
            match decode(log, offset) {
                Decoded::End => break Stop::CleanEnd,
                Decoded::Torn => break Stop::Torn { at },
                Decoded::Corrupt(damage) => break Stop::Corrupt { at, damage },
                Decoded::Record(record, len) => {
                    offset += len;
                    match record {
                        Record::Put { tx, key, value } => {
                            pending.entry(tx).or_default().push(Op::Put(key, value));
                        }
                        Record::Delete { tx, key } => {
                            pending.entry(tx).or_default().push(Op::Delete(key));
                        }
                        Record::Commit { tx, records } => {
                            let ops = pending.remove(&tx).unwrap_or_default();
                            if ops.len() != records as usize {
                                let (expected, found) = (records, ops.len());
                                let damage = Damage::Incomplete {
                                    tx,
                                    expected,
                                    found,
                                };
                                break Stop::Corrupt { at, damage };
                            }
                            // Only now do the transaction's writes count, all of them together.
                            for op in ops {
                                apply(&mut state, op);
                            }
                            (valid_len, committed, last_tx) = (offset, committed + 1, tx);
                        }
                    }
                }
            }
        }
    });
    let recovery = Recovery {
        committed,
        valid_len: valid_len as u64,
        discarded: (log.len() - valid_len) as u64,
        stop,
    };
    Replayed {
        state,
        last_tx,
        recovery,
    }
}
// ANCHOR_END: replay

fn apply(state: &mut BTreeMap<Vec<u8>, Vec<u8>>, op: Op) {
    match op {
        Op::Put(key, value) => {
            state.insert(key, value);
        }
        Op::Delete(key) => {
            state.remove(&key);
        }
    }
}

/// A durable key-value store: a write-ahead log on disk and a map in memory.
///
/// ```
/// use sysdesign::relational_acid::WalStore;
///
/// let dir = tempfile::tempdir().expect("a temporary directory");
/// let path = dir.path().join("store.wal");
/// let mut store = WalStore::open(&path)?;
/// store.begin().put("alice", "100").put("bob", "50").commit()?;
/// store.begin().delete("bob").commit()?;
/// drop(store);
///
/// let store = WalStore::open(&path)?; // recovery replays the log
/// assert_eq!(store.get("alice"), Some(&b"100"[..]));
/// assert_eq!(store.get("bob"), None);
/// assert_eq!(store.recovery().committed, 2);
/// # Ok::<(), sysdesign::relational_acid::WalError>(())
/// ```
#[derive(Debug)]
pub struct WalStore<L: LogFile = FileLog> {
    log: L,
    state: BTreeMap<Vec<u8>, Vec<u8>>,
    last_tx: u64,
    log_len: u64,
    syncs: u64,
    recovery: Recovery,
    poisoned: Option<String>,
}

impl WalStore<FileLog> {
    /// Opens (or creates) the log at `path` and recovers the committed state from it.
    ///
    /// A torn tail is cut off and reported in [`WalStore::recovery`]; a file that is damaged, or
    /// not a log of ours, is refused with [`WalError::Damaged`] and left byte for byte as it was.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, WalError> {
        let path = path.as_ref();
        let log = FileLog::open(path).map_err(|source| WalError::Io {
            file: path.display().to_string(),
            step: Step::Read,
            source,
        })?;
        WalStore::with_log(log)
    }
}

// ANCHOR: recover
impl<L: LogFile> WalStore<L> {
    /// Recovers a store from `log`: replays it, refuses damage, and cuts off a torn tail, so that
    /// new records are appended right after the last commit record.
    pub fn with_log(mut log: L) -> Result<Self, WalError> {
        let file = log.name();
        let io = |step| {
            let file = file.clone();
            move |source| WalError::Io { file, step, source }
        };
        let bytes = log.read_all().map_err(io(Step::Read))?;
        let Replayed {
            state,
            last_tx,
            recovery,
        } = replay(&bytes);
        if let Stop::Corrupt { at, damage } = recovery.stop {
            // Not what a crash leaves: change nothing, say where and what.
            return Err(WalError::Damaged { file, at, damage });
        }
        if recovery.discarded > 0 {
            // A torn tail: the records of an append that never finished, so never acknowledged.
            log.truncate(recovery.valid_len)
                .map_err(io(Step::Truncate))?;
        }
        let mut log_len = recovery.valid_len;
        if log_len == 0 {
            // A new file, or one whose creation was interrupted: write the header.
            log.append(&WAL_FORMAT.header()).map_err(io(Step::Write))?;
            log.sync().map_err(io(Step::Sync))?;
            log_len = FILE_HEADER as u64;
        }
        Ok(WalStore {
            log,
            state,
            last_tx,
            log_len,
            syncs: 0,
            recovery,
            poisoned: None,
        })
    }
    // ANCHOR_END: recover

    /// Starts a transaction; nothing is written until [`Transaction::commit`], and dropping it
    /// without committing aborts it.
    pub fn begin(&mut self) -> Transaction<'_, L> {
        Transaction {
            store: self,
            ops: Vec::new(),
        }
    }

    /// The committed value of `key`.
    pub fn get(&self, key: impl AsRef<[u8]>) -> Option<&[u8]> {
        self.state.get(key.as_ref()).map(Vec::as_slice)
    }

    /// Every committed key and value, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.state.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.state.len()
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.state.is_empty()
    }

    /// What recovery found when the store was opened.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Bytes of log written and acknowledged.
    pub fn log_len(&self) -> u64 {
        self.log_len
    }

    /// `fsync`s done since the store was opened.
    pub fn syncs(&self) -> u64 {
        self.syncs
    }

    /// Why the store refuses writes, if it does.
    pub fn poisoned(&self) -> Option<&str> {
        self.poisoned.as_deref()
    }

    /// The log file (for tests that inspect or sabotage it).
    pub fn log(&self) -> &L {
        &self.log
    }

    /// The log file, mutably (for tests that plan failures).
    pub fn log_mut(&mut self) -> &mut L {
        &mut self.log
    }

    /// Commits one transaction: see [`WalStore::commit_group`].
    pub fn commit(&mut self, ops: Vec<Op>) -> Result<u64, WalError> {
        let ids = self.commit_group(vec![ops])?;
        Ok(ids[0])
    }

    // ANCHOR: commit
    /// Commits several transactions with one write and one `fsync` (group commit), returning
    /// their ids. Each is still atomic on its own: a crash keeps a prefix of them.
    ///
    /// ```
    /// use sysdesign::relational_acid::{Op, WalStore, SimulatedLog};
    ///
    /// let mut store = WalStore::with_log(SimulatedLog::new())?;
    /// let put = |k: &str| vec![Op::Put(k.into(), b"v".to_vec())];
    /// assert_eq!(store.commit_group(vec![put("a"), put("b"), put("c")])?, [1, 2, 3]);
    /// assert_eq!(store.syncs(), 1);
    /// # Ok::<(), sysdesign::relational_acid::WalError>(())
    /// ```
    pub fn commit_group(&mut self, transactions: Vec<Vec<Op>>) -> Result<Vec<u64>, WalError> {
        if let Some(cause) = &self.poisoned {
            let cause = cause.clone();
            return Err(WalError::Poisoned { cause });
        }
        check_sizes(&transactions)?;
        let mut bytes = Vec::new();
        let mut ids = Vec::with_capacity(transactions.len());
        for (i, ops) in transactions.iter().enumerate() {
            let tx = self.last_tx + 1 + i as u64;
            for op in ops {
                let record = match op.clone() {
                    Op::Put(key, value) => Record::Put { tx, key, value },
                    Op::Delete(key) => Record::Delete { tx, key },
                };
                record.encode_into(&mut bytes, self.log_len);
            }
            let records = ops.len() as u32; // checked above
            Record::Commit { tx, records }.encode_into(&mut bytes, self.log_len);
            ids.push(tx);
        }
        // Write ahead: the log first, then fsync, and only then the visible state.
        if let Err(source) = self.log.append(&bytes) {
            return Err(self.poison(Step::Write, source));
        }
        if let Err(source) = self.log.sync() {
            // Never retry fsync and carry on: the failed pages may be gone from the disk while
            // a retry reports success (fsyncgate). Refuse further writes instead.
            return Err(self.poison(Step::Sync, source));
        }
        self.syncs += 1;
        self.log_len += bytes.len() as u64;
        self.last_tx += ids.len() as u64;
        for op in transactions.into_iter().flatten() {
            apply(&mut self.state, op);
        }
        Ok(ids)
    }
    // ANCHOR_END: commit

    fn poison(&mut self, step: Step, source: io::Error) -> WalError {
        self.poisoned = Some(format!("{step:?} failed: {source}"));
        let file = self.log.name();
        WalError::Io { file, step, source }
    }
}
