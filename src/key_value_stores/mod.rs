//! Key-value stores: a map from keys to opaque values, with get, put and delete, and nothing else.
//!
//! The store never looks inside a value, so it cannot filter, join or aggregate: every question
//! must be answerable by one key. In exchange, each operation is a single lookup in one index, which
//! makes the store simple to make fast, to persist and to spread over many machines.
//!
//! # The design
//!
//! One trait, [`KeyValueStore`], and three stores behind it, so one workload runs on each:
//!
//! | store | where the data lives | what survives |
//! | --- | --- | --- |
//! | [`MemoryStore`] | a `HashMap` in the process | nothing: it dies with the process |
//! | [`LogStore`] | an append-only file, with a `HashMap` from key to the value's offset (the Bitcask design) | every write, after a process crash; every synced write, after a power loss |
//! | [`SqliteStore`] | a SQLite table, `key BLOB PRIMARY KEY, value BLOB` | every committed write |
//! | [`WalStore`](crate::relational_acid::WalStore) | a write-ahead log fsynced at every commit, the state in a `BTreeMap` (see [`wal`]) | every acknowledged write |
//!
//! [`replication`] simulates the consistency choice a replicated store makes: how many replicas a
//! write waits for (W) and a read asks (R).
//!
//! ```
//! use sysdesign::key_value_stores::{KeyValueStore, MemoryStore};
//!
//! let mut store = MemoryStore::new();
//! store.put(b"user:42", b"Ada").unwrap();
//! assert_eq!(store.get(b"user:42").unwrap(), Some(b"Ada".to_vec()));
//! assert!(store.delete(b"user:42").unwrap());
//! assert_eq!(store.get(b"user:42").unwrap(), None);
//! ```

pub mod crash;
pub mod log;
pub mod memory;
pub mod replication;
#[cfg(feature = "sqlite")]
pub mod sqlite;
pub mod wal;

pub use log::{LogStore, SyncPolicy};
pub use memory::MemoryStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use std::fmt;
use std::path::PathBuf;

/// Why a store operation failed; carries the file or statement involved.
#[derive(Debug)]
pub enum KvError {
    /// A file operation failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The log holds something other than intact records and a torn tail (or is not a log of
    /// ours); the file was left untouched, and [`LogStore::repair`] salvages it.
    Corrupt {
        /// The log file.
        path: PathBuf,
        /// Where the damage starts.
        offset: u64,
        /// What was found there.
        damage: crate::relational_acid::frame::Damage,
    },
    /// A repair found no intact record: the file is not a log of ours, and was left as it is.
    NotAStore {
        /// The file.
        path: PathBuf,
        /// Its first bytes.
        found: Vec<u8>,
    },
    /// A key and value together are longer than one record may carry.
    TooLong {
        /// Bytes of key and value.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// An earlier write, `fsync` or compaction failed, so the store refuses to write: reopen it.
    Poisoned {
        /// The failure.
        cause: String,
    },
    /// The write-ahead-log store failed (see [`crate::relational_acid::WalError`]).
    Wal(crate::relational_acid::WalError),
    /// A SQLite statement failed.
    #[cfg(feature = "sqlite")]
    Sqlite {
        /// The statement.
        sql: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}

impl fmt::Display for KvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            KvError::Corrupt {
                path,
                offset,
                damage,
            } => write!(
                f,
                "{}: damaged at byte {offset}: {damage}; the file was left untouched (repair salvages it)",
                path.display()
            ),
            KvError::NotAStore { path, found } => write!(
                f,
                "{}: no intact record found, not a log of ours (it starts with {found:02x?}); left untouched",
                path.display()
            ),
            KvError::TooLong { len, limit } => {
                write!(f, "key and value of {len} bytes: over the limit of {limit}")
            }
            KvError::Poisoned { cause } => {
                write!(
                    f,
                    "store poisoned by an earlier failure ({cause}); reopen it"
                )
            }
            KvError::Wal(e) => write!(f, "write-ahead-log store: {e}"),
            #[cfg(feature = "sqlite")]
            KvError::Sqlite { sql, source } => write!(f, "{sql}: {source}"),
        }
    }
}

impl std::error::Error for KvError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KvError::Io { source, .. } => Some(source),
            #[cfg(feature = "sqlite")]
            KvError::Sqlite { source, .. } => Some(source),
            KvError::Wal(e) => Some(e),
            _ => None,
        }
    }
}

impl From<crate::relational_acid::WalError> for KvError {
    fn from(e: crate::relational_acid::WalError) -> Self {
        KvError::Wal(e)
    }
}

// ANCHOR: trait
/// The whole interface of a key-value store.
pub trait KeyValueStore {
    /// The value stored under `key`, if any.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError>;
    /// Stores `value` under `key`, replacing any value there.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError>;
    /// Removes `key`; says whether it was there.
    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError>;
}
// ANCHOR_END: trait
