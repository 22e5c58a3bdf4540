//! Hostile files for both of the book's stores (the write-ahead-log `WalStore` and the
//! log-structured `LogStore`): arbitrary bytes, a foreign file, damage in the middle, oversized
//! length fields, an empty file, a directory. A refused open changes zero bytes; a repair keeps a
//! byte-identical backup and recovers every intact committed transaction.
//! Also the log store's crash sweeps and the compaction crash test at every step.

use std::path::Path;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::key_value_stores::crash::{compaction_sweep, sweep as kv_sweep};
use sysdesign::key_value_stores::{KeyValueStore, KvError, LogStore, SyncPolicy};
use sysdesign::relational_acid::crash::{Fault, workload};
use sysdesign::relational_acid::frame::Damage;
use sysdesign::relational_acid::{DropReason, WalError, WalStore};

/// Opens `path` with both stores, expects both to refuse, and checks the file did not change.
fn both_refuse_untouched(path: &Path) -> (WalError, KvError) {
    let before = std::fs::read(path).expect("readable");
    let wal = WalStore::open(path).expect_err("the WAL store refuses");
    assert_eq!(std::fs::read(path).expect("readable"), before, "{wal}");
    let kv = LogStore::open(path, SyncPolicy::Never).expect_err("the log store refuses");
    assert_eq!(std::fs::read(path).expect("readable"), before, "{kv}");
    (wal, kv)
}

/// The files in the directory of `path`, sorted.
fn files_beside(path: &Path) -> Vec<String> {
    let dir = path.parent().expect("a parent");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn arbitrary_bytes_are_refused_by_both_stores_and_left_untouched() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("random.bin");
    let mut rng = StdRng::seed_from_u64(16);
    for len in [1, 7, 8, 9, 100, 4096] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        std::fs::write(&path, &bytes).expect("writable");
        let (wal, kv) = both_refuse_untouched(&path);
        assert!(
            matches!(wal, WalError::Damaged { at: 0, .. }),
            "{len}: {wal}"
        );
        assert!(
            matches!(kv, KvError::Corrupt { offset: 0, .. }),
            "{len}: {kv}"
        );
        // Repair finds nothing of ours: refused too, no backup, file unchanged.
        let err = WalStore::repair(&path).expect_err("nothing to salvage");
        assert!(matches!(err, WalError::NothingToSalvage { .. }), "{err}");
        let err = LogStore::repair(&path).expect_err("nothing to salvage");
        assert!(matches!(err, KvError::NotAStore { .. }), "{err}");
        assert_eq!(std::fs::read(&path).expect("readable"), bytes);
        assert_eq!(files_beside(&path), ["random.bin"]);
    }
}

#[test]
fn a_foreign_file_is_named_with_what_was_found() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, b"SQLite format 3\0 and then pages").expect("writable");
    let (wal, kv) = both_refuse_untouched(&path);
    let message = wal.to_string();
    assert!(message.contains("notes.db"), "{message}");
    assert!(message.contains("byte 0"), "{message}");
    assert!(message.contains("not a store file"), "{message}");
    assert!(kv.to_string().contains("not a store file"), "{kv}");
}

#[test]
fn each_store_refuses_the_other_stores_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (wal_path, kv_path) = (dir.path().join("a.wal"), dir.path().join("a.kv"));
    WalStore::open(&wal_path)
        .expect("new")
        .begin()
        .put("k", "v")
        .commit()
        .expect("commit");
    LogStore::open(&kv_path, SyncPolicy::Never)
        .expect("new")
        .put(b"k", b"v")
        .expect("put");
    let wal_bytes = std::fs::read(&wal_path).expect("readable");
    assert!(LogStore::open(&wal_path, SyncPolicy::Never).is_err());
    assert!(WalStore::open(&kv_path).is_err());
    assert_eq!(std::fs::read(&wal_path).expect("readable"), wal_bytes);
}

