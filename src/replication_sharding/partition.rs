//! Range and hash partitioning: which shard owns a key, how busy the busiest shard gets under a
//! skewed workload, and how many keys move when a shard is added.

use crate::caching::{ZipfError, zipf_trace};
use crate::hashing::{HashRing, ModuloPlacement, Placement};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use std::fmt;

/// The key of id `id`: `user:` and the id on eight digits, so byte order is numeric order.
///
/// ```
/// use sysdesign::replication_sharding::key_name;
///
/// assert_eq!(key_name(42), b"user:00000042".to_vec());
/// assert!(key_name(9) < key_name(10));
/// ```
pub fn key_name(id: u64) -> Vec<u8> {
    format!("user:{id:08}").into_bytes()
}

/// A partitioning that cannot be built; carries the offending values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartitionError {
    /// No shard, or more shards than keys to cut at.
    Shards {
        /// Shards asked for.
        shards: usize,
        /// Keys given.
        keys: usize,
    },
    /// The keys given to cut ranges at are not sorted.
    Unsorted,
}

impl fmt::Display for PartitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartitionError::Shards { shards, keys } => {
                write!(f, "cannot cut {keys} keys into {shards} non-empty ranges")
            }
            PartitionError::Unsorted => write!(f, "the keys to cut ranges at must be sorted"),
        }
    }
}

impl std::error::Error for PartitionError {}

// ANCHOR: range
/// Range partitioning: each shard owns a contiguous range of keys, `[lower bound, next bound)`.
///
/// A lookup is a binary search over the bounds. Ranges keep neighbouring keys together, so a scan
/// of `user:00001000..user:00002000` touches one or two shards; the price is that the ranges must
/// be cut where the data is, and a run of popular neighbours lands on one shard.
///
/// ```
/// use sysdesign::replication_sharding::{RangePartitioner, key_name};
///
/// let keys: Vec<Vec<u8>> = (0..100).map(key_name).collect();
/// let mut ranges = RangePartitioner::from_sorted_keys(&keys, 4).unwrap();
/// assert_eq!(ranges.shard_for(&key_name(0)), "s0");
/// assert_eq!(ranges.shard_for(&key_name(99)), "s3");
/// // Splitting the busiest range adds shard s4 and moves only keys of that range.
/// ranges.split_busiest(&keys);
/// assert_eq!(ranges.shard_names().len(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangePartitioner {
    /// (lower bound, shard number), sorted by bound; the first bound is the empty key.
    ranges: Vec<(Vec<u8>, usize)>,
    next_shard: usize,
}

impl RangePartitioner {
    /// Cuts `sorted_keys` into `shards` ranges holding equal numbers of keys (as a store that
    /// splits ranges by size ends up doing).
    pub fn from_sorted_keys(
        sorted_keys: &[Vec<u8>],
        shards: usize,
    ) -> Result<RangePartitioner, PartitionError> {
        if shards == 0 || shards > sorted_keys.len() {
            let keys = sorted_keys.len();
            return Err(PartitionError::Shards { shards, keys });
        }
        if sorted_keys.windows(2).any(|w| w[0] > w[1]) {
            return Err(PartitionError::Unsorted);
        }
        let ranges = (0..shards)
            .map(|i| {
                let bound = if i == 0 {
                    Vec::new()
                } else {
                    sorted_keys[i * sorted_keys.len() / shards].clone()
                };
                (bound, i)
            })
            .collect();
        Ok(RangePartitioner {
            ranges,
            next_shard: shards,
        })
    }

    /// The number of the shard that owns `key`.
    pub fn shard_number(&self, key: &[u8]) -> usize {
        // The last range whose lower bound is <= key; the first bound is empty, so one exists.
        let after = self
            .ranges
            .partition_point(|(bound, _)| bound.as_slice() <= key);
        self.ranges[after.saturating_sub(1)].1
    }

