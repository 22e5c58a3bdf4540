//! Messaging: the work queue against a simple model, consumer groups that never hand one
//! partition to two members and lose nothing on rebalance, and the delivery guarantees under
//! random crashes. The Redis Streams tests need `redis-server` (`--ignored redis_`).

use std::collections::{BTreeMap, VecDeque};

use proptest::prelude::*;
use sysdesign::messaging::{
    BacklogConfig, ConsumerGroup, CrashPoint, Delivery, PartitionedLog, PubSub, QueueError,
    Settled, WorkQueue, consume, crash_once, random_crashes, run_backlog,
};

#[test]
fn full_queue_refuses_until_a_message_is_settled() {
    let mut q = WorkQueue::new(2, 3);
    q.push(1, 0).expect("room");
    q.push(2, 0).expect("room");
    assert_eq!(q.push(3, 0), Err(QueueError::Full { capacity: 2 }));
    let first = q.receive().expect("waiting");
    // In flight still counts: the consumer has not finished with it.
    assert_eq!(q.push(3, 0), Err(QueueError::Full { capacity: 2 }));
    q.ack(first.id).expect("in flight");
    assert!(q.push(3, 0).is_ok());
}

#[test]
fn poison_message_is_dead_lettered_after_max_attempts_and_others_flow() {
    let mut q = WorkQueue::new(10, 3);
    let poison = q.push("poison", 0).expect("room");
    q.push("good", 0).expect("room");
    let mut dead = 0;
    while let Some(m) = q.receive() {
        if m.id == poison {
            dead += usize::from(q.nack(m.id) == Ok(Settled::DeadLettered));
        } else {
            q.ack(m.id).expect("in flight");
        }
    }
    assert_eq!(dead, 1);
    assert_eq!(q.dead_letters().len(), 1);
    assert_eq!(q.dead_letters()[0].attempts, 3);
    assert!(q.is_empty());
}

#[test]
fn settling_a_message_twice_is_an_error() {
    let mut q = WorkQueue::new(1, 1);
    q.push((), 0).expect("room");
    let m = q.receive().expect("waiting");
    q.ack(m.id).expect("in flight");
    assert_eq!(q.ack(m.id), Err(QueueError::NotInFlight { id: m.id }));
}

#[test]
fn bounded_queue_trades_refusals_for_bounded_waits() {
    let small = run_backlog(
        &BacklogConfig {
            capacity: 20,
            ..BacklogConfig::default()
        },
        1,
    );
    let unbounded = run_backlog(
        &BacklogConfig {
            capacity: usize::MAX,
            ..BacklogConfig::default()
        },
        1,
    );
    assert!(small.rejected > 0);
    assert_eq!(unbounded.rejected, 0);
    assert!(small.max_depth <= 20);
    assert!(unbounded.wait_p99 > small.wait_p99);
}

#[test]
fn without_a_dead_letter_queue_poison_messages_never_leave() {
    let never = run_backlog(
        &BacklogConfig {
            max_attempts: u32::MAX,
            capacity: 400,
            ..BacklogConfig::default()
        },
        3,
    );
    assert_eq!(never.dead_lettered, 0);
    assert!(
        never.left_over > 0,
        "the poison messages are still going round"
    );
}

#[test]
fn late_subscriber_misses_earlier_messages_but_a_late_group_reads_the_log_from_zero() {
    let mut bus = PubSub::new();
    bus.publish("t", 1);
    let late = bus.subscribe("t");
    bus.publish("t", 2);
    assert_eq!(bus.drain(late), vec![2]);

    let mut log = PartitionedLog::new(1);
    log.append("k", "1");
    log.append("k", "2");
    let mut group = ConsumerGroup::new(1);
    group.join("late").expect("new");
    assert_eq!(group.poll(&log, "late", 10).expect("member").len(), 2);
}

#[test]
fn crash_points_give_the_three_guarantees() {
    use CrashPoint::*;
    use Delivery::*;
    assert_eq!(
        crash_once(AtMostOnce, 5, 1, 2, AfterFirstStep).effects,
        [1, 1, 0, 1, 1]
    );
    assert_eq!(
        crash_once(AtLeastOnce, 5, 1, 2, AfterFirstStep).effects,
        [1, 1, 2, 1, 1]
    );
    for point in CrashPoint::ALL {
        assert_eq!(
            crash_once(EffectivelyOnce, 5, 1, 2, point).effects,
            [1, 1, 1, 1, 1]
        );
        assert_eq!(crash_once(AtMostOnce, 5, 1, 2, point).duplicated(), 0);
        assert_eq!(crash_once(AtLeastOnce, 5, 1, 2, point).lost(), 0);
    }
}

