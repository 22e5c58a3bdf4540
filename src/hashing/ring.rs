//! A consistent-hash ring with virtual nodes.

use super::{Placement, stable_hash};
use std::fmt;

/// Why a ring could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HashingError {
    /// A ring needs at least one virtual node per node; this many were asked for.
    ZeroVirtualNodes(usize),
    /// More virtual nodes per node than [`MAX_VIRTUAL_NODES`] were asked for.
    TooManyVirtualNodes {
        /// How many were asked for.
        asked: usize,
        /// The limit.
        limit: usize,
    },
}

/// The most virtual nodes per node a [`HashRing`] accepts (65,536).
///
/// Each costs a point in memory and a hash when the node is added; real systems use tens to
/// hundreds (Cassandra's `num_tokens` defaults to 16 since version 4.0). The limit also keeps the
/// replica numbers within the `u32` that names them, where a cast would silently wrap.
pub const MAX_VIRTUAL_NODES: usize = 1 << 16;

impl fmt::Display for HashingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashingError::ZeroVirtualNodes(asked) => write!(
                f,
                "a hash ring needs at least 1 virtual node per node, not {asked}"
            ),
            HashingError::TooManyVirtualNodes { asked, limit } => write!(
                f,
                "virtual_nodes_per_node = {asked} is over the limit of {limit}"
            ),
        }
    }
}

impl std::error::Error for HashingError {}

/// One point on the ring: a node's `replica`-th virtual node, at `position`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirtualNode<'a> {
    /// Where the point sits on the ring, `0..=u64::MAX`.
    pub position: u64,
    /// The node it belongs to.
    pub node: &'a str,
    /// Which of the node's virtual nodes it is, `0..virtual_nodes_per_node`.
    pub replica: u32,
}

#[derive(Clone, Copy, Debug)]
struct Point {
    position: u64,
    node: usize,
    replica: u32,
}

// ANCHOR: ring
/// A consistent-hash ring: each node is hashed onto a circle of 2^64 positions at
/// `virtual_nodes_per_node` points, and a key belongs to the first point at or clockwise after
/// its own hash (wrapping past `u64::MAX` to 0).
///
/// When a node leaves, each of its arcs passes to the point that follows it clockwise, its
/// *successor*; when a node joins, it takes over only the arcs just before its new points.
/// Many virtual nodes per node cut each node's share into many small arcs, which evens the load.
///
/// ```
/// use sysdesign::hashing::{HashRing, Placement};
///
/// let mut ring = HashRing::new(100);
/// ring.add_node("a");
/// ring.add_node("b");
/// ring.add_node("c");
/// assert_eq!(ring.virtual_nodes().len(), 300);
/// let replicas = ring.nodes_for(b"key", 2);
/// assert_eq!(replicas.len(), 2);
/// assert_eq!(Some(replicas[0]), ring.node_for(b"key"));
/// ```
#[derive(Clone, Debug)]
pub struct HashRing {
    per_node: usize,
    nodes: Vec<String>,
    /// Sorted by position (then node name, so equal positions order the same way every time).
    ring: Vec<Point>,
}
// ANCHOR_END: ring

impl HashRing {
    /// An empty ring that will place each node at `virtual_nodes_per_node` points.
    ///
    /// # Panics
    /// If `virtual_nodes_per_node` is 0 or over [`MAX_VIRTUAL_NODES`]; use [`HashRing::try_new`]
    /// to get an error instead.
    ///
    /// ```
    /// use sysdesign::hashing::HashRing;
    ///
    /// assert_eq!(HashRing::new(8).virtual_nodes_per_node(), 8);
    /// ```
    pub fn new(virtual_nodes_per_node: usize) -> Self {
        match Self::try_new(virtual_nodes_per_node) {
            Ok(ring) => ring,
            Err(error) => panic!("{error}"),
        }
    }