#[test]
fn oversized_length_fields_are_damage_not_a_torn_tail() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.wal");
    let mut store = WalStore::open(&path).expect("new");
    store.begin().put("a", "1").commit().expect("commit");
    let second = store.log_len() as usize;
    store.begin().put("b", "2").commit().expect("commit");
    drop(store);
    let good = std::fs::read(&path).expect("readable");
    // A flipped high byte of the length: the frame would run past the end of the file, but the
    // length check shows it was damaged.
    let mut flipped = good.clone();
    flipped[second + 7] ^= 0x80;
    std::fs::write(&path, &flipped).expect("writable");
    match WalStore::open(&path).expect_err("refused") {
        WalError::Damaged {
            at,
            damage: Damage::LengthCheck { .. },
            ..
        } => assert_eq!(at, second as u64),
        other => panic!("{other}"),
    }
    // A length of 4 GiB whose check is consistent: over the limit, so damage too.
    let mut huge = good.clone();
    let len = u32::MAX.to_le_bytes();
    huge[second + 4..second + 8].copy_from_slice(&len);
    huge[second + 8..second + 12].copy_from_slice(&crc32fast::hash(&len).to_le_bytes());
    std::fs::write(&path, &huge).expect("writable");
    let err = WalStore::open(&path).expect_err("refused");
    assert!(
        matches!(
            err,
            WalError::Damaged {
                damage: Damage::Length(_),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).expect("readable"), huge);
}

#[test]
fn an_empty_file_opens_as_an_empty_store() {
    // A store whose creation crashed before its header reached the disk: nothing to lose.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("empty");
    std::fs::write(&path, b"").expect("writable");
    let store = WalStore::open(&path).expect("opens");
    assert!(store.is_empty());
    assert_eq!(std::fs::read(&path).expect("readable"), b"sd-wal\x01\x00");
    std::fs::write(&path, b"").expect("writable");
    let store = LogStore::open(&path, SyncPolicy::Never).expect("opens");
    assert!(store.is_empty());
    assert_eq!(std::fs::read(&path).expect("readable"), b"sd-kvl\x01\x00");
}

#[test]
fn a_directory_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("a-directory");
    std::fs::create_dir(&path).expect("creatable");
    let err = WalStore::open(&path).expect_err("a directory");
    assert!(err.to_string().contains("a-directory"), "{err}");
    let err = LogStore::open(&path, SyncPolicy::Never).expect_err("a directory");
    assert!(err.to_string().contains("a-directory"), "{err}");
    assert!(WalStore::repair(&path).is_err());
    assert!(LogStore::repair(&path).is_err());
    assert!(path.is_dir());
}

#[test]
fn wal_damage_in_the_middle_is_refused_then_repaired_keeping_a_backup() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bank.wal");
    let mut store = WalStore::open(&path).expect("new");
    let mut ends = Vec::new();
    for i in 1..=5 {
        store
            .begin()
            .put(format!("k{i}"), format!("v{i}"))
            .put("last", i.to_string())
            .commit()
            .expect("commit");
        ends.push(store.log_len() as usize);
    }
    drop(store);
    let mut bytes = std::fs::read(&path).expect("readable");
    bytes[ends[1] + 30] ^= 0x01; // one bit inside transaction 3
    std::fs::write(&path, &bytes).expect("writable");

    let err = WalStore::open(&path).expect_err("damage is refused");
    let message = err.to_string();
    assert!(message.contains("bank.wal"), "{message}");
    assert!(message.contains(&format!("byte {}", ends[1])), "{message}");
    assert_eq!(std::fs::read(&path).expect("readable"), bytes, "untouched");

    let report = WalStore::repair(&path).expect("repairs");
    assert_eq!(report.kept, 4);
    assert_eq!(report.dropped.len(), 1, "{report:?}");
    assert_eq!(report.dropped[0].tx, 3);
    assert!(matches!(
        report.dropped[0].why,
        DropReason::Incomplete { .. } | DropReason::NoCommit { .. }
    ));
    let backup = dir.path().join("bank.wal.damaged");
    assert_eq!(report.backup, backup.display().to_string());
    assert_eq!(
        std::fs::read(&backup).expect("backup"),
        bytes,
        "byte-identical backup"
    );
    let store = WalStore::open(&path).expect("the repaired log opens");
    for i in [1, 2, 4, 5] {
        let key = format!("k{i}");
        assert_eq!(store.get(&key), Some(format!("v{i}").as_bytes()), "{key}");
    }
    assert_eq!(store.get("k3"), None);
    assert_eq!(store.get("last"), Some(&b"5"[..]));
    assert_eq!(files_beside(&path), ["bank.wal", "bank.wal.damaged"]);
}

