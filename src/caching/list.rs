//! An index-based doubly linked list: the one ordering structure every policy shares.
//!
//! A textbook LRU pairs a hash map with a doubly linked list of heap nodes and raw pointers.
//! Here the nodes live in one `Vec` (a *slab*), a link is the index of a node, and a freed slot
//! goes on a free list to be reused, so there is no `unsafe`, no allocation per insert once the
//! slab has grown, and a hash table can point at a node with a plain integer.
//!
//! Each list is circular around a *sentinel*: a node that holds no item and stands in for both
//! ends, its `next` being the head and its `prev` the tail. Every node then has two real
//! neighbours, so linking and unlinking never ask "is this the head? the tail?", and a hit, which
//! moves a node to the front, runs without a single branch.
//!
//! One slab can hold several lists at once: a [`Chain`] is only its sentinel and a length.
//! LRU, FIFO and MRU keep one chain; S3-FIFO keeps two over one slab; LFU keeps one chain per use
//! count over the same slab of entries, and a second slab whose chain orders the use counts themselves.
//!
//! Size matters for speed here: a cache lookup is mostly a wait for memory, and the smaller a node,
//! the more of them share a 64-byte cache line. So links are `u32` (8 bytes for both, where two
//! `usize` take 16), and [`KeyedList`] keeps the key only in the node, with a hash table of node
//! indices beside it instead of a map from a second copy of the key.

use hashbrown::HashTable;
use std::hash::{BuildHasher, Hash};

/// How many hash-table slots to reserve up front at most, so a huge capacity cannot
/// allocate (or abort) before any entry exists.
pub(crate) const PREALLOCATE_AT_MOST: usize = 1 << 16;

/// One node: an item and its two links.
#[derive(Clone, Debug)]
struct Node<T> {
    /// `None` for a sentinel, and while the slot is on the free list.
    item: Option<T>,
    prev: u32,
    next: u32,
}

/// One circular list threaded through a [`Slab`]: the index of its sentinel, and its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chain {
    sentinel: u32,
    pub(crate) len: usize,
}

impl Chain {
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Nodes stored in a `Vec`, linked by index, with a free list of vacant slots.
#[derive(Clone, Debug)]
pub(crate) struct Slab<T> {
    nodes: Vec<Node<T>>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Slab {
            nodes: Vec::with_capacity(capacity.saturating_add(1).min(PREALLOCATE_AT_MOST)),
            free: Vec::new(),
        }
    }

    /// Stores `item` in a vacant slot (or a new one), linked to itself, and returns its index.
    ///
    /// # Panics
    ///
    /// When the slab already holds `u32::MAX` nodes (about four billion), the most a `u32` link can name.
    fn alloc_node(&mut self, item: Option<T>) -> u32 {
        match self.free.pop() {
            Some(index) => {
                self.nodes[index as usize] = Node {
                    item,
                    prev: index,
                    next: index,
                };
                index
            }
            None => {
                let index = u32::try_from(self.nodes.len())
                    .ok()
                    .filter(|&i| i < u32::MAX)
                    .expect("a slab links at most u32::MAX nodes with u32 indices");
                self.nodes.push(Node {
                    item,
                    prev: index,
                    next: index,
                });
                index
            }
        }
    }

    /// A new, empty list: a sentinel linked to itself.
    pub(crate) fn new_chain(&mut self) -> Chain {
        Chain {
            sentinel: self.alloc_node(None),
            len: 0,
        }
    }

    /// Frees the sentinel of an empty list that is no longer needed.
    pub(crate) fn free_chain(&mut self, chain: Chain) {
        debug_assert!(chain.is_empty(), "only an empty chain is freed");
        self.free.push(chain.sentinel);
    }

    /// Stores `item` in a vacant slot (or a new one) and returns its index; the node is in no chain yet.
    pub(crate) fn alloc(&mut self, item: T) -> usize {
        self.alloc_node(Some(item)) as usize
    }

    /// Takes the item out of a node that is in no chain, and puts the slot on the free list.
    pub(crate) fn release(&mut self, index: usize) -> T {
        self.free.push(index as u32);
        self.nodes[index]
            .item
            .take()
            .expect("only an occupied slot is released")
    }

