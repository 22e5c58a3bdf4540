//! Tests of the write-ahead-log store in `sysdesign::relational_acid`: behaviour, a model-based
//! test against a `BTreeMap`, and crash tests at every byte offset of a log.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sysdesign::relational_acid::crash::workload;
use sysdesign::relational_acid::{
    LogFile, Op, SimulatedLog, Step, Stop, WalError, WalStore, replay,
};

type State = BTreeMap<Vec<u8>, Vec<u8>>;

fn apply(state: &mut State, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Put(k, v) => {
                state.insert(k.clone(), v.clone());
            }
            Op::Delete(k) => {
                state.remove(k);
            }
        }
    }
}

/// Commits `transactions` one by one; returns the log and, for each prefix of transactions, the
/// log length where it ends and the state it leaves.
fn committed_log(transactions: &[Vec<Op>]) -> (Vec<u8>, Vec<(usize, State)>) {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("an empty log opens");
    let mut model = State::new();
    let mut checkpoints = vec![(0, model.clone())];
    for ops in transactions {
        store
            .commit(ops.clone())
            .expect("the simulated log does not fail");
        apply(&mut model, ops);
        checkpoints.push((store.log_len() as usize, model.clone()));
    }
    (store.log().disk().to_vec(), checkpoints)
}

/// The state after the last transaction that ends at or before `offset`.
fn expected_at(checkpoints: &[(usize, State)], offset: usize) -> &State {
    let (_, state) = checkpoints
        .iter()
        .rev()
        .find(|(end, _)| *end <= offset)
        .expect("the empty prefix ends at 0");
    state
}

#[test]
fn committed_transactions_survive_reopening_the_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.wal");
    let mut store = WalStore::open(&path).expect("a new log opens");
    store
        .begin()
        .put("a", "1")
        .put("b", "2")
        .commit()
        .expect("commit");
    store
        .begin()
        .delete("a")
        .put("c", "3")
        .commit()
        .expect("commit");
    drop(store);
    let store = WalStore::open(&path).expect("the log reopens");
    let pairs: Vec<_> = store.iter().collect();
    assert_eq!(pairs, [(&b"b"[..], &b"2"[..]), (&b"c"[..], &b"3"[..])]);
    assert_eq!(store.recovery().committed, 2);
    assert_eq!(store.recovery().stop, Stop::CleanEnd);
}

#[test]
fn an_uncommitted_transaction_is_invisible_and_leaves_no_trace() {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("opens");
    {
        let mut tx = store.begin();
        tx.put("a", "1");
        // dropped without commit: aborted
    }
    assert_eq!(store.get("a"), None);
    let header = sysdesign::relational_acid::frame::FILE_HEADER;
    assert_eq!(store.log().disk().len(), header, "only the file header");
}

#[test]
fn reopening_cuts_a_torn_tail_so_new_commits_are_reachable() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.wal");
    let mut store = WalStore::open(&path).expect("opens");
    store.begin().put("a", "1").commit().expect("commit");
    let good = store.log_len();
    store.begin().put("b", "2").commit().expect("commit");
    drop(store);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("file");
    file.set_len(good + 3).expect("truncate");
    drop(file);

    let mut store = WalStore::open(&path).expect("reopens");
    assert_eq!(store.recovery().stop, Stop::Torn { at: good });
    assert_eq!(store.recovery().discarded, 3);
    store
        .begin()
        .put("c", "3")
        .commit()
        .expect("commit after recovery");
    drop(store);
    let store = WalStore::open(&path).expect("reopens");
    assert_eq!(store.get("a"), Some(&b"1"[..]));
    assert_eq!(store.get("b"), None);
    assert_eq!(store.get("c"), Some(&b"3"[..]));
}

// ANCHOR: crash_test
#[test]
fn truncating_the_log_at_every_byte_recovers_exactly_the_transactions_before_the_cut() {
    let transactions = workload(7, 40);
    let (log, checkpoints) = committed_log(&transactions);
    for cut in 0..=log.len() {
        let recovered = replay(&log[..cut]);
        let expected = expected_at(&checkpoints, cut);
        assert_eq!(
            &recovered.state,
            expected,
            "cut at byte {cut} of {}",
            log.len()
        );
        let whole = checkpoints.iter().filter(|(end, _)| *end <= cut).count() as u64 - 1;
        assert_eq!(recovered.recovery.committed, whole, "cut at byte {cut}");
    }
    println!(
        "truncation: {} crash points tried, log of {} bytes, {} transactions",
        log.len() + 1,
        log.len(),
        transactions.len()
    );
}

