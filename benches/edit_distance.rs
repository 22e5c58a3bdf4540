//! Edit distance bottom-up against the `strsim` crate, on two seeded random strings.

use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use sysdesign::dynamic_programming::edit_distance;

fn words(len: usize) -> (Vec<char>, Vec<char>) {
    let mut rng = StdRng::seed_from_u64(6);
    let mut word = || {
        (0..len)
            .map(|_| char::from(b"ACGT"[rng.random_range(0..4)]))
            .collect()
    };
    (word(), word())
}

fn bench(c: &mut Criterion) {
    let (a, b) = words(500);
    assert_eq!(edit_distance(&a, &b), strsim::generic_levenshtein(&a, &b));
    let mut group = c.benchmark_group("edit distance, two 500-letter DNA strings");
    group.bench_function("strsim::generic_levenshtein", |bench| {
        bench.iter(|| strsim::generic_levenshtein(black_box(&a), black_box(&b)))
    });
    group.bench_function("sysdesign edit_distance (one row)", |bench| {
        bench.iter(|| edit_distance(black_box(&a), black_box(&b)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
