//! Hashing for placement: which server owns a key, and how many keys move when servers change.
//!
//! Three schemes answer "which node owns this key?" behind one small trait, [`Placement`]:
//!
//! | scheme | owner of a key | keys that move when one of n nodes joins |
//! | --- | --- | --- |
//! | [`ModuloPlacement`] | node number `hash(key) % n` | almost all, about `1 - 1/(n+1)` |
//! | [`HashRing`] | first virtual node clockwise from `hash(key)` on a ring | about `1/(n+1)`, the new node's share |
//! | [`Rendezvous`] | the node with the highest `hash(node, key)` | exactly the keys the new node wins, about `1/(n+1)` |
//!
//! The design decision is the hash: [`stable_hash`] is XXH3 (64-bit) from the `xxhash-rust`
//! crate, a fast, well-mixed, non-cryptographic hash whose output is fixed by its specification,
//! so the same key lands on the same node on every machine and in every run.
//! Placement needs speed and an even spread, not resistance to an attacker; a cryptographic hash
//! (SHA-256) would spread keys just as well but cost far more per lookup.
//!
//! ```
//! use sysdesign::hashing::{HashRing, Placement};
//!
//! let mut ring = HashRing::new(100);
//! for node in ["cache-a", "cache-b", "cache-c"] {
//!     ring.add_node(node);
//! }
//! let owner = ring.node_for(b"user:42").expect("the ring has nodes");
//! assert!(["cache-a", "cache-b", "cache-c"].contains(&owner));
//! // The same key always maps to the same node.
//! assert_eq!(ring.node_for(b"user:42"), Some(owner));
//! ```

mod measure;
mod modulo;
mod rendezvous;
mod ring;

pub use measure::{LoadSpread, load_spread, remapped_fraction, sample_keys};
pub use modulo::ModuloPlacement;
pub use rendezvous::Rendezvous;
pub use ring::{HashRing, HashingError, MAX_VIRTUAL_NODES, VirtualNode};

// ANCHOR: placement
/// A way to decide which node owns a key.
///
/// Nodes are named by strings (`"cache-a"`, `"10.0.0.7:6379"`); keys are bytes.
/// Adding a node that is already there, or removing one that is not, changes nothing.
///
/// ```
/// use sysdesign::hashing::{ModuloPlacement, Placement};
///
/// let mut nodes = ModuloPlacement::new();
/// assert_eq!(nodes.node_for(b"k"), None);
/// nodes.add_node("a");
/// assert_eq!(nodes.node_for(b"k"), Some("a"));
/// assert!(nodes.remove_node("a"));
/// assert!(!nodes.remove_node("a"));
/// ```
pub trait Placement {
    /// The node that owns `key`, or None when there are no nodes.
    fn node_for(&self, key: &[u8]) -> Option<&str>;
    /// Adds a node; adding one that is already there does nothing.
    fn add_node(&mut self, node: &str);
    /// Removes a node. Returns false when the node was not there.
    fn remove_node(&mut self, node: &str) -> bool;
}
// ANCHOR_END: placement

// ANCHOR: stable_hash
/// The 64-bit hash every placement scheme here uses: XXH3-64 with its default seed.
///
/// XXH3 is specified byte for byte, so the value is the same on every platform, compiler and
/// run (unlike std's `DefaultHasher`, whose algorithm may change between Rust releases).
///
/// ```
/// use sysdesign::hashing::stable_hash;
///
/// // XXH3-64 of the empty input, from the algorithm's reference test vectors.
/// assert_eq!(stable_hash(b""), 0x2d06_8005_38d3_94c2);
/// assert_ne!(stable_hash(b"a"), stable_hash(b"b"));
/// ```
pub fn stable_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
// ANCHOR_END: stable_hash