    /// The name of the shard that owns `key`, `s0`, `s1`, ...
    pub fn shard_for(&self, key: &[u8]) -> String {
        format!("s{}", self.shard_number(key))
    }

    /// Every shard's name, in key order.
    pub fn shard_names(&self) -> Vec<String> {
        self.ranges.iter().map(|(_, s)| format!("s{s}")).collect()
    }

    /// Adds one shard by splitting the range that holds the most of `keys` at its median key;
    /// the upper half moves to the new shard, every other key stays where it was.
    /// Does nothing when no range holds two keys.
    pub fn split_busiest(&mut self, keys: &[Vec<u8>]) {
        let mut members: BTreeMap<usize, Vec<&Vec<u8>>> = BTreeMap::new();
        for key in keys {
            members.entry(self.shard_number(key)).or_default().push(key);
        }
        let Some((&shard, held)) = members
            .iter_mut()
            .max_by_key(|(s, held)| (held.len(), !**s))
        else {
            return;
        };
        if held.len() < 2 {
            return;
        }
        held.sort();
        let at = held[held.len() / 2].clone();
        let index = self
            .ranges
            .iter()
            .position(|(_, s)| *s == shard)
            .expect("the shard came from this partitioner");
        self.ranges.insert(index + 1, (at, self.next_shard));
        self.next_shard += 1;
    }
}
// ANCHOR_END: range

/// The three ways of placing keys this chapter compares.
#[derive(Clone, Debug)]
pub enum Scheme {
    /// Contiguous key ranges, cut at equal key counts.
    Range(RangePartitioner),
    /// Shard `hash(key) % n`.
    HashModulo(ModuloPlacement),
    /// A consistent-hash ring with virtual nodes.
    HashRing(HashRing),
}

impl Scheme {
    /// `shards` shards named `s0..`, over the sorted `keys` (only the range scheme looks at them).
    pub fn range(sorted_keys: &[Vec<u8>], shards: usize) -> Result<Scheme, PartitionError> {
        RangePartitioner::from_sorted_keys(sorted_keys, shards).map(Scheme::Range)
    }

    /// `shards` shards named `s0..`, placed by `hash(key) % shards`.
    pub fn hash_modulo(shards: usize) -> Scheme {
        let mut placement = ModuloPlacement::new();
        for s in 0..shards {
            placement.add_node(&format!("s{s}"));
        }
        Scheme::HashModulo(placement)
    }

    /// `shards` shards named `s0..` on a ring, each at `virtual_nodes` points.
    pub fn hash_ring(shards: usize, virtual_nodes: usize) -> Scheme {
        let mut ring = HashRing::new(virtual_nodes);
        for s in 0..shards {
            ring.add_node(&format!("s{s}"));
        }
        Scheme::HashRing(ring)
    }

    /// The shard that owns `key` (`None` only for a hash scheme with no shard).
    pub fn shard_for(&self, key: &[u8]) -> Option<String> {
        match self {
            Scheme::Range(ranges) => Some(ranges.shard_for(key)),
            Scheme::HashModulo(p) => p.node_for(key).map(str::to_owned),
            Scheme::HashRing(r) => r.node_for(key).map(str::to_owned),
        }
    }

    /// Every shard's name.
    pub fn shard_names(&self) -> Vec<String> {
        match self {
            Scheme::Range(ranges) => ranges.shard_names(),
            Scheme::HashModulo(p) => p.nodes().into_iter().map(str::to_owned).collect(),
            Scheme::HashRing(r) => r.nodes().into_iter().map(str::to_owned).collect(),
        }
    }

    // ANCHOR: grow
    /// The same scheme with one more shard: a hash scheme adds shard `s{n}`; a range scheme
    /// splits its busiest range (by `keys`) in two, as Bigtable and HBase split a tablet or region
    /// that grew too large.
    pub fn grow(&self, keys: &[Vec<u8>]) -> Scheme {
        let mut next = self.clone();
        let name = format!("s{}", self.shard_names().len());
        match &mut next {
            Scheme::Range(ranges) => ranges.split_busiest(keys),
            Scheme::HashModulo(p) => p.add_node(&name),
            Scheme::HashRing(r) => r.add_node(&name),
        }
        next
    }
    // ANCHOR_END: grow
}

