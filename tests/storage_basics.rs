//! Tests of `sysdesign::storage_basics`: the model against a simple rule, and real files.

use proptest::prelude::*;
use std::collections::BTreeMap;
use sysdesign::storage_basics::files::lost_in_buffer;
use sysdesign::storage_basics::{
    Event, Layer, SimulatedDisk, StorageError, crash_after_write, write_records,
};

#[test]
fn a_process_crash_keeps_the_page_cache_but_loses_the_buffer() {
    let mut disk = SimulatedDisk::new();
    disk.write("f", b"kernel");
    disk.flush("f");
    disk.write("f", b"+buffer");
    disk.crash(Event::ProcessCrash);
    assert_eq!(disk.read("f"), b"kernel");
    assert_eq!(disk.layer("f", Layer::ProcessBuffer), b"");
}

#[test]
fn a_power_loss_keeps_only_what_was_fsynced() {
    let mut disk = SimulatedDisk::new();
    disk.write("f", b"synced");
    disk.fsync("f");
    disk.write("f", b"+flushed");
    disk.flush("f");
    disk.crash(Event::PowerLoss);
    assert_eq!(disk.read("f"), b"synced");
}

#[test]
fn fsync_of_one_file_does_not_make_another_durable() {
    let mut disk = SimulatedDisk::new();
    disk.write("a", b"1");
    disk.write("b", b"2");
    disk.flush("b");
    disk.fsync("a");
    disk.crash(Event::PowerLoss);
    assert_eq!(disk.read("a"), b"1");
    assert_eq!(disk.read("b"), b"");
}

#[derive(Clone, Debug)]
enum Op {
    Write(u8, u8),
    Flush(u8),
    Fsync(u8),
    Writeback(u8),
    Crash(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let file = 0u8..3;
    prop_oneof![
        4 => (file.clone(), any::<u8>()).prop_map(|(f, b)| Op::Write(f, b)),
        2 => file.clone().prop_map(Op::Flush),
        1 => file.clone().prop_map(Op::Fsync),
        1 => file.prop_map(Op::Writeback),
        1 => any::<bool>().prop_map(Op::Crash),
    ]
}

/// The reference: every byte ever written, in order, and how many of them each layer holds.
#[derive(Default, Clone)]
struct Reference {
    bytes: Vec<u8>,
    flushed: usize,
    durable: usize,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]

    /// After any operations, a reader sees exactly the flushed prefix of what was written since the
    /// last crash, and after a power loss exactly the prefix fsynced or written back.
    #[test]
    fn the_model_keeps_exactly_the_prefix_each_rule_allows(ops in proptest::collection::vec(op(), 1..60)) {
        let mut disk = SimulatedDisk::new();
        let mut reference: BTreeMap<String, Reference> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Write(f, b) => {
                    let name = f.to_string();
                    disk.write(&name, &[b]);
                    reference.entry(name).or_default().bytes.push(b);
                }
                Op::Flush(f) => {
                    disk.flush(&f.to_string());
                    if let Some(r) = reference.get_mut(&f.to_string()) {
                        r.flushed = r.bytes.len();
                    }
                }
                Op::Fsync(f) => {
                    disk.fsync(&f.to_string());
                    if let Some(r) = reference.get_mut(&f.to_string()) {
                        r.flushed = r.bytes.len();
                        r.durable = r.flushed;
                    }
                }
                Op::Writeback(f) => {
                    disk.writeback(&f.to_string());
                    if let Some(r) = reference.get_mut(&f.to_string()) {
                        r.durable = r.flushed;
                    }
                }
                Op::Crash(power) => {
                    disk.crash(if power { Event::PowerLoss } else { Event::ProcessCrash });
                    for r in reference.values_mut() {
                        if power {
                            r.flushed = r.durable;
                        }
                        r.bytes.truncate(r.flushed);
                    }
                }
            }
            for (name, r) in &reference {
                prop_assert_eq!(disk.read(name), &r.bytes[..r.flushed]);
                prop_assert_eq!(disk.layer(name, Layer::Device), &r.bytes[..r.durable]);
                prop_assert_eq!(disk.layer(name, Layer::ProcessBuffer), &r.bytes[r.flushed..]);
            }
        }
    }
}

#[test]
fn a_child_killed_after_write_leaves_its_bytes_in_the_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let crash = crash_after_write(&dir.path().join("f"), "paid, 'quoted' $HOME").expect("sh runs");
    assert_eq!(crash.signal, 9);
    assert_eq!(crash.read_back, "paid, 'quoted' $HOME");
}

#[test]
fn bytes_left_in_a_buffer_never_reach_the_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    assert_eq!(
        lost_in_buffer(&dir.path().join("f"), "x").expect("writable"),
        ""
    );
}

#[test]
fn write_records_syncs_after_every_k_records_and_after_the_last() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("log");
    let stats = write_records(&path, 7, 16, Some(3)).expect("writable");
    assert_eq!((stats.records, stats.bytes, stats.syncs), (7, 112, 3));
    let stats = write_records(&path, 7, 16, None).expect("writable");
    assert_eq!(stats.syncs, 0);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert_eq!(text.lines().count(), 7);
}

#[test]
fn errors_name_the_offending_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("no/such/dir/log");
    let err = write_records(&missing, 1, 1, None).expect_err("the directory does not exist");
    assert!(matches!(err, StorageError::Io { .. }));
    assert!(err.to_string().contains("no/such/dir/log"));
    let err = write_records(&dir.path().join("f"), 1, 1, Some(0)).expect_err("zero interval");
    assert!(err.to_string().contains("got 0"));
    let err = crash_after_write(&dir.path().join("f"), "a\0b").expect_err("NUL");
    assert!(err.to_string().contains("NUL"));
}