#[test]
fn log_store_damage_is_repaired_keeping_every_intact_record() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("kv.log");
    let mut store = LogStore::open(&path, SyncPolicy::Never).expect("new");
    let mut ends = Vec::new();
    for i in 0..6u8 {
        store.put(&[b'k', i], &[i; 10]).expect("put");
        ends.push(store.log_bytes() as usize);
    }
    drop(store);
    let mut bytes = std::fs::read(&path).expect("readable");
    bytes[ends[2] + 2] ^= 0xff; // the sync marker of the fourth record
    std::fs::write(&path, &bytes).expect("writable");
    assert!(LogStore::open(&path, SyncPolicy::Never).is_err());
    assert_eq!(std::fs::read(&path).expect("readable"), bytes);
    let report = LogStore::repair(&path).expect("repairs");
    assert_eq!(report.kept, 5);
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0], ends[2] as u64..ends[3] as u64);
    assert_eq!(
        std::fs::read(dir.path().join("kv.log.damaged")).expect("backup"),
        bytes
    );
    let store = LogStore::open(&path, SyncPolicy::Never).expect("opens");
    assert_eq!(store.len(), 5);
    assert_eq!(store.get(b"k\x03").expect("get"), None);
    assert_eq!(store.get(b"k\x05").expect("get"), Some(vec![5; 10]));
}

#[test]
fn compacting_a_store_named_like_the_temporary_file_keeps_its_data() {
    // The old compaction wrote to `path.with_extension("compacting")`: for this name, the live
    // file itself, which it truncated.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("kv.compacting");
    let mut store = LogStore::open(&path, SyncPolicy::Never).expect("new");
    store.put(b"a", b"1").expect("put");
    store.put(b"a", b"2").expect("put");
    store.compact().expect("compacts");
    assert_eq!(store.get(b"a").expect("get"), Some(b"2".to_vec()));
    drop(store);
    let store = LogStore::open(&path, SyncPolicy::Never).expect("reopens");
    assert_eq!(store.get(b"a").expect("get"), Some(b"2".to_vec()));
    assert_eq!(files_beside(&path), ["kv.compacting"]);
}

#[test]
fn log_store_sweeps_lose_nothing_committed() {
    let ops: Vec<_> = workload(2024, 30).into_iter().flatten().collect();
    for fault in [Fault::Truncate, Fault::FlipByte] {
        let report = kv_sweep(&ops, fault);
        println!("{report:?}");
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
        }
    }
}

#[test]
fn a_crash_at_every_step_of_compaction_leaves_the_old_or_the_new_file() {
    let ops: Vec<_> = workload(7, 25).into_iter().flatten().collect();
    let report = compaction_sweep(&ops);
    println!("{report:?}");
    assert_eq!(report.lost_or_mixed, 0, "{report:?}");
    assert_eq!(report.crash_points as u64, 2 * (report.units + 1));
    assert!(report.old_file > 0 && report.new_file > 0, "{report:?}");
}

