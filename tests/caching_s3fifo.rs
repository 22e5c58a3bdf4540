//! S3-FIFO against a reference built from `VecDeque`s, the paper's three queues written out
//! literally (Yang et al., SOSP 2023, Algorithm 1), with linear searches everywhere.
//!
//! proptest drives both with the same random operations over a few keys and small capacities, and
//! compares them after every step: values returned, entries evicted, queue lengths (ghosts
//! included), and the full eviction order. The library keeps its ghosts as hashes in its one hash
//! table; the reference keeps them as a plain queue of keys.

use proptest::prelude::*;
use std::collections::VecDeque;
use sysdesign::caching::{Cache, Lru, S3Fifo, replay, zipf_trace};

#[derive(Clone, Copy, Debug)]
enum Op {
    Get(u8),
    Peek(u8),
    Put(u8, u16),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0u8..12;
    prop_oneof![
        5 => key.clone().prop_map(Op::Get),
        1 => key.clone().prop_map(Op::Peek),
        5 => (key.clone(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        1 => key.prop_map(Op::Remove),
    ]
}

/// One entry: key, value, use count.
type Item = (u8, u16, u8);

/// The reference. Queues run from oldest (front) to newest (back).
struct Model {
    capacity: usize,
    small_capacity: usize,
    small: VecDeque<Item>,
    main: VecDeque<Item>,
    /// Keys recently evicted from S, oldest first.
    ghosts: VecDeque<u8>,
    ghost_capacity: usize,
}

impl Model {
    fn new(capacity: usize) -> Self {
        let small_capacity = (capacity / 10).max(1);
        Model {
            capacity,
            small_capacity,
            small: VecDeque::new(),
            main: VecDeque::new(),
            ghosts: VecDeque::new(),
            ghost_capacity: capacity - small_capacity,
        }
    }

    fn find(&mut self, key: u8) -> Option<&mut Item> {
        self.small
            .iter_mut()
            .chain(self.main.iter_mut())
            .find(|e| e.0 == key)
    }

    fn get(&mut self, key: u8) -> Option<u16> {
        let entry = self.find(key)?;
        entry.2 = (entry.2 + 1).min(3);
        Some(entry.1)
    }

    fn peek(&self, key: u8) -> Option<u16> {
        self.small
            .iter()
            .chain(self.main.iter())
            .find(|e| e.0 == key)
            .map(|e| e.1)
    }

    fn evict(&mut self) -> (u8, u16) {
        loop {
            if self.small.len() >= self.small_capacity || self.main.is_empty() {
                let (k, v, uses) = self.small.pop_front().expect("S is not empty");
                if uses > 0 {
                    self.main.push_back((k, v, 0));
                } else {
                    self.ghosts.push_back(k);
                    if self.ghosts.len() > self.ghost_capacity {
                        self.ghosts.pop_front();
                    }
                    return (k, v);
                }
            } else {
                let (k, v, uses) = self.main.pop_front().expect("M is not empty");
                if uses > 0 {
                    self.main.push_back((k, v, uses - 1));
                } else {
                    return (k, v);
                }
            }
        }
    }

    fn put(&mut self, key: u8, value: u16) -> Option<(u8, u16)> {
        if let Some(entry) = self.find(key) {
            entry.1 = value;
            entry.2 = (entry.2 + 1).min(3);
            return None;
        }
        // The ghost is looked up (and leaves G) before the eviction that makes room.
        let ghost = self.ghosts.iter().position(|&g| g == key);
        if let Some(i) = ghost {
            self.ghosts.remove(i);
        }
        let evicted = (self.small.len() + self.main.len() == self.capacity).then(|| self.evict());
        if ghost.is_some() {
            self.main.push_back((key, value, 0));
        } else {
            self.small.push_back((key, value, 0));
        }
        evicted
    }

    fn remove(&mut self, key: u8) -> Option<u16> {
        for queue in [&mut self.small, &mut self.main] {
            if let Some(i) = queue.iter().position(|e| e.0 == key) {
                return queue.remove(i).map(|e| e.1);
            }
        }
        None
    }

    fn eviction_order(&self) -> Vec<u8> {
        let mut copy = Model {
            capacity: self.capacity,
            small_capacity: self.small_capacity,
            small: self.small.clone(),
            main: self.main.clone(),
            ghosts: VecDeque::new(),
            ghost_capacity: 0,
        };
        let mut order = Vec::new();
        while !(copy.small.is_empty() && copy.main.is_empty()) {
            order.push(copy.evict().0);
        }
        order
    }
}

fn check_against_model(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut cache = S3Fifo::new(capacity).expect("capacity >= 1");
    let mut model = Model::new(capacity);
    for (step, op) in ops.iter().enumerate() {
        match *op {
            Op::Get(k) => prop_assert_eq!(cache.get(&k).copied(), model.get(k), "step {}", step),
            Op::Peek(k) => prop_assert_eq!(cache.peek(&k).copied(), model.peek(k), "step {}", step),
            Op::Put(k, v) => prop_assert_eq!(cache.put(k, v), model.put(k, v), "step {}", step),
            Op::Remove(k) => prop_assert_eq!(cache.remove(&k), model.remove(k), "step {}", step),
        }
        prop_assert_eq!(
            cache.queue_lens(),
            (model.small.len(), model.main.len(), model.ghosts.len()),
            "step {}",
            step
        );
        let order: Vec<u8> = cache.eviction_order().into_iter().copied().collect();
        prop_assert_eq!(order, model.eviction_order(), "step {}", step);
        prop_assert!(cache.len() <= capacity);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn s3fifo_matches_the_three_queue_model(
        capacity in 1usize..12,
        ops in prop::collection::vec(op(), 0..200),
    ) {
        check_against_model(capacity, &ops)?;
    }
}

#[test]
fn model_itself_promotes_a_key_read_in_the_small_queue() {
    let mut model = Model::new(10);
    for k in 0..10 {
        model.put(k, 0);
    }
    model.get(3);
    assert_eq!(model.put(10, 0), Some((0, 0)));
    // 0, 1, 2 went one by one; 3 was read, so it is in M when the queue reaches it.
    assert_eq!(model.put(11, 0), Some((1, 0)));
    assert_eq!(model.put(12, 0), Some((2, 0)));
    assert_eq!(model.put(13, 0), Some((4, 0)));
    assert_eq!(model.main.iter().map(|e| e.0).collect::<Vec<_>>(), [3]);
}

#[test]
fn scan_resistance_on_a_seeded_zipf_trace_with_one_off_scans() {
    // Zipf traffic with a burst of never-repeated keys every 10 000 requests: S3-FIFO keeps the
    // popular keys in M while the bursts pass through S, so it hits more often than LRU.
    let zipf = zipf_trace(10_000, 1.0, 100_000, 5).expect("valid Zipf parameters");
    let mut trace = Vec::new();
    let mut next_scan_key = 1_000_000u64;
    for chunk in zipf.chunks(10_000) {
        trace.extend_from_slice(chunk);
        trace.extend(next_scan_key..next_scan_key + 2_000);
        next_scan_key += 2_000;
    }
    let s3 = replay::<_, (), _>(&mut S3Fifo::new(1_000).expect("not zero"), &trace);
    let lru = replay::<_, (), _>(&mut Lru::new(1_000).expect("not zero"), &trace);
    assert!(
        s3.hit_ratio() > lru.hit_ratio(),
        "S3-FIFO {} against LRU {}",
        s3.hit_ratio(),
        lru.hit_ratio()
    );
}
