//! Three ways to find rows by key over the same rows: full scan, B-tree, hash.
//!
//! Row `i` of the table has key `keys[i]`; every structure answers with row numbers.

use super::counting::Counted;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasherDefault;

/// Two rows share a key; these indexes are unique, like a primary key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The repeated key.
    pub key: u64,
    /// The second row that holds it.
    pub row: usize,
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {} appears again at row {}", self.key, self.row)
    }
}

impl std::error::Error for DuplicateKey {}

/// `n` distinct keys drawn at random below `n * 10`, in a seeded random order.
///
/// ```
/// let keys = sysdesign::indexes::distinct_keys(100, 1);
/// assert_eq!(keys.len(), 100);
/// assert_eq!(keys, sysdesign::indexes::distinct_keys(100, 1));
/// ```
pub fn distinct_keys(n: usize, seed: u64) -> Vec<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let bound = (n as u64).saturating_mul(10).max(1);
    let mut seen = HashSet::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    while keys.len() < n {
        let key = rng.random_range(0..bound);
        if seen.insert(key) {
            keys.push(key);
        }
    }
    keys
}

// ANCHOR: key_index
/// A unique index from a `u64` key to a row number.
pub trait KeyIndex {
    /// The structure's name, for tables.
    fn name(&self) -> &'static str;
    /// The row holding `key`, if any.
    fn get(&self, key: u64) -> Option<usize>;
    /// The rows whose keys lie in `low..=high`, in key order.
    fn range(&self, low: u64, high: u64) -> Vec<usize>;
}
// ANCHOR_END: key_index

fn check_unique(keys: &[u64]) -> Result<(), DuplicateKey> {
    let mut seen = HashSet::with_capacity(keys.len());
    for (row, &key) in keys.iter().enumerate() {
        if !seen.insert(key) {
            return Err(DuplicateKey { key, row });
        }
    }
    Ok(())
}

/// No index at all: the rows in table order, searched one by one.
///
/// ```
/// use sysdesign::indexes::{FullScan, KeyIndex};
///
/// let scan = FullScan::new(&[30, 10, 20]).unwrap();
/// assert_eq!(scan.get(20), Some(2));
/// assert_eq!(scan.range(15, 30), [2, 0]);
/// assert!(FullScan::new(&[1, 1]).is_err());
/// ```
#[derive(Clone, Debug)]
pub struct FullScan {
    rows: Vec<Counted<u64>>,
}

impl FullScan {
    /// The table with row `i` holding `keys[i]`.
    pub fn new(keys: &[u64]) -> Result<Self, DuplicateKey> {
        check_unique(keys)?;
        Ok(FullScan {
            rows: keys.iter().copied().map(Counted).collect(),
        })
    }
}

// ANCHOR: full_scan
impl KeyIndex for FullScan {
    fn name(&self) -> &'static str {
        "full scan"
    }

    fn get(&self, key: u64) -> Option<usize> {
        // Compare with every row until the key turns up: n comparisons for a key that is absent.
        self.rows.iter().position(|row| *row == Counted(key))
    }

    fn range(&self, low: u64, high: u64) -> Vec<usize> {
        // Every row is read, and the matches still have to be sorted by key.
        let (low, high) = (Counted(low), Counted(high));
        let mut hits: Vec<usize> = (0..self.rows.len())
            .filter(|&row| self.rows[row] >= low && self.rows[row] <= high)
            .collect();
        hits.sort_by_key(|&row| self.rows[row].0);
        hits
    }
}
// ANCHOR_END: full_scan

/// A B-tree from key to row (`std::collections::BTreeMap`).
///
/// ```
/// use sysdesign::indexes::{BTreeIndex, KeyIndex};
///
/// let btree = BTreeIndex::new(&[30, 10, 20]).unwrap();
/// assert_eq!(btree.get(10), Some(1));
/// assert_eq!(btree.range(15, 30), [2, 0]);
/// ```
#[derive(Clone, Debug)]
pub struct BTreeIndex {
    map: BTreeMap<Counted<u64>, usize>,
}

impl BTreeIndex {
    /// An index of `keys`, row `i` holding `keys[i]`.
    pub fn new(keys: &[u64]) -> Result<Self, DuplicateKey> {
        check_unique(keys)?;
        Ok(BTreeIndex {
            map: keys
                .iter()
                .enumerate()
                .map(|(row, &key)| (Counted(key), row))
                .collect(),
        })
    }
}

// ANCHOR: btree
impl KeyIndex for BTreeIndex {
    fn name(&self) -> &'static str {
        "B-tree"
    }

    fn get(&self, key: u64) -> Option<usize> {
        // Down from the root, one node per level, searching each node's sorted keys.
        self.map.get(&Counted(key)).copied()
    }

    fn range(&self, low: u64, high: u64) -> Vec<usize> {
        if low > high {
            return Vec::new();
        }
        // One descent to the first key, then a walk along the leaves, already in order.
        self.map
            .range(Counted(low)..=Counted(high))
            .map(|(_, &row)| row)
            .collect()
    }
}
// ANCHOR_END: btree

/// The hasher of [`HashIndex`]: SipHash with fixed keys, so bucket layouts, and with them the
/// comparison counts, are the same on every run (`std`'s default hasher is randomly keyed).
pub type FixedHasher = BuildHasherDefault<DefaultHasher>;

/// A hash table from key to row (`std::collections::HashMap`).
///
/// ```
/// use sysdesign::indexes::{HashIndex, KeyIndex};
///
/// let hash = HashIndex::new(&[30, 10, 20]).unwrap();
/// assert_eq!(hash.get(30), Some(0));
/// assert_eq!(hash.range(15, 30), [2, 0]);
/// ```
#[derive(Clone, Debug)]
pub struct HashIndex {
    map: HashMap<Counted<u64>, usize, FixedHasher>,
}

impl HashIndex {
    /// An index of `keys`, row `i` holding `keys[i]`.
    pub fn new(keys: &[u64]) -> Result<Self, DuplicateKey> {
        check_unique(keys)?;
        Ok(HashIndex {
            map: keys
                .iter()
                .enumerate()
                .map(|(row, &key)| (Counted(key), row))
                .collect(),
        })
    }
}

// ANCHOR: hash
impl KeyIndex for HashIndex {
    fn name(&self) -> &'static str {
        "hash"
    }

    fn get(&self, key: u64) -> Option<usize> {
        // The hash picks the bucket; usually a single comparison confirms the key.
        self.map.get(&Counted(key)).copied()
    }

    fn range(&self, low: u64, high: u64) -> Vec<usize> {
        // Hashing scatters neighbouring keys, so the table is no help: read every entry, then sort.
        let (low, high) = (Counted(low), Counted(high));
        let mut hits: Vec<(u64, usize)> = self
            .map
            .iter()
            .filter(|(key, _)| **key >= low && **key <= high)
            .map(|(key, &row)| (key.0, row))
            .collect();
        hits.sort_unstable();
        hits.into_iter().map(|(_, row)| row).collect()
    }
}
// ANCHOR_END: hash
