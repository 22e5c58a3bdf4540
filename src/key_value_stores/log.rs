//! A persistent key-value store in the Bitcask style: an append-only log file holds every write,
//! and a hash map in memory points from each key to the latest value's place in the file.
//!
//! A put appends one record and moves the key's pointer; a get is one hash lookup and one read at
//! a known offset; a delete appends a *tombstone*. Opening the store replays the log to rebuild the
//! map, which is also its crash recovery: a record cut short by a crash is the last one in the
//! file, and is dropped. Old values stay in the file until [`LogStore::compact`] rewrites it.

use super::{KeyValueStore, KvError};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// When a [`LogStore`] or [`super::SqliteStore`] asks the device to make a write durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncPolicy {
    /// fsync before every put or delete returns: survives a power loss.
    EveryWrite,
    /// Never fsync; the kernel writes back when it likes: survives a process crash only.
    Never,
}

const HEADER: usize = 4 + 1 + 4 + 4;
const PUT: u8 = 1;
const DELETE: u8 = 0;

/// FNV-1a, 32 bits: enough to tell a torn or damaged record from a whole one.
fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

// ANCHOR: record
/// One record: checksum, kind (put or delete), key length, value length, key, value.
fn encode(kind: u8, key: &[u8], value: &[u8]) -> Result<Vec<u8>, KvError> {
    let key_len = u32::try_from(key.len()).map_err(|_| KvError::TooLong(key.len()))?;
    let value_len = u32::try_from(value.len()).map_err(|_| KvError::TooLong(value.len()))?;
    let mut record = Vec::with_capacity(HEADER + key.len() + value.len());
    record.extend_from_slice(&[0; 4]); // the checksum, filled in below
    record.push(kind);
    record.extend_from_slice(&key_len.to_le_bytes());
    record.extend_from_slice(&value_len.to_le_bytes());
    record.extend_from_slice(key);
    record.extend_from_slice(value);
    let sum = checksum(&record[4..]);
    record[..4].copy_from_slice(&sum.to_le_bytes());
    Ok(record)
}
// ANCHOR_END: record

fn word(bytes: &[u8], at: usize) -> u32 {
    let mut w = [0; 4];
    w.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(w)
}

/// A key-value store kept in one append-only file, indexed by a hash map in memory.
///
/// ```
/// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("kv.log");
/// let mut store = LogStore::open(&path, SyncPolicy::Never).unwrap();
/// store.put(b"a", b"1").unwrap();
/// store.put(b"a", b"2").unwrap();
/// store.delete(b"a").unwrap();
/// store.put(b"b", b"3").unwrap();
/// drop(store);
/// let store = LogStore::open(&path, SyncPolicy::Never).unwrap(); // replays the log
/// assert_eq!(store.get(b"a").unwrap(), None);
/// assert_eq!(store.get(b"b").unwrap(), Some(b"3".to_vec()));
/// ```
#[derive(Debug)]
pub struct LogStore {
    path: PathBuf,
    file: File,
    end: u64,
    index: HashMap<Vec<u8>, (u64, u32)>,
    sync: SyncPolicy,
}

impl LogStore {
    // ANCHOR: open
    /// Opens (or creates) the log at `path` and replays it to rebuild the index.
    /// A damaged last record is what a crash in the middle of an append leaves: it is cut off.
    /// Damage anywhere else is refused with [`KvError::Corrupt`].
    pub fn open(path: &Path, sync: SyncPolicy) -> Result<Self, KvError> {
        let io = |source| KvError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let mut index = HashMap::new();
        let mut at = 0;
        while at < bytes.len() {
            let whole = bytes.len() - at >= HEADER && {
                let len = HEADER + word(&bytes, at + 5) as usize + word(&bytes, at + 9) as usize;
                bytes.len() - at >= len && checksum(&bytes[at + 4..at + len]) == word(&bytes, at)
            };
            if !whole {
                break;
            }
            let key_len = word(&bytes, at + 5) as usize;
            let value_len = word(&bytes, at + 9);
            let key = bytes[at + HEADER..at + HEADER + key_len].to_vec();
            if bytes[at + 4] == PUT {
                index.insert(key, ((at + HEADER + key_len) as u64, value_len));
            } else {
                index.remove(&key);
            }
            at += HEADER + key_len + value_len as usize;
        }
        if at < bytes.len() {
            // Only a torn tail is forgiven: a record that runs to the end of the file.
            let claimed = (bytes.len() - at >= HEADER)
                .then(|| HEADER + word(&bytes, at + 5) as usize + word(&bytes, at + 9) as usize);
            if claimed.is_some_and(|len| len < bytes.len() - at) {
                return Err(KvError::Corrupt {
                    path: path.to_path_buf(),
                    offset: at as u64,
                });
            }
            file.set_len(at as u64).map_err(io)?;
        }
        Ok(LogStore {
            path: path.to_path_buf(),
            file,
            end: at as u64,
            index,
            sync,
        })
    }
    // ANCHOR_END: open