/// A reference consumer group: who owns what is recomputed from scratch; records are the
/// set of (partition, offset) pairs handed out since the last commit of each partition.
fn owner_of(members: &[String], partition: usize) -> Option<&String> {
    let mut sorted: Vec<&String> = members.iter().collect();
    sorted.sort();
    (!sorted.is_empty()).then(|| sorted[partition % sorted.len()])
}

#[derive(Clone, Debug)]
enum Op {
    Append(u8),
    Join(u8),
    Leave(u8),
    Poll(u8, usize),
    Commit(u8),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<u8>().prop_map(Op::Append),
            1 => (0u8..4).prop_map(Op::Join),
            1 => (0u8..4).prop_map(Op::Leave),
            3 => ((0u8..4), 1usize..5).prop_map(|(m, n)| Op::Poll(m, n)),
            2 => (0u8..4).prop_map(Op::Commit),
        ],
        1..80,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The queue against a model: a FIFO of waiting ids, a map of in-flight attempts.
    #[test]
    fn work_queue_matches_a_fifo_model(
        capacity in 1usize..6,
        max_attempts in 1u32..4,
        script in prop::collection::vec(0u8..4, 1..100),
    ) {
        let mut q = WorkQueue::new(capacity, max_attempts);
        let mut waiting: VecDeque<(u64, u32)> = VecDeque::new();
        let mut flight: BTreeMap<u64, u32> = BTreeMap::new();
        let mut dead = 0;
        let mut next = 0u64;
        for (t, op) in script.into_iter().enumerate() {
            match op {
                0 => {
                    let full = waiting.len() + flight.len() >= capacity;
                    let got = q.push(t, t as u64);
                    prop_assert_eq!(got.is_err(), full);
                    if !full {
                        prop_assert_eq!(got, Ok(next));
                        waiting.push_back((next, 0));
                        next += 1;
                    }
                }
                1 => {
                    let got = q.receive().map(|m| (m.id, m.attempts));
                    let want = waiting.pop_front().map(|(id, a)| (id, a + 1));
                    prop_assert_eq!(got, want);
                    if let Some((id, a)) = want {
                        flight.insert(id, a);
                    }
                }
                2 => {
                    if let Some((&id, _)) = flight.iter().next() {
                        flight.remove(&id);
                        prop_assert_eq!(q.ack(id), Ok(()));
                    }
                }
                _ => {
                    if let Some((&id, &a)) = flight.iter().next() {
                        flight.remove(&id);
                        let want = if a >= max_attempts {
                            dead += 1;
                            Settled::DeadLettered
                        } else {
                            waiting.push_back((id, a));
                            Settled::Requeued
                        };
                        prop_assert_eq!(q.nack(id), Ok(want));
                    }
                }
            }
            prop_assert_eq!(q.len(), waiting.len() + flight.len());
            prop_assert_eq!(q.dead_letters().len(), dead);
        }
    }

    /// Every partition has at most one owner, the one the model names, and every record ever
    /// appended is delivered at least once by the time all is polled and committed.
    #[test]
    fn consumer_group_owns_each_partition_once_and_loses_nothing(script in ops()) {
        let mut log = PartitionedLog::new(3);
        let mut group = ConsumerGroup::new(3);
        let mut members: Vec<String> = Vec::new();
        let mut seen: BTreeMap<(usize, u64), u32> = BTreeMap::new();
        for op in script {
            match op {
                Op::Append(k) => { log.append(&format!("k{k}"), "v"); }
                Op::Join(m) => {
                    let name = format!("m{m}");
                    let fresh = !members.contains(&name);
                    prop_assert_eq!(group.join(&name).is_ok(), fresh);
                    if fresh { members.push(name); }
                }
                Op::Leave(m) => {
                    let name = format!("m{m}");
                    let known = members.contains(&name);
                    prop_assert_eq!(group.leave(&name).is_ok(), known);
                    members.retain(|x| x != &name);
                }
                Op::Poll(m, n) => {
                    let name = format!("m{m}");
                    match group.poll(&log, &name, n) {
                        Ok(records) => {
                            for r in records {
                                prop_assert_eq!(owner_of(&members, r.partition), Some(&name));
                                *seen.entry((r.partition, r.offset)).or_default() += 1;
                            }
                        }
                        Err(_) => prop_assert!(!members.contains(&name)),
                    }
                }
                Op::Commit(m) => { let _ = group.commit(&format!("m{m}")); }
            }
            let owners = group.assignments();
            let mut owned: Vec<usize> = owners.values().flatten().copied().collect();
            owned.sort_unstable();
            let before = owned.len();
            owned.dedup();
            prop_assert_eq!(owned.len(), before, "a partition with two owners");
        }
        // Drain: one member polls and commits everything that is left.
        group.join("drain").ok();
        for other in members.clone() { group.leave(&other).expect("a member"); }
        for r in group.poll(&log, "drain", usize::MAX).expect("a member") {
            *seen.entry((r.partition, r.offset)).or_default() += 1;
        }
        group.commit("drain").expect("a member");
        prop_assert_eq!(group.lag(&log), 0);
        for p in 0..log.partitions() {
            for o in 0..log.end_offset(p) {
                prop_assert!(seen.get(&(p, o)).copied().unwrap_or(0) >= 1, "record {p}:{o} never delivered");
            }
        }
    }

    /// Under random crashes: at-most-once never duplicates, at-least-once never loses,
    /// effectively-once does neither; and each matches a direct count of its crash points.
    #[test]
    fn guarantees_hold_under_random_crashes(
        messages in 0u64..200,
        batch in 1u64..20,
        p in 0.0f64..0.3,
        seed in any::<u64>(),
    ) {
        let amo = random_crashes(Delivery::AtMostOnce, messages, batch, p, seed);
        prop_assert_eq!(amo.duplicated(), 0);
        let alo = random_crashes(Delivery::AtLeastOnce, messages, batch, p, seed);
        prop_assert_eq!(alo.lost(), 0);
        let eo = random_crashes(Delivery::EffectivelyOnce, messages, batch, p, seed);
        prop_assert!(eo.effects.iter().all(|&n| n == 1));
    }

    /// Without crashes, every guarantee applies every message exactly once.
    #[test]
    fn no_crash_means_exactly_once_for_all(messages in 0u64..300, batch in 1u64..50) {
        for delivery in Delivery::ALL {
            let run = consume(delivery, messages, batch, &mut |_, _| false);
            prop_assert!(run.effects.iter().all(|&n| n == 1));
            prop_assert_eq!(run.crashes, 0);
        }
    }
}