    #[inline]
    pub(crate) fn get(&self, index: usize) -> &T {
        self.nodes[index]
            .item
            .as_ref()
            .expect("a chain or an index only points at occupied slots")
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, index: usize) -> &mut T {
        self.nodes[index]
            .item
            .as_mut()
            .expect("a chain or an index only points at occupied slots")
    }

    /// The node `link` names, unless it is the chain's sentinel (the list's end).
    fn real(chain: &Chain, link: u32) -> Option<usize> {
        (link != chain.sentinel).then_some(link as usize)
    }

    /// The first node of `chain` (the most recently pushed to the front), if any.
    pub(crate) fn head(&self, chain: &Chain) -> Option<usize> {
        Self::real(chain, self.nodes[chain.sentinel as usize].next)
    }

    /// The last node of `chain`, if any.
    pub(crate) fn tail(&self, chain: &Chain) -> Option<usize> {
        Self::real(chain, self.nodes[chain.sentinel as usize].prev)
    }

    /// The node after `index` in `chain` (towards the tail).
    pub(crate) fn next(&self, chain: &Chain, index: usize) -> Option<usize> {
        Self::real(chain, self.nodes[index].next)
    }

    // ANCHOR: list_unlink
    /// Takes node `index` out of `chain`, joining its neighbours to each other.
    #[inline]
    pub(crate) fn unlink(&mut self, chain: &mut Chain, index: usize) {
        let Node { prev, next, .. } = self.nodes[index];
        // At an end, a neighbour is the sentinel: no special case.
        self.nodes[prev as usize].next = next;
        self.nodes[next as usize].prev = prev;
        chain.len -= 1;
    }
    // ANCHOR_END: list_unlink

    /// Links a detached node `index` in right after node `at`, which is `chain`'s sentinel or in `chain`.
    #[inline]
    fn link_after(&mut self, chain: &mut Chain, at: u32, index: usize) {
        let after = self.nodes[at as usize].next;
        self.nodes[index].prev = at;
        self.nodes[index].next = after;
        self.nodes[after as usize].prev = index as u32;
        self.nodes[at as usize].next = index as u32;
        chain.len += 1;
    }

    // ANCHOR: list_push_front
    /// Links a detached node `index` in at the head of `chain`: right after the sentinel.
    #[inline]
    pub(crate) fn push_front(&mut self, chain: &mut Chain, index: usize) {
        self.link_after(chain, chain.sentinel, index);
    }
    // ANCHOR_END: list_push_front

    /// Links a detached node `index` in right after node `at`, which is in `chain`.
    pub(crate) fn insert_after(&mut self, chain: &mut Chain, at: usize, index: usize) {
        self.link_after(chain, at as u32, index);
    }

    // ANCHOR: list_move_to_front
    /// Moves node `index`, already in `chain`, to its head, and returns its item: `unlink` then
    /// `push_front`, without counting the node out and back in.
    #[inline(always)]
    pub(crate) fn move_to_front(&mut self, chain: &Chain, index: usize) -> &T {
        // A local slice keeps the Vec's pointer and length in registers across the stores.
        let nodes = self.nodes.as_mut_slice();
        let Node { prev, next, .. } = nodes[index];
        nodes[prev as usize].next = next;
        nodes[next as usize].prev = prev;
        let sentinel = chain.sentinel as usize;
        let head = nodes[sentinel].next;
        nodes[index].prev = chain.sentinel;
        nodes[index].next = head;
        nodes[head as usize].prev = index as u32;
        nodes[sentinel].next = index as u32;
        nodes[index]
            .item
            .as_ref()
            .expect("a chain only links occupied slots")
    }
    // ANCHOR_END: list_move_to_front

    /// The indices of `chain` from head to tail.
    pub(crate) fn indices(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        let chain = *chain;
        std::iter::successors(self.head(&chain), move |&i| self.next(&chain, i))
    }

    /// The indices of `chain` from tail to head.
    pub(crate) fn indices_rev(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        let chain = *chain;
        std::iter::successors(self.tail(&chain), move |&i| {
            Self::real(&chain, self.nodes[i].prev)
        })
    }
}

