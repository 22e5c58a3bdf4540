//! Change data capture: tail the write-ahead log of the source store and apply each committed
//! transaction, in log order, to a second store derived from it (here a search index).

use crate::relational_acid::frame::FILE_HEADER;
use crate::relational_acid::record::{Decoded, Record, decode};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One committed change, as the log recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The key now holds this value.
    Put {
        /// The transaction that wrote it.
        tx: u64,
        /// The key.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
    },
    /// The key was removed.
    Delete {
        /// The transaction that removed it.
        tx: u64,
        /// The key.
        key: Vec<u8>,
    },
}

// ANCHOR: tail
/// A reader that follows a write-ahead log from where it last stopped, like a replication slot
/// or a Debezium connector: it remembers an offset, and hands out each transaction's changes
/// once its commit record is in the log, never a change of a transaction that did not commit.
///
/// ```
/// use sysdesign::relational_acid::{SimulatedLog, WalStore};
/// use sysdesign::replication_sharding::{Change, LogTail};
///
/// let mut source = WalStore::with_log(SimulatedLog::new())?;
/// let mut tail = LogTail::new();
/// source.begin().put("a", "1").delete("b").commit()?;
/// let changes = tail.poll(source.log().disk(), usize::MAX);
/// assert_eq!(changes.len(), 2);
/// assert!(matches!(&changes[0], Change::Put { key, .. } if key == b"a"));
/// assert!(tail.poll(source.log().disk(), usize::MAX).is_empty(), "nothing new");
/// # Ok::<(), sysdesign::relational_acid::WalError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct LogTail {
    offset: usize,
    pending: HashMap<u64, Vec<Change>>,
    last_tx: u64,
}

impl LogTail {
    /// A reader at the start of the log.
    pub fn new() -> LogTail {
        LogTail::default()
    }

    /// The log offset the next poll reads from.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The last committed transaction handed out (0 before any).
    pub fn last_tx(&self) -> u64 {
        self.last_tx
    }

    /// Reads at most `max_records` records of `log` from where the last poll stopped, and returns
    /// the changes of the transactions whose commit record it read, in commit order. It stops
    /// early at the end of the log or at a record not yet whole (still being written), and reads
    /// it again next time.
    pub fn poll(&mut self, log: &[u8], max_records: usize) -> Vec<Change> {
        if self.offset == 0 {
            if log.len() < FILE_HEADER {
                return Vec::new();
            }
            self.offset = FILE_HEADER;
        }
        let mut out = Vec::new();
        for _ in 0..max_records {
            let Decoded::Record(record, len) = decode(log, self.offset) else {
                break;
            };
            self.offset += len;
            match record {
                Record::Put { tx, key, value } => {
                    let change = Change::Put { tx, key, value };
                    self.pending.entry(tx).or_default().push(change);
                }
                Record::Delete { tx, key } => {
                    let change = Change::Delete { tx, key };
                    self.pending.entry(tx).or_default().push(change);
                }
                Record::Commit { tx, .. } => {
                    out.extend(self.pending.remove(&tx).unwrap_or_default());
                    self.last_tx = tx;
                }
            }
        }
        out
    }
}
// ANCHOR_END: tail

// ANCHOR: index
/// A store derived from the source by change data capture: a copy of every document (key and
/// value) and an inverted index from each lower-cased word of a value to the keys that hold it.
///
/// ```
/// use sysdesign::replication_sharding::{Change, SearchIndex};
///
/// let mut index = SearchIndex::default();
/// index.apply(&Change::Put { tx: 1, key: b"d1".to_vec(), value: b"Rust book".to_vec() });
/// index.apply(&Change::Put { tx: 2, key: b"d2".to_vec(), value: b"rust belt".to_vec() });
/// assert_eq!(index.search("rust"), vec![b"d1".to_vec(), b"d2".to_vec()]);
/// index.apply(&Change::Delete { tx: 3, key: b"d1".to_vec() });
/// assert_eq!(index.search("book"), Vec::<Vec<u8>>::new());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchIndex {
    documents: BTreeMap<Vec<u8>, Vec<u8>>,
    words: BTreeMap<String, BTreeSet<Vec<u8>>>,
}

fn words_of(value: &[u8]) -> BTreeSet<String> {
    crate::text::words(&String::from_utf8_lossy(value)).collect()
}

impl SearchIndex {
    /// Applies one change: a put replaces the document and its words, a delete removes both.
    pub fn apply(&mut self, change: &Change) {
        let key = match change {
            Change::Put { key, .. } | Change::Delete { key, .. } => key,
        };
        if let Some(old) = self.documents.remove(key) {
            for word in words_of(&old) {
                if let Some(keys) = self.words.get_mut(&word) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.words.remove(&word);
                    }
                }
            }
        }
        if let Change::Put { value, .. } = change {
            for word in words_of(value) {
                self.words.entry(word).or_default().insert(key.clone());
            }
            self.documents.insert(key.clone(), value.clone());
        }
    }

    /// The index a full rebuild from `documents` gives: what CDC must converge to.
    pub fn rebuild<'a>(documents: impl IntoIterator<Item = (&'a [u8], &'a [u8])>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for (key, value) in documents {
            index.apply(&Change::Put {
                tx: 0,
                key: key.to_vec(),
                value: value.to_vec(),
            });
        }
        index
    }

    /// The keys whose value contains `word` (case-insensitive), in key order.
    pub fn search(&self, word: &str) -> Vec<Vec<u8>> {
        self.words
            .get(&word.to_lowercase())
            .map(|keys| keys.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Every document the index holds.
    pub fn documents(&self) -> &BTreeMap<Vec<u8>, Vec<u8>> {
        &self.documents
    }
}
// ANCHOR_END: index
