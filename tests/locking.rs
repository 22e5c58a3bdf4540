//! Tests of `sysdesign::locking`: lost updates and compare-and-set over generated interleavings,
//! leases on a simulated clock, deadlock detection and lock ordering, counters under both lock
//! granularities; and the Redis lock on a private server (`redis_` tests, ignored by plain
//! `cargo test`).

use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use sysdesign::locking::{
    Counters, GlobalLock, LeaseError, LeaseLock, LockRun, StripedLocks, WriteMode, find_cycle,
    hammer, in_lock_order, increments, opposite_order_threads, same_order_threads, simulate,
};

#[test]
fn blind_writes_lose_an_update_when_both_read_before_either_writes() {
    let run = increments(2, 1, &[0, 1, 0, 1], WriteMode::Blind);
    assert_eq!((run.acknowledged, run.final_value, run.lost), (2, 1, 1));
}

#[test]
fn blind_writes_lose_nothing_when_clients_take_turns_whole() {
    let schedule: Vec<usize> = [[0; 8], [1; 8], [2; 8]].concat();
    let run = increments(3, 4, &schedule, WriteMode::Blind);
    assert_eq!((run.final_value, run.lost), (12, 0));
}

// ANCHOR: property
proptest! {
    #![proptest_config(ProptestConfig { cases: 512, rng_seed: proptest::test_runner::RngSeed::Fixed(23), ..ProptestConfig::default() })]

    /// Whatever the interleaving, a compare-and-set counter ends at exactly the number of
    /// increments, and every increment was acknowledged once.
    #[test]
    fn compare_and_set_counter_never_loses_an_update(
        clients in 1usize..6,
        each in 0u32..12,
        schedule in proptest::collection::vec(0usize..6, 0..200),
    ) {
        let run = increments(clients, each, &schedule, WriteMode::CompareAndSet);
        let expected = clients as u64 * u64::from(each);
        prop_assert_eq!(run.final_value, expected as i64);
        prop_assert_eq!(run.acknowledged, expected);
        prop_assert_eq!(run.lost, 0);
    }

    /// Blind writes acknowledge every increment too; what they lose is the gap to the final value.
    #[test]
    fn blind_writes_acknowledge_everything_and_keep_at_most_that(
        clients in 1usize..6,
        each in 0u32..12,
        schedule in proptest::collection::vec(0usize..6, 0..200),
    ) {
        let run = increments(clients, each, &schedule, WriteMode::Blind);
        let expected = clients as u64 * u64::from(each);
        prop_assert_eq!(run.acknowledged, expected);
        prop_assert_eq!(run.final_value as u64 + run.lost, expected);
    }

    /// Taking locks in one global order never deadlocks, whatever the plans and the schedule.
    #[test]
    fn locks_in_one_order_never_deadlock(
        plans in proptest::collection::vec(proptest::collection::vec(0usize..6, 0..5), 1..5),
        schedule in proptest::collection::vec(0usize..5, 0..60),
    ) {
        let run = simulate(&in_lock_order(&plans), &schedule);
        prop_assert!(matches!(run, LockRun::Finished { .. }), "{:?}", run);
    }

    /// Both lock granularities keep the same counts as a plain map.
    #[test]
    fn striped_and_global_counters_agree_with_a_map(
        ops in proptest::collection::vec((0u64..50, 1u64..5), 0..200),
        stripes in 1usize..9,
    ) {
        let global = GlobalLock::default();
        let striped = StripedLocks::new(stripes);
        let mut reference: HashMap<u64, u64> = HashMap::new();
        for &(key, delta) in &ops {
            global.add(key, delta);
            striped.add(key, delta);
            *reference.entry(key).or_default() += delta;
        }
        for key in 0..50 {
            let want = reference.get(&key).copied().unwrap_or(0);
            prop_assert_eq!(global.get(key), want);
            prop_assert_eq!(striped.get(key), want);
        }
    }
}
// ANCHOR_END: property

#[test]
fn threads_hammering_either_granularity_lose_no_update() {
    for counters in [
        &GlobalLock::default() as &dyn Counters,
        &StripedLocks::new(8),
    ] {
        let run = hammer(counters, 4, 2_000, 16, 10, 3);
        let total: u64 = (0..16).map(|k| counters.get(k)).sum();
        assert_eq!(total, run.updates);
        assert_eq!(run.updates, 8_000);
    }
}

#[test]
fn a_lease_passes_on_only_once_it_expires() {
    let mut lock = LeaseLock::new(100);
    let a = lock.acquire("a", 10).expect("free");
    assert_eq!(a.expires_at, 110);
    assert_eq!(
        lock.acquire("b", 109),
        Err(LeaseError::Held {
            owner: "a".into(),
            until: 110
        })
    );
    let b = lock.acquire("b", 110).expect("expired at 110");
    assert_eq!(b.token, a.token + 1);
    assert_eq!(
        lock.renew(&a, 111),
        Err(LeaseError::Lost { token: a.token })
    );
    assert_eq!(
        lock.release(&a, 111),
        Err(LeaseError::Lost { token: a.token })
    );
    assert_eq!(lock.holder(111).map(|l| l.owner.as_str()), Some("b"));
}

