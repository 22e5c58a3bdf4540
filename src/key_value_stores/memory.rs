//! The simplest key-value store: a hash map in the process's memory.

use super::{KeyValueStore, KvError};
use std::collections::HashMap;

/// A key-value store in a `HashMap`: fast, and gone when the process ends.
///
/// ```
/// use sysdesign::key_value_stores::{KeyValueStore, MemoryStore};
///
/// let mut store = MemoryStore::new();
/// store.put(b"k", b"1").unwrap();
/// store.put(b"k", b"2").unwrap();
/// assert_eq!(store.get(b"k").unwrap(), Some(b"2".to_vec()));
/// assert_eq!(store.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    map: HashMap<Vec<u8>, Vec<u8>>,
}

impl MemoryStore {
    /// An empty store.
    ///
    /// ```
    /// assert!(sysdesign::key_value_stores::MemoryStore::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of keys.
    ///
    /// ```
    /// assert_eq!(sysdesign::key_value_stores::MemoryStore::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no keys.
    ///
    /// ```
    /// assert!(sysdesign::key_value_stores::MemoryStore::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.map.get(key).cloned())
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError> {
        self.map.insert(key.to_vec(), value.to_vec());
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError> {
        Ok(self.map.remove(key).is_some())
    }
}
