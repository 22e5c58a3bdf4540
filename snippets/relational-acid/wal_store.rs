//! Our write-ahead-log store: commit two transactions, abandon a third, look at the bytes of the
//! first record, reopen the file and read what recovery found.

use sysdesign::relational_acid::WalStore;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bank.wal");
    let mut store = WalStore::open(&path).expect("opens");
    let first = store
        .begin()
        .put("alice", "100")
        .put("bob", "50")
        .commit()
        .expect("commits");
    let second = store
        .begin()
        .put("alice", "70")
        .put("bob", "80")
        .commit()
        .expect("commits");
    {
        let mut abandoned = store.begin();
        abandoned.put("alice", "0"); // never committed: dropped, so aborted
    }
    println!(
        "committed transactions {first} and {second}; {} fsyncs",
        store.syncs()
    );
    println!("log: {} bytes", store.log_len());

    let bytes = std::fs::read(&path).expect("reads the file");
    let len = u32::from_le_bytes(bytes[0..4].try_into().expect("4 bytes")) as usize;
    println!("\nthe first record, field by field:");
    println!("  length   {:02x?} = {len} bytes of payload", &bytes[0..4]);
    println!("  crc32    {:02x?}", &bytes[4..8]);
    println!("  kind     {:02x?} (1 = put)", &bytes[8..9]);
    println!("  tx       {:02x?}", &bytes[9..17]);
    println!(
        "  key      {:02x?} then {:?}",
        &bytes[17..21],
        String::from_utf8_lossy(&bytes[21..26])
    );
    println!(
        "  value    {:02x?} then {:?}",
        &bytes[26..30],
        String::from_utf8_lossy(&bytes[30..8 + len])
    );
    drop(store);

    let store = WalStore::open(&path).expect("opens");
    println!("\nreopened: {:?}", store.recovery());
    for (key, value) in store.iter() {
        println!(
            "  {} = {}",
            String::from_utf8_lossy(key),
            String::from_utf8_lossy(value)
        );
    }
}
