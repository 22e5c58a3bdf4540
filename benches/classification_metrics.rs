//! Throughput of precision, recall and F1 on 10 million labels of 5 classes, the workload that
//! `tests/fixtures/classification_metrics/generate.py --time` times with scikit-learn.
//! No well-known Rust crate computes these without converting to its own array types first, so
//! this group has no baseline; the chapter compares it with scikit-learn's figure instead.

use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};

const LABELS: usize = 10_000_000;
const CLASSES: u8 = 5;

fn labels() -> (Vec<u8>, Vec<u8>) {
    let mut rng = StdRng::seed_from_u64(20261123);
    let truth: Vec<u8> = (0..LABELS).map(|_| rng.random_range(0..CLASSES)).collect();
    let predicted = truth
        .iter()
        .map(|&t| {
            if rng.random_bool(0.8) {
                t
            } else {
                rng.random_range(0..CLASSES)
            }
        })
        .collect();
    (truth, predicted)
}

fn bench(c: &mut Criterion) {
    let (truth, predicted) = labels();
    let mut group = c.benchmark_group("macro precision, recall and F1 of 10M labels");
    group.sample_size(10);
    group.bench_function("sysdesign ConfusionMatrix", |b| {
        b.iter(|| {
            let m = ConfusionMatrix::new(black_box(&truth), black_box(&predicted))
                .expect("equal lengths");
            m.scores(&Average::Macro, 1.0, ZeroDivision::Zero)
                .expect("beta 1 is valid")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
