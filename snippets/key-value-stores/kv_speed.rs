//! timing: measured on the machine that builds the book
//!
//! The same puts and gets (100-byte values) on each key-value store, without fsync and with an
//! fsync before every put returns. Durable puts are far slower, so fewer of them are timed.

use std::path::Path;
use std::time::Instant;
use sysdesign::key_value_stores::{KeyValueStore, LogStore, MemoryStore, SqliteStore, SyncPolicy};
use sysdesign::show::{self, Table};

const FAST_PUTS: usize = 20_000;
const DURABLE_PUTS: usize = 300;

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

/// Adds a row: store, fsync policy, puts, µs per put, µs per get.
fn row(table: &mut Table, name: &str, sync: &str, n: usize, (put, get): (f64, f64)) {
    table.push([
        name.to_string(),
        sync.to_string(),
        n.to_string(),
        format!("{put:.2}"),
        format!("{get:.2}"),
    ]);
}

/// A path in `dir` with no database or log left there by an earlier run.
fn fresh(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
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
    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
    show::table(&table.caption("measured on the machine that built this page"));
}
