//! Modulo placement: node number `hash(key) % n`, the scheme a first design reaches for.

use super::{Placement, stable_hash};

// ANCHOR: modulo
/// Places a key on node number `hash(key) % n`, in the order the nodes were added.
///
/// Simple and perfectly even, but changing `n` changes the remainder of almost every key:
/// when one node joins n, only about one key in `n + 1` keeps its node.
///
/// ```
/// use sysdesign::hashing::{ModuloPlacement, Placement};
///
/// let mut nodes = ModuloPlacement::new();
/// nodes.add_node("a");
/// nodes.add_node("b");
/// assert_eq!(nodes.nodes(), ["a", "b"]);
/// assert!(nodes.node_for(b"key").is_some());
/// ```
#[derive(Clone, Debug, Default)]
pub struct ModuloPlacement {
    nodes: Vec<String>,
}

impl ModuloPlacement {
    /// An empty placement, with no nodes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The nodes, in the order they were added (the order the remainder indexes).
    pub fn nodes(&self) -> Vec<&str> {
        self.nodes.iter().map(String::as_str).collect()
    }
}

impl Placement for ModuloPlacement {
    fn node_for(&self, key: &[u8]) -> Option<&str> {
        if self.nodes.is_empty() {
            return None;
        }
        let index = stable_hash(key) % self.nodes.len() as u64;
        Some(&self.nodes[index as usize])
    }

    fn add_node(&mut self, node: &str) {
        if !self.nodes.iter().any(|n| n == node) {
            self.nodes.push(node.to_owned());
        }
    }

    fn remove_node(&mut self, node: &str) -> bool {
        match self.nodes.iter().position(|n| n == node) {
            Some(index) => {
                self.nodes.remove(index);
                true
            }
            None => false,
        }
    }
}
// ANCHOR_END: modulo
