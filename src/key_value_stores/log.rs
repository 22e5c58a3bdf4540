//! A persistent key-value store in the Bitcask style: an append-only log file holds every write,
//! and a hash map in memory points from each key to the latest value's place in the file.
//!
//! A put appends one record and moves the key's pointer; a get is one hash lookup and one read at
//! a known offset; a delete appends a *tombstone*. Opening the store replays the log to rebuild the
//! map, which is also its crash recovery. The file uses the same header and frames as the
//! write-ahead log ([`crate::relational_acid::frame`]), so a reopen tells apart the two things it
//! can find: a torn tail (the last record cut short by a crash), which is truncated, and damage
//! (anything else), which is refused with [`KvError::Corrupt`], the file untouched, until an
//! explicit [`LogStore::repair`]. Old values stay in the file until [`LogStore::compact`]
//! rewrites it through the crash-safe [`replace_file`].

use super::{KeyValueStore, KvError};
use crate::relational_acid::LogFile;
use crate::relational_acid::dir::{Directory, FsDir, replace_file};
use crate::relational_acid::frame::{
    Damage, FILE_HEADER, FRAME_HEADER, Format, Frame, Header, MAX_PAYLOAD, read_frame, write_frame,
};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

mod repair;
pub use repair::{repair_in, salvage};

/// When a [`LogStore`] or [`super::SqliteStore`] asks the device to make a write durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncPolicy {
    /// fsync before every put or delete returns: survives a power loss.
    EveryWrite,
    /// Never fsync; the kernel writes back when it likes: survives a process crash only.
    Never,
}

/// The log-structured store's file format: magic `sd-kvl`, version 1.
pub const KV_FORMAT: Format = Format {
    magic: *b"sd-kvl",
    version: 1,
};

const PUT: u8 = 1;
const DELETE: u8 = 0;
/// Payload bytes before the key: kind and key length.
const KEY_AT: usize = 1 + 4;
/// The most bytes of key and value together that one record may carry.
pub const MAX_KEY_AND_VALUE: usize = MAX_PAYLOAD - KEY_AT;

// ANCHOR: record
/// Frames one record: kind (put or delete), key length, key, value; [`write_frame`] adds the sync
/// marker, the length and the checksums around it.
fn encode(out: &mut Vec<u8>, base: u64, kind: u8, key: &[u8], value: &[u8]) -> Result<(), KvError> {
    let len = key.len().saturating_add(value.len());
    if len > MAX_KEY_AND_VALUE {
        let limit = MAX_KEY_AND_VALUE;
        return Err(KvError::TooLong { len, limit });
    }
    let mut payload = Vec::with_capacity(KEY_AT + len);
    payload.push(kind);
    payload.extend_from_slice(&(key.len() as u32).to_le_bytes());
    payload.extend_from_slice(key);
    payload.extend_from_slice(value);
    write_frame(out, base, &payload);
    Ok(())
}
// ANCHOR_END: record

/// A record read back: kind, key, and where its value lies in the payload.
struct Parsed<'a> {
    kind: u8,
    key: &'a [u8],
    value_at: usize,
    value_len: usize,
}

fn parse(payload: &[u8]) -> Result<Parsed<'_>, Damage> {
    let bad = |why: String| Damage::Payload(why);
    let kind = *payload
        .first()
        .ok_or_else(|| bad("an empty record".into()))?;
    if kind != PUT && kind != DELETE {
        return Err(bad(format!("unknown record kind {kind}")));
    }
    let key_len = payload
        .get(1..KEY_AT)
        .map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")) as usize)
        .ok_or_else(|| bad("no key length".into()))?;
    let key = payload
        .get(KEY_AT..KEY_AT.saturating_add(key_len))
        .ok_or_else(|| bad(format!("key length {key_len} exceeds the record")))?;
    let value_at = KEY_AT + key_len;
    Ok(Parsed {
        kind,
        key,
        value_at,
        value_len: payload.len() - value_at,
    })
}

type Index = HashMap<Vec<u8>, (u64, u32)>;

