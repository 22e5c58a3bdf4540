//! One workload on four key-value stores: a HashMap in memory, an append-only log with a hash
//! index (Bitcask style), a SQLite table, and the write-ahead-log store of the Relational databases
//! and ACID chapter. Then each is closed and opened again, the log is
//! given a torn last record, as a crash in the middle of an append leaves, and finally compacted.

use std::path::Path;
use sysdesign::key_value_stores::{
    KeyValueStore, KvError, LogStore, MemoryStore, SqliteStore, SyncPolicy,
};
use sysdesign::relational_acid::WalStore;
use sysdesign::show::{self, Table};

/// What a get of each of three keys finds.
fn read_back(store: &dyn KeyValueStore) -> Result<Vec<String>, KvError> {
    ["user:2", "user:3", "config:launched"]
        .iter()
        .map(|key| {
            Ok(match store.get(key.as_bytes())? {
                Some(value) => format!("{key} = {}", String::from_utf8_lossy(&value)),
                None => format!("{key} absent"),
            })
        })
        .collect()
}

/// Puts, overwrites and deletes a few keys; returns what a get of each key then finds.
fn workload(store: &mut dyn KeyValueStore) -> Result<Vec<String>, KvError> {
    for i in 0..100u32 {
        store.put(
            format!("user:{}", i % 10).as_bytes(),
            format!("v{i}").as_bytes(),
        )?;
    }
    store.delete(b"user:3")?;
    store.put(b"config:launched", b"true")?;
    read_back(store)
}

/// Appends half a record to the log, reopens it, then compacts it.
fn torn_tail(path: &Path, bytes_before: u64) -> Result<(), KvError> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("the log exists");
    // The first 9 bytes of a record framed where it would go: what an interrupted append leaves.
    let mut record = Vec::new();
    sysdesign::relational_acid::frame::write_frame(
        &mut record,
        bytes_before,
        b"\x01\x06\0\0\0user:9v9",
    );
    file.write_all(&record[..9]).expect("the log is writable");
    drop(file);
    let torn = std::fs::metadata(path).expect("the log exists").len();
    let mut log = LogStore::open(path, SyncPolicy::Never)?;
    println!(
        "The log held {bytes_before} bytes; 9 bytes of a half-written record made it {torn}; \
         reopening cut it back to {} and kept {} keys: {}.",
        log.log_bytes(),
        log.len(),
        read_back(&log)?.join(", ")
    );
    log.compact()?;
    println!(
        "Compaction rewrote the {} live keys into {} bytes: the other records were old values and \
         tombstones.",
        log.len(),
        log.log_bytes()
    );
    Ok(())
}

/// The four stores, the restart, the torn record and the compaction.
fn tour() -> Result<(), KvError> {
    let dir = std::env::temp_dir().join(format!("sysdesign-kv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    let (log_path, db_path) = (dir.join("kv.log"), dir.join("kv.db"));

    let mut table = Table::new(["store", "after the workload", "after closing and reopening"]);
    let mut memory = MemoryStore::new();
    let first = workload(&mut memory)?.join(", ");
    let reopened = MemoryStore::new(); // a new process starts with an empty map
    table.push([
        "HashMap in memory".into(),
        first,
        read_back(&reopened)?.join(", "),
    ]);

    let mut log = LogStore::open(&log_path, SyncPolicy::Never)?;
    let first = workload(&mut log)?.join(", ");
    let bytes_before = log.log_bytes();
    drop(log);
    let log = LogStore::open(&log_path, SyncPolicy::Never)?;
    table.push(["append-only log".into(), first, read_back(&log)?.join(", ")]);
    drop(log);

    let mut db = SqliteStore::open(&db_path, SyncPolicy::Never)?;
    let first = workload(&mut db)?.join(", ");
    drop(db);
    let db = SqliteStore::open(&db_path, SyncPolicy::Never)?;
    table.push(["SQLite table".into(), first, read_back(&db)?.join(", ")]);
    let wal_path = dir.join("wal.log");
    let mut wal = WalStore::open(&wal_path)?;
    let first = workload(&mut wal)?.join(", ");
    drop(wal);
    let wal = WalStore::open(&wal_path)?;
    table.push([
        "write-ahead-log store".into(),
        first,
        read_back(&wal)?.join(", "),
    ]);
    show::table(&table.caption("the same workload on four stores"));

    torn_tail(&log_path, bytes_before)?;
    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
    Ok(())
}

fn main() {
    tour().expect("the temporary directory is usable by both persistent stores");
}
