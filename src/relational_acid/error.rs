//! The errors of the write-ahead-log store: each names the file and the offending value.

use std::fmt;
use std::io;

use super::frame::Damage;

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
    /// Keeping the backup copy before a repair.
    Backup,
    /// Replacing the file with its repaired contents.
    Replace,
}

/// Why a store operation failed.
#[derive(Debug)]
pub enum WalError {
    /// The log's file failed at `step`.
    Io {
        /// The file.
        file: String,
        /// What the store was doing.
        step: Step,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file holds something other than committed records and a torn tail. Nothing was
    /// changed; [`WalStore::repair`](super::WalStore::repair) salvages what can be proven intact.
    Damaged {
        /// The file.
        file: String,
        /// The byte offset where the damage starts.
        at: u64,
        /// What was found there.
        damage: Damage,
    },
    /// A repair found not one intact record: the file is not a log of ours, and was left as is.
    NothingToSalvage {
        /// The file.
        file: String,
        /// Its first bytes.
        found: Vec<u8>,
    },
    /// A write larger than the format allows was refused before anything was written.
    TooLarge {
        /// What was too large (`"key and value"`, `"operations in one transaction"`).
        what: &'static str,
        /// Its size.
        len: usize,
        /// The limit.
        limit: usize,
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
            WalError::Io { file, step, source } => write!(f, "{file}: {step:?} failed: {source}"),
            WalError::Damaged { file, at, damage } => write!(
                f,
                "{file}: damaged at byte {at}: {damage}; the file was left untouched (repair salvages it)"
            ),
            WalError::NothingToSalvage { file, found } => write!(
                f,
                "{file}: no intact record found, not a write-ahead log (it starts with {found:02x?}); left untouched"
            ),
            WalError::TooLarge { what, len, limit } => {
                write!(f, "{what}: {len} is over the limit of {limit}")
            }
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
            _ => None,
        }
    }
}