#[test]
fn renewing_keeps_a_lease_past_its_first_expiry() {
    let mut lock = LeaseLock::new(100);
    let a = lock.acquire("a", 0).expect("free");
    let a = lock.renew(&a, 90).expect("held");
    assert!(lock.acquire("b", 150).is_err());
    lock.release(&a, 150).expect("a holds it");
    assert!(lock.acquire("b", 150).is_ok());
}

#[test]
fn opposite_lock_orders_deadlock_and_one_order_does_not() {
    assert_eq!(opposite_order_threads(1_000), [false, false]);
    assert_eq!(same_order_threads(500), [500, 500]);
    assert_eq!(
        simulate(&[vec![0, 1], vec![1, 0]], &[0, 1, 0, 1]),
        LockRun::Deadlock {
            cycle: vec![0, 1],
            step: 4
        }
    );
    // The same plans, but thread 0 finishes before thread 1 starts: no deadlock this time.
    assert!(matches!(
        simulate(&[vec![0, 1], vec![1, 0]], &[0, 0, 0, 1, 1, 1]),
        LockRun::Finished { steps: 6 }
    ));
}

#[test]
fn a_three_thread_ring_is_found_and_a_chain_is_not() {
    assert_eq!(
        find_cycle(&BTreeMap::from([(2, 0), (0, 1), (1, 2)])),
        Some(vec![0, 1, 2])
    );
    assert_eq!(find_cycle(&BTreeMap::from([(3, 0), (0, 1), (1, 2)])), None);
    let plans = [vec![0, 1], vec![1, 2], vec![2, 0]];
    assert_eq!(
        simulate(&plans, &[0, 1, 2, 0, 1, 2]),
        LockRun::Deadlock {
            cycle: vec![0, 1, 2],
            step: 6
        }
    );
}

#[cfg(feature = "redis")]
mod redis_lock {
    use sysdesign::leader_election::FencingGate;
    use sysdesign::locking::redis_lock::RedisLock;
    use sysdesign::redis_server::RedisServer;

    #[test]
    #[ignore = "needs redis-server"]
    fn redis_lock_excludes_others_and_only_its_holder_releases_it() {
        let server = RedisServer::start().expect("redis-server starts");
        let mut conn = server.connect().expect("the private server answers");
        let lock = RedisLock::new("lock:t");
        assert!(lock.try_set(&mut conn, "a", 60_000).expect("SET"));
        assert!(!lock.try_set(&mut conn, "b", 60_000).expect("SET"));
        assert!(!lock.release(&mut conn, "b").expect("EVAL"));
        assert_eq!(lock.holder(&mut conn).expect("GET").as_deref(), Some("a"));
        assert!(lock.release(&mut conn, "a").expect("EVAL"));
        assert_eq!(lock.holder(&mut conn).expect("GET"), None);
    }

    #[test]
    #[ignore = "needs redis-server"]
    fn redis_fencing_tokens_grow_and_stop_the_paused_holder() {
        let server = RedisServer::start().expect("redis-server starts");
        let mut conn = server.connect().expect("the private server answers");
        let lock = RedisLock::new("lock:t");
        let a = lock
            .acquire(&mut conn, "a", 60_000)
            .expect("EVAL")
            .expect("free");
        assert_eq!(lock.acquire(&mut conn, "b", 60_000).expect("EVAL"), None);
        lock.expire_now(&mut conn).expect("PEXPIRE");
        let b = lock
            .acquire(&mut conn, "b", 60_000)
            .expect("EVAL")
            .expect("expired");
        assert!(b > a);
        let mut storage = FencingGate::default();
        assert!(storage.admit(b));
        assert!(!storage.admit(a));
        assert!(!lock.release(&mut conn, "a").expect("EVAL"));
        assert_eq!(lock.holder(&mut conn).expect("GET").as_deref(), Some("b"));
    }

    #[test]
    #[ignore = "needs redis-server"]
    fn redis_lock_keeps_a_read_modify_write_from_losing_updates() {
        let server = RedisServer::start().expect("redis-server starts");
        let url = server.url();
        const THREADS: usize = 4;
        const EACH: u64 = 50;
        std::thread::scope(|s| {
            for t in 0..THREADS {
                let url = url.clone();
                s.spawn(move || {
                    let mut conn = redis::Client::open(url)
                        .expect("valid URL")
                        .get_connection()
                        .expect("answers");
                    let lock = RedisLock::new("lock:counter");
                    let token = format!("t{t}");
                    let mut done = 0;
                    // Bounded: plenty of tries for 200 short critical sections.
                    for _ in 0..1_000_000 {
                        if done == EACH {
                            break;
                        }
                        if !lock.try_set(&mut conn, &token, 60_000).expect("SET") {
                            std::thread::yield_now();
                            continue;
                        }
                        let n: u64 = redis::cmd("GET")
                            .arg("counter")
                            .query::<Option<u64>>(&mut conn)
                            .expect("GET")
                            .unwrap_or(0);
                        let _: () = redis::cmd("SET")
                            .arg("counter")
                            .arg(n + 1)
                            .query(&mut conn)
                            .expect("SET");
                        assert!(lock.release(&mut conn, &token).expect("EVAL"));
                        done += 1;
                    }
                    assert_eq!(done, EACH, "thread {t} finished its increments");
                });
            }
        });
        let mut conn = server.connect().expect("the private server answers");
        let total: u64 = redis::cmd("GET")
            .arg("counter")
            .query(&mut conn)
            .expect("GET");
        assert_eq!(total, THREADS as u64 * EACH);
    }
}