    fn io(&self) -> impl FnOnce(std::io::Error) -> KvError + '_ {
        |source| KvError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn append(&mut self, record: &[u8]) -> Result<u64, KvError> {
        let at = self.end;
        self.file.write_all(record).map_err(self.io())?;
        if self.sync == SyncPolicy::EveryWrite {
            self.file.sync_data().map_err(self.io())?;
        }
        self.end += record.len() as u64;
        Ok(at)
    }

    /// The log's size in bytes, live and dead records alike.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never).unwrap();
    /// store.put(b"k", b"v").unwrap();
    /// assert_eq!(store.log_bytes(), 13 + 2);
    /// ```
    pub fn log_bytes(&self) -> u64 {
        self.end
    }

    /// The number of live keys.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never).unwrap();
    /// store.put(b"k", b"v").unwrap();
    /// store.put(b"k", b"w").unwrap();
    /// assert_eq!(store.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the store holds no keys.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// assert!(LogStore::open(&dir.path().join("kv"), SyncPolicy::Never).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    // ANCHOR: compact
    /// Rewrites the log with only the live values, into a new file that replaces the old one by a
    /// rename; the new file and its directory are synced first, so a crash leaves one or the other.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never).unwrap();
    /// for i in 0..10u8 {
    ///     store.put(b"k", &[i]).unwrap();
    /// }
    /// let before = store.log_bytes();
    /// store.compact().unwrap();
    /// assert_eq!(store.log_bytes(), before / 10);
    /// assert_eq!(store.get(b"k").unwrap(), Some(vec![9]));
    /// ```
    pub fn compact(&mut self) -> Result<(), KvError> {
        let fresh = self.path.with_extension("compacting");
        let io = |source| KvError::Io {
            path: fresh.clone(),
            source,
        };
        let mut out = File::create(&fresh).map_err(io)?;
        let mut keys: Vec<&Vec<u8>> = self.index.keys().collect();
        keys.sort(); // a deterministic file, whatever the hash map's order
        for key in keys {
            let value = self.get(key)?.unwrap_or_default();
            out.write_all(&encode(PUT, key, &value)?).map_err(io)?;
        }
        out.sync_all().map_err(io)?;
        std::fs::rename(&fresh, &self.path).map_err(io)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        *self = LogStore::open(&self.path, self.sync)?;
        Ok(())
    }
    // ANCHOR_END: compact
}

// ANCHOR: log_ops
impl KeyValueStore for LogStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        let Some(&(at, len)) = self.index.get(key) else {
            return Ok(None);
        };
        let mut value = vec![0; len as usize];
        self.file.read_exact_at(&mut value, at).map_err(self.io())?;
        Ok(Some(value))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError> {
        let record = encode(PUT, key, value)?;
        let at = self.append(&record)?;
        let value_at = at + (HEADER + key.len()) as u64;
        self.index
            .insert(key.to_vec(), (value_at, value.len() as u32));
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError> {
        if !self.index.contains_key(key) {
            return Ok(false);
        }
        self.append(&encode(DELETE, key, &[])?)?;
        self.index.remove(key);
        Ok(true)
    }
}
// ANCHOR_END: log_ops
