//! The write-ahead-log store of the *Relational databases and ACID* chapter
//! ([`crate::relational_acid::WalStore`]) behind this chapter's [`KeyValueStore`] trait: each put
//! or delete is one transaction, appended to the log and fsynced before it returns.

use super::{KeyValueStore, KvError};
use crate::relational_acid::{LogFile, WalStore};

// ANCHOR: wal_adapter
impl<L: LogFile> KeyValueStore for WalStore<L> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        // The whole committed state is in memory; the log is read only when the store opens.
        Ok(WalStore::get(self, key).map(<[u8]>::to_vec))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError> {
        self.begin().put(key, value).commit()?;
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError> {
        if WalStore::get(self, key).is_none() {
            return Ok(false);
        }
        self.begin().delete(key).commit()?;
        Ok(true)
    }
}
// ANCHOR_END: wal_adapter

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relational_acid::SimulatedLog;

    #[test]
    fn a_wal_store_is_a_key_value_store() {
        let mut store = WalStore::with_log(SimulatedLog::new()).expect("an empty log");
        let kv: &mut dyn KeyValueStore = &mut store;
        kv.put(b"k", b"v").expect("put");
        assert_eq!(kv.get(b"k").expect("get"), Some(b"v".to_vec()));
        assert!(kv.delete(b"k").expect("delete"));
        assert!(!kv.delete(b"k").expect("delete"));
        assert_eq!(store.syncs(), 2);
    }
}
