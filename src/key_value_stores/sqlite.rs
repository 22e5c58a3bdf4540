//! A key-value store on SQLite: one table, the key as its primary key.

use super::log::SyncPolicy;
use super::{KeyValueStore, KvError};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

fn sqlite(sql: &str) -> impl FnOnce(rusqlite::Error) -> KvError + '_ {
    move |source| KvError::Sqlite {
        sql: sql.to_string(),
        source,
    }
}

/// A key-value store in a SQLite table `kv(key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID`,
/// in SQLite's write-ahead-log mode; each put or delete is its own transaction.
///
/// ```
/// use sysdesign::key_value_stores::{KeyValueStore, SqliteStore, SyncPolicy};
///
/// let dir = tempfile::tempdir().unwrap();
/// let mut store = SqliteStore::open(&dir.path().join("kv.db"), SyncPolicy::EveryWrite).unwrap();
/// store.put(b"k", b"v").unwrap();
/// assert_eq!(store.get(b"k").unwrap(), Some(b"v".to_vec()));
/// assert!(store.delete(b"k").unwrap());
/// assert!(!store.delete(b"k").unwrap());
/// ```
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    // ANCHOR: sqlite_open
    /// Opens (or creates) the database at `path`. `SyncPolicy::EveryWrite` sets
    /// `synchronous = FULL` (the log is fsynced at every commit), `Never` sets `synchronous = OFF`.
    pub fn open(path: &Path, sync: SyncPolicy) -> Result<Self, KvError> {
        let conn = Connection::open(path).map_err(sqlite("open"))?;
        let synchronous = match sync {
            SyncPolicy::EveryWrite => "FULL",
            SyncPolicy::Never => "OFF",
        };
        let setup = format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};
             CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
        );
        conn.execute_batch(&setup).map_err(sqlite(&setup))?;
        Ok(SqliteStore { conn })
    }
    // ANCHOR_END: sqlite_open

    /// Puts every pair in one transaction: one commit, so one fsync under `EveryWrite`.
    ///
    /// ```
    /// use sysdesign::key_value_stores::{KeyValueStore, SqliteStore, SyncPolicy};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = SqliteStore::open(&dir.path().join("kv.db"), SyncPolicy::Never).unwrap();
    /// store.put_batch(&[(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"2".to_vec())]).unwrap();
    /// assert_eq!(store.get(b"b").unwrap(), Some(b"2".to_vec()));
    /// ```
    pub fn put_batch(&mut self, pairs: &[(Vec<u8>, Vec<u8>)]) -> Result<(), KvError> {
        let sql = "INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)";
        let tx = self.conn.transaction().map_err(sqlite("BEGIN"))?;
        {
            let mut statement = tx.prepare_cached(sql).map_err(sqlite(sql))?;
            for (key, value) in pairs {
                statement.execute([key, value]).map_err(sqlite(sql))?;
            }
        }
        tx.commit().map_err(sqlite("COMMIT"))
    }
}

impl KeyValueStore for SqliteStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, KvError> {
        let sql = "SELECT value FROM kv WHERE key = ?1";
        let mut statement = self.conn.prepare_cached(sql).map_err(sqlite(sql))?;
        statement
            .query_row([key], |row| row.get(0))
            .optional()
            .map_err(sqlite(sql))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), KvError> {
        let sql = "INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)";
        let mut statement = self.conn.prepare_cached(sql).map_err(sqlite(sql))?;
        statement.execute([key, value]).map_err(sqlite(sql))?;
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<bool, KvError> {
        let sql = "DELETE FROM kv WHERE key = ?1";
        let mut statement = self.conn.prepare_cached(sql).map_err(sqlite(sql))?;
        Ok(statement.execute([key]).map_err(sqlite(sql))? > 0)
    }
}
