//! Real files: writes with and without fsync, and a child process killed right after it writes.
//!
//! Nothing here reads the clock: a program times [`write_records`] itself, so the library stays
//! deterministic and the timing stays in the program that prints it.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// Why a storage experiment failed; each variant carries the path or value involved.
#[derive(Debug)]
pub enum StorageError {
    /// A file operation failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// `sync_every` was zero: "fsync after every 0 records" means nothing.
    ZeroSyncInterval,
    /// The child process could not be started (is `sh` installed?).
    Spawn(io::Error),
    /// The child was supposed to be killed by `SIGKILL` but ended another way.
    NotKilled(ExitStatus),
    /// The payload holds a NUL byte, which a command-line argument cannot carry.
    NulInPayload(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StorageError::ZeroSyncInterval => write!(f, "sync_every must be at least 1, got 0"),
            StorageError::Spawn(e) => write!(f, "could not start the child `sh`: {e}"),
            StorageError::NotKilled(status) => {
                write!(f, "the child should have died of SIGKILL, but {status}")
            }
            StorageError::NulInPayload(p) => write!(f, "payload {p:?} holds a NUL byte"),
        }
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StorageError::Io { source, .. } | StorageError::Spawn(source) => Some(source),
            _ => None,
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StorageError + '_ {
    move |source| StorageError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What [`write_records`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteStats {
    /// Records written.
    pub records: usize,
    /// Bytes written.
    pub bytes: usize,
    /// fsyncs issued (`File::sync_data`).
    pub syncs: usize,
}

// ANCHOR: write_records
/// Creates (or truncates) `path` and appends `records` records of `record_size` bytes, each
/// handed to the kernel with one `write` call; with `sync_every = Some(k)` it calls
/// `File::sync_data` (fsync without the metadata that does not matter for reading the data back)
/// after every `k` records and after the last one; with `None` it never syncs, and the data may
/// sit in the page cache for many seconds.
///
/// ```
/// use sysdesign::storage_basics::write_records;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("log");
/// let stats = write_records(&path, 10, 100, Some(4)).unwrap();
/// assert_eq!((stats.bytes, stats.syncs), (1_000, 3)); // after records 4, 8 and 10
/// assert_eq!(std::fs::metadata(&path).unwrap().len(), 1_000);
/// assert!(write_records(&path, 10, 100, Some(0)).is_err());
/// ```
pub fn write_records(
    path: &Path,
    records: usize,
    record_size: usize,
    sync_every: Option<usize>,
) -> Result<WriteStats, StorageError> {
    if sync_every == Some(0) {
        return Err(StorageError::ZeroSyncInterval);
    }
    let mut file = File::create(path).map_err(io_error(path))?;
    let mut record = vec![b'.'; record_size];
    if let Some(last) = record.last_mut() {
        *last = b'\n';
    }
    let mut syncs = 0;
    for i in 1..=records {
        file.write_all(&record).map_err(io_error(path))?;
        if let Some(k) = sync_every
            && (i % k == 0 || i == records)
        {
            file.sync_data().map_err(io_error(path))?;
            syncs += 1;
        }
    }
    Ok(WriteStats {
        records,
        bytes: records * record_size,
        syncs,
    })
}
// ANCHOR_END: write_records

/// How the child of [`crash_after_write`] ended, and what the parent then read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crash {
    /// The signal that ended the child (9, `SIGKILL`, when all went as planned).
    pub signal: i32,
    /// The file's contents read back by the parent after the child was dead.
    pub read_back: String,
}

// ANCHOR: crash_after_write
/// Starts a child process (`sh`) that writes `payload` to `path` with one `write(2)` and no fsync,
/// then sends itself `SIGKILL`, which no process can catch or clean up after; waits for it to die
/// and reads the file back.
///
/// ```
/// use sysdesign::storage_basics::crash_after_write;
///
/// let dir = tempfile::tempdir().unwrap();
/// let crash = crash_after_write(&dir.path().join("f"), "order 42 paid").unwrap();
/// assert_eq!(crash.signal, 9);
/// assert_eq!(crash.read_back, "order 42 paid");
/// ```
pub fn crash_after_write(path: &Path, payload: &str) -> Result<Crash, StorageError> {
    use std::os::unix::process::ExitStatusExt;

    if payload.contains('\0') {
        return Err(StorageError::NulInPayload(payload.to_string()));
    }
    // `printf` is a shell builtin: the bytes go from the shell's memory to the kernel in one write,
    // and `kill -KILL $$` ends the shell before it can do anything else.
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"printf '%s' "$1" > "$2" && kill -KILL $$"#)
        .arg("sh")
        .arg(payload)
        .arg(path)
        .status()
        .map_err(StorageError::Spawn)?;
    let signal = status.signal().ok_or(StorageError::NotKilled(status))?;
    let read_back = std::fs::read_to_string(path).map_err(io_error(path))?;
    Ok(Crash { signal, read_back })
}
// ANCHOR_END: crash_after_write

// ANCHOR: lost_in_buffer
/// Writes `payload` through a `BufWriter` to `path` and then ends the writer the way a crash
/// would, without running its destructor (which would have flushed); returns what a reader finds.
/// The bytes were "written" as far as the program knew, yet never reached the kernel.
///
/// ```
/// use sysdesign::storage_basics::files::lost_in_buffer;
///
/// let dir = tempfile::tempdir().unwrap();
/// assert_eq!(lost_in_buffer(&dir.path().join("f"), "order 42 paid").unwrap(), "");
/// ```
pub fn lost_in_buffer(path: &Path, payload: &str) -> Result<String, StorageError> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(io_error(path))?;
    let mut writer = io::BufWriter::new(file);
    writer
        .write_all(payload.as_bytes())
        .map_err(io_error(path))?;
    // A crash runs no destructors: forgetting the writer is the closest a live process can get.
    std::mem::forget(writer);
    std::fs::read_to_string(path).map_err(io_error(path))
}
// ANCHOR_END: lost_in_buffer
