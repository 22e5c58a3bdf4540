//! timing: measured on the machine that builds the book
//!
//! The same puts and gets (100-byte values) on each key-value store, without fsync and with an
//! fsync before every put returns; then durable puts committed 100 at a time, in one transaction
//! and one fsync each, on SQLite and on the write-ahead-log store of the Relational databases and
//! ACID chapter. Durable puts are far slower, so fewer of them are timed.

use std::path::Path;
use std::time::Instant;
use sysdesign::key_value_stores::{KeyValueStore, LogStore, MemoryStore, SqliteStore, SyncPolicy};
use sysdesign::relational_acid::WalStore;
use sysdesign::show::{self, Table};

const FAST_PUTS: usize = 20_000;
const DURABLE_PUTS: usize = 300;
const BATCH: usize = 100;
const BATCHES: usize = 30;

/// Puts `n` keys, then gets each; returns µs per put and µs per get.
fn time(store: &mut dyn KeyValueStore, n: usize) -> (f64, f64) {
    let value = [b'v'; 100];
    let start = Instant::now();
    for i in 0..n {
        store
            .put(format!("key:{i}").as_bytes(), &value)
            .expect("the store accepts the put");
    }
    let put = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    let start = Instant::now();
    for i in 0..n {
        let got = store
            .get(format!("key:{i}").as_bytes())
            .expect("the store answers");
        assert_eq!(got.as_deref(), Some(&value[..]), "every key was put");
    }
    let get = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    (put, get)
}

/// A path in `dir` with no database or log left there by an earlier run.
fn fresh(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

/// µs per put when puts are committed `BATCH` at a time: SQLite, then the write-ahead-log store.
fn batched(dir: &Path) -> (f64, f64) {
    let value = vec![b'v'; 100];
    let batches: Vec<Vec<(Vec<u8>, Vec<u8>)>> = (0..BATCHES)
        .map(|b| {
            (0..BATCH)
                .map(|i| (format!("key:{b}:{i}").into_bytes(), value.clone()))
                .collect()
        })
        .collect();
    let mut db =
        SqliteStore::open(&fresh(dir, "batch.db"), SyncPolicy::EveryWrite).expect("a new database");
    let start = Instant::now();
    for batch in &batches {
        db.put_batch(batch).expect("the batch is committed");
    }
    let sqlite = start.elapsed().as_secs_f64() * 1e6 / (BATCH * BATCHES) as f64;
    let mut wal = WalStore::open(fresh(dir, "batch.log")).expect("a new log");
    let start = Instant::now();
    for batch in &batches {
        let mut tx = wal.begin();
        for (key, value) in batch {
            tx.put(key, value);
        }
        tx.commit().expect("the batch is committed");
    }
    let wal = start.elapsed().as_secs_f64() * 1e6 / (BATCH * BATCHES) as f64;
    (sqlite, wal)
}

/// Adds a row: store, fsync policy, puts, µs per put, µs per get.
fn row(table: &mut Table, name: &str, sync: &str, n: usize, (put, get): (f64, f64)) {
    table.push([
        name.to_string(),
        sync.to_string(),
        n.to_string(),
        format!("{put:.2}"),
        if get.is_nan() {
            "not timed".to_string()
        } else {
            format!("{get:.2}")
        },
    ]);
}

fn main() {
    let dir = std::env::temp_dir().join(format!("sysdesign-kv-speed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    let mut table = Table::new(["store", "fsync", "puts", "µs per put", "µs per get"]);
    row(
        &mut table,
        "HashMap in memory",
        "no",
        FAST_PUTS,
        time(&mut MemoryStore::new(), FAST_PUTS),
    );
    for (sync, label, n) in [
        (SyncPolicy::Never, "no", FAST_PUTS),
        (SyncPolicy::EveryWrite, "every put", DURABLE_PUTS),
    ] {
        let mut log = LogStore::open(&fresh(&dir, "kv.log"), sync).expect("a new log");
        row(&mut table, "append-only log", label, n, time(&mut log, n));
        let mut db = SqliteStore::open(&fresh(&dir, "kv.db"), sync).expect("a new database");
        row(&mut table, "SQLite (WAL mode)", label, n, time(&mut db, n));
    }
    let mut wal = WalStore::open(fresh(&dir, "wal.log")).expect("a new log");
    row(
        &mut table,
        "write-ahead-log store",
        "every put",
        DURABLE_PUTS,
        time(&mut wal, DURABLE_PUTS),
    );

    let (sqlite_batched, wal_batched) = batched(&dir);
    row(
        &mut table,
        "SQLite (WAL mode)",
        "every 100 puts",
        BATCH * BATCHES,
        (sqlite_batched, f64::NAN),
    );
    row(
        &mut table,
        "write-ahead-log store",
        "every 100 puts",
        BATCH * BATCHES,
        (wal_batched, f64::NAN),
    );
    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
    show::table(&table.caption("measured on the machine that built this page"));
}
