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
    println!(
        "\nthe file header: {:?}",
        String::from_utf8_lossy(&bytes[0..6])
    );
    println!("  version  {:02x?}", &bytes[6..8]);
    print_first_record(&bytes);
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

/// Prints the first record's frame, field by field.
fn print_first_record(bytes: &[u8]) {
    let r = &bytes[8..]; // the first record's frame
    let len = u32::from_le_bytes(r[4..8].try_into().expect("4 bytes")) as usize;
    println!("the first record, field by field:");
    println!("  sync     {:02x?}", &r[0..4]);
    println!("  length   {:02x?} = {len} bytes of payload", &r[4..8]);
    println!("  len crc  {:02x?}", &r[8..12]);
    println!(
        "  crc32    {:02x?} (over the offset and the payload)",
        &r[12..16]
    );
    println!("  kind     {:02x?} (1 = put)", &r[16..17]);
    println!("  tx       {:02x?}", &r[17..25]);
    println!(
        "  key      {:02x?} then {:?}",
        &r[25..29],
        String::from_utf8_lossy(&r[29..34])
    );
    println!(
        "  value    {:02x?} then {:?}",
        &r[34..38],
        String::from_utf8_lossy(&r[38..16 + len])
    );
}
