//! Injected failures: a write that stops short, an fsync that fails, and what a naive retry of
//! fsync would have cost.

use sysdesign::relational_acid::record::Record;
use sysdesign::relational_acid::{LogFile, SimulatedLog, WalStore, replay};

fn main() {
    // 1. A write that fails after 10 bytes.
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("recovers");
    store.begin().put("alice", "100").commit().expect("commits");
    store.log_mut().fail_next_write(10);
    let failed = store.begin().put("alice", "70").put("bob", "30").commit();
    println!(
        "failed write:  commit -> {}",
        failed.map_or_else(|e| e.to_string(), |t| t.to_string())
    );
    println!(
        "  alice = {:?}, bob = {:?}",
        as_text(store.get("alice")),
        as_text(store.get("bob"))
    );
    let next = store.begin().put("carol", "1").commit();
    println!(
        "  next commit -> {}",
        next.map_or_else(|e| e.to_string(), |t| t.to_string())
    );

    // 2. An fsync that fails: the store is poisoned, not retried.
    let mut store = WalStore::with_log(SimulatedLog::new()).expect("recovers");
    store.begin().put("alice", "100").commit().expect("commits");
    store.log_mut().fail_next_sync();
    let failed = store.begin().put("alice", "70").commit();
    println!(
        "\nfailed fsync:  commit -> {}",
        failed.map_or_else(|e| e.to_string(), |t| t.to_string())
    );
    println!(
        "  alice = {:?}; poisoned: {:?}",
        as_text(store.get("alice")),
        store.poisoned()
    );
    let recovered = WalStore::with_log(store.log().after_crash()).expect("recovers");
    println!(
        "  after a crash and reopen: alice = {:?}",
        as_text(recovered.get("alice"))
    );

    // 3. The naive alternative: retry fsync, believe it, carry on.
    let empty = WalStore::with_log(SimulatedLog::new()).expect("a new log");
    let mut log = empty.log().clone(); // holds the file header
    append_tx(1, "a", &mut log).expect("appends");
    log.sync().expect("syncs");
    append_tx(2, "b", &mut log).expect("appends");
    log.fail_next_sync();
    println!(
        "\nnaive retry:   fsync of tx 2 -> {:?}",
        log.sync().err().map(|e| e.to_string())
    );
    println!(
        "  retried fsync -> {:?}",
        log.sync().map_err(|e| e.to_string())
    );
    append_tx(3, "c", &mut log).expect("appends");
    println!(
        "  fsync of tx 3 -> {:?} (tx 3 acknowledged)",
        log.sync().map_err(|e| e.to_string())
    );
    let after = replay(log.after_crash().disk());
    println!(
        "  after a crash: {} transaction(s) recovered, stop = {:?}",
        after.recovery.committed, after.recovery.stop
    );
}

/// Appends transaction `id`, one put of `key`, without the store's care.
fn append_tx(id: u64, key: &str, log: &mut SimulatedLog) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    let base = log.read_all()?.len() as u64; // where the records will start
    let (key, value) = (key.as_bytes().to_vec(), b"v".to_vec());
    Record::Put { tx: id, key, value }.encode_into(&mut bytes, base);
    Record::Commit { tx: id, records: 1 }.encode_into(&mut bytes, base);
    log.append(&bytes)
}

fn as_text(value: Option<&[u8]>) -> Option<String> {
    value.map(|v| String::from_utf8_lossy(v).into_owned())
}
