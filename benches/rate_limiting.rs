//! Our limiters against `governor`'s GCRA limiter (the same admission rule), on the same
//! stream of calls, one microsecond apart, against 500,000 allowed per second, so after the
//! initial burst about half are rejected.
//!
//! Every limiter gets its time from the same place: a per-thread counter advanced by 1 µs
//! before each check (governor reads it through its `Clock` trait, ours is passed it). Neither
//! pays for a shared clock: governor's own `FakeRelativeClock` is an atomic counter, whose
//! read-modify-write per call would be charged to governor alone.
//!
//! Two comparisons, interleaved (`benches/interleaved/mod.rs`):
//! - one thread: our single-threaded `TokenBucket` (`&mut self`), the same bucket in a `Mutex`
//!   (what sharing it takes), our `Gcra` on one `AtomicU64`, and governor;
//! - two threads sharing one limiter, each checking 100,000 times: the `Mutex` bucket, `Gcra`
//!   and governor. Threads are started inside each iteration, the same for all three.
//!
//! Run with `cargo bench --bench rate_limiting` (about a minute).

mod interleaved;

use governor::clock::Clock;
use governor::nanos::Nanos;
use interleaved::Comparison;
use std::cell::Cell;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;
use sysdesign::rate_limiting::{Gcra, Quota, RateLimiter, TokenBucket};

const CALLS: u64 = 10_000;
const CALLS_PER_THREAD: u64 = 100_000;
const PER_SECOND: u32 = 500_000;

thread_local! {
    static NOW_NS: Cell<u64> = const { Cell::new(0) };
}

/// Advances this thread's clock by 1 µs and returns the new time.
fn tick() -> Duration {
    NOW_NS.with(|now| {
        now.set(now.get() + 1_000);
        Duration::from_nanos(now.get())
    })
}

fn reset_clock() {
    NOW_NS.with(|now| now.set(0));
}

/// governor's view of the same per-thread clock.
#[derive(Clone, Copy, Debug, Default)]
struct ThreadClock;

impl Clock for ThreadClock {
    type Instant = Nanos;
    fn now(&self) -> Nanos {
        Nanos::from(NOW_NS.with(Cell::get))
    }
}

fn quota() -> Quota {
    Quota::new(PER_SECOND, Duration::from_secs(1)).expect("valid quota")
}

type Governor = governor::RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    ThreadClock,
    governor::middleware::NoOpMiddleware<Nanos>,
>;

fn governor() -> Governor {
    let rate = NonZeroU32::new(PER_SECOND).expect("not zero");
    governor::RateLimiter::direct_with_clock(governor::Quota::per_second(rate), ThreadClock)
}

fn one_thread() {
    let mut c = Comparison::new(format!(
        "rate limiter check, one thread ({CALLS} checks, 1 µs apart, {PER_SECOND} per second)"
    ))
    .elements(CALLS);
    c.ours("sysdesign TokenBucket (&mut, one owner)", || {
        reset_clock();
        let mut bucket = TokenBucket::new(quota());
        (0..CALLS)
            .filter(|_| bucket.check(black_box(tick())).is_admitted())
            .count()
    })
    .ours("sysdesign TokenBucket in a Mutex", || {
        reset_clock();
        let bucket = Mutex::new(TokenBucket::new(quota()));
        (0..CALLS)
            .filter(|_| {
                let now = black_box(tick());
                bucket
                    .lock()
                    .expect("not poisoned")
                    .check(now)
                    .is_admitted()
            })
            .count()
    })
    .ours("sysdesign Gcra (one AtomicU64)", || {
        reset_clock();
        let gcra = Gcra::new(quota());
        (0..CALLS)
            .filter(|_| gcra.check(black_box(tick())).is_admitted())
            .count()
    })
    .baseline("governor::RateLimiter", || {
        reset_clock();
        let limiter = governor();
        (0..CALLS)
            .filter(|_| {
                black_box(tick());
                limiter.check().is_ok()
            })
            .count()
    });
    c.run();
}

/// Runs `check` `CALLS_PER_THREAD` times on each of two threads, each with its own clock
/// starting at zero; returns the admitted count.
fn two_threads(check: &(dyn Fn(Duration) -> bool + Sync)) -> usize {
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    reset_clock();
                    (0..CALLS_PER_THREAD)
                        .filter(|_| check(black_box(tick())))
                        .count()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("no panic"))
            .sum()
    })
}

fn shared() {
    let mut c = Comparison::new(format!(
        "rate limiter check, two threads sharing one limiter (2 x {CALLS_PER_THREAD} checks, {PER_SECOND} per second)"
    ))
    .elements(2 * CALLS_PER_THREAD);
    c.ours("sysdesign TokenBucket in a Mutex", || {
        let bucket = Mutex::new(TokenBucket::new(quota()));
        two_threads(&|now| {
            bucket
                .lock()
                .expect("not poisoned")
                .check(now)
                .is_admitted()
        })
    })
    .ours("sysdesign Gcra (one AtomicU64)", || {
        let gcra = Gcra::new(quota());
        two_threads(&|now| gcra.check(now).is_admitted())
    })
    .baseline("governor::RateLimiter", || {
        let limiter = governor();
        two_threads(&|_| limiter.check().is_ok())
    });
    c.run();
}

fn main() {
    one_thread();
    shared();
}
