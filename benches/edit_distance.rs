//! Edit distance bottom-up against the `strsim` crate, on two seeded random strings, in
//! interleaved rounds (`benches/interleaved/mod.rs`), so the machine's load hits both alike.
//!
//! Run with `cargo bench --bench edit_distance` (a few seconds).

mod interleaved;

use interleaved::Comparison;
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

fn main() {
    let (a, b) = words(500);
    assert_eq!(edit_distance(&a, &b), strsim::generic_levenshtein(&a, &b));
    Comparison::new("edit distance, two 500-letter DNA strings")
        .ours("sysdesign edit_distance (one row)", || {
            edit_distance(black_box(&a), black_box(&b))
        })
        .baseline("strsim::generic_levenshtein", || {
            strsim::generic_levenshtein(black_box(&a), black_box(&b))
        })
        .run();
}
