//! Our consistent-hash ring against the `hashring` crate: lookups of the same keys on a ring of
//! the same 10 nodes × 100 virtual nodes.
//!
//! `hashring::HashRing` hashes with SipHash-2-4 (keys 0, 0) by default; ours with XXH3. So the
//! group has three lines: ours, `hashring` as shipped, and `hashring` given our XXH3 hash (the data
//! structures compared on equal terms). The three take turns in interleaved rounds
//! (`benches/interleaved/mod.rs`), so the machine's load hits them alike.
//!
//! Run with `cargo bench --bench hashing` (a few seconds).

mod interleaved;

use interleaved::Comparison;
use std::hash::{Hash, Hasher};
use std::hint::black_box;
use sysdesign::hashing::{HashRing, Placement, sample_keys};
use xxhash_rust::xxh3::Xxh3Builder;

const NODES: usize = 10;
const VNODES: usize = 100;
const KEYS: usize = 10_000;

/// A virtual node labelled as ours are, `"{node}#{replica}"`, and hashed by that label alone.
#[derive(Clone, Debug)]
struct Label(usize, String);

impl Hash for Label {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.1.as_bytes());
    }
}

/// A key whose `Hash` writes its raw bytes (no length prefix), as our ring hashes it.
struct RawKey<'a>(&'a [u8]);

impl Hash for RawKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0);
    }
}

fn labels() -> Vec<Label> {
    (0..NODES)
        .flat_map(|n| (0..VNODES).map(move |r| Label(n, format!("node-{n}#{r}"))))
        .collect()
}

fn main() {
    let keys = sample_keys(KEYS);
    let mut ours = HashRing::new(VNODES);
    for n in 0..NODES {
        ours.add_node(&format!("node-{n}"));
    }
    let mut theirs: hashring::HashRing<Label> = hashring::HashRing::new();
    theirs.batch_add(labels());
    let mut theirs_xxh3: hashring::HashRing<Label, Xxh3Builder> =
        hashring::HashRing::with_hasher(Xxh3Builder::new());
    theirs_xxh3.batch_add(labels());

    Comparison::new(format!(
        "ring lookup ({KEYS} keys, {NODES} nodes x {VNODES} virtual nodes)"
    ))
    .elements(KEYS as u64)
    .ours("sysdesign HashRing (XXH3)", || {
        keys.iter()
            .filter(|k| ours.node_for(black_box(k)) == Some("node-0"))
            .count()
    })
    .ours("equal hash: the hashring crate given XXH3", || {
        keys.iter()
            .filter(|k| theirs_xxh3.get(&RawKey(black_box(k))).map(|l| l.0) == Some(0))
            .count()
    })
    .baseline("hashring::HashRing", || {
        keys.iter()
            .filter(|k| theirs.get(&RawKey(black_box(k))).map(|l| l.0) == Some(0))
            .count()
    })
    .run();
}
