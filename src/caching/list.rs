//! Index-based doubly linked lists: the one ordering structure every policy shares.
//!
//! A textbook LRU pairs a hash map with a doubly linked list of heap nodes and raw pointers.
//! Here the links live in one `Vec` ([`Links`]), a link is the index of a node, and the items
//! sit in a second `Vec` at the same index, so there is no `unsafe`, no allocation per insert
//! once the vectors have grown, and a hash table can point at a node with a plain integer.
//!
//! Each list is circular around a *sentinel*: a node that holds no item and stands in for both
//! ends, its `next` being the head and its `prev` the tail. Every node then has two real
//! neighbours, so linking and unlinking never ask "is this the head? the tail?", and a hit, which
//! moves a node to the front, runs without a single branch.
//!
//! Two containers put items beside the links:
//!
//! - [`Slab`] can hold several lists at once: a [`Chain`] is only its sentinel and a length, and
//!   a freed slot goes on a free list to be reused. S3-FIFO keeps two chains over one slab; LFU
//!   keeps one chain per use count over the same slab of entries, and a second slab whose chain
//!   orders the use counts themselves.
//! - [`KeyedList`], the state of LRU, FIFO and MRU, holds one list and keeps its entries dense,
//!   with no free slot and no `Option` around an entry: node `n` holds `entries[n - 1]`, and
//!   node 0 is the sentinel. Removing an entry moves the last one into its place.
//!
//! Size matters for speed here: a cache lookup is mostly a wait for memory, and the smaller the
//! data a lookup touches, the more of it shares a 64-byte cache line. So links are `u32` (8 bytes
//! for both, where two `usize` take 16; eight nodes' links share a line), and [`KeyedList`] keeps
//! the key only in its entry, with a hash table of node indices beside it instead of a map from
//! a second copy of the key.

use hashbrown::HashTable;
use std::hash::{BuildHasher, Hash};

/// How many hash-table slots to reserve up front at most, so a huge capacity cannot
/// allocate (or abort) before any entry exists.
pub(crate) const PREALLOCATE_AT_MOST: usize = 1 << 16;

/// The two links of one node.
#[derive(Clone, Copy, Debug)]
struct Link {
    prev: u32,
    next: u32,
}

/// Circular doubly linked lists threaded through one `Vec` of links, by index. Which nodes are
/// sentinels, and what each node holds, is the caller's business.
#[derive(Clone, Debug)]
pub(crate) struct Links {
    nodes: Vec<Link>,
}

impl Links {
    fn with_capacity(capacity: usize) -> Self {
        Links {
            nodes: Vec::with_capacity(capacity.min(PREALLOCATE_AT_MOST + 1)),
        }
    }

    /// A new node, linked to itself; returns its index.
    ///
    /// # Panics
    ///
    /// When there are already `u32::MAX` nodes (about four billion), the most a `u32` link can name.
    fn push(&mut self) -> u32 {
        let index = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .expect("a list links at most u32::MAX nodes with u32 indices");
        self.nodes.push(Link {
            prev: index,
            next: index,
        });
        index
    }

    /// Links node `index` to itself, as a new node is.
    fn reset(&mut self, index: usize) {
        let own = index as u32;
        self.nodes[index] = Link {
            prev: own,
            next: own,
        };
    }

    /// Drops every node after the first `keep` and links each of those to itself, so the
    /// lists they head are empty again.
    fn truncate_and_reset(&mut self, keep: usize) {
        self.nodes.truncate(keep);
        for index in 0..self.nodes.len() {
            self.reset(index);
        }
    }

    fn next(&self, index: usize) -> u32 {
        self.nodes[index].next
    }

    fn prev(&self, index: usize) -> u32 {
        self.nodes[index].prev
    }

    // ANCHOR: list_unlink
    /// Takes node `index` out of its list, joining its neighbours to each other.
    #[inline]
    fn unlink(&mut self, index: usize) {
        let Link { prev, next } = self.nodes[index];
        // At an end, a neighbour is the sentinel: no special case.
        self.nodes[prev as usize].next = next;
        self.nodes[next as usize].prev = prev;
    }
    // ANCHOR_END: list_unlink

