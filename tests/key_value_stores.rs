//! Tests of `sysdesign::key_value_stores`: every store against a `BTreeMap`, including after a
//! reopen; the log's crash recovery; and the quorum rule R + W > N.

use proptest::prelude::*;
use std::collections::BTreeMap;
use sysdesign::key_value_stores::replication::{Quorum, QuorumError, simulate};
use sysdesign::key_value_stores::{
    KeyValueStore, KvError, LogStore, MemoryStore, SqliteStore, SyncPolicy,
};
use sysdesign::relational_acid::WalStore;

#[derive(Clone, Debug)]
enum Op {
    Put(u8, Vec<u8>),
    Delete(u8),
    Get(u8),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0u8..8;
    prop_oneof![
        4 => (key.clone(), proptest::collection::vec(any::<u8>(), 0..20)).prop_map(|(k, v)| Op::Put(k, v)),
        2 => key.clone().prop_map(Op::Delete),
        3 => key.prop_map(Op::Get),
        1 => Just(Op::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: proptest::test_runner::RngSeed::Fixed(11), ..ProptestConfig::default() })]

    /// The log store, the SQLite store and the write-ahead-log store agree with a BTreeMap after every operation, and a
    /// reopen (a new process reading the files) loses nothing.
    #[test]
    fn persistent_stores_behave_like_a_map_across_reopens(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (log_path, db_path) = (dir.path().join("kv.log"), dir.path().join("kv.db"));
        let mut log = LogStore::open(&log_path, SyncPolicy::Never).expect("new log");
        let mut db = SqliteStore::open(&db_path, SyncPolicy::Never).expect("new db");
        let wal_path = dir.path().join("wal.log");
        let mut wal = WalStore::open(&wal_path).expect("new wal");
        let mut memory = MemoryStore::new();
        let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Put(k, v) => {
                    model.insert(vec![k], v.clone());
                    log.put(&[k], &v).expect("put");
                    db.put(&[k], &v).expect("put");
                    memory.put(&[k], &v).expect("put");
                    KeyValueStore::put(&mut wal, &[k], &v).expect("put");
                }
                Op::Delete(k) => {
                    let was = model.remove(&vec![k]).is_some();
                    prop_assert_eq!(log.delete(&[k]).expect("delete"), was);
                    prop_assert_eq!(db.delete(&[k]).expect("delete"), was);
                    prop_assert_eq!(memory.delete(&[k]).expect("delete"), was);
                    prop_assert_eq!(KeyValueStore::delete(&mut wal, &[k]).expect("delete"), was);
                }
                Op::Get(k) => {
                    let want = model.get(&vec![k]).cloned();
                    prop_assert_eq!(log.get(&[k]).expect("get"), want.clone());
                    prop_assert_eq!(db.get(&[k]).expect("get"), want.clone());
                    prop_assert_eq!(KeyValueStore::get(&wal, &[k]).expect("get"), want.clone());
                    prop_assert_eq!(memory.get(&[k]).expect("get"), want);
                }
                Op::Reopen => {
                    drop(log);
                    drop(db);
                    drop(wal);
                    wal = WalStore::open(&wal_path).expect("reopen wal");
                    log = LogStore::open(&log_path, SyncPolicy::Never).expect("reopen log");
                    db = SqliteStore::open(&db_path, SyncPolicy::Never).expect("reopen db");
                }
            }
            prop_assert_eq!(log.len(), model.len());
            prop_assert_eq!(memory.len(), model.len());
            prop_assert_eq!(wal.len(), model.len());
        }
        log.compact().expect("compact");
        for (k, v) in &model {
            prop_assert_eq!(log.get(k).expect("get"), Some(v.clone()));
        }
        prop_assert_eq!(log.len(), model.len());
    }

    /// Whenever R + W > N, no read misses the last acknowledged write, whatever the seed and lag.
    #[test]
    fn overlapping_quorums_never_read_stale(n in 1usize..6, w in 1usize..6, r in 1usize..6, lag in 1u64..20, seed in any::<u64>()) {
        prop_assume!(w <= n && r <= n && r + w > n);
        let report = simulate(Quorum { replicas: n, write: w, read: r }, 2_000, 0.3, lag, seed).expect("valid");
        prop_assert_eq!(report.stale_reads, 0);
    }
}

#[test]
fn a_torn_last_record_is_cut_off_and_the_rest_kept() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("kv.log");
    let mut log = LogStore::open(&path, SyncPolicy::EveryWrite).expect("new log");
    log.put(b"a", b"1").expect("put");
    log.put(b"b", b"2").expect("put");
    let whole = log.log_bytes();
    log.put(b"c", b"a value long enough to be cut")
        .expect("put");
    drop(log);
    // Only part of the third record reached the disk: a crash in the middle of an append.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("exists");
    file.set_len(whole + 15).expect("writable");
    drop(file);
    let log = LogStore::open(&path, SyncPolicy::Never).expect("recovers");
    assert_eq!(log.log_bytes(), whole);
    assert_eq!(log.torn_bytes(), 15);
    assert_eq!(std::fs::metadata(&path).expect("exists").len(), whole);
    assert_eq!(log.get(b"b").expect("get"), Some(b"2".to_vec()));
    assert_eq!(log.get(b"c").expect("get"), None);
}

#[test]
fn damage_in_the_middle_of_the_log_is_refused_with_its_offset() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("kv.log");
    let mut log = LogStore::open(&path, SyncPolicy::Never).expect("new log");
    log.put(b"a", b"1").expect("put");
    let second = log.log_bytes();
    log.put(b"b", b"2").expect("put");
    log.put(b"c", b"3").expect("put");
    drop(log);
    let mut bytes = std::fs::read(&path).expect("readable");
    bytes[second as usize + 16 + 5] ^= 0xff; // the key byte of the second record
    std::fs::write(&path, &bytes).expect("writable");
    match LogStore::open(&path, SyncPolicy::Never) {
        Err(err @ KvError::Corrupt { offset, .. }) => {
            assert_eq!(offset, second);
            let message = err.to_string();
            assert!(message.contains("kv.log"), "{message}");
            assert!(message.contains(&format!("byte {second}")), "{message}");
            assert!(message.contains("checksum"), "{message}");
        }
        other => panic!("expected Corrupt at {second}, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).expect("readable"), bytes, "untouched");
}

#[test]
fn weak_quorums_read_stale_values_under_lag() {
    let fast = Quorum {
        replicas: 3,
        write: 1,
        read: 1,
    };
    assert!(
        simulate(fast, 5_000, 0.3, 10, 2)
            .expect("valid")
            .stale_reads
            > 0
    );
}

#[test]
fn quorum_errors_name_the_values() {
    let bad = Quorum {
        replicas: 3,
        write: 4,
        read: 1,
    };
    let err = simulate(bad, 10, 0.5, 1, 1).expect_err("W > N");
    assert_eq!(err, QuorumError::OutOfRange(bad));
    assert_eq!(
        err.to_string(),
        "W = 4 and R = 1 must each lie between 1 and N = 3"
    );
    let ok = Quorum {
        replicas: 3,
        write: 2,
        read: 2,
    };
    assert_eq!(
        simulate(ok, 10, 0.5, 0, 1).expect_err("lag 0"),
        QuorumError::ZeroLag
    );
    assert!(simulate(ok, 10, 1.5, 1, 1).is_err());
}
