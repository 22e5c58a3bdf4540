//! A torn tail and damage, told apart: a cut-short append is truncated on opening; one flipped
//! byte in the middle makes `open` refuse, byte for byte untouched, and `repair` keeps a backup
//! and salvages every intact transaction, before and after the damage.

use std::path::Path;

use sysdesign::relational_acid::WalStore;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bank.wal");
    let mut ends = Vec::new();
    let mut store = WalStore::open(&path).expect("a new log");
    for (i, (alice, bob)) in [("100", "50"), ("70", "80"), ("60", "90"), ("10", "140")]
        .into_iter()
        .enumerate()
    {
        let tx = store
            .begin()
            .put("alice", alice)
            .put("bob", bob)
            .put(
                format!("audit:{}", i + 1),
                format!("alice {alice}, bob {bob}"),
            )
            .commit()
            .expect("commits");
        ends.push(store.log_len());
        println!(
            "tx {tx}: alice = {alice}, bob = {bob} (log ends at byte {})",
            store.log_len()
        );
    }
    drop(store);
    let good = std::fs::read(&path).expect("readable");

    // 1. A torn tail: the last 20 bytes never reached the disk.
    std::fs::write(&path, &good[..good.len() - 20]).expect("writable");
    {
        // In a block: `recovery` borrows the store, which is closed at the end of it.
        let store = WalStore::open(&path).expect("a torn tail opens");
        let recovery = store.recovery();
        println!(
            "\ntorn tail:  opened; {} transactions, stop = {:?}, {} bytes cut off",
            recovery.committed, recovery.stop, recovery.discarded
        );
    }

    // 2. Damage: one byte flipped inside transaction 2.
    let mut damaged = good.clone();
    let at = ends[0] as usize + 60;
    damaged[at] ^= 0x20;
    std::fs::write(&path, &damaged).expect("writable");
    let err = WalStore::open(&path).expect_err("damage is refused");
    println!(
        "\ndamage:     byte {at} flipped; open refuses:\n  {}",
        relative(&err.to_string(), dir.path())
    );
    let after = std::fs::read(&path).expect("readable");
    let changed = after.iter().zip(&damaged).filter(|(a, b)| a != b).count();
    println!(
        "  bytes the refused open changed: {changed} (length {} before, {} after)",
        damaged.len(),
        after.len()
    );

    // 3. Repair: backup first, then salvage.
    let report = WalStore::repair(&path).expect("repairs");
    println!("\nrepair:     kept {} transactions; dropped:", report.kept);
    for dropped in &report.dropped {
        println!("  tx {}: {:?}", dropped.tx, dropped.why);
    }
    println!("  skipped byte ranges: {:?}", report.skipped);
    let backup = std::fs::read(dir.path().join("bank.wal.damaged")).expect("the backup");
    println!(
        "  backup {}: identical to the damaged file: {}",
        relative(&report.backup, dir.path()),
        backup == damaged
    );
    let store = WalStore::open(&path).expect("the repaired log opens");
    let state: Vec<String> = store
        .iter()
        .map(|(k, v)| {
            format!(
                "{} = {}",
                String::from_utf8_lossy(k),
                String::from_utf8_lossy(v)
            )
        })
        .collect();
    println!("  reopened: {}", state.join(", "));
}

/// `text` with the temporary directory's path left out, so the output is the same on every run.
fn relative(text: &str, dir: &Path) -> String {
    text.replace(&format!("{}/", dir.display()), "")
}
