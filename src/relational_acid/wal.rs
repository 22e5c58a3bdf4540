//! A key-value store whose only file is a write-ahead log.
//!
//! A commit appends the transaction's records and a commit record in one write, then `fsync`s,
//! and only then changes the in-memory map and returns.
//! Opening the store replays the log: it applies each transaction whose commit record is intact,
//! stops at the first record that is cut short or fails its checksum, and truncates the file there.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::path::Path;

use super::log_file::{FileLog, LogFile};
use super::record::{Damage, Decoded, Record, decode};

/// One change inside a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Set the key to the value.
    Put(Vec<u8>, Vec<u8>),
    /// Remove the key.
    Delete(Vec<u8>),
}

/// The step of the log's I/O that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Opening or reading the log.
    Read,
    /// Appending records.
    Write,
    /// `fsync`.
    Sync,
    /// Cutting a torn tail off during recovery.
    Truncate,
}

/// Why a store operation failed.
#[derive(Debug)]
pub enum WalError {
    /// The log's file failed at `step`.
    Io {
        /// What the store was doing.
        step: Step,
        /// The operating system's error.
        source: io::Error,
    },
    /// An earlier write or `fsync` failed, so the store refuses to write again: the file's
    /// contents are no longer known. Drop it and open the log again to recover.
    Poisoned {
        /// The failure that poisoned the store.
        cause: String,
    },
}

impl fmt::Display for WalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalError::Io { step, source } => write!(f, "log {step:?} failed: {source}"),
            WalError::Poisoned { cause } => {
                write!(
                    f,
                    "store poisoned by an earlier failure ({cause}); reopen it to recover"
                )
            }
        }
    }
}

impl std::error::Error for WalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WalError::Io { source, .. } => Some(source),
            WalError::Poisoned { .. } => None,
        }
    }
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
/// let mut bytes = store.log().disk().to_vec();
/// let whole = bytes.len();
/// store.begin().put("b", "2").commit()?;
/// bytes = store.log().disk()[..whole + 5].to_vec(); // a crash mid-way through the second
/// let replayed = replay(&bytes);
/// assert_eq!(replayed.recovery.committed, 1);
/// assert_eq!(replayed.recovery.stop, Stop::Torn { at: whole as u64 });
/// assert_eq!(replayed.state.len(), 1);
/// # Ok::<(), sysdesign::relational_acid::WalError>(())
/// ```
pub fn replay(log: &[u8]) -> Replayed {
    let mut state = BTreeMap::new();
    let mut pending: HashMap<u64, Vec<Op>> = HashMap::new();
    let (mut offset, mut valid_len, mut committed, mut last_tx) = (0, 0, 0, 0);
    let stop = loop {
        let at = offset as u64;
        match decode(&log[offset..]) {
            Decoded::End => break Stop::CleanEnd,
            Decoded::Torn { .. } => break Stop::Torn { at },
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
                    Record::Commit { tx } => {
                        // Only now do the transaction's writes count, all of them together.
                        for op in pending.remove(&tx).unwrap_or_default() {
                            apply(&mut state, op);
                        }
                        (valid_len, committed, last_tx) = (offset, committed + 1, tx);
                    }
                }
            }
        }
    };
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
    pub fn open(path: impl AsRef<Path>) -> Result<Self, WalError> {
        let log = FileLog::open(path).map_err(|source| WalError::Io {
            step: Step::Read,
            source,
        })?;
        WalStore::with_log(log)
    }
}

// ANCHOR: recover
impl<L: LogFile> WalStore<L> {
    /// Recovers a store from `log`: replays it and cuts off whatever follows the last intact
    /// commit record, so that new records are appended right after it.
    pub fn with_log(mut log: L) -> Result<Self, WalError> {
        let bytes = log.read_all().map_err(|source| WalError::Io {
            step: Step::Read,
            source,
        })?;
        let Replayed {
            state,
            last_tx,
            recovery,
        } = replay(&bytes);
        if recovery.discarded > 0 {
            log.truncate(recovery.valid_len)
                .map_err(|source| WalError::Io {
                    step: Step::Truncate,
                    source,
                })?;
        }
        Ok(WalStore {
            log,
            state,
            last_tx,
            log_len: recovery.valid_len,
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
        let mut bytes = Vec::new();
        let mut ids = Vec::with_capacity(transactions.len());
        for (i, ops) in transactions.iter().enumerate() {
            let tx = self.last_tx + 1 + i as u64;
            for op in ops {
                let record = match op.clone() {
                    Op::Put(key, value) => Record::Put { tx, key, value },
                    Op::Delete(key) => Record::Delete { tx, key },
                };
                record.encode_into(&mut bytes);
            }
            Record::Commit { tx }.encode_into(&mut bytes);
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
        WalError::Io { step, source }
    }
}

/// A transaction being built: puts and deletes that become visible together at commit.
#[derive(Debug)]
pub struct Transaction<'s, L: LogFile> {
    store: &'s mut WalStore<L>,
    ops: Vec<Op>,
}

impl<L: LogFile> Transaction<'_, L> {
    /// Sets `key` to `value` when the transaction commits.
    pub fn put(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        let op = Op::Put(key.as_ref().to_vec(), value.as_ref().to_vec());
        self.ops.push(op);
        self
    }

    /// Removes `key` when the transaction commits.
    pub fn delete(&mut self, key: impl AsRef<[u8]>) -> &mut Self {
        self.ops.push(Op::Delete(key.as_ref().to_vec()));
        self
    }

    /// Writes the transaction to the log, `fsync`s, applies it, and returns its id.
    /// On an error nothing is applied, and the store is poisoned.
    pub fn commit(&mut self) -> Result<u64, WalError> {
        let ops = std::mem::take(&mut self.ops);
        self.store.commit(ops)
    }
}
