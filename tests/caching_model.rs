//! Model-based tests: each eviction policy against an obviously correct reference.
//!
//! The reference keeps its entries in a `Vec` and does everything by linear search, so it is
//! easy to check by eye. proptest drives the policy and the reference with the same random
//! operations over a few keys and a small capacity, and compares them after every step:
//! the values returned, the entries evicted, the length and the full eviction order.

use proptest::prelude::*;
use sysdesign::caching::{Cache, Fifo, Lfu, Lru, Mru};

#[derive(Clone, Copy, Debug)]
enum Op {
    Get(u8),
    Peek(u8),
    Put(u8, u16),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0u8..6;
    prop_oneof![
        4 => key.clone().prop_map(Op::Get),
        1 => key.clone().prop_map(Op::Peek),
        4 => (key.clone(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        1 => key.prop_map(Op::Remove),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Policy {
    Lru,
    Fifo,
    Mru,
    Lfu,
}

#[derive(Clone, Debug)]
struct Entry {
    key: u8,
    value: u16,
    uses: u64,
    last_use: u64,
}

/// The reference: entries in a `Vec`, oldest insertion or use first.
struct Model {
    policy: Policy,
    capacity: usize,
    entries: Vec<Entry>,
    clock: u64,
}

impl Model {
    fn new(policy: Policy, capacity: usize) -> Self {
        Model {
            policy,
            capacity,
            entries: Vec::new(),
            clock: 0,
        }
    }

    fn position(&self, key: u8) -> Option<usize> {
        self.entries.iter().position(|e| e.key == key)
    }

    /// Records a use of the entry at `i`; LRU and MRU move it to the end of the `Vec`.
    fn touch(&mut self, i: usize) {
        self.clock += 1;
        self.entries[i].uses += 1;
        self.entries[i].last_use = self.clock;
        if matches!(self.policy, Policy::Lru | Policy::Mru) {
            let e = self.entries.remove(i);
            self.entries.push(e);
        }
    }

    fn get(&mut self, key: u8) -> Option<u16> {
        let i = self.position(key)?;
        self.touch(i);
        // touch may have moved it to the end.
        self.entries.iter().find(|e| e.key == key).map(|e| e.value)
    }

    fn peek(&self, key: u8) -> Option<u16> {
        self.position(key).map(|i| self.entries[i].value)
    }

    /// The index of the next victim.
    fn victim(&self) -> usize {
        match self.policy {
            Policy::Lru | Policy::Fifo => 0,
            Policy::Mru => self.entries.len() - 1,
            Policy::Lfu => (0..self.entries.len())
                .min_by_key(|&i| (self.entries[i].uses, self.entries[i].last_use))
                .expect("a full cache is not empty"),
        }
    }

    fn put(&mut self, key: u8, value: u16) -> Option<(u8, u16)> {
        if let Some(i) = self.position(key) {
            self.entries[i].value = value;
            if self.policy != Policy::Fifo {
                self.touch(i);
            }
            return None;
        }
        let evicted = if self.entries.len() == self.capacity {
            let e = self.entries.remove(self.victim());
            Some((e.key, e.value))
        } else {
            None
        };
        self.clock += 1;
        self.entries.push(Entry {
            key,
            value,
            uses: 1,
            last_use: self.clock,
        });
        evicted
    }

    fn remove(&mut self, key: u8) -> Option<u16> {
        let i = self.position(key)?;
        Some(self.entries.remove(i).value)
    }

    fn eviction_order(&self) -> Vec<u8> {
        let mut order = self.entries.clone();
        match self.policy {
            Policy::Lru | Policy::Fifo => {}
            Policy::Mru => order.reverse(),
            Policy::Lfu => order.sort_by_key(|e| (e.uses, e.last_use)),
        }
        order.into_iter().map(|e| e.key).collect()
    }
}

fn check_against_model(
    cache: &mut dyn Cache<u8, u16>,
    policy: Policy,
    capacity: usize,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let mut model = Model::new(policy, capacity);
    for (step, &op) in ops.iter().enumerate() {
        match op {
            Op::Get(k) => {
                prop_assert_eq!(
                    cache.get(&k).copied(),
                    model.get(k),
                    "step {} {:?}",
                    step,
                    op
                )
            }
            Op::Peek(k) => {
                prop_assert_eq!(
                    cache.peek(&k).copied(),
                    model.peek(k),
                    "step {} {:?}",
                    step,
                    op
                );
                prop_assert_eq!(cache.contains(&k), model.peek(k).is_some());
            }
            Op::Put(k, v) => {
                prop_assert_eq!(cache.put(k, v), model.put(k, v), "step {} {:?}", step, op)
            }
            Op::Remove(k) => {
                prop_assert_eq!(cache.remove(&k), model.remove(k), "step {} {:?}", step, op)
            }
        }
        let order: Vec<u8> = cache.eviction_order().into_iter().copied().collect();
        prop_assert_eq!(
            order,
            model.eviction_order(),
            "after step {} {:?}",
            step,
            op
        );
        prop_assert_eq!(cache.len(), model.entries.len());
        prop_assert!(cache.len() <= cache.capacity());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lru_matches_the_vec_model(capacity in 1usize..5, ops in prop::collection::vec(op(), 0..120)) {
        let mut cache = Lru::new(capacity).expect("capacity is at least 1");
        check_against_model(&mut cache, Policy::Lru, capacity, &ops)?;
    }

    #[test]
    fn fifo_matches_the_vec_model(capacity in 1usize..5, ops in prop::collection::vec(op(), 0..120)) {
        let mut cache = Fifo::new(capacity).expect("capacity is at least 1");
        check_against_model(&mut cache, Policy::Fifo, capacity, &ops)?;
    }

    #[test]
    fn mru_matches_the_vec_model(capacity in 1usize..5, ops in prop::collection::vec(op(), 0..120)) {
        let mut cache = Mru::new(capacity).expect("capacity is at least 1");
        check_against_model(&mut cache, Policy::Mru, capacity, &ops)?;
    }

    #[test]
    fn lfu_matches_the_vec_model(capacity in 1usize..5, ops in prop::collection::vec(op(), 0..120)) {
        let mut cache = Lfu::new(capacity).expect("capacity is at least 1");
        check_against_model(&mut cache, Policy::Lfu, capacity, &ops)?;
    }

    #[test]
    fn lfu_counts_match_the_model(capacity in 1usize..5, ops in prop::collection::vec(op(), 0..120)) {
        let mut cache = Lfu::new(capacity).expect("capacity is at least 1");
        let mut model = Model::new(Policy::Lfu, capacity);
        for op in ops {
            match op {
                Op::Get(k) => { cache.get(&k); model.get(k); }
                Op::Peek(k) => { cache.peek(&k); }
                Op::Put(k, v) => { cache.put(k, v); model.put(k, v); }
                Op::Remove(k) => { cache.remove(&k); model.remove(k); }
            }
            for e in &model.entries {
                prop_assert_eq!(cache.uses(&e.key), Some(e.uses));
            }
        }
    }
}

#[test]
fn model_itself_evicts_as_the_textbook_says() {
    // A sanity check of the reference, on the classic trace A B C A D with capacity 3.
    let mut lru = Model::new(Policy::Lru, 3);
    let mut fifo = Model::new(Policy::Fifo, 3);
    for m in [&mut lru, &mut fifo] {
        for k in [b'A', b'B', b'C'] {
            m.put(k, 0);
        }
        m.get(b'A');
    }
    assert_eq!(lru.put(b'D', 0), Some((b'B', 0)));
    assert_eq!(fifo.put(b'D', 0), Some((b'A', 0)));
}
