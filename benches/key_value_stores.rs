//! Our key-value stores (the append-only `LogStore` of the key-value chapter and the `WalStore` of
//! the relational-acid chapter) against SQLite (through `rusqlite`) on the same puts and gets.
//!
//! SQLite is the baseline of each group (`rusqlite::Connection`, see CONTRIBUTING.md,
//! "Benchmarks"): a table `kv(key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID` in write-ahead-log
//! mode, each put its own transaction. `synchronous = FULL` (an fsync per commit) in the durable
//! group and `OFF` in the other, matching `SyncPolicy::EveryWrite` and `SyncPolicy::Never` of our
//! stores. Files live in a temporary directory of the build machine. The stores take turns in
//! interleaved rounds (`benches/interleaved/mod.rs`), so the machine's load, and the disk's,
//! hits them alike.
//!
//! Run with `cargo bench --bench key_value_stores`; under a minute.

mod interleaved;

use interleaved::Comparison;
use rusqlite::Connection;
use std::hint::black_box;
use std::path::Path;
use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
use sysdesign::relational_acid::WalStore;

const VALUE: [u8; 100] = [b'v'; 100];
const PREFILL: u64 = 10_000;

fn sqlite(path: &Path, sync: SyncPolicy) -> Connection {
    let conn = Connection::open(path).expect("a new database");
    let synchronous = match sync {
        SyncPolicy::EveryWrite => "FULL",
        SyncPolicy::Never => "OFF",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};
         CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    ))
    .expect("the schema is valid");
    conn
}

fn sqlite_put(conn: &Connection, key: u64) {
    conn.prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")
        .expect("valid SQL")
        .execute((key.to_be_bytes(), VALUE))
        .expect("the put succeeds");
}

fn puts(group: &str, sync: SyncPolicy) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let conn = sqlite(&dir.path().join("kv.db"), sync);
    let mut log = LogStore::open(&dir.path().join("kv.log"), sync).expect("a new log");
    let mut wal = WalStore::open(dir.path().join("wal.log")).expect("a new log");
    let (mut sqlite_key, mut log_key, mut wal_key) = (0u64, 0u64, 0u64);
    let mut comparison = Comparison::new(group);
    comparison
        .baseline("rusqlite::Connection", || {
            sqlite_key += 1;
            sqlite_put(&conn, black_box(sqlite_key));
        })
        .ours("sysdesign LogStore", || {
            log_key += 1;
            log.put(&black_box(log_key).to_be_bytes(), &VALUE)
                .expect("the put succeeds")
        });
    if sync == SyncPolicy::EveryWrite {
        // The write-ahead-log store always fsyncs at commit, so it belongs in the durable group only.
        comparison.ours("sysdesign WalStore", || {
            wal_key += 1;
            wal.begin()
                .put(black_box(wal_key).to_be_bytes(), VALUE)
                .commit()
                .expect("the commit succeeds");
        });
    }
    comparison.run();
}

/// 100 puts per transaction, so one fsync per 100 puts (group commit by hand).
fn batched_puts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut conn = sqlite(&dir.path().join("kv.db"), SyncPolicy::EveryWrite);
    let mut wal = WalStore::open(dir.path().join("wal.log")).expect("a new log");
    let (mut sqlite_key, mut wal_key) = (0u64, 0u64);
    Comparison::new("kv 100 puts per commit, fsync per commit")
        .baseline("rusqlite::Connection", || {
            let tx = conn.transaction().expect("BEGIN");
            for _ in 0..100 {
                sqlite_key += 1;
                tx.prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")
                    .expect("valid SQL")
                    .execute((black_box(sqlite_key).to_be_bytes(), VALUE))
                    .expect("the put succeeds");
            }
            tx.commit().expect("COMMIT");
        })
        .ours("sysdesign WalStore", || {
            let mut tx = wal.begin();
            for _ in 0..100 {
                wal_key += 1;
                tx.put(black_box(wal_key).to_be_bytes(), VALUE);
            }
            tx.commit().expect("the commit succeeds");
        })
        .run();
}

fn gets() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let conn = sqlite(&dir.path().join("kv.db"), SyncPolicy::Never);
    let mut log = LogStore::open(&dir.path().join("kv.log"), SyncPolicy::Never).expect("a new log");
    let mut wal = WalStore::open(dir.path().join("wal.log")).expect("a new log");
    let mut tx = wal.begin();
    for key in 0..PREFILL {
        sqlite_put(&conn, key);
        log.put(&key.to_be_bytes(), &VALUE)
            .expect("the put succeeds");
        tx.put(key.to_be_bytes(), VALUE);
    }
    tx.commit().expect("the commit succeeds");
    // Each reads the keys in the same order: a stride through all of them.
    let next = |key: &mut u64| {
        *key = (*key + 7_919) % PREFILL;
        *key
    };
    let (mut sqlite_key, mut log_key, mut wal_key) = (0u64, 0u64, 0u64);
    Comparison::new("kv get, 10,000 keys")
        .baseline("rusqlite::Connection", || {
            let key = next(&mut sqlite_key);
            let value: Vec<u8> = conn
                .prepare_cached("SELECT value FROM kv WHERE key = ?1")
                .expect("valid SQL")
                .query_row([black_box(key).to_be_bytes()], |row| row.get(0))
                .expect("the key is there");
            value
        })
        .ours("sysdesign LogStore", || {
            let key = next(&mut log_key);
            log.get(&black_box(key).to_be_bytes())
                .expect("the read succeeds")
        })
        .ours("sysdesign WalStore", || {
            let key = next(&mut wal_key);
            wal.get(black_box(key).to_be_bytes()).map(<[u8]>::to_vec)
        })
        .run();
}

fn main() {
    puts("kv put, fsync every put", SyncPolicy::EveryWrite);
    puts("kv put, no fsync", SyncPolicy::Never);
    batched_puts();
    gets();
}
