//! The file under the log, behind a trait, so tests can make its writes and `fsync`s fail.
//!
//! [`FileLog`] is a real file.
//! [`SimulatedLog`] keeps two images in memory: what the operating system shows to reads (its page
//! cache) and what is on the disk, which is all that survives a crash.
//! It fails the writes and `fsync`s it is told to, the way Linux does: after a failed `fsync` the
//! unwritten pages are marked clean anyway, so the next `fsync` succeeds although the data never
//! reached the disk (the 2018 "fsyncgate" finding of the PostgreSQL developers).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

// ANCHOR: trait
/// What the write-ahead log needs from the file it lives in.
pub trait LogFile {
    /// Everything in the file, as a read sees it.
    fn read_all(&mut self) -> io::Result<Vec<u8>>;
    /// Appends `bytes` at the end (they may sit in the operating system's cache until `sync`).
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Forces the appended bytes to the disk (`fsync`); only after `Ok` may a commit be acknowledged.
    fn sync(&mut self) -> io::Result<()>;
    /// Cuts the file to `len` bytes and makes the new length durable.
    fn truncate(&mut self, len: u64) -> io::Result<()>;
    /// Fills `buf` with the bytes at offset `at`, as a read sees them. The write-ahead log never
    /// reads after opening and does not need it; the log-structured store does. The default
    /// says it is unsupported.
    fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        let _ = (buf, at);
        Err(io::ErrorKind::Unsupported.into())
    }
    /// What to call the file in an error message: its path, for a real file.
    fn name(&self) -> String {
        "the log".to_string()
    }
}
// ANCHOR_END: trait

/// A log in a real file, opened for reading and appending.
///
/// ```
/// use sysdesign::relational_acid::{FileLog, LogFile};
///
/// let dir = tempfile::tempdir()?;
/// let mut log = FileLog::open(dir.path().join("wal.log"))?;
/// log.append(b"hello")?;
/// log.sync()?;
/// assert_eq!(log.read_all()?, b"hello");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct FileLog {
    file: File,
    path: PathBuf,
}

impl FileLog {
    /// Opens `path`, creating it if needed; a new file's directory entry is made durable too.
    pub fn open(path: impl AsRef<Path>) -> io::Result<FileLog> {
        let path = path.as_ref().to_path_buf();
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        if !existed {
            // A new file's name lives in its directory: fsync the directory, or a crash can
            // lose the whole file even after the file itself was synced.
            let parent = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            File::open(parent)?.sync_all()?;
        }
        Ok(FileLog { file, path })
    }

    /// Creates `path`, failing if anything exists there (`O_EXCL`); the directory entry is not
    /// made durable: the caller syncs the directory when it matters.
    pub fn create_new(path: impl AsRef<Path>) -> io::Result<FileLog> {
        let path = path.as_ref().to_path_buf();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(&path)?;
        Ok(FileLog { file, path })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl LogFile for FileLog {
    fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.file.seek(SeekFrom::Start(0))?;
        self.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    fn sync(&mut self) -> io::Result<()> {
        // Appends change the file's length, so `sync_data` flushes that metadata too.
        self.file.sync_data()
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.file.set_len(len)?;
        self.file.sync_all()
    }

    fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, at)
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// An in-memory log with a page cache, a disk, and injected failures.
///
/// ```
/// use sysdesign::relational_acid::{LogFile, SimulatedLog};
///
/// let mut log = SimulatedLog::new();
/// log.append(b"acked")?;
/// log.sync()?;
/// log.append(b"lost")?;
/// log.fail_next_sync();
/// assert!(log.sync().is_err());
/// assert!(log.sync().is_ok(), "the retry succeeds: the failed pages were marked clean");
/// assert_eq!(log.read_all()?, b"ackedlost", "reads still see the data");
/// assert_eq!(log.disk(), b"acked\0\0\0\0", "but the disk has a hole where it should be");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SimulatedLog {
    cache: Vec<u8>,
    disk: Vec<u8>,
    /// Cache bytes `synced..` are dirty: written but not yet on the disk.
    synced: usize,
    /// Ranges whose writeback failed: the disk holds zeros there.
    lost: Vec<Range<usize>>,
    fail_write: Option<usize>,
    fail_sync: bool,
    syncs: u64,
}

impl SimulatedLog {
    /// An empty log with no failure planned.
    pub fn new() -> SimulatedLog {
        SimulatedLog::default()
    }

    /// A log whose disk and cache both hold `bytes`, as after a restart.
    pub fn from_disk(bytes: Vec<u8>) -> SimulatedLog {
        SimulatedLog {
            synced: bytes.len(),
            cache: bytes.clone(),
            disk: bytes,
            ..SimulatedLog::default()
        }
    }

    /// Makes the next `append` write only its first `keep` bytes and then fail (a short write
    /// followed by, say, `ENOSPC`).
    pub fn fail_next_write(&mut self, keep: usize) {
        self.fail_write = Some(keep);
    }

    /// Makes the next `sync` fail, losing the dirty bytes as Linux does.
    pub fn fail_next_sync(&mut self) {
        self.fail_sync = true;
    }

    /// What the disk holds: all that a crash leaves.
    pub fn disk(&self) -> &[u8] {
        &self.disk
    }

    /// The log as it is after a crash and restart: the cache is gone, the disk remains.
    pub fn after_crash(&self) -> SimulatedLog {
        SimulatedLog::from_disk(self.disk.clone())
    }

    /// How many `sync` calls succeeded.
    pub fn syncs(&self) -> u64 {
        self.syncs
    }
}

impl LogFile for SimulatedLog {
    fn read_all(&mut self) -> io::Result<Vec<u8>> {
        Ok(self.cache.clone())
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(keep) = self.fail_write.take() {
            self.cache
                .extend_from_slice(&bytes[..keep.min(bytes.len())]);
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                format!(
                    "injected: write of {} bytes failed after {keep}",
                    bytes.len()
                ),
            ));
        }
        self.cache.extend_from_slice(bytes);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.fail_sync) {
            // Writeback failed; the kernel reports it once and marks the pages clean.
            self.lost.push(self.synced..self.cache.len());
            self.synced = self.cache.len();
            return Err(io::Error::other("injected: fsync failed (EIO)"));
        }
        self.disk.clone_from(&self.cache);
        for range in &self.lost {
            self.disk[range.clone()].fill(0);
        }
        self.synced = self.cache.len();
        self.syncs += 1;
        Ok(())
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(io::Error::other)?;
        self.cache.truncate(len);
        self.disk.truncate(len);
        self.synced = self.synced.min(len);
        for range in &mut self.lost {
            range.end = range.end.min(len);
        }
        self.lost.retain(|range| !range.is_empty());
        Ok(())
    }

    fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        let start = usize::try_from(at).map_err(io::Error::other)?;
        let bytes = start
            .checked_add(buf.len())
            .and_then(|end| self.cache.get(start..end))
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        buf.copy_from_slice(bytes);
        Ok(())
    }

    fn name(&self) -> String {
        "simulated log".to_string()
    }
}
