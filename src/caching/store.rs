//! The backing store: the slow, durable place a cache stands in front of.
//!
//! In the book it is a `BTreeMap` that counts every read and write, so a snippet can print what
//! each write policy costs the database. Preloading (through [`FromIterator`]) is not counted.

use std::collections::BTreeMap;

/// The backing store (the database): a sorted map that counts every read and write.
///
/// ```
/// use sysdesign::caching::Store;
///
/// let mut db: Store<&str, i32> = [("a", 1)].into_iter().collect(); // preloaded: not counted
/// assert_eq!(db.read(&"a"), Some(1));
/// db.write("b", 2);
/// assert_eq!((db.reads(), db.writes()), (1, 1));
/// ```
#[derive(Clone, Debug)]
pub struct Store<K, V> {
    data: BTreeMap<K, V>,
    reads: u64,
    writes: u64,
}

impl<K: Ord, V: Clone> Store<K, V> {
    /// An empty store.
    ///
    /// ```
    /// assert!(sysdesign::caching::Store::<u8, u8>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Store {
            data: BTreeMap::new(),
            reads: 0,
            writes: 0,
        }
    }

    /// Reads `key`, counting one read.
    ///
    /// ```
    /// let mut db = sysdesign::caching::Store::<u8, u8>::new();
    /// assert_eq!(db.read(&1), None);
    /// assert_eq!(db.reads(), 1);
    /// ```
    pub fn read(&mut self, key: &K) -> Option<V> {
        self.reads += 1;
        self.data.get(key).cloned()
    }

    /// Writes `key`, counting one write.
    ///
    /// ```
    /// let mut db = sysdesign::caching::Store::new();
    /// db.write(1, "one");
    /// assert_eq!((db.peek(&1), db.writes()), (Some(&"one"), 1));
    /// ```
    pub fn write(&mut self, key: K, value: V) {
        self.writes += 1;
        self.data.insert(key, value);
    }

    /// Looks at `key` without counting a read: for checks and displays, not for the application.
    ///
    /// ```
    /// let db: sysdesign::caching::Store<u8, u8> = [(1, 10)].into_iter().collect();
    /// assert_eq!(db.peek(&1), Some(&10));
    /// assert_eq!(db.reads(), 0);
    /// ```
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.data.get(key)
    }

    /// Reads counted so far.
    ///
    /// ```
    /// assert_eq!(sysdesign::caching::Store::<u8, u8>::new().reads(), 0);
    /// ```
    pub fn reads(&self) -> u64 {
        self.reads
    }

    /// Writes counted so far.
    ///
    /// ```
    /// assert_eq!(sysdesign::caching::Store::<u8, u8>::new().writes(), 0);
    /// ```
    pub fn writes(&self) -> u64 {
        self.writes
    }

    /// The number of keys stored.
    ///
    /// ```
    /// let db: sysdesign::caching::Store<u8, u8> = [(1, 1), (2, 2)].into_iter().collect();
    /// assert_eq!(db.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether no key is stored.
    ///
    /// ```
    /// assert!(sysdesign::caching::Store::<u8, u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl<K: Ord, V: Clone> Default for Store<K, V> {
    fn default() -> Self {
        Store::new()
    }
}

/// Preloads a store; the preloading is not counted as writes.
impl<K: Ord, V: Clone> FromIterator<(K, V)> for Store<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Store {
            data: iter.into_iter().collect(),
            reads: 0,
            writes: 0,
        }
    }
}