#[cfg(feature = "redis")]
mod redis_streams {
    use sysdesign::messaging::redis_streams::StreamGroup;
    use sysdesign::redis_server::RedisServer;

    #[test]
    #[ignore = "needs redis-server"]
    fn redis_crashed_consumers_pending_entry_is_claimed_once_and_processed_once() {
        let server = RedisServer::start().expect("redis-server starts");
        let mut conn = server.connect().expect("the private server answers");
        let group = StreamGroup::create(&mut conn, "s", "g").expect("XGROUP");
        for i in 1..=3 {
            group
                .add(&mut conn, &format!("{i}-0"), &format!("m{i}"))
                .expect("XADD");
        }
        let a = group.read(&mut conn, "A", 1).expect("XREADGROUP");
        assert_eq!(a.len(), 1);
        // A crashes. B reads only entries never delivered: not A's.
        let b = group.read(&mut conn, "B", 10).expect("XREADGROUP");
        assert_eq!(
            b.iter().map(|e| e.body.as_str()).collect::<Vec<_>>(),
            ["m2", "m3"]
        );
        for e in &b {
            group.process(&mut conn, "B", e).expect("MULTI");
        }
        let pending = group.pending(&mut conn).expect("XPENDING");
        assert_eq!(pending.len(), 1);
        assert_eq!(
            (pending[0].consumer.as_str(), pending[0].deliveries),
            ("A", 1)
        );
        // Too fresh to claim.
        assert!(
            group
                .claim(&mut conn, "B", 30_000, &[a[0].id.clone()])
                .expect("XCLAIM")
                .is_empty()
        );
        group
            .age(&mut conn, "A", &a[0].id, 60_000)
            .expect("XCLAIM IDLE");
        let by_b = group
            .claim(&mut conn, "B", 30_000, &[a[0].id.clone()])
            .expect("XCLAIM");
        let by_c = group
            .claim(&mut conn, "C", 30_000, &[a[0].id.clone()])
            .expect("XCLAIM");
        assert_eq!(by_b.len(), 1);
        assert!(by_c.is_empty(), "the first claim reset the idle time");
        assert_eq!(group.pending(&mut conn).expect("XPENDING")[0].deliveries, 2);
        group.process(&mut conn, "B", &by_b[0]).expect("MULTI");
        assert!(group.pending(&mut conn).expect("XPENDING").is_empty());
        let effects = group.effects(&mut conn).expect("HGETALL");
        assert_eq!(
            effects,
            [
                ("m1".to_string(), 1),
                ("m2".to_string(), 1),
                ("m3".to_string(), 1)
            ]
        );
        assert!(
            group
                .processed(&mut conn)
                .expect("LRANGE")
                .contains(&"B m1".to_string())
        );
    }
}