/// Which keys a skewed workload makes popular.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Popularity {
    /// Popularity has nothing to do with key order: the hot keys are scattered over the key space.
    Scattered,
    /// Popular keys are neighbours: the most popular is the last id, the next the one before it
    /// (the newest users, today's timestamps, names that start with a common letter).
    Clustered,
}

// ANCHOR: workload
/// `len` requests for ids in `0..keys`, with Zipf(`exponent`) popularity, seeded.
///
/// ```
/// use sysdesign::replication_sharding::{Popularity, skewed_requests};
///
/// let ids = skewed_requests(1_000, 1.0, 5_000, Popularity::Clustered, 3).unwrap();
/// let top = ids.iter().filter(|&&id| id == 999).count();
/// assert!(top > 500, "the newest id is the most requested: {top}");
/// ```
pub fn skewed_requests(
    keys: u64,
    exponent: f64,
    len: usize,
    popularity: Popularity,
    seed: u64,
) -> Result<Vec<u64>, ZipfError> {
    let ranks = zipf_trace(keys, exponent, len, seed)?;
    Ok(match popularity {
        Popularity::Clustered => ranks.into_iter().map(|r| keys - 1 - r).collect(),
        Popularity::Scattered => {
            let mut ids: Vec<u64> = (0..keys).collect();
            ids.shuffle(&mut StdRng::seed_from_u64(seed ^ 0x5ca7));
            ranks.into_iter().map(|r| ids[r as usize]).collect()
        }
    })
}
// ANCHOR_END: workload

// ANCHOR: hot_spot
/// Requests per shard, for every shard of `scheme` (shards no request reached count 0).
pub fn shard_load(scheme: &Scheme, requests: &[Vec<u8>]) -> BTreeMap<String, usize> {
    let mut load: BTreeMap<String, usize> =
        scheme.shard_names().into_iter().map(|s| (s, 0)).collect();
    for key in requests {
        if let Some(shard) = scheme.shard_for(key) {
            *load.entry(shard).or_insert(0) += 1;
        }
    }
    load
}

/// The busiest shard's load over the mean load: 1.0 is perfectly even, `n` is one shard of `n`
/// taking everything (0 for no load at all).
///
/// ```
/// use std::collections::BTreeMap;
/// use sysdesign::replication_sharding::hottest_over_mean;
///
/// let load = BTreeMap::from([("s0".to_string(), 30), ("s1".to_string(), 10)]);
/// assert_eq!(hottest_over_mean(&load), 1.5);
/// ```
pub fn hottest_over_mean(load: &BTreeMap<String, usize>) -> f64 {
    let total: usize = load.values().sum();
    if total == 0 {
        return 0.0;
    }
    let mean = total as f64 / load.len() as f64;
    *load.values().max().expect("a non-zero total has a shard") as f64 / mean
}
// ANCHOR_END: hot_spot

/// The fraction of `keys` whose shard differs between `before` and `after`.
///
/// ```
/// use sysdesign::replication_sharding::{Scheme, key_name, moved_fraction};
///
/// let keys: Vec<Vec<u8>> = (0..10_000).map(key_name).collect();
/// let before = Scheme::hash_modulo(4);
/// let moved = moved_fraction(&before, &before.grow(&keys), &keys);
/// assert!((moved - 0.8).abs() < 0.02, "4/5 of the keys move: {moved}");
/// ```
pub fn moved_fraction(before: &Scheme, after: &Scheme, keys: &[Vec<u8>]) -> f64 {
    if keys.is_empty() {
        return 0.0;
    }
    let moved = keys
        .iter()
        .filter(|key| before.shard_for(key) != after.shard_for(key))
        .count();
    moved as f64 / keys.len() as f64
}
