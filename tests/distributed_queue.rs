//! The distributed queue: the leased queue against a linear-scan model, and the consumer
//! simulation's accounting (nothing lost, duplicates only from expired leases, heartbeats).

use proptest::prelude::*;
use sysdesign::distributed_queue::{
    ConsumerConfig, LeaseError, LeasedQueue, Receipt, run_consumers,
};

#[test]
fn received_message_stays_hidden_until_its_timeout() {
    let mut q = LeasedQueue::new(10, 5);
    q.send('a', 0);
    q.send('b', 0);
    assert_eq!(q.receive(0).map(|r| r.envelope.body), Some('a'));
    assert_eq!(q.receive(1).map(|r| r.envelope.body), Some('b'));
    assert!(q.receive(9).is_none());
    assert_eq!(q.receive(10).map(|r| r.envelope.body), Some('a'));
}

#[test]
fn old_receipt_cannot_delete_after_redelivery_but_can_before() {
    let mut q = LeasedQueue::new(10, 5);
    q.send((), 0);
    let late = q.receive(0).expect("visible");
    // The lease ran out but nobody received the message again: the old receipt still works.
    assert_eq!(q.delete(late.receipt), Ok(()));
    q.send((), 20);
    let first = q.receive(20).expect("visible");
    let second = q.receive(30).expect("visible again");
    assert_eq!(
        q.delete(first.receipt),
        Err(LeaseError::Stale {
            receipt: first.receipt
        })
    );
    assert_eq!(q.delete(second.receipt), Ok(()));
    assert!(q.is_empty());
}

#[test]
fn extending_a_lease_keeps_the_message_from_others() {
    let mut q = LeasedQueue::new(10, 5);
    q.send((), 0);
    let held = q.receive(0).expect("visible");
    q.extend(held.receipt, 8, 10).expect("current receipt");
    assert!(q.receive(10).is_none());
    assert!(q.receive(17).is_none());
    assert!(q.receive(18).is_some());
    // The holder's receipt is stale now: its extension is refused.
    assert!(q.extend(held.receipt, 18, 10).is_err());
}

#[test]
fn message_is_dead_lettered_after_max_receives_not_before() {
    let mut q = LeasedQueue::new(1, 3);
    q.send("poison", 0);
    for t in 0..3 {
        let r = q.receive(t).expect("visible each tick");
        assert_eq!(r.envelope.attempts as u64, t + 1);
    }
    assert!(q.receive(3).is_none());
    assert_eq!(q.dead_letters().len(), 1);
    assert!(q.is_empty());
}

#[test]
fn fast_consumers_that_never_crash_do_everything_exactly_once() {
    let config = ConsumerConfig {
        messages: 2_000,
        crash_probability: 0.0,
        work_sigma: 0.0,
        visibility_timeout: 100,
        ..ConsumerConfig::default()
    };
    let run = run_consumers(&config, 3);
    assert_eq!(run.completed, 2_000);
    assert_eq!(run.duplicates, 0);
    assert_eq!(run.redeliveries, 0);
    assert_eq!(run.crashes, 0);
}

#[test]
fn a_crashed_consumers_message_waits_for_the_timeout() {
    let base = ConsumerConfig {
        messages: 4_000,
        crash_probability: 0.05,
        ..ConsumerConfig::default()
    };
    let short = run_consumers(
        &ConsumerConfig {
            visibility_timeout: 100,
            heartbeat_every: Some(30),
            ..base.clone()
        },
        5,
    );
    let long = run_consumers(
        &ConsumerConfig {
            visibility_timeout: 3_000,
            ..base
        },
        5,
    );
    assert!(short.crashes > 50 && long.crashes > 50);
    assert!(long.crashed_latency_mean > short.crashed_latency_mean + 1_000.0);
}

#[test]
fn heartbeats_remove_the_duplicates_of_a_short_timeout() {
    let base = ConsumerConfig {
        messages: 3_000,
        visibility_timeout: 30,
        ..ConsumerConfig::default()
    };
    let plain = run_consumers(&base, 9);
    let beat = run_consumers(
        &ConsumerConfig {
            heartbeat_every: Some(10),
            ..base
        },
        9,
    );
    assert!(plain.duplicates > 100);
    assert_eq!(beat.duplicates, 0);
    assert!(beat.extensions > 1_000);
}

#[test]
fn same_seed_same_run() {
    let config = ConsumerConfig {
        messages: 1_000,
        visibility_timeout: 40,
        ..ConsumerConfig::default()
    };
    assert_eq!(run_consumers(&config, 11), run_consumers(&config, 11));
}