// ANCHOR: open
/// Replays the records after the header until the end, a torn tail, or damage; returns the index,
/// where the intact records end, and the damage if that is why it stopped.
fn scan(bytes: &[u8]) -> (Index, usize, Option<Damage>) {
    let mut index = HashMap::new();
    let mut at = FILE_HEADER;
    loop {
        let (payload, len) = match read_frame(bytes, at) {
            Frame::End | Frame::Torn => return (index, at, None),
            Frame::Damaged(damage) => return (index, at, Some(damage)),
            Frame::Whole { payload, len } => (payload, len),
        };
        match parse(payload) {
            Ok(record) if record.kind == PUT => {
                let value_at = (at + FRAME_HEADER + record.value_at) as u64;
                index.insert(record.key.to_vec(), (value_at, record.value_len as u32));
            }
            Ok(record) => {
                index.remove(record.key);
            }
            Err(damage) => return (index, at, Some(damage)),
        }
        at += len;
    }
}
// ANCHOR_END: open

/// A key-value store kept in one append-only file, indexed by a hash map in memory.
///
/// ```
/// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("kv.log");
/// let mut store = LogStore::open(&path, SyncPolicy::Never)?;
/// store.put(b"a", b"1")?;
/// store.put(b"a", b"2")?;
/// store.delete(b"a")?;
/// store.put(b"b", b"3")?;
/// drop(store);
/// let store = LogStore::open(&path, SyncPolicy::Never)?; // replays the log
/// assert_eq!(store.get(b"a")?, None);
/// assert_eq!(store.get(b"b")?, Some(b"3".to_vec()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LogStore<D: Directory = FsDir> {
    dir: D,
    name: OsString,
    file: D::File,
    end: u64,
    index: Index,
    sync: SyncPolicy,
    torn: u64,
    poisoned: Option<String>,
}

impl LogStore {
    /// Opens (or creates) the log at `path` and replays it to rebuild the index.
    /// A torn last record is what a crash in the middle of an append leaves: it is cut off.
    /// Anything else is refused with [`KvError::Corrupt`] and the file is left as it was.
    pub fn open(path: &Path, sync: SyncPolicy) -> Result<Self, KvError> {
        let (dir, name) = FsDir::of_file(path).ok_or_else(|| no_file_name(path))?;
        LogStore::open_in(dir, &name, sync)
    }
}

fn no_file_name(path: &Path) -> KvError {
    let source = std::io::Error::other("the path names no file");
    let path = path.to_path_buf();
    KvError::Io { path, source }
}

impl<D: Directory> LogStore<D> {
    /// Opens (or creates) the log `name` in `dir`; see [`LogStore::open`].
    pub fn open_in(mut dir: D, name: &OsStr, sync: SyncPolicy) -> Result<Self, KvError> {
        let path = PathBuf::from(dir.describe(name));
        let io = |source| KvError::Io {
            path: path.clone(),
            source,
        };
        let mut file = dir.open(name).map_err(io)?;
        let bytes = file.read_all().map_err(io)?;
        let (index, end, torn) = match KV_FORMAT.check(&bytes) {
            Header::Wrong(damage) => {
                return Err(KvError::Corrupt {
                    path,
                    offset: 0,
                    damage,
                });
            }
            Header::Empty | Header::Torn => {
                // A new file, or one whose creation a crash interrupted: start it afresh.
                file.truncate(0).map_err(io)?;
                file.append(&KV_FORMAT.header()).map_err(io)?;
                file.sync().map_err(io)?;
                (HashMap::new(), FILE_HEADER, bytes.len())
            }
            Header::Valid => match scan(&bytes) {
                (_, at, Some(damage)) => {
                    let offset = at as u64;
                    return Err(KvError::Corrupt {
                        path,
                        offset,
                        damage,
                    });
                }
                (index, end, None) => {
                    if end < bytes.len() {
                        file.truncate(end as u64).map_err(io)?; // the torn tail
                    }
                    (index, end, bytes.len() - end)
                }
            },
        };
        Ok(LogStore {
            dir,
            name: name.to_os_string(),
            file,
            end: end as u64,
            index,
            sync,
            torn: torn as u64,
            poisoned: None,
        })
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(self.dir.describe(&self.name))
    }

    fn io_error(&self, source: std::io::Error) -> KvError {
        KvError::Io {
            path: self.path(),
            source,
        }
    }

