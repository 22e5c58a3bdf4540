//! Our Bloom filters against the `fastbloom` crate, all three at equal memory and `k`:
//! the classic filter (k bits anywhere), the blocked one (k bits in one 64-byte block) and
//! `fastbloom::BloomFilter` (a classic filter; its `k` indexes come from one seeded 64-bit
//! SipHash-1-3 with its own double hashing, ours from one XXH3-128).
//!
//! Two sizes: 10,000 keys in 96,256 bits (12 KB, inside the L1 and L2 caches, where a cache
//! miss costs little), and 4 million keys in 38.3 million bits (4.8 MB, more than a core's L2
//! cache), where each bit a lookup reads may be a miss and the blocked filter's one line shows.
//! The bench prints each filter's measured false-positive rate first, so "equal FPR" is checked,
//! not assumed.
//!
//! The comparisons are interleaved (`benches/interleaved/mod.rs`): ours and fastbloom take turns
//! in rounds, so the machine's load hits both alike.
//!
//! Run with `cargo bench --bench bloom_filters` (about a minute).

mod interleaved;

use interleaved::Comparison;
use std::hint::black_box;
use sysdesign::bloom_filters::{BLOCK_BITS, BlockedBloomFilter, BloomFilter};

const HASHES: u32 = 7;

/// Bits for `items` at 1 %, rounded up to whole blocks so all three filters get the same memory.
fn bits_for(items: usize) -> u64 {
    let bits = sysdesign::bloom_filters::optimal_bits(items, 0.01).expect("valid");
    bits.div_ceil(BLOCK_BITS) * BLOCK_BITS
}

struct Filters {
    classic: BloomFilter,
    blocked: BlockedBloomFilter,
    theirs: fastbloom::BloomFilter,
}

impl Filters {
    fn new(bits: u64) -> Filters {
        Filters {
            classic: BloomFilter::new(bits, HASHES).expect("valid parameters"),
            blocked: BlockedBloomFilter::new(bits, HASHES).expect("valid parameters"),
            theirs: fastbloom::BloomFilter::with_num_bits(bits as usize)
                .seed(&1)
                .hashes(HASHES),
        }
    }

    fn insert(&mut self, key: &[u8]) {
        self.classic.insert(key);
        self.blocked.insert(key);
        self.theirs.insert(key);
    }

    /// Each filter's share of `strangers` answered "probably here".
    fn print_false_positive_rates(&self, label: &str, strangers: &[impl AsRef<[u8]>]) {
        let rate = |hit: &dyn Fn(&[u8]) -> bool| {
            strangers.iter().filter(|k| hit(k.as_ref())).count() as f64 / strangers.len() as f64
        };
        println!(
            "{label}: false-positive rate over {} strangers: classic {:.4}, blocked {:.4}, fastbloom {:.4}",
            strangers.len(),
            rate(&|k| self.classic.contains(k)),
            rate(&|k| self.blocked.contains(k)),
            rate(&|k| self.theirs.contains(k)),
        );
    }
}

fn small() {
    const ITEMS: usize = 10_000;
    let bits = bits_for(ITEMS);
    let keys = |prefix: &str| -> Vec<Vec<u8>> {
        (0..ITEMS)
            .map(|i| format!("{prefix}-{i}").into_bytes())
            .collect()
    };
    let members = keys("member");
    let mut probes = members.clone();
    probes.extend(keys("stranger"));

    let mut filters = Filters::new(bits);
    for k in &members {
        filters.insert(k);
    }
    let strangers: Vec<Vec<u8>> = (0..200_000)
        .map(|i| format!("other-{i}").into_bytes())
        .collect();
    filters.print_false_positive_rates("10,000 keys", &strangers);

    let mut insert = Comparison::new(format!(
        "bloom insert ({ITEMS} keys, m = {bits}, k = {HASHES})"
    ))
    .elements(ITEMS as u64);
    insert
        .ours("sysdesign BloomFilter", || {
            let mut f = BloomFilter::new(bits, HASHES).expect("valid parameters");
            members.iter().for_each(|k| f.insert(black_box(k)));
            f
        })
        .ours("sysdesign BlockedBloomFilter", || {
            let mut f = BlockedBloomFilter::new(bits, HASHES).expect("valid parameters");
            members.iter().for_each(|k| f.insert(black_box(k)));
            f
        })
        .baseline("fastbloom::BloomFilter", || {
            let mut f = fastbloom::BloomFilter::with_num_bits(bits as usize)
                .seed(&1)
                .hashes(HASHES);
            members.iter().for_each(|k| {
                f.insert(black_box(k.as_slice()));
            });
            f
        });
    insert.run();

    let mut contains = Comparison::new(format!(
        "bloom contains ({} probes, half members, m = {bits}, k = {HASHES})",
        probes.len()
    ))
    .elements(probes.len() as u64);
    let f = &filters;
    let probes = &probes;
    contains
        .ours("sysdesign BloomFilter", || {
            (probes.iter())
                .filter(|k| f.classic.contains(black_box(k)))
                .count()
        })
        .ours("sysdesign BlockedBloomFilter", || {
            (probes.iter())
                .filter(|k| f.blocked.contains(black_box(k)))
                .count()
        })
        .baseline("fastbloom::BloomFilter", || {
            (probes.iter())
                .filter(|k| f.theirs.contains(black_box(k.as_slice())))
                .count()
        });
    contains.run();
}

fn large() {
    const ITEMS: u64 = 4_000_000;
    const PROBES: u64 = 100_000;
    let bits = bits_for(ITEMS as usize);
    let mut filters = Filters::new(bits);
    for i in 0..ITEMS {
        filters.insert(&i.to_le_bytes());
    }
    let strangers: Vec<[u8; 8]> = (ITEMS..ITEMS + 200_000).map(u64::to_le_bytes).collect();
    filters.print_false_positive_rates("4 million keys", &strangers);
    // Half members spread over the whole key range, half strangers, interleaved.
    let probes: Vec<[u8; 8]> = (0..PROBES)
        .map(|i| {
            let key = if i % 2 == 0 {
                i * (ITEMS / PROBES)
            } else {
                ITEMS + i
            };
            key.to_le_bytes()
        })
        .collect();
    let mut contains = Comparison::new(format!(
        "bloom contains, large filter ({PROBES} probes, half members, {ITEMS} keys, m = {bits}, k = {HASHES})"
    ))
    .elements(PROBES);
    let f = &filters;
    let probes = &probes;
    contains
        .ours("sysdesign BloomFilter", || {
            (probes.iter())
                .filter(|k| f.classic.contains(black_box(k.as_slice())))
                .count()
        })
        .ours("sysdesign BlockedBloomFilter", || {
            (probes.iter())
                .filter(|k| f.blocked.contains(black_box(k.as_slice())))
                .count()
        })
        .baseline("fastbloom::BloomFilter", || {
            (probes.iter())
                .filter(|k| f.theirs.contains(black_box(k.as_slice())))
                .count()
        });
    contains.run();
}

fn main() {
    small();
    if !interleaved::smoke_test() {
        large();
    }
}
