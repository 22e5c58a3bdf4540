//! Our key-value stores (the append-only `LogStore` of the key-value chapter and the `WalStore` of
//! the relational-acid chapter) against SQLite (through `rusqlite`) on the same puts and gets.
//!
//! SQLite is the baseline of each group (`rusqlite::Connection`, see CONTRIBUTING.md,
//! "Benchmarks"): a table `kv(key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID` in write-ahead-log
//! mode, each put its own transaction. `synchronous = FULL` (an fsync per commit) in the durable
//! group and `OFF` in the other, matching `SyncPolicy::EveryWrite` and `SyncPolicy::Never` of our
//! stores. Files live in a temporary directory of the build machine.
//!
//! Run with `cargo bench --bench key_value_stores`; about a minute.

use criterion::{Criterion, criterion_group, criterion_main};
use rusqlite::Connection;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
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

fn puts(c: &mut Criterion, group: &str, sync: SyncPolicy) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group(group);
    let conn = sqlite(&dir.path().join("kv.db"), sync);
    let mut key = 0u64;
    group.bench_function("rusqlite::Connection", |b| {
        b.iter(|| {
            key += 1;
            sqlite_put(&conn, black_box(key));
        })
    });
    let mut log = LogStore::open(&dir.path().join("kv.log"), sync).expect("a new log");
    let mut key = 0u64;
    group.bench_function("sysdesign LogStore", |b| {
        b.iter(|| {
            key += 1;
            log.put(&black_box(key).to_be_bytes(), &VALUE)
                .expect("the put succeeds");
        })
    });
    if sync == SyncPolicy::EveryWrite {
        // The write-ahead-log store always fsyncs at commit, so it belongs in the durable group only.
        let mut wal = WalStore::open(dir.path().join("wal.log")).expect("a new log");
        let mut key = 0u64;
        group.bench_function("sysdesign WalStore", |b| {
            b.iter(|| {
                key += 1;
                wal.begin()
                    .put(black_box(key).to_be_bytes(), VALUE)
                    .commit()
                    .expect("the commit succeeds");
            })
        });
    }
    group.finish();
}

/// 100 puts per transaction, so one fsync per 100 puts (group commit by hand).
fn batched_puts(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("kv 100 puts per commit, fsync per commit");
    let mut conn = sqlite(&dir.path().join("kv.db"), SyncPolicy::EveryWrite);
    let mut key = 0u64;
    group.bench_function("rusqlite::Connection", |b| {
        b.iter(|| {
            let tx = conn.transaction().expect("BEGIN");
            for _ in 0..100 {
                key += 1;
                tx.prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")
                    .expect("valid SQL")
                    .execute((black_box(key).to_be_bytes(), VALUE))
                    .expect("the put succeeds");
            }
            tx.commit().expect("COMMIT");
        })
    });
    let mut wal = WalStore::open(dir.path().join("wal.log")).expect("a new log");
    let mut key = 0u64;
    group.bench_function("sysdesign WalStore", |b| {
        b.iter(|| {
            let mut tx = wal.begin();
            for _ in 0..100 {
                key += 1;
                tx.put(black_box(key).to_be_bytes(), VALUE);
            }
            tx.commit().expect("the commit succeeds");
        })
    });
    group.finish();
}

fn gets(c: &mut Criterion) {
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
    let mut group = c.benchmark_group("kv get, 10,000 keys");
    let mut key = 0u64;
    group.bench_function("rusqlite::Connection", |b| {
        b.iter(|| {
            key = (key + 7_919) % PREFILL;
            let value: Vec<u8> = conn
                .prepare_cached("SELECT value FROM kv WHERE key = ?1")
                .expect("valid SQL")
                .query_row([black_box(key).to_be_bytes()], |row| row.get(0))
                .expect("the key is there");
            value
        })
    });
    let mut key = 0u64;
    group.bench_function("sysdesign LogStore", |b| {
        b.iter(|| {
            key = (key + 7_919) % PREFILL;
            log.get(&black_box(key).to_be_bytes())
                .expect("the read succeeds")
        })
    });
    let mut key = 0u64;
    group.bench_function("sysdesign WalStore", |b| {
        b.iter(|| {
            key = (key + 7_919) % PREFILL;
            wal.get(black_box(key).to_be_bytes()).map(<[u8]>::to_vec)
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    puts(c, "kv put, fsync every put", SyncPolicy::EveryWrite);
    puts(c, "kv put, no fsync", SyncPolicy::Never);
    batched_puts(c);
    gets(c);
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = kv;
    config = config();
    targets = benches
}
criterion_main!(kv);
