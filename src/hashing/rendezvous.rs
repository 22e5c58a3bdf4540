//! Rendezvous (highest-random-weight) hashing: every node bids for the key; the highest bid wins.

use super::{Placement, stable_hash};
use xxhash_rust::xxh3::xxh3_64_with_seed;

// ANCHOR: rendezvous
/// Places a key on the node with the highest weight `hash(node, key)`.
///
/// Removing a node moves only the keys it owned (each to its runner-up), and adding one moves
/// only the keys it now wins; no ring and no virtual nodes, at the price of scoring every node
/// on each lookup (O(n) instead of O(log n)).
///
/// ```
/// use sysdesign::hashing::{Placement, Rendezvous};
///
/// let mut nodes = Rendezvous::new();
/// nodes.add_node("a");
/// nodes.add_node("b");
/// let owner = nodes.node_for(b"key").expect("there are nodes").to_owned();
/// // Removing the other node does not move the key.
/// let other = if owner == "a" { "b" } else { "a" };
/// nodes.remove_node(other);
/// assert_eq!(nodes.node_for(b"key"), Some(owner.as_str()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Rendezvous {
    /// Each node with its own hash, used as the seed of its bids.
    nodes: Vec<(String, u64)>,
}

impl Rendezvous {
    /// An empty placement, with no nodes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The weight `node` bids for `key`: XXH3 of the key, seeded with the node's own hash.
    ///
    /// ```
    /// use sysdesign::hashing::Rendezvous;
    ///
    /// assert_eq!(Rendezvous::weight("a", b"k"), Rendezvous::weight("a", b"k"));
    /// assert_ne!(Rendezvous::weight("a", b"k"), Rendezvous::weight("b", b"k"));
    /// ```
    pub fn weight(node: &str, key: &[u8]) -> u64 {
        xxh3_64_with_seed(key, stable_hash(node.as_bytes()))
    }
}

impl Placement for Rendezvous {
    fn node_for(&self, key: &[u8]) -> Option<&str> {
        self.nodes
            .iter()
            // Ties (vanishingly rare with 64-bit weights) go to the greater name, so the
            // owner depends only on the set of nodes, never on the order they were added.
            .max_by_key(|(name, seed)| (xxh3_64_with_seed(key, *seed), name.as_str()))
            .map(|(name, _)| name.as_str())
    }

    fn add_node(&mut self, node: &str) {
        if !self.nodes.iter().any(|(n, _)| n == node) {
            self.nodes
                .push((node.to_owned(), stable_hash(node.as_bytes())));
        }
    }

    fn remove_node(&mut self, node: &str) -> bool {
        let before = self.nodes.len();
        self.nodes.retain(|(n, _)| n != node);
        self.nodes.len() != before
    }
}
// ANCHOR_END: rendezvous
