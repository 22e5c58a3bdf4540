//! Lock granularity: one lock over a whole map of counters, or one lock per stripe of keys.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Mutex, TryLockError};

/// Counters by key, shared between threads, each update under some lock.
pub trait Counters: Sync {
    /// A short name for tables.
    fn name(&self) -> String;
    /// Runs `f` on the counter of `key` under its lock. Returns whether the lock was free at the
    /// first try: `false` means this call had to wait for another thread (contention).
    fn update(&self, key: u64, f: &mut dyn FnMut(&mut u64)) -> bool;
    /// Adds `delta` to the counter of `key`; says whether the lock was free at the first try.
    fn add(&self, key: u64, delta: u64) -> bool {
        self.update(key, &mut |c| *c += delta)
    }
    /// The counter of `key` (0 if never added to).
    fn get(&self, key: u64) -> u64;
}

/// Takes `lock`, counting whether it was free; waits if it was not.
fn lock_counting<T>(lock: &Mutex<T>) -> (std::sync::MutexGuard<'_, T>, bool) {
    match lock.try_lock() {
        Ok(guard) => (guard, true),
        Err(TryLockError::WouldBlock) => (lock.lock().expect("no thread panics holding it"), false),
        Err(TryLockError::Poisoned(e)) => (e.into_inner(), true),
    }
}

// ANCHOR: global
/// Every counter behind one lock: simple, and every update waits for every other.
///
/// ```
/// use sysdesign::locking::{Counters, GlobalLock};
///
/// let counters = GlobalLock::default();
/// assert!(counters.add(7, 2)); // nobody else holds the lock
/// assert_eq!(counters.get(7), 2);
/// ```
#[derive(Debug, Default)]
pub struct GlobalLock {
    map: Mutex<HashMap<u64, u64>>,
}

impl Counters for GlobalLock {
    fn name(&self) -> String {
        "one global lock".to_string()
    }
    fn update(&self, key: u64, f: &mut dyn FnMut(&mut u64)) -> bool {
        let (mut map, free) = lock_counting(&self.map);
        f(map.entry(key).or_default());
        free
    }
    fn get(&self, key: u64) -> u64 {
        let (map, _) = lock_counting(&self.map);
        map.get(&key).copied().unwrap_or(0)
    }
}
// ANCHOR_END: global

// ANCHOR: striped
/// Keys spread over `n` stripes by hash, one lock each: two updates wait for each other only
/// when their keys fall in the same stripe.
///
/// ```
/// use sysdesign::locking::{Counters, StripedLocks};
///
/// let counters = StripedLocks::new(16);
/// counters.add(1, 5);
/// counters.add(2, 1);
/// assert_eq!((counters.get(1), counters.get(2)), (5, 1));
/// assert_eq!(counters.stripe_of(1), counters.stripe_of(1));
/// ```
#[derive(Debug)]
pub struct StripedLocks {
    stripes: Vec<Stripe>,
    hasher: BuildHasherDefault<DefaultHasher>,
}

/// One stripe's lock, alone on its cache lines. Without the alignment, neighbouring stripes
/// share a 64-byte line, and two threads taking different stripes still pass that line back and
/// forth between their cores (false sharing), which costs about what contention does. 128 bytes
/// because some CPUs fetch lines in adjacent pairs.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Stripe(Mutex<HashMap<u64, u64>>);

impl StripedLocks {
    /// `stripes` locks (at least one).
    pub fn new(stripes: usize) -> StripedLocks {
        StripedLocks {
            stripes: (0..stripes.max(1)).map(|_| Stripe::default()).collect(),
            hasher: BuildHasherDefault::default(),
        }
    }

    /// The stripe that holds `key`.
    pub fn stripe_of(&self, key: u64) -> usize {
        (self.hasher.hash_one(key) % self.stripes.len() as u64) as usize
    }
}

impl Counters for StripedLocks {
    fn name(&self) -> String {
        format!("{} striped locks", self.stripes.len())
    }
    fn update(&self, key: u64, f: &mut dyn FnMut(&mut u64)) -> bool {
        let (mut map, free) = lock_counting(&self.stripes[self.stripe_of(key)].0);
        f(map.entry(key).or_default());
        free
    }
    fn get(&self, key: u64) -> u64 {
        let (map, _) = lock_counting(&self.stripes[self.stripe_of(key)].0);
        map.get(&key).copied().unwrap_or(0)
    }
}
// ANCHOR_END: striped

/// What [`hammer`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HammerRun {
    /// Updates made, over all threads.
    pub updates: u64,
    /// Updates that found their lock taken and had to wait.
    pub waited: u64,
}

// ANCHOR: hammer
/// `threads` threads each add 1 to `updates_each` keys drawn from `0..keys` (a fixed sequence per
/// thread, from `seed`), spinning `work` rounds inside the lock to stand for the work a real
/// critical section does. Bounded: exactly `threads · updates_each` updates.
///
/// ```
/// use sysdesign::locking::{GlobalLock, hammer};
///
/// let counters = GlobalLock::default();
/// let run = hammer(&counters, 4, 1_000, 64, 0, 1);
/// assert_eq!(run.updates, 4_000);
/// assert_eq!((0..64).map(|k| sysdesign::locking::Counters::get(&counters, k)).sum::<u64>(), 4_000);
/// ```
pub fn hammer(
    counters: &dyn Counters,
    threads: usize,
    updates_each: u64,
    keys: u64,
    work: u32,
    seed: u64,
) -> HammerRun {
    let waited: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                s.spawn(move || {
                    let mut state = seed ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let mut waited = 0;
                    for _ in 0..updates_each {
                        // xorshift: cheap, seeded, and outside the lock.
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let key = state % keys.max(1);
                        let free = counters.update(key, &mut |count| {
                            // The critical section's own work, done while holding the lock.
                            for i in 0..work {
                                std::hint::black_box(i);
                            }
                            *count += 1;
                        });
                        if !free {
                            waited += 1;
                        }
                    }
                    waited
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no thread panics"))
            .sum()
    });
    HammerRun {
        updates: threads as u64 * updates_each,
        waited,
    }
}
// ANCHOR_END: hammer