    /// Links a detached node `index` in right after node `at`.
    #[inline]
    fn link_after(&mut self, at: u32, index: usize) {
        let after = self.nodes[at as usize].next;
        self.nodes[index] = Link {
            prev: at,
            next: after,
        };
        self.nodes[after as usize].prev = index as u32;
        self.nodes[at as usize].next = index as u32;
    }

    // ANCHOR: list_move_to_front
    /// Moves node `index`, already in the list of `sentinel`, to its head: `unlink` then
    /// `link_after(sentinel, ..)` in one go, with no branch.
    #[inline(always)]
    fn move_to_front(&mut self, sentinel: u32, index: usize) {
        // A local slice keeps the Vec's pointer and length in registers across the stores.
        let nodes = self.nodes.as_mut_slice();
        let Link { prev, next } = nodes[index];
        nodes[prev as usize].next = next;
        nodes[next as usize].prev = prev;
        let head = nodes[sentinel as usize].next;
        nodes[index] = Link {
            prev: sentinel,
            next: head,
        };
        nodes[head as usize].prev = index as u32;
        nodes[sentinel as usize].next = index as u32;
    }
    // ANCHOR_END: list_move_to_front

    /// Takes detached node `index` out of the `Vec` as `Vec::swap_remove` would: the last node
    /// moves into its place, links and all, and its neighbours learn the new index.
    fn swap_remove(&mut self, index: usize) {
        let last = self.nodes.pop().expect("the last node exists");
        if index == self.nodes.len() {
            return; // `index` was the last node
        }
        let (prev, next) = (last.prev as usize, last.next as usize);
        self.nodes[index] = last;
        self.nodes[prev].next = index as u32;
        self.nodes[next].prev = index as u32;
    }

    /// The nodes of the list around `sentinel`, from the one `step` leads to first, up to the
    /// sentinel again.
    fn walk(
        &self,
        sentinel: u32,
        step: fn(&Links, usize) -> u32,
    ) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(sentinel as usize), move |&i| {
            Some(step(self, i) as usize)
        })
        .skip(1)
        .take_while(move |&i| i != sentinel as usize)
    }
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

/// Items stored in a `Vec` beside their [`Links`], with a free list of vacant slots.
#[derive(Clone, Debug)]
pub(crate) struct Slab<T> {
    links: Links,
    /// `None` for a sentinel, and while the slot is on the free list.
    items: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let room = capacity.saturating_add(1).min(PREALLOCATE_AT_MOST);
        Slab {
            links: Links::with_capacity(room),
            items: Vec::with_capacity(room),
            free: Vec::new(),
        }
    }

    /// Stores `item` in a vacant slot (or a new one), linked to itself, and returns its index.
    fn alloc_node(&mut self, item: Option<T>) -> u32 {
        match self.free.pop() {
            Some(index) => {
                self.links.reset(index as usize);
                self.items[index as usize] = item;
                index
            }
            None => {
                let index = self.links.push();
                self.items.push(item);
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
        self.items[index]
            .take()
            .expect("only an occupied slot is released")
    }

    #[inline]
    pub(crate) fn get(&self, index: usize) -> &T {
        self.items[index]
            .as_ref()
            .expect("a chain or an index only points at occupied slots")
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, index: usize) -> &mut T {
        self.items[index]
            .as_mut()
            .expect("a chain or an index only points at occupied slots")
    }

    /// The node `link` names, unless it is the chain's sentinel (the list's end).
    fn real(chain: &Chain, link: u32) -> Option<usize> {
        (link != chain.sentinel).then_some(link as usize)
    }

    /// The first node of `chain` (the most recently pushed to the front), if any.
    pub(crate) fn head(&self, chain: &Chain) -> Option<usize> {
        Self::real(chain, self.links.next(chain.sentinel as usize))
    }

    /// The last node of `chain`, if any.
    pub(crate) fn tail(&self, chain: &Chain) -> Option<usize> {
        Self::real(chain, self.links.prev(chain.sentinel as usize))
    }

    /// The node after `index` in `chain` (towards the tail).
    pub(crate) fn next(&self, chain: &Chain, index: usize) -> Option<usize> {
        Self::real(chain, self.links.next(index))
    }

    /// Takes node `index` out of `chain`.
    #[inline]
    pub(crate) fn unlink(&mut self, chain: &mut Chain, index: usize) {
        self.links.unlink(index);
        chain.len -= 1;
    }

    /// Links a detached node `index` in at the head of `chain`: right after the sentinel.
    #[inline]
    pub(crate) fn push_front(&mut self, chain: &mut Chain, index: usize) {
        self.links.link_after(chain.sentinel, index);
        chain.len += 1;
    }

    /// Links a detached node `index` in right after node `at`, which is in `chain`.
    pub(crate) fn insert_after(&mut self, chain: &mut Chain, at: usize, index: usize) {
        self.links.link_after(at as u32, index);
        chain.len += 1;
    }

    /// Moves node `index`, already in `chain`, to its head, and returns its item.
    #[inline(always)]
    pub(crate) fn move_to_front(&mut self, chain: &Chain, index: usize) -> &T {
        self.links.move_to_front(chain.sentinel, index);
        self.get(index)
    }

    /// The indices of `chain` from head to tail.
    pub(crate) fn indices(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        self.links.walk(chain.sentinel, Links::next)
    }

    /// The indices of `chain` from tail to head.
    pub(crate) fn indices_rev(&self, chain: &Chain) -> impl Iterator<Item = usize> + '_ {
        self.links.walk(chain.sentinel, Links::prev)
    }
}

