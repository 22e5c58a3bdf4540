//! A block store with three replicas, each block stored with its CRC32. A bit flips on one
//! replica, then on two; reads detect the damage, are served from a good replica and repair the
//! bad copies. With all three damaged, the read fails instead of returning bad bytes.

use sysdesign::checksums::Algorithm;
use sysdesign::checksums::block_store::BlockStore;
use sysdesign::show::{self, Table};

/// Reads block `id` starting at replica `first` and adds a row saying what happened.
fn read(store: &mut BlockStore, table: &mut Table, step: &str, id: u64, first: usize) {
    let mut row = vec![step.to_string(), first.to_string()];
    match store.read(id, first) {
        Ok(r) => row.extend([
            r.served_by.to_string(),
            format!("{:?}", r.corrupt),
            format!("{:?}", r.repaired),
            String::from_utf8_lossy(&r.data).into_owned(),
        ]),
        Err(e) => row.extend(["-".into(), "-".into(), "-".into(), format!("error: {e}")]),
    }
    table.push(row);
}

fn main() {
    let mut table = Table::new([
        "step",
        "read from",
        "served by",
        "corrupt",
        "repaired",
        "result",
    ]);
    // ANCHOR: scenario
    let mut store = BlockStore::new(3, Algorithm::Crc32).expect("3 replicas");
    for id in 0..4 {
        store.put(id, format!("block {id}: someone's data").into_bytes());
    }
    store.flip_bit(0, 2, 13).expect("block 2 is 23 bytes");
    read(
        &mut store,
        &mut table,
        "bit 13 of block 2 flipped on replica 0",
        2,
        0,
    );
    read(&mut store, &mut table, "block 2 read again", 2, 0);
    store.flip_bit(1, 3, 0).expect("in range");
    store.flip_bit(2, 3, 100).expect("in range");
    read(
        &mut store,
        &mut table,
        "block 3 damaged on replicas 1 and 2",
        3,
        1,
    );
    for replica in 0..3 {
        store.flip_bit(replica, 1, 8 * replica).expect("in range");
    }
    read(
        &mut store,
        &mut table,
        "block 1 damaged on every replica",
        1,
        0,
    );
    // ANCHOR_END: scenario
    show::table(&table.caption("reads of a 3-replica store (replica indexes in brackets)"));
}