#[derive(Clone, Debug)]
enum Op {
    Send,
    Receive,
    Delete(usize),
    Extend(usize, u64),
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Send),
        Just(Op::Receive),
        (0usize..8).prop_map(Op::Delete),
        ((0usize..8), (0u64..20)).prop_map(|(i, t)| Op::Extend(i, t)),
        (0u64..15).prop_map(Op::Wait),
    ]
}

/// The model: a list of messages scanned from the start, each with when it is visible,
/// its current delivery and its receive count.
#[derive(Default)]
struct Model {
    messages: Vec<(u64, u64, Option<u64>, u32)>,
    dead: usize,
    next_id: u64,
    next_delivery: u64,
}

impl Model {
    fn receive(&mut self, now: u64, timeout: u64, max: u32) -> Option<(u64, u64, u32)> {
        loop {
            let pick = self
                .messages
                .iter()
                .enumerate()
                .filter(|(_, m)| m.1 <= now)
                .min_by_key(|(_, m)| (m.1, m.0))
                .map(|(i, _)| i)?;
            if self.messages[pick].3 >= max {
                self.messages.remove(pick);
                self.dead += 1;
                continue;
            }
            let m = &mut self.messages[pick];
            m.1 = now + timeout;
            m.2 = Some(self.next_delivery);
            m.3 += 1;
            self.next_delivery += 1;
            return Some((m.0, self.next_delivery - 1, m.3));
        }
    }

    fn current(&self, receipt: Receipt) -> Option<usize> {
        self.messages
            .iter()
            .position(|m| m.0 == receipt.id && m.2 == Some(receipt.delivery))
    }
}

proptest! {
    #[test]
    fn leased_queue_matches_a_linear_scan_model(
        ops in proptest::collection::vec(op(), 1..120),
        timeout in 1u64..12,
        max in 1u32..4,
    ) {
        let mut q = LeasedQueue::new(timeout, max);
        let mut model = Model::default();
        let mut receipts: Vec<Receipt> = Vec::new();
        let mut now = 0;
        for op in ops {
            match op {
                Op::Send => {
                    let id = q.send((), now);
                    prop_assert_eq!(id, model.next_id);
                    model.messages.push((id, now, None, 0));
                    model.next_id += 1;
                }
                Op::Receive => {
                    let got = q.receive(now);
                    let want = model.receive(now, timeout, max);
                    prop_assert_eq!(
                        got.as_ref().map(|r| (r.receipt.id, r.receipt.delivery, r.envelope.attempts)),
                        want
                    );
                    if let Some(r) = got {
                        receipts.push(r.receipt);
                    }
                }
                Op::Delete(i) => {
                    if let Some(&receipt) = receipts.get(i) {
                        let at = model.current(receipt);
                        prop_assert_eq!(q.delete(receipt).is_ok(), at.is_some());
                        if let Some(at) = at {
                            model.messages.remove(at);
                        }
                    }
                }
                Op::Extend(i, t) => {
                    if let Some(&receipt) = receipts.get(i) {
                        let at = model.current(receipt);
                        prop_assert_eq!(q.extend(receipt, now, t).is_ok(), at.is_some());
                        if let Some(at) = at {
                            model.messages[at].1 = now + t;
                        }
                    }
                }
                Op::Wait(t) => now += t,
            }
            prop_assert_eq!(q.len(), model.messages.len());
            prop_assert_eq!(q.dead_letters().len(), model.dead);
        }
    }

    #[test]
    fn every_message_is_completed_dead_lettered_or_counted_unfinished(
        seed in 0u64..1_000,
        timeout in 5u64..400,
        crash in 0.0f64..0.2,
        beat in proptest::option::of(1u64..50),
    ) {
        let config = ConsumerConfig {
            messages: 300,
            crash_probability: crash,
            visibility_timeout: timeout,
            heartbeat_every: beat,
            max_ticks: 5_000,
            ..ConsumerConfig::default()
        };
        let run = run_consumers(&config, seed);
        prop_assert!(run.completed + run.unfinished <= 300);
        prop_assert!(run.completed + run.dead_lettered + run.unfinished >= 300);
        // A duplicate needs a redelivery.
        prop_assert!(run.duplicates <= run.redeliveries);
        if crash == 0.0 && beat.is_some_and(|b| b < timeout) {
            prop_assert_eq!(run.duplicates, 0);
        }
    }
}
