//! Deadlock: threads that each hold a lock the other needs wait forever. Shown twice: on real
//! threads, detected by `try_lock` giving up after a bounded number of tries, and in a step-by-step
//! simulation, detected as a cycle in the wait-for graph; avoided by taking locks in one order.

use std::collections::BTreeMap;
use std::sync::{Barrier, Mutex, TryLockError};

/// A thread's index, from 0.
pub type ThreadId = usize;
/// A lock's index, from 0.
pub type LockId = usize;

// ANCHOR: threads
/// Two real threads and two locks. Thread 0 takes lock 0 then wants lock 1; thread 1 takes lock 1
/// then wants lock 0. A barrier makes sure both hold their first lock before either asks for its
/// second, which is the unlucky timing that deadlocks; each then tries its second lock with
/// `try_lock` at most `attempts` times instead of blocking forever. Returns, per thread, whether
/// it got its second lock.
///
/// ```
/// // Neither gets its second lock: each waits for the other. With `lock()` they would hang.
/// assert_eq!(sysdesign::locking::opposite_order_threads(1_000), [false, false]);
/// ```
pub fn opposite_order_threads(attempts: u32) -> [bool; 2] {
    let locks = [Mutex::new(()), Mutex::new(())];
    let both_hold_first = Barrier::new(2);
    let both_tried = Barrier::new(2);
    let got: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|me| {
                let (locks, both_hold_first, both_tried) = (&locks, &both_hold_first, &both_tried);
                s.spawn(move || {
                    let _first = locks[me].lock().expect("not poisoned");
                    both_hold_first.wait();
                    let mut got = false;
                    for _ in 0..attempts {
                        match locks[1 - me].try_lock() {
                            Ok(_second) => {
                                got = true;
                                break;
                            }
                            Err(TryLockError::WouldBlock) => std::thread::yield_now(),
                            Err(TryLockError::Poisoned(_)) => break,
                        }
                    }
                    // Hold the first lock until the other thread has finished trying too.
                    both_tried.wait();
                    got
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no thread panics"))
            .collect()
    });
    [got[0], got[1]]
}

/// The same two threads, both taking lock 0 before lock 1, `rounds` times each with blocking
/// `lock()`: no cycle can form, so both always finish. Returns the rounds each completed.
///
/// ```
/// assert_eq!(sysdesign::locking::same_order_threads(1_000), [1_000, 1_000]);
/// ```
pub fn same_order_threads(rounds: u32) -> [u32; 2] {
    let locks = [Mutex::new(0u32), Mutex::new(0u32)];
    let done: Vec<u32> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let locks = &locks;
                s.spawn(move || {
                    let mut done = 0;
                    for _ in 0..rounds {
                        let mut first = locks[0].lock().expect("not poisoned");
                        let mut second = locks[1].lock().expect("not poisoned");
                        *first += 1;
                        *second += 1;
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no thread panics"))
            .collect()
    });
    [done[0], done[1]]
}
// ANCHOR_END: threads

// ANCHOR: cycle
/// A cycle in a wait-for graph where each blocked thread waits for the one thread holding the
/// lock it wants (`waits_for[t] = holder`): the threads on it, starting from the smallest.
///
/// ```
/// use std::collections::BTreeMap;
/// use sysdesign::locking::find_cycle;
///
/// let chain = BTreeMap::from([(0, 1), (1, 2)]);
/// assert_eq!(find_cycle(&chain), None); // 2 runs, then 1, then 0
/// let ring = BTreeMap::from([(0, 1), (1, 2), (2, 0)]);
/// assert_eq!(find_cycle(&ring), Some(vec![0, 1, 2]));
/// ```
pub fn find_cycle(waits_for: &BTreeMap<ThreadId, ThreadId>) -> Option<Vec<ThreadId>> {
    for &start in waits_for.keys() {
        // Each thread has at most one out-edge, so following them from `start` either stops at a
        // running thread or comes back to a thread already seen within len() steps.
        let mut path = vec![start];
        let mut at = start;
        while let Some(&next) = waits_for.get(&at) {
            if let Some(pos) = path.iter().position(|&t| t == next) {
                let mut cycle = path[pos..].to_vec();
                let min = cycle
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, t)| **t)
                    .map(|(i, _)| i)?;
                cycle.rotate_left(min);
                return Some(cycle);
            }
            if path.len() > waits_for.len() {
                break;
            }
            path.push(next);
            at = next;
        }
    }
    None
}
// ANCHOR_END: cycle