/// The node of the one list of a [`KeyedList`] that holds no entry.
const SENTINEL: u32 = 0;

/// A hash table of node indices plus one list of `(key, value)` entries: the state of LRU, FIFO and MRU.
///
/// The head is where new and touched entries go; which end is evicted is the policy's choice.
/// Node `n` (from 1) holds `entries[n - 1]`, and node 0 is the sentinel: the entries are dense,
/// each one plain `(K, V)`, and a node's two links (8 bytes) live apart from it in [`Links`].
/// The table holds only node indices (`u32`, 4 bytes a slot) and finds a key by comparing it with
/// the key of the entry the index names, so each key is stored once and hashed once per
/// operation: [`lookup`](Self::lookup) returns the hash with the index, and an insert reuses it.
#[derive(Clone, Debug)]
pub(crate) struct KeyedList<K, V, S> {
    index: HashTable<u32>,
    hasher: S,
    links: Links,
    entries: Vec<(K, V)>,
}

/// Where a key is, or the hash to insert it under: the result of one lookup.
pub(crate) enum Lookup {
    Found(usize),
    Vacant(u64),
}

impl<K: Hash + Eq, V, S: BuildHasher> KeyedList<K, V, S> {
    pub(crate) fn with_hasher(capacity: usize, hasher: S) -> Self {
        // One slot more than the capacity, for a policy that inserts before it evicts.
        let room = capacity.saturating_add(1).min(PREALLOCATE_AT_MOST);
        let mut links = Links::with_capacity(room + 1);
        links.push(); // the sentinel, node 0
        KeyedList {
            index: HashTable::with_capacity(room),
            hasher,
            links,
            entries: Vec::with_capacity(room),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    // ANCHOR: keyed_lookup
    /// Hashes `key` once and finds its node, or returns the hash for the insert that follows.
    #[inline]
    pub(crate) fn lookup(&self, key: &K) -> Lookup {
        let hash = self.hasher.hash_one(key);
        // The table holds node indices; two keys are equal when the node's entry has our key.
        let entries = self.entries.as_slice();
        match self
            .index
            .find(hash, |&n| entries[n as usize - 1].0 == *key)
        {
            Some(&n) => Lookup::Found(n as usize),
            None => Lookup::Vacant(hash),
        }
    }
    // ANCHOR_END: keyed_lookup

    /// The node holding `key`, if any.
    #[inline]
    pub(crate) fn find(&self, key: &K) -> Option<usize> {
        match self.lookup(key) {
            Lookup::Found(node) => Some(node),
            Lookup::Vacant(_) => None,
        }
    }

    #[inline]
    pub(crate) fn value(&self, node: usize) -> &V {
        &self.entries[node - 1].1
    }

    #[inline]
    pub(crate) fn value_mut(&mut self, node: usize) -> &mut V {
        &mut self.entries[node - 1].1
    }

    /// Moves `node` to the head, and returns its value.
    #[inline(always)]
    pub(crate) fn move_to_front(&mut self, node: usize) -> &V {
        self.links.move_to_front(SENTINEL, node);
        &self.entries[node - 1].1
    }

    /// Adds `node`'s index to the table under `hash`.
    fn remember(&mut self, hash: u64, node: usize) {
        let (entries, hasher) = (&self.entries, &self.hasher);
        // The closure rehashes existing keys only when the table grows.
        self.index.insert_unique(hash, node as u32, |&n| {
            hasher.hash_one(&entries[n as usize - 1].0)
        });
    }

    /// Inserts a key that is not present, at the head; `hash` is what [`lookup`](Self::lookup) returned.
    pub(crate) fn push_front(&mut self, hash: u64, key: K, value: V) {
        let node = self.links.push() as usize;
        self.entries.push((key, value));
        self.links.link_after(SENTINEL, node);
        self.remember(hash, node);
    }

    // ANCHOR: keyed_replace_back
    /// Evicts the entry at the tail and stores `key` and `value` in its place, which moves to the
    /// head: an eviction and an insert with no slot freed and none allocated. `hash` is what
    /// [`lookup`](Self::lookup) returned for `key`, which must not be present. Returns the evicted
    /// entry, or `None` (inserting at the head) when the list is empty.
    #[inline]
    pub(crate) fn replace_back(&mut self, hash: u64, key: K, value: V) -> Option<(K, V)> {
        let tail = self.links.prev(SENTINEL as usize) as usize;
        if tail == SENTINEL as usize {
            self.push_front(hash, key, value);
            return None;
        }
        // The old key leaves the table; its node stays in the list, now holding the new entry.
        self.forget(tail);
        let evicted = std::mem::replace(&mut self.entries[tail - 1], (key, value));
        self.links.move_to_front(SENTINEL, tail);
        self.remember(hash, tail);
        Some(evicted)
    }
    // ANCHOR_END: keyed_replace_back

    /// Removes `node`'s index from the hash table (the node itself stays where it is).
    fn forget(&mut self, node: usize) {
        let hash = self.hasher.hash_one(&self.entries[node - 1].0);
        self.slot_of(hash, node).remove();
    }

    /// The table's slot holding `node`, whose key hashes to `hash`.
    fn slot_of(&mut self, hash: u64, node: usize) -> hashbrown::hash_table::OccupiedEntry<'_, u32> {
        let wanted = node as u32;
        self.index
            .find_entry(hash, |&n| n == wanted)
            .expect("every node in the list has its index in the table")
    }

    /// Removes and returns the entry at the head.
    pub(crate) fn pop_front(&mut self) -> Option<(K, V)> {
        let head = self.links.next(SENTINEL as usize) as usize;
        (head != SENTINEL as usize).then(|| self.remove_at(head))
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let node = self.find(key)?;
        Some(self.remove_at(node).1)
    }

    /// Takes `node` out, and moves the last entry into its place so the entries stay dense.
    fn remove_at(&mut self, node: usize) -> (K, V) {
        self.forget(node);
        self.links.unlink(node);
        let last = self.entries.len();
        if node != last {
            // The last node becomes `node`: its table slot learns the new index.
            let hash = self.hasher.hash_one(&self.entries[last - 1].0);
            *self.slot_of(hash, last).get_mut() = node as u32;
        }
        self.links.swap_remove(node);
        self.entries.swap_remove(node - 1)
    }

    /// Entries from head to tail.
    pub(crate) fn iter_from_front(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.links
            .walk(SENTINEL, Links::next)
            .map(|n| (&self.entries[n - 1].0, &self.entries[n - 1].1))
    }

    /// Entries from tail to head.
    pub(crate) fn iter_from_back(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.links
            .walk(SENTINEL, Links::prev)
            .map(|n| (&self.entries[n - 1].0, &self.entries[n - 1].1))
    }

    pub(crate) fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.links.truncate_and_reset(SENTINEL as usize + 1); // keeps only the sentinel
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
        assert_eq!(slab.items.len(), 3);
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