/// A hash table of node indices plus one chain of `(key, value)` nodes: the state of LRU, FIFO and MRU.
///
/// The head is where new and touched entries go; which end is evicted is the policy's choice.
/// The table holds only indices (`u32`, 4 bytes a slot) and finds a key by comparing it with the
/// key in the node the index names, so each key is stored once and hashed once per operation:
/// `find` returns the hash with the index, and `push_front` reuses it.
#[derive(Clone, Debug)]
pub(crate) struct KeyedList<K, V, S> {
    index: HashTable<u32>,
    hasher: S,
    slab: Slab<(K, V)>,
    order: Chain,
}

/// Where a key is, or the hash to insert it under: the result of one lookup.
pub(crate) enum Lookup {
    Found(usize),
    Vacant(u64),
}

impl<K: Hash + Eq, V, S: BuildHasher> KeyedList<K, V, S> {
    pub(crate) fn with_hasher(capacity: usize, hasher: S) -> Self {
        // One entry more than the capacity: LRU inserts before it evicts.
        let room = capacity.saturating_add(1);
        let mut slab = Slab::with_capacity(room);
        let order = slab.new_chain();
        KeyedList {
            index: HashTable::with_capacity(room.min(PREALLOCATE_AT_MOST)),
            hasher,
            slab,
            order,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len
    }

    // ANCHOR: keyed_lookup
    /// Hashes `key` once and finds its node, or returns the hash for the insert that follows.
    #[inline]
    pub(crate) fn lookup(&self, key: &K) -> Lookup {
        let hash = self.hasher.hash_one(key);
        // The table holds node indices; two keys are equal when the node's key equals ours.
        let nodes = self.slab.nodes.as_slice();
        let same_key = |&i: &u32| matches!(&nodes[i as usize].item, Some((k, _)) if k == key);
        match self.index.find(hash, same_key) {
            Some(&i) => Lookup::Found(i as usize),
            None => Lookup::Vacant(hash),
        }
    }
    // ANCHOR_END: keyed_lookup

    /// The node holding `key`, if any.
    #[inline]
    pub(crate) fn find(&self, key: &K) -> Option<usize> {
        match self.lookup(key) {
            Lookup::Found(index) => Some(index),
            Lookup::Vacant(_) => None,
        }
    }

    #[inline]
    pub(crate) fn value(&self, index: usize) -> &V {
        &self.slab.get(index).1
    }

    #[inline]
    pub(crate) fn value_mut(&mut self, index: usize) -> &mut V {
        &mut self.slab.get_mut(index).1
    }

    #[inline]
    /// Moves node `index` to the head, and returns its value.
    pub(crate) fn move_to_front(&mut self, index: usize) -> &V {
        &self.slab.move_to_front(&self.order, index).1
    }

    /// Inserts a key that is not present, at the head; `hash` is what [`lookup`](Self::lookup) returned.
    pub(crate) fn push_front(&mut self, hash: u64, key: K, value: V) {
        let index = self.slab.alloc((key, value));
        self.slab.push_front(&mut self.order, index);
        let (slab, hasher) = (&self.slab, &self.hasher);
        // The closure rehashes existing keys only when the table grows.
        self.index.insert_unique(hash, index as u32, |&i| {
            hasher.hash_one(&slab.get(i as usize).0)
        });
    }

    // ANCHOR: keyed_replace_back
    /// Evicts the entry at the tail and stores `key` and `value` in its node, which moves to the
    /// head: an eviction and an insert with no slot freed and none allocated. `hash` is what
    /// [`lookup`](Self::lookup) returned for `key`, which must not be present. Returns the evicted
    /// entry, or `None` (inserting at the head) when the list is empty.
    #[inline]
    pub(crate) fn replace_back(&mut self, hash: u64, key: K, value: V) -> Option<(K, V)> {
        let Some(tail) = self.slab.tail(&self.order) else {
            self.push_front(hash, key, value);
            return None;
        };
        // The old key leaves the table; its node stays in the list, now holding the new entry.
        self.forget(tail);
        let evicted = std::mem::replace(self.slab.get_mut(tail), (key, value));
        self.slab.move_to_front(&self.order, tail);
        let (slab, hasher) = (&self.slab, &self.hasher);
        self.index.insert_unique(hash, tail as u32, |&i| {
            hasher.hash_one(&slab.get(i as usize).0)
        });
        Some(evicted)
    }
    // ANCHOR_END: keyed_replace_back

    /// Removes node `index`'s entry from the hash table (the node itself stays where it is).
    fn forget(&mut self, index: usize) {
        let hash = self.hasher.hash_one(&self.slab.get(index).0);
        let slot = index as u32;
        self.index
            .find_entry(hash, |&i| i == slot)
            .expect("every node in the chain has its index in the table")
            .remove();
    }

    /// Removes and returns the entry at the head.
    pub(crate) fn pop_front(&mut self) -> Option<(K, V)> {
        self.slab
            .head(&self.order)
            .map(|index| self.remove_at(index))
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let index = self.find(key)?;
        Some(self.remove_at(index).1)
    }

    fn remove_at(&mut self, index: usize) -> (K, V) {
        self.forget(index);
        self.slab.unlink(&mut self.order, index);
        self.slab.release(index)
    }

    /// Entries from head to tail.
    pub(crate) fn iter_from_front(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.slab.indices(&self.order).map(|i| {
            let (k, v) = self.slab.get(i);
            (k, v)
        })
    }

    /// Entries from tail to head.
    pub(crate) fn iter_from_back(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.slab.indices_rev(&self.order).map(|i| {
            let (k, v) = self.slab.get(i);
            (k, v)
        })
    }

    pub(crate) fn clear(&mut self) {
        self.index.clear();
        self.slab = Slab::with_capacity(self.slab.nodes.len());
        self.order = self.slab.new_chain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(slab: &Slab<char>, chain: &Chain) -> String {
        let forward: String = slab.indices(chain).map(|i| *slab.get(i)).collect();
        let backward: String = slab.indices_rev(chain).map(|i| *slab.get(i)).collect();
        assert_eq!(forward.chars().rev().collect::<String>(), backward);
        assert_eq!(forward.len(), chain.len);
        forward
    }

    #[test]
    fn unlink_joins_neighbours_at_head_middle_and_tail() {
        let mut slab = Slab::with_capacity(4);
        let mut chain = slab.new_chain();
        let ids: Vec<usize> = "dcba".chars().map(|c| slab.alloc(c)).collect();
        for &i in &ids {
            slab.push_front(&mut chain, i);
        }
        assert_eq!(collect(&slab, &chain), "abcd");
        slab.unlink(&mut chain, ids[2]); // b, in the middle
        assert_eq!(collect(&slab, &chain), "acd");
        slab.unlink(&mut chain, ids[3]); // a, the head
        assert_eq!(collect(&slab, &chain), "cd");
        slab.unlink(&mut chain, ids[0]); // d, the tail
        assert_eq!(collect(&slab, &chain), "c");
        slab.unlink(&mut chain, ids[1]);
        assert_eq!(collect(&slab, &chain), "");
        assert_eq!((slab.head(&chain), slab.tail(&chain)), (None, None));
    }

    #[test]
    fn released_slots_and_freed_sentinels_are_reused() {
        let mut slab = Slab::with_capacity(2);
        let chain = slab.new_chain();
        let a = slab.alloc('a');
        let _b = slab.alloc('b');
        assert_eq!(slab.release(a), 'a');
        assert_eq!(slab.alloc('c'), a);
        slab.free_chain(chain);
        assert_eq!(slab.alloc('d'), 0);
        assert_eq!(slab.nodes.len(), 3);
    }

    #[test]
    fn insert_after_tail_moves_the_tail() {
        let mut slab = Slab::with_capacity(3);
        let mut chain = slab.new_chain();
        let a = slab.alloc('a');
        slab.push_front(&mut chain, a);
        let b = slab.alloc('b');
        slab.insert_after(&mut chain, a, b);
        let c = slab.alloc('c');
        slab.insert_after(&mut chain, a, c);
        assert_eq!(collect(&slab, &chain), "acb");
        assert_eq!(slab.tail(&chain), Some(b));
        assert_eq!(slab.next(&chain, b), None);
    }

    #[test]
    fn two_chains_share_one_slab() {
        let mut slab = Slab::with_capacity(4);
        let (mut left, mut right) = (slab.new_chain(), slab.new_chain());
        for c in ['a', 'b'] {
            let i = slab.alloc(c);
            slab.push_front(&mut left, i);
        }
        let moved = slab.tail(&left).expect("left holds a and b");
        slab.unlink(&mut left, moved);
        slab.push_front(&mut right, moved);
        assert_eq!(
            (collect(&slab, &left), collect(&slab, &right)),
            ("b".into(), "a".into())
        );
    }
}
