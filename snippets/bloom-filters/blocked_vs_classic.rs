//! A classic and a blocked Bloom filter of the same size and `k`, filled with the same 10 000
//! keys: the cache lines a lookup touches, and the false-positive rate each pays, measured over
//! 400 000 strangers and against each one's formula.

use sysdesign::bloom_filters::{
    BLOCK_BITS, BlockedBloomFilter, BloomFilter, bit_indexes, blocked_false_positive_rate,
    false_positive_rate,
};
use sysdesign::show::{self, Table};

const ITEMS: usize = 10_000;
const STRANGERS: usize = 400_000;

/// The share of `strangers` a filter answers "probably here".
fn measured_rate(contains: impl Fn(&[u8]) -> bool, strangers: &[Vec<u8>]) -> f64 {
    strangers.iter().filter(|s| contains(s)).count() as f64 / strangers.len() as f64
}

fn main() {
    // ANCHOR: compare
    let mut blocked = BlockedBloomFilter::with_rate(ITEMS, 0.01).expect("valid parameters");
    let (bits, k) = (blocked.bits(), blocked.hashes());
    let mut classic = BloomFilter::new(bits, k).expect("valid parameters");
    for i in 0..ITEMS {
        let key = format!("member-{i}").into_bytes();
        classic.insert(&key);
        blocked.insert(&key);
    }
    let strangers: Vec<Vec<u8>> = (0..STRANGERS)
        .map(|i| format!("stranger-{i}").into_bytes())
        .collect();
    let classic_rate = measured_rate(|s| classic.contains(s), &strangers);
    let blocked_rate = measured_rate(|s| blocked.contains(s), &strangers);
    // ANCHOR_END: compare

    // The 64-byte lines a classic lookup of a member reads: its k indexes, by line.
    let lines_per_lookup = (0..ITEMS)
        .map(|i| {
            let key = format!("member-{i}").into_bytes();
            let mut lines: Vec<u64> = bit_indexes(&key, bits, k).map(|b| b / BLOCK_BITS).collect();
            lines.sort_unstable();
            lines.dedup();
            lines.len()
        })
        .sum::<usize>() as f64
        / ITEMS as f64;

    // How many bits per item the blocked filter needs to match the classic's formula rate.
    let classic_formula = false_positive_rate(bits, k, ITEMS);
    let mut blocks = bits / BLOCK_BITS;
    while blocked_false_positive_rate(blocks * BLOCK_BITS, k, ITEMS) > classic_formula {
        blocks += 1;
    }
    let matching_bits = blocks * BLOCK_BITS;

    println!(
        "both filters: m = {bits} bits ({} bytes), k = {k}, n = {ITEMS}",
        bits / 8
    );
    let mut table = Table::new([
        "filter",
        "cache lines per member lookup",
        "formula",
        "measured false-positive rate",
    ]);
    table.push([
        "classic".to_string(),
        format!("{lines_per_lookup:.2}"),
        format!("{:.3} %", 100.0 * classic_formula),
        format!("{:.3} %", 100.0 * classic_rate),
    ]);
    table.push([
        "blocked (512-bit blocks)".to_string(),
        "1".to_string(),
        format!("{:.3} %", 100.0 * blocked.expected_false_positive_rate()),
        format!("{:.3} %", 100.0 * blocked_rate),
    ]);
    show::table(&table);

    show::value("lines_per_lookup", format!("{lines_per_lookup:.1}"));
    show::value("classic_percent", format!("{:.2}", 100.0 * classic_rate));
    show::value("blocked_percent", format!("{:.2}", 100.0 * blocked_rate));
    show::value(
        "blocked_over_classic",
        format!("{:.2}", blocked_rate / classic_rate),
    );
    show::value(
        "bits_per_item",
        format!("{:.1}", bits as f64 / ITEMS as f64),
    );
    show::value(
        "matching_bits_per_item",
        format!("{:.1}", matching_bits as f64 / ITEMS as f64),
    );
}
