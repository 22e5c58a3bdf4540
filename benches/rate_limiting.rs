//! Our `TokenBucket` against `governor`'s GCRA limiter (the same admission rule), on the same
//! stream of calls: 10,000 checks, one per microsecond, against 500,000 allowed per second, so
//! after the initial burst about half are rejected.
//!
//! Both are given the time: ours as an argument, governor through its `FakeRelativeClock`
//! (an atomic counter advanced before each call). governor's limiter is thread-safe (an atomic
//! compare-and-swap per check); ours takes `&mut self`, so a shared one needs a lock around it.
//!
//! Run with `cargo bench --bench rate_limiting`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use governor::clock::FakeRelativeClock;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;
use sysdesign::rate_limiting::{Quota, RateLimiter, TokenBucket};

const CALLS: u64 = 10_000;
const PER_SECOND: u32 = 500_000;

fn token_bucket(c: &mut Criterion) {
    let mut group = c.benchmark_group("token bucket check");
    group.throughput(Throughput::Elements(CALLS));
    group.bench_function("sysdesign TokenBucket", |b| {
        b.iter(|| {
            let quota = Quota::new(PER_SECOND, Duration::from_secs(1)).expect("valid quota");
            let mut bucket = TokenBucket::new(quota);
            let mut admitted = 0u64;
            for i in 0..CALLS {
                admitted += u64::from(
                    bucket
                        .check(black_box(Duration::from_micros(i)))
                        .is_admitted(),
                );
            }
            admitted
        })
    });
    group.bench_function("governor::RateLimiter", |b| {
        b.iter(|| {
            let rate = NonZeroU32::new(PER_SECOND).expect("not zero");
            let clock = FakeRelativeClock::default();
            let limiter = governor::RateLimiter::direct_with_clock(
                governor::Quota::per_second(rate),
                clock.clone(),
            );
            let mut admitted = 0u64;
            for _ in 0..CALLS {
                clock.advance(black_box(Duration::from_micros(1)));
                admitted += u64::from(limiter.check().is_ok());
            }
            admitted
        })
    });
    group.finish();
}

criterion_group!(benches, token_bucket);
criterion_main!(benches);
