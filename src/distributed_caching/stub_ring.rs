//! TEMPORARY stand-in for sysdesign::hashing until the hash branch lands. Not to be committed.
#![allow(missing_docs, dead_code)]
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
pub trait Placement {
    fn node_for(&self, key: &[u8]) -> Option<&str>;
    fn add_node(&mut self, node: &str);
    fn remove_node(&mut self, node: &str) -> bool;
}
pub struct HashRing {
    v: usize,
    ring: BTreeMap<u64, String>,
}
fn h(b: &[u8]) -> u64 {
    let mut s = DefaultHasher::new();
    b.hash(&mut s);
    s.finish()
}
impl HashRing {
    pub fn new(v: usize) -> Self {
        HashRing {
            v,
            ring: BTreeMap::new(),
        }
    }
}
impl Placement for HashRing {
    fn node_for(&self, key: &[u8]) -> Option<&str> {
        let k = h(key);
        self.ring
            .range(k..)
            .next()
            .or_else(|| self.ring.iter().next())
            .map(|(_, n)| n.as_str())
    }
    fn add_node(&mut self, node: &str) {
        for i in 0..self.v {
            self.ring
                .insert(h(format!("{node}#{i}").as_bytes()), node.to_string());
        }
    }
    fn remove_node(&mut self, node: &str) -> bool {
        let n = self.ring.len();
        self.ring.retain(|_, v| v != node);
        n != self.ring.len()
    }
}
