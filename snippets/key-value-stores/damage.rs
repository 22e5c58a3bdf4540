//! The log store refuses damage and repairs it on request; then the crash sweeps: every byte
//! offset cut or flipped, and a compaction crashed after every byte and every step.

use std::path::Path;

use sysdesign::key_value_stores::crash::{compaction_sweep, sweep};
use sysdesign::key_value_stores::{KeyValueStore, LogStore, SyncPolicy};
use sysdesign::relational_acid::crash::{Fault, workload};
use sysdesign::show::{self, Table};

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("kv.log");
    let mut store = LogStore::open(&path, SyncPolicy::EveryWrite).expect("a new log");
    let mut ends = Vec::new();
    for (key, value) in [
        ("user:1", "Ada"),
        ("user:2", "Grace"),
        ("user:1", "Alan"),
        ("user:3", "Edsger"),
    ] {
        store.put(key.as_bytes(), value.as_bytes()).expect("put");
        ends.push(store.log_bytes() as usize);
    }
    drop(store);
    let mut bytes = std::fs::read(&path).expect("readable");
    bytes[ends[1] + 25] ^= 0x01; // one bit of the third record's value
    std::fs::write(&path, &bytes).expect("writable");
    let err = LogStore::open(&path, SyncPolicy::Never).expect_err("damage is refused");
    println!(
        "open refuses:\n  {}",
        relative(&err.to_string(), dir.path())
    );
    let unchanged = std::fs::read(&path).expect("readable") == bytes;
    println!("  file unchanged: {unchanged}");
    let report = LogStore::repair(&path).expect("repairs");
    println!(
        "repair kept {} records, skipped bytes {:?}, backup {} identical: {}",
        report.kept,
        report.skipped,
        relative(&report.backup, dir.path()),
        std::fs::read(dir.path().join("kv.log.damaged")).expect("backup") == bytes
    );
    let store = LogStore::open(&path, SyncPolicy::Never).expect("reopens");
    for key in ["user:1", "user:2", "user:3"] {
        let value = store.get(key.as_bytes()).expect("get");
        let value = value.map(|v| String::from_utf8_lossy(&v).into_owned());
        println!("  {key} = {value:?}");
    }

    let ops: Vec<_> = workload(2024, 50).into_iter().flatten().collect();
    let mut table = Table::new([
        "damage",
        "offsets",
        "opened, exact",
        "opened, wrong",
        "refused, repaired exactly",
        "refused, repair lost data",
    ]);
    for fault in [Fault::Truncate, Fault::FlipByte] {
        let r = sweep(&ops, fault);
        table.push([
            format!("{fault:?}"),
            r.points.to_string(),
            r.opened_exact.to_string(),
            r.opened_wrong.to_string(),
            r.refused_then_repaired.to_string(),
            r.refused_repair_lost.to_string(),
        ]);
    }
    show::table(&table.caption("The log store's file damaged at every byte offset"));

    let r = compaction_sweep(&ops);
    println!(
        "compaction: {} units of work, {} crash points (each unit, renames lost or kept): \
         old file {}, new file {}, lost or mixed {}",
        r.units, r.crash_points, r.old_file, r.new_file, r.lost_or_mixed
    );
}

/// `text` with the temporary directory's path left out, so the output is the same on every run.
fn relative(text: &str, dir: &Path) -> String {
    text.replace(&format!("{}/", dir.display()), "")
}
