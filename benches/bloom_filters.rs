//! Our Bloom filter against the `fastbloom` crate, both with m = 95 851 bits and k = 7 (sized for
//! 10 000 items at 1 %): inserting 10 000 keys, and querying 10 000 members and 10 000 strangers.
//!
//! `fastbloom` derives its `k` indexes from one 64-bit SipHash-1-3 (seeded here, for
//! reproducibility) with its own double hashing and a multiply-shift range reduction; ours from
//! one XXH3-128 with `h1 + i·h2 mod m`.
//!
//! Run with `cargo bench --bench bloom_filters` (about 15 seconds).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use sysdesign::bloom_filters::BloomFilter;

const BITS: u64 = 95_851;
const HASHES: u32 = 7;
const ITEMS: usize = 10_000;

fn keys(prefix: &str) -> Vec<Vec<u8>> {
    (0..ITEMS)
        .map(|i| format!("{prefix}-{i}").into_bytes())
        .collect()
}

fn bloom(c: &mut Criterion) {
    let members = keys("member");
    let mut probes = members.clone();
    probes.extend(keys("stranger"));

    let mut group = c.benchmark_group(format!(
        "bloom insert ({ITEMS} keys, m = {BITS}, k = {HASHES})"
    ));
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("sysdesign BloomFilter", |b| {
        b.iter_batched_ref(
            || BloomFilter::new(BITS, HASHES).expect("valid parameters"),
            |filter| members.iter().for_each(|k| filter.insert(black_box(k))),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("fastbloom::BloomFilter", |b| {
        b.iter_batched_ref(
            || {
                fastbloom::BloomFilter::with_num_bits(BITS as usize)
                    .seed(&1)
                    .hashes(HASHES)
            },
            |filter| {
                members.iter().for_each(|k| {
                    filter.insert(black_box(k.as_slice()));
                })
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut ours = BloomFilter::new(BITS, HASHES).expect("valid parameters");
    let mut theirs = fastbloom::BloomFilter::with_num_bits(BITS as usize)
        .seed(&1)
        .hashes(HASHES);
    for k in &members {
        ours.insert(k);
        theirs.insert(k.as_slice());
    }
    let mut group = c.benchmark_group(format!(
        "bloom contains ({} probes, half members, m = {BITS}, k = {HASHES})",
        probes.len()
    ));
    group.throughput(Throughput::Elements(probes.len() as u64));
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("sysdesign BloomFilter", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|k| ours.contains(black_box(k)))
                .count()
        })
    });
    group.bench_function("fastbloom::BloomFilter", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|k| theirs.contains(black_box(k.as_slice())))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bloom);
criterion_main!(benches);