#[test]
fn writes_larger_than_a_frame_are_refused_naming_the_limit() {
    let value = vec![0u8; sysdesign::key_value_stores::log::MAX_KEY_AND_VALUE + 1];
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut kv = LogStore::open(&dir.path().join("kv"), SyncPolicy::Never).expect("new");
    match kv.put(b"", &value) {
        Err(KvError::TooLong { len, limit }) => assert_eq!((len, limit), (value.len(), len - 1)),
        other => panic!("{other:?}"),
    }
    assert_eq!(kv.log_bytes(), 8, "nothing was written");
    let mut wal = WalStore::with_log(sysdesign::relational_acid::SimulatedLog::new()).expect("new");
    let err = wal
        .begin()
        .put("k", &value)
        .commit()
        .expect_err("too large");
    assert!(matches!(err, WalError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("over the limit"), "{err}");
    assert!(wal.poisoned().is_none(), "a refused write changes nothing");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..Default::default() })]

    /// Any bytes at all: opening either store succeeds only for what a crash can leave (nothing,
    /// or a cut-off header), and otherwise refuses without changing a byte.
    #[test]
    fn any_bytes_open_only_as_a_store_or_are_refused_untouched(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        prefix in 0usize..8,
    ) {
        use std::ffi::OsStr;
        use sysdesign::relational_acid::dir::{Directory, SimDir};
        use sysdesign::relational_acid::{LogFile, SimulatedLog};
        for candidate in [bytes.clone(), b"sd-wal\x01\x00"[..prefix].to_vec()] {
            match WalStore::with_log(SimulatedLog::from_disk(candidate.clone())) {
                Ok(store) => proptest::prop_assert!(b"sd-wal\x01\x00".starts_with(&candidate) && store.is_empty()),
                Err(e) => proptest::prop_assert!(matches!(e, WalError::Damaged { .. }), "{e}"),
            }
            let mut dir = SimDir::new();
            let mut file = dir.open(OsStr::new("kv")).expect("simulated");
            file.append(&candidate).expect("simulated");
            match sysdesign::key_value_stores::log::LogStore::open_in(dir.clone(), OsStr::new("kv"), SyncPolicy::Never) {
                Ok(store) => proptest::prop_assert!(b"sd-kvl\x01\x00".starts_with(&candidate) && store.is_empty()),
                Err(e) => {
                    proptest::prop_assert!(matches!(e, KvError::Corrupt { .. }), "{e}");
                    proptest::prop_assert_eq!(dir.contents(OsStr::new("kv")), Some(candidate.clone()));
                }
            }
        }
    }
}

#[test]
fn a_crash_at_every_step_of_a_repair_leaves_the_damaged_file_or_the_repaired_one() {
    use std::ffi::OsStr;
    use sysdesign::key_value_stores::log::{repair_in, salvage};
    use sysdesign::relational_acid::LogFile;
    use sysdesign::relational_acid::dir::{Directory, SimDir};
    let name = OsStr::new("kv");
    let base = SimDir::new();
    let mut store = sysdesign::key_value_stores::log::LogStore::open_in(
        base.clone(),
        name,
        SyncPolicy::EveryWrite,
    )
    .expect("new");
    for i in 0..5u8 {
        store.put(&[i], &[i; 8]).expect("put");
    }
    drop(store);
    let mut damaged = base.contents(name).expect("exists");
    damaged[40] ^= 0xff;
    let base = {
        let mut dir = SimDir::new();
        let mut file = dir.open(name).expect("simulated");
        file.append(&damaged).expect("simulated");
        file.sync().expect("simulated");
        dir
    };
    let (repaired, _, _) = salvage(&damaged);
    let units = {
        let dir = base.deep_clone();
        let start = dir.used();
        repair_in(&mut dir.clone(), name).expect("repairs");
        dir.used() - start
    };
    let (mut old, mut new) = (0, 0);
    for renames_reached_disk in [false, true] {
        for budget in 0..=units {
            let mut dir = base.deep_clone();
            dir.crash_after(budget);
            let _ = repair_in(&mut dir.clone(), name);
            let found = dir.after_crash(renames_reached_disk).contents(name);
            match found {
                Some(bytes) if bytes == damaged => old += 1,
                Some(bytes) if bytes == repaired => new += 1,
                other => panic!("budget {budget}: {other:?}"),
            }
        }
    }
    println!("repair: {units} units, damaged file {old}, repaired file {new}");
    assert_eq!(old + new, 2 * (units as usize + 1));
    assert!(old > 0 && new > 0);
}