    /// An empty ring, or an error when `virtual_nodes_per_node` is 0 or over
    /// [`MAX_VIRTUAL_NODES`].
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, HashingError, MAX_VIRTUAL_NODES};
    ///
    /// assert_eq!(HashRing::try_new(0).unwrap_err(), HashingError::ZeroVirtualNodes(0));
    /// assert_eq!(
    ///     HashRing::try_new(1 << 32).unwrap_err(),
    ///     HashingError::TooManyVirtualNodes { asked: 1 << 32, limit: MAX_VIRTUAL_NODES }
    /// );
    /// assert!(HashRing::try_new(1).is_ok());
    /// ```
    pub fn try_new(virtual_nodes_per_node: usize) -> Result<Self, HashingError> {
        if virtual_nodes_per_node == 0 {
            return Err(HashingError::ZeroVirtualNodes(virtual_nodes_per_node));
        }
        if virtual_nodes_per_node > MAX_VIRTUAL_NODES {
            let (asked, limit) = (virtual_nodes_per_node, MAX_VIRTUAL_NODES);
            return Err(HashingError::TooManyVirtualNodes { asked, limit });
        }
        Ok(HashRing {
            per_node: virtual_nodes_per_node,
            nodes: Vec::new(),
            ring: Vec::new(),
        })
    }

    /// How many points each node has on the ring.
    pub fn virtual_nodes_per_node(&self) -> usize {
        self.per_node
    }

    /// The nodes on the ring, in the order they were added.
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, Placement};
    ///
    /// let mut ring = HashRing::new(4);
    /// ring.add_node("a");
    /// ring.add_node("b");
    /// assert_eq!(ring.nodes(), ["a", "b"]);
    /// ```
    pub fn nodes(&self) -> Vec<&str> {
        self.nodes.iter().map(String::as_str).collect()
    }

    /// Where a node's `replica`-th virtual node sits: the hash of `"{node}#{replica}"`.
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, stable_hash};
    ///
    /// assert_eq!(HashRing::virtual_node_position("a", 3), stable_hash(b"a#3"));
    /// ```
    pub fn virtual_node_position(node: &str, replica: u32) -> u64 {
        stable_hash(format!("{node}#{replica}").as_bytes())
    }

    /// Every point on the ring, in clockwise order from position 0.
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, Placement};
    ///
    /// let mut ring = HashRing::new(3);
    /// ring.add_node("a");
    /// let points = ring.virtual_nodes();
    /// assert_eq!(points.len(), 3);
    /// assert!(points.windows(2).all(|w| w[0].position <= w[1].position));
    /// ```
    pub fn virtual_nodes(&self) -> Vec<VirtualNode<'_>> {
        self.ring.iter().map(|p| self.view(p)).collect()
    }

    /// The point that owns `key`: the first at or clockwise after `stable_hash(key)`.
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, Placement};
    ///
    /// let mut ring = HashRing::new(10);
    /// assert_eq!(ring.virtual_node_for(b"k"), None);
    /// ring.add_node("a");
    /// assert_eq!(ring.virtual_node_for(b"k").map(|v| v.node), Some("a"));
    /// ```
    pub fn virtual_node_for(&self, key: &[u8]) -> Option<VirtualNode<'_>> {
        self.start(key).map(|i| self.view(&self.ring[i]))
    }

    // ANCHOR: nodes_for
    /// Up to `count` distinct nodes clockwise from the key's position (a replica preference list).
    ///
    /// The first is [`Placement::node_for`]; the others are where copies go, and where the key
    /// moves if the nodes before them leave.
    ///
    /// ```
    /// use sysdesign::hashing::{HashRing, Placement};
    ///
    /// let mut ring = HashRing::new(50);
    /// for node in ["a", "b", "c"] {
    ///     ring.add_node(node);
    /// }
    /// let mut all = ring.nodes_for(b"key", 10);
    /// all.sort();
    /// assert_eq!(all, ["a", "b", "c"]);
    /// ```
    pub fn nodes_for(&self, key: &[u8], count: usize) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::with_capacity(count.min(self.nodes.len()));
        let Some(start) = self.start(key) else {
            return found;
        };
        let clockwise = self.ring[start..].iter().chain(&self.ring[..start]);
        for point in clockwise {
            if found.len() == count || found.len() == self.nodes.len() {
                break;
            }
            let node = self.nodes[point.node].as_str();
            if !found.contains(&node) {
                found.push(node);
            }
        }
        found
    }
    // ANCHOR_END: nodes_for

    // ANCHOR: lookup
    /// Index of the first point at or after the key's hash, wrapping to 0 past the last point.
    fn start(&self, key: &[u8]) -> Option<usize> {
        if self.ring.is_empty() {
            return None;
        }
        let hash = stable_hash(key);
        // Binary search: O(log(nodes × virtual nodes)) per lookup.
        let index = self.ring.partition_point(|p| p.position < hash);
        Some(if index == self.ring.len() { 0 } else { index })
    }
    // ANCHOR_END: lookup

    fn view(&self, point: &Point) -> VirtualNode<'_> {
        VirtualNode {
            position: point.position,
            node: &self.nodes[point.node],
            replica: point.replica,
        }
    }
}

impl Placement for HashRing {
    fn node_for(&self, key: &[u8]) -> Option<&str> {
        self.start(key)
            .map(|i| self.nodes[self.ring[i].node].as_str())
    }

    // ANCHOR: add_remove
    fn add_node(&mut self, node: &str) {
        if self.nodes.iter().any(|n| n == node) {
            return;
        }
        let index = self.nodes.len();
        self.nodes.push(node.to_owned());
        let per_node =
            u32::try_from(self.per_node).expect("try_new keeps it within MAX_VIRTUAL_NODES");
        for replica in 0..per_node {
            let position = Self::virtual_node_position(node, replica);
            self.ring.push(Point {
                position,
                node: index,
                replica,
            });
        }
        let nodes = &self.nodes;
        self.ring.sort_unstable_by(|a, b| {
            (a.position, &nodes[a.node], a.replica).cmp(&(b.position, &nodes[b.node], b.replica))
        });
    }

    fn remove_node(&mut self, node: &str) -> bool {
        let Some(index) = self.nodes.iter().position(|n| n == node) else {
            return false;
        };
        self.nodes.remove(index);
        // Dropping the node's points hands each of its arcs to the next point clockwise.
        self.ring.retain(|p| p.node != index);
        for point in &mut self.ring {
            if point.node > index {
                point.node -= 1;
            }
        }
        true
    }
    // ANCHOR_END: add_remove
}
