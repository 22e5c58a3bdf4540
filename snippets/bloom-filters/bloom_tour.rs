//! A Bloom filter sized for 1 000 items at 1 %, the bits one key sets, membership answers,
//! and a counting filter that can forget a key.

use sysdesign::bloom_filters::{BloomFilter, CountingBloomFilter, bit_indexes};
use sysdesign::show;

fn main() {
    let mut seen = BloomFilter::with_rate(1_000, 0.01).expect("1 000 items at 1 % is valid");
    println!(
        "sized for 1000 items at 1 %: m = {} bits ({:.1} bits per item, {} bytes), k = {} hash functions",
        seen.bits(),
        seen.bits() as f64 / 1_000.0,
        seen.bits().div_ceil(8),
        seen.hashes()
    );
    let indexes: Vec<u64> = bit_indexes(b"alice", seen.bits(), seen.hashes()).collect();
    println!("\"alice\" sets bits {indexes:?}");

    for i in 0..1_000 {
        seen.insert(format!("user-{i}").as_bytes());
    }
    println!(
        "after 1000 insertions: {:.1} % of the bits are set; the formula predicts a {:.2} % false-positive rate",
        seen.fill_ratio() * 100.0,
        seen.expected_false_positive_rate() * 100.0
    );
    let missing = (0..1_000)
        .filter(|i| !seen.contains(format!("user-{i}").as_bytes()))
        .count();
    println!("inserted keys reported absent: {missing}");
    let false_positives: Vec<String> = (0..10_000)
        .map(|i| format!("visitor-{i}"))
        .filter(|key| seen.contains(key.as_bytes()))
        .collect();
    println!(
        "never-inserted keys reported present: {} of 10000, the first few {:?}",
        false_positives.len(),
        &false_positives[..false_positives.len().min(3)]
    );

    show::value("bytes", seen.bits().div_ceil(8));
    show::value("strangers_present", false_positives.len());

    let mut sessions = CountingBloomFilter::with_rate(1_000, 0.01).expect("valid parameters");
    sessions.insert(b"session-7");
    sessions.insert(b"session-8");
    println!(
        "counting filter: session-7 present? {}; removed? {}; present now? {}; session-8 still present? {}",
        sessions.contains(b"session-7"),
        sessions.remove(b"session-7"),
        sessions.contains(b"session-7"),
        sessions.contains(b"session-8")
    );
}