/// What happened to a simulated run of threads taking locks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockRun {
    /// Every thread took all its locks, did its work and released them.
    Finished {
        /// Steps taken.
        steps: usize,
    },
    /// The wait-for graph closed a cycle: these threads wait for each other forever.
    Deadlock {
        /// The threads on the cycle.
        cycle: Vec<ThreadId>,
        /// The step at which the cycle formed.
        step: usize,
    },
}

#[derive(Clone, Debug)]
struct SimThread {
    plan: Vec<LockId>,
    held: usize,
    done: bool,
}

// ANCHOR: simulate
/// Threads take the locks of their `plans` in order, one lock per step, then release them all in
/// one more step. `schedule` says which thread steps next; after it, unfinished threads take
/// turns. A thread that wants a held lock waits (an edge in the wait-for graph) and retries when
/// scheduled; the run stops at the first cycle.
///
/// ```
/// use sysdesign::locking::{LockRun, simulate};
///
/// let opposite = [vec![0, 1], vec![1, 0]];
/// let run = simulate(&opposite, &[0, 1, 0, 1]);
/// assert_eq!(run, LockRun::Deadlock { cycle: vec![0, 1], step: 4 });
/// ```
pub fn simulate(plans: &[Vec<LockId>], schedule: &[ThreadId]) -> LockRun {
    let mut threads: Vec<SimThread> = plans
        .iter()
        .map(|plan| SimThread {
            plan: plan.clone(),
            held: 0,
            done: plan.is_empty(),
        })
        .collect();
    let mut owner: BTreeMap<LockId, ThreadId> = BTreeMap::new();
    let mut waits_for: BTreeMap<ThreadId, ThreadId> = BTreeMap::new();
    let total_locks: usize = plans.iter().map(Vec::len).sum();
    // Each thread needs len + 1 successful steps; the cap also bounds waiting retries.
    let cap = (total_locks + plans.len() + 1) * (plans.len() + 1) * 4;
    let mut steps = 0;
    let turns = schedule.iter().copied().chain((0..plans.len()).cycle());
    for me in turns {
        if threads.iter().all(|t| t.done) || steps >= cap {
            break;
        }
        let Some(thread) = threads.get(me) else {
            continue;
        };
        if thread.done {
            continue;
        }
        steps += 1;
        if thread.held == thread.plan.len() {
            // Work done: release everything.
            for lock in &thread.plan {
                owner.remove(lock);
            }
            threads[me].done = true;
            continue;
        }
        let want = thread.plan[thread.held];
        match owner.get(&want) {
            Some(&holder) if holder != me => {
                waits_for.insert(me, holder);
                if let Some(cycle) = find_cycle(&waits_for) {
                    return LockRun::Deadlock { cycle, step: steps };
                }
            }
            _ => {
                waits_for.remove(&me);
                owner.insert(want, me);
                threads[me].held += 1;
            }
        }
    }
    LockRun::Finished { steps }
}
// ANCHOR_END: simulate

/// Every plan with its locks sorted (and duplicates dropped): the global lock order that makes a
/// cycle impossible, since a thread only ever waits for a lock larger than every lock it holds.
///
/// ```
/// use sysdesign::locking::{LockRun, in_lock_order, simulate};
///
/// let plans = in_lock_order(&[vec![0, 1], vec![1, 0]]);
/// assert_eq!(plans, [vec![0, 1], vec![0, 1]]);
/// assert!(matches!(simulate(&plans, &[0, 1, 0, 1]), LockRun::Finished { .. }));
/// ```
pub fn in_lock_order(plans: &[Vec<LockId>]) -> Vec<Vec<LockId>> {
    plans
        .iter()
        .map(|plan| {
            let mut plan = plan.clone();
            plan.sort_unstable();
            plan.dedup();
            plan
        })
        .collect()
}
