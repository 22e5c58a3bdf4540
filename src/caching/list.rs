//! An index-based doubly linked list: the one ordering structure every policy shares.
//!
//! A textbook LRU pairs a hash map with a doubly linked list of heap nodes and raw pointers.
//! Here the nodes live in one `Vec` (a *slab*), a link is the index of a node, and a freed slot
//! goes on a free list to be reused, so there is no `unsafe`, no allocation per insert once the
//! slab has grown, and a hash table can point at a node with a plain integer.
//!
//! One slab can hold several lists at once: a [`Chain`] is only a head, a tail and a length.
//! LRU, FIFO and MRU keep one chain; S3-FIFO keeps two over one slab; LFU keeps one chain per use
//! count over the same slab of entries, and a second slab whose chain orders the use counts themselves.
//!
//! Size matters for speed here: a cache lookup is usually a wait for memory, and the smaller a node,
//! the more of them share a 64-byte cache line.
//! So a node stores its links as `u32` with one reserved value for "none" (8 bytes for both links,
//! where two `Option<usize>` take 32), and [`KeyedList`] keeps the key only in the node, with a
//! hash table of node indices beside it instead of a map from a second copy of the key.

use hashbrown::HashTable;
use std::hash::{BuildHasher, Hash};

/// How many hash-table slots to reserve up front at most, so a huge capacity cannot
/// allocate (or abort) before any entry exists.
pub(crate) const PREALLOCATE_AT_MOST: usize = 1 << 16;

/// The link that points nowhere: a `u32` index one past the largest slot a slab may hold.
const NIL: u32 = u32::MAX;

fn pack(link: Option<usize>) -> u32 {
    // `alloc` never hands out an index that does not fit, so this cannot truncate.
    link.map_or(NIL, |index| index as u32)
}

fn unpack(link: u32) -> Option<usize> {
    (link != NIL).then_some(link as usize)
}

/// One node: an item and its two links.
#[derive(Clone, Debug)]
struct Node<T> {
    /// `None` while the slot is on the free list.
    item: Option<T>,
    prev: u32,
    next: u32,
}

/// The ends and length of one list threaded through a [`Slab`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Chain {
    pub(crate) head: Option<usize>,
    pub(crate) tail: Option<usize>,
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
    free: Vec<usize>,
}