#[test]
fn flipping_any_byte_stops_recovery_at_the_damaged_transaction() {
    let transactions = workload(11, 40);
    let (log, checkpoints) = committed_log(&transactions);
    for at in 0..log.len() {
        let mut damaged = log.clone();
        damaged[at] ^= 0xff;
        let recovered = replay(&damaged);
        let expected = expected_at(&checkpoints, at);
        assert_eq!(
            &recovered.state,
            expected,
            "byte {at} of {} flipped",
            log.len()
        );
        assert!(
            matches!(
                recovered.recovery.stop,
                Stop::Corrupt { .. } | Stop::Torn { .. }
            ),
            "byte {at}: {:?}",
            recovered.recovery.stop
        );
    }
    println!("bit flips: {} crash points tried", log.len());
}
// ANCHOR_END: crash_test

#[test]
fn a_failed_write_is_reported_nothing_is_applied_and_recovery_drops_it() {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("opens");
    store.begin().put("a", "1").commit().expect("commit");
    store.log_mut().fail_next_write(10);
    let err = store
        .begin()
        .put("a", "2")
        .put("b", "2")
        .commit()
        .expect_err("write fails");
    assert!(
        matches!(
            err,
            WalError::Io {
                step: Step::Write,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(store.get("a"), Some(&b"1"[..]));
    assert_eq!(store.get("b"), None);
    let err = store.begin().put("c", "3").commit().expect_err("poisoned");
    assert!(matches!(err, WalError::Poisoned { .. }), "{err}");

    // Reopen: the ten bytes of the torn record are cut off.
    let mut log = store.log().clone();
    log.sync().expect("the cache reaches the disk");
    let reopened = WalStore::with_log(log.after_crash()).expect("recovers");
    assert_eq!(reopened.get("a"), Some(&b"1"[..]));
    assert_eq!(reopened.get("b"), None);
    assert_eq!(reopened.recovery().discarded, 10);
}

#[test]
fn a_failed_fsync_poisons_the_store_instead_of_being_retried() {
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("opens");
    store.begin().put("a", "1").commit().expect("commit");
    store.log_mut().fail_next_sync();
    let err = store
        .begin()
        .put("b", "2")
        .commit()
        .expect_err("fsync fails");
    assert!(
        matches!(
            err,
            WalError::Io {
                step: Step::Sync,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        store.get("b"),
        None,
        "an unacknowledged commit is not visible"
    );
    let err = store.begin().put("c", "3").commit().expect_err("poisoned");
    assert!(matches!(err, WalError::Poisoned { .. }), "{err}");
    assert!(store.poisoned().is_some());

    let recovered = WalStore::with_log(store.log().after_crash()).expect("recovers");
    assert_eq!(recovered.get("a"), Some(&b"1"[..]));
    assert_eq!(recovered.get("b"), None);
}

#[test]
fn retrying_a_failed_fsync_loses_a_later_acknowledged_commit() {
    // What the store avoids: a naive loop that retries fsync and carries on.
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("opens");
    store.begin().put("a", "1").commit().expect("commit");
    let mut log = store.log().clone();
    let mut bytes = Vec::new();
    let base = log.read_all().expect("readable").len() as u64;
    sysdesign::relational_acid::record::Record::Put {
        tx: 2,
        key: b"b".to_vec(),
        value: b"2".to_vec(),
    }
    .encode_into(&mut bytes, base);
    sysdesign::relational_acid::record::Record::Commit { tx: 2, records: 1 }
        .encode_into(&mut bytes, base);
    log.append(&bytes).expect("append");
    log.fail_next_sync();
    assert!(log.sync().is_err());
    assert!(log.sync().is_ok(), "the retry reports success");
    let mut more = Vec::new();
    let base = base + bytes.len() as u64;
    sysdesign::relational_acid::record::Record::Put {
        tx: 3,
        key: b"c".to_vec(),
        value: b"3".to_vec(),
    }
    .encode_into(&mut more, base);
    sysdesign::relational_acid::record::Record::Commit { tx: 3, records: 1 }
        .encode_into(&mut more, base);
    log.append(&more).expect("append");
    log.sync()
        .expect("a later fsync succeeds: tx 3 is acknowledged");

    let recovered = replay(log.after_crash().disk());
    assert_eq!(
        recovered.recovery.committed, 1,
        "tx 2 and the acknowledged tx 3 are both gone"
    );
    assert!(matches!(recovered.recovery.stop, Stop::Corrupt { .. }));
    // Opening refuses the hole; repair salvages the acknowledged tx 3 after it.
    let disk = log.after_crash().disk().to_vec();
    let err = WalStore::with_log(SimulatedLog::from_disk(disk.clone())).expect_err("a hole");
    assert!(matches!(err, WalError::Damaged { .. }), "{err}");
    let salvaged = sysdesign::relational_acid::salvage(&disk);
    let repaired = WalStore::with_log(SimulatedLog::from_disk(salvaged.bytes)).expect("opens");
    assert_eq!(repaired.get("a"), Some(&b"1"[..]));
    assert_eq!(repaired.get("b"), None, "tx 2 was in the hole");
    assert_eq!(repaired.get("c"), Some(&b"3"[..]), "tx 3 is salvaged");
    assert_eq!(salvaged.report.dropped.len(), 1, "{:?}", salvaged.report);
    assert_eq!(salvaged.report.dropped[0].tx, 2);
}

#[test]
fn reopening_a_real_file_cut_at_every_byte_recovers_the_transactions_before_the_cut() {
    let transactions = workload(5, 8);
    let (log, checkpoints) = committed_log(&transactions);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("cut.wal");
    for cut in 0..=log.len() {
        std::fs::write(&path, &log[..cut]).expect("write the cut copy");
        let mut store = WalStore::open(&path).expect("a cut log opens");
        let got: State = store
            .iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
        assert_eq!(&got, expected_at(&checkpoints, cut), "cut at byte {cut}");
        // The torn tail is gone from the file, so a new commit is found on the next open.
        let valid = store.log_len();
        assert_eq!(std::fs::metadata(&path).expect("metadata").len(), valid);
        store
            .begin()
            .put("after", "crash")
            .commit()
            .expect("commit after recovery");
        drop(store);
        let store = WalStore::open(&path).expect("reopens");
        assert_eq!(store.get("after"), Some(&b"crash"[..]), "cut at byte {cut}");
    }
    println!("real file: {} crash points tried", log.len() + 1);
}

#[test]
fn the_library_sweeps_find_no_lost_partial_or_phantom_transaction() {
    use sysdesign::relational_acid::crash::{Fault, sweep, workload};
    for fault in [Fault::Truncate, Fault::FlipByte] {
        let report = sweep(&workload(2024, 50), fault);
        assert_eq!(
            report.opened_wrong + report.refused_repair_lost,
            0,
            "{report:?}"
        );
        assert_eq!(
            report.opened_exact + report.refused_then_repaired,
            report.points
        );
        if fault == Fault::Truncate {
            assert_eq!(report.opened_exact, report.points, "a cut is never damage");
        } else {
            // Only a flip inside the torn tail's cut-short record can still look torn.
            assert!(report.opened_exact < report.tail_len, "{report:?}");
        }
    }
}

proptest! {
    #[test]
    fn the_store_matches_a_btreemap_across_commits_and_reopens(
        seed in any::<u64>(), reopen_every in 1usize..6,
    ) {
        let transactions = workload(seed, 30);
        let mut store = WalStore::with_log(SimulatedLog::new()).expect("opens");
        let mut model = State::new();
        for (i, ops) in transactions.iter().enumerate() {
            store.commit(ops.clone()).expect("commit");
            apply(&mut model, ops);
            if i % reopen_every == 0 {
                store = WalStore::with_log(store.log().after_crash()).expect("recovers");
            }
            let got: State = store.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect();
            prop_assert_eq!(&got, &model);
        }
    }
}