    /// Records the failure, so that every later write is refused, and returns it as an error.
    fn poison(&mut self, source: std::io::Error) -> KvError {
        self.poisoned = Some(source.to_string());
        self.io_error(source)
    }

    fn append(&mut self, record: &[u8]) -> Result<(), KvError> {
        if let Some(cause) = &self.poisoned {
            let cause = cause.clone();
            return Err(KvError::Poisoned { cause });
        }
        if let Err(e) = self.file.append(record) {
            return Err(self.poison(e));
        }
        if self.sync == SyncPolicy::EveryWrite
            && let Err(e) = self.file.sync()
        {
            return Err(self.poison(e));
        }
        self.end += record.len() as u64;
        Ok(())
    }

    /// The log's size in bytes, header and live and dead records alike.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let mut store = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never)?;
    /// store.put(b"k", b"v")?;
    /// assert_eq!(store.log_bytes(), 8 + 16 + 5 + 2); // header, frame header, kind and key length, k, v
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn log_bytes(&self) -> u64 {
        self.end
    }

    /// Bytes of a torn tail that opening the store cut off (0 if there was none).
    pub fn torn_bytes(&self) -> u64 {
        self.torn
    }

    /// The number of live keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The live keys, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &[u8]> {
        self.index.keys().map(Vec::as_slice)
    }

    /// Whether the store holds no keys.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The store's directory (for tests that crash it).
    pub fn dir(&self) -> &D {
        &self.dir
    }

    // ANCHOR: compact
    /// Rewrites the log with only the live values, through [`replace_file`]: a temporary file
    /// beside the live one (a longer name, created exclusively), `fsync`, `rename`, `fsync` of the
    /// directory. A crash at any step leaves the old file or the new one. If a step fails, the
    /// store is poisoned: it no longer knows which file its handle points to, so reopen it.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let mut store = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never)?;
    /// for i in 0..10u8 {
    ///     store.put(b"k", &[i])?;
    /// }
    /// store.compact()?;
    /// assert_eq!(store.log_bytes(), 8 + 16 + 5 + 2);
    /// assert_eq!(store.get(b"k")?, Some(vec![9]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compact(&mut self) -> Result<(), KvError> {
        if let Some(cause) = &self.poisoned {
            let cause = cause.clone();
            return Err(KvError::Poisoned { cause });
        }
        let mut bytes = KV_FORMAT.header().to_vec();
        let mut index = HashMap::new();
        let mut keys: Vec<&Vec<u8>> = self.index.keys().collect();
        keys.sort(); // a deterministic file, whatever the hash map's order
        for key in keys {
            let value = self.get(key)?.unwrap_or_default();
            let value_at = bytes.len() + FRAME_HEADER + KEY_AT + key.len();
            encode(&mut bytes, 0, PUT, key, &value)?;
            index.insert(key.clone(), (value_at as u64, value.len() as u32));
        }
        let replaced = replace_file(&mut self.dir, &self.name, &bytes)
            .and_then(|()| self.dir.open(&self.name));
        match replaced {
            Ok(file) => self.file = file,
            Err(e) => return Err(self.poison(e)),
        }
        self.index = index;
        self.end = bytes.len() as u64;
        Ok(())
    }
    // ANCHOR_END: compact
}

// ANCHOR: log_ops
impl<D: Directory> KeyValueStore for LogStore<D> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        let Some(&(at, len)) = self.index.get(key) else {
            return Ok(None);
        };
        let mut value = vec![0; len as usize];
        self.file
            .read_at(&mut value, at)
            .map_err(|e| self.io_error(e))?;
        Ok(Some(value))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError> {
        let mut record = Vec::new();
        encode(&mut record, self.end, PUT, key, value)?;
        let value_at = self.end + (FRAME_HEADER + KEY_AT + key.len()) as u64;
        self.append(&record)?;
        self.index
            .insert(key.to_vec(), (value_at, value.len() as u32));
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError> {
        if !self.index.contains_key(key) {
            return Ok(false);
        }
        let mut record = Vec::new();
        encode(&mut record, self.end, DELETE, key, &[])?;
        self.append(&record)?;
        self.index.remove(key);
        Ok(true)
    }
}
// ANCHOR_END: log_ops