impl<T> Slab<T> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Slab {
            nodes: Vec::with_capacity(capacity.min(PREALLOCATE_AT_MOST)),
            free: Vec::new(),
        }
    }

    /// Stores `item` in a vacant slot (or a new one) and returns its index; the node is in no chain yet.
    ///
    /// # Panics
    ///
    /// When the slab already holds `u32::MAX` nodes (about four billion), the most a `u32` link can name.
    pub(crate) fn alloc(&mut self, item: T) -> usize {
        let node = Node {
            item: Some(item),
            prev: NIL,
            next: NIL,
        };
        match self.free.pop() {
            Some(index) => {
                self.nodes[index] = node;
                index
            }
            None => {
                assert!(
                    self.nodes.len() < NIL as usize,
                    "a slab links at most {NIL} nodes with u32 indices"
                );
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        }
    }

    /// Takes the item out of a node that is in no chain, and puts the slot on the free list.
    pub(crate) fn release(&mut self, index: usize) -> T {
        self.free.push(index);
        self.nodes[index]
            .item
            .take()
            .expect("only an occupied slot is released")
    }

    pub(crate) fn get(&self, index: usize) -> &T {
        self.nodes[index]
            .item
            .as_ref()
            .expect("a chain or an index only points at occupied slots")
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> &mut T {
        self.nodes[index]
            .item
            .as_mut()
            .expect("a chain or an index only points at occupied slots")
    }

    /// The node after `index` in its chain (towards the tail).
    pub(crate) fn next(&self, index: usize) -> Option<usize> {
        unpack(self.nodes[index].next)
    }

    // ANCHOR: list_unlink
    /// Takes node `index` out of `chain`, joining its neighbours to each other.
    pub(crate) fn unlink(&mut self, chain: &mut Chain, index: usize) {
        let (prev, next) = (self.nodes[index].prev, self.nodes[index].next);
        match unpack(prev) {
            Some(p) => self.nodes[p].next = next,
            None => chain.head = unpack(next),
        }
        match unpack(next) {
            Some(n) => self.nodes[n].prev = prev,
            None => chain.tail = unpack(prev),
        }
        self.nodes[index].prev = NIL;
        self.nodes[index].next = NIL;
        chain.len -= 1;
    }
    // ANCHOR_END: list_unlink

    // ANCHOR: list_push_front
    /// Links a detached node `index` in at the head of `chain`.
    pub(crate) fn push_front(&mut self, chain: &mut Chain, index: usize) {
        self.nodes[index].prev = NIL;
        self.nodes[index].next = pack(chain.head);
        match chain.head {
            Some(old_head) => self.nodes[old_head].prev = pack(Some(index)),
            None => chain.tail = Some(index),
        }
        chain.head = Some(index);
        chain.len += 1;
    }
    // ANCHOR_END: list_push_front

    /// Links a detached node `index` in right after node `at`, which is in `chain`.
    pub(crate) fn insert_after(&mut self, chain: &mut Chain, at: usize, index: usize) {
        let after = self.nodes[at].next;
        self.nodes[index].prev = pack(Some(at));
        self.nodes[index].next = after;
        self.nodes[at].next = pack(Some(index));
        match unpack(after) {
            Some(n) => self.nodes[n].prev = pack(Some(index)),
            None => chain.tail = Some(index),
        }
        chain.len += 1;
    }

    /// Moves node `index`, already in `chain`, to its head.
    pub(crate) fn move_to_front(&mut self, chain: &mut Chain, index: usize) {
        if chain.head != Some(index) {
            self.unlink(chain, index);
            self.push_front(chain, index);
        }
    }

    /// The indices of `chain` from head to tail.
    pub(crate) fn indices(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(chain.head, |&i| unpack(self.nodes[i].next))
    }

    /// The indices of `chain` from tail to head.
    pub(crate) fn indices_rev(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(chain.tail, |&i| unpack(self.nodes[i].prev))
    }

    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.free.clear();
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
        KeyedList {
            index: HashTable::with_capacity(capacity.min(PREALLOCATE_AT_MOST)),
            hasher,
            slab: Slab::with_capacity(capacity),
            order: Chain::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len
    }

    // ANCHOR: keyed_lookup
    /// Hashes `key` once and finds its node, or returns the hash for the insert that follows.
    pub(crate) fn lookup(&self, key: &K) -> Lookup {
        let hash = self.hasher.hash_one(key);
        // The table holds node indices; two keys are equal when the node's key equals ours.
        match self.index.find(hash, |&i| self.slab.get(i as usize).0 == *key) {
            Some(&i) => Lookup::Found(i as usize),
            None => Lookup::Vacant(hash),
        }
    }
    // ANCHOR_END: keyed_lookup

    /// The node holding `key`, if any.
    pub(crate) fn find(&self, key: &K) -> Option<usize> {
        match self.lookup(key) {
            Lookup::Found(index) => Some(index),
            Lookup::Vacant(_) => None,
        }
    }

    pub(crate) fn value(&self, index: usize) -> &V {
        &self.slab.get(index).1
    }

    pub(crate) fn value_mut(&mut self, index: usize) -> &mut V {
        &mut self.slab.get_mut(index).1
    }

    pub(crate) fn move_to_front(&mut self, index: usize) {
        self.slab.move_to_front(&mut self.order, index);
    }

    /// Inserts a key that is not present, at the head; `hash` is what [`lookup`](Self::lookup) returned.
    pub(crate) fn push_front(&mut self, hash: u64, key: K, value: V) {
        let index = self.slab.alloc((key, value));
        self.slab.push_front(&mut self.order, index);
        let (slab, hasher) = (&self.slab, &self.hasher);
        // The closure rehashes existing keys only when the table grows.
        self.index.insert_unique(hash, pack(Some(index)), |&i| {
            hasher.hash_one(&slab.get(i as usize).0)
        });
    }

    /// Removes and returns the entry at the tail.
    pub(crate) fn pop_back(&mut self) -> Option<(K, V)> {
        self.order.tail.map(|index| self.remove_at(index))
    }

    /// Removes and returns the entry at the head.
    pub(crate) fn pop_front(&mut self) -> Option<(K, V)> {
        self.order.head.map(|index| self.remove_at(index))
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let index = self.find(key)?;
        Some(self.remove_at(index).1)
    }

    fn remove_at(&mut self, index: usize) -> (K, V) {
        let hash = self.hasher.hash_one(&self.slab.get(index).0);
        let slot = pack(Some(index));
        self.index
            .find_entry(hash, |&i| i == slot)
            .expect("every node in the chain has its index in the table")
            .remove();
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
        self.slab.clear();
        self.order = Chain::default();
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
        let mut chain = Chain::default();
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
        assert_eq!((chain.head, chain.tail), (None, None));
    }

    #[test]
    fn released_slots_are_reused() {
        let mut slab = Slab::with_capacity(2);
        let a = slab.alloc('a');
        let _b = slab.alloc('b');
        assert_eq!(slab.release(a), 'a');
        assert_eq!(slab.alloc('c'), a);
        assert_eq!(slab.nodes.len(), 2);
    }

    #[test]
    fn insert_after_tail_moves_the_tail() {
        let mut slab = Slab::with_capacity(3);
        let mut chain = Chain::default();
        let a = slab.alloc('a');
        slab.push_front(&mut chain, a);
        let b = slab.alloc('b');
        slab.insert_after(&mut chain, a, b);
        let c = slab.alloc('c');
        slab.insert_after(&mut chain, a, c);
        assert_eq!(collect(&slab, &chain), "acb");
        assert_eq!(chain.tail, Some(b));
    }
}
