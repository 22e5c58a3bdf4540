//! What `remove` of a key that was never inserted does to a counting Bloom filter: when the key
//! is a false positive, `remove` cannot tell, decrements counters that inserted keys share, and
//! some of those keys are then reported absent: false negatives.

use sysdesign::bloom_filters::CountingBloomFilter;

fn main() {
    let mut filter = CountingBloomFilter::with_rate(1_000, 0.05).expect("valid parameters");
    let members: Vec<String> = (0..1_000).map(|i| format!("member-{i}")).collect();
    for key in &members {
        filter.insert(key.as_bytes());
    }
    println!(
        "1000 members inserted; members reported absent: {}",
        absent(&filter, &members)
    );

    // Strangers: never inserted. Most are refused by remove; the false positives are not.
    let strangers: Vec<String> = (0..2_000).map(|i| format!("stranger-{i}")).collect();
    let (mut refused, mut removed) = (0, 0);
    for key in &strangers {
        if filter.remove(key.as_bytes()) {
            removed += 1;
        } else {
            refused += 1;
        }
    }
    println!(
        "remove of 2000 strangers: {refused} refused (certainly absent), {removed} accepted (false positives)"
    );
    println!(
        "members now reported absent: {} (false negatives the filter promised never to give)",
        absent(&filter, &members)
    );
}

/// How many of `members` the filter reports absent.
fn absent(filter: &CountingBloomFilter, members: &[String]) -> usize {
    members
        .iter()
        .filter(|k| !filter.contains(k.as_bytes()))
        .count()
}
