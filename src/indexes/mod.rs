//! Indexes: a second structure, kept beside the data, that finds rows by a key without reading them all.
//!
//! Without an index, finding the rows whose key is `k` means reading every row: a **full scan**,
//! whose cost grows with the table. A **B-tree** keeps the keys sorted in a shallow tree, so a
//! lookup costs O(log n) comparisons and a range of keys comes out in order. A **hash index** puts
//! each key in a bucket chosen by its hash, so a lookup costs O(1) on average, but the order of the
//! keys is lost, and a range query falls back to a scan.
//!
//! # The design
//!
//! [`FullScan`], [`BTreeIndex`] (over `std`'s `BTreeMap`) and [`HashIndex`] (over `std`'s
//! `HashMap` with a fixed hasher) implement one trait, [`KeyIndex`], over the same rows. Their keys
//! are [`Counted`], which counts every comparison in a thread-local counter, so [`comparisons`]
//! gives a deterministic measure of the work a lookup did, where a timing would differ on every
//! machine. [`sqlite`] does the same experiment with a real database: a table, its query plan
//! and the rows SQLite stepped through, before and after `CREATE INDEX`.
//!
//! | module | idea |
//! | --- | --- |
//! | [`counting`] | keys that count their comparisons |
//! | [`lookup`] | full scan, B-tree and hash over the same rows, point and range queries |
//! | [`sqlite`] | a SQLite table, `EXPLAIN QUERY PLAN`, and the rows scanned before and after an index |
//!
//! ```
//! use sysdesign::indexes::{BTreeIndex, FullScan, HashIndex, KeyIndex, comparisons};
//!
//! let keys: Vec<u64> = (0..1_000).map(|i| i * 7).collect();
//! let scan = FullScan::new(&keys).unwrap();
//! let btree = BTreeIndex::new(&keys).unwrap();
//! let hash = HashIndex::new(&keys).unwrap();
//! let (row, scanned) = comparisons(|| scan.get(6_993));
//! assert_eq!((row, scanned), (Some(999), 1_000)); // the last row: every key compared
//! let (row, searched) = comparisons(|| btree.get(6_993));
//! assert_eq!(row, Some(999));
//! assert!(searched < 50);
//! let (row, hashed) = comparisons(|| hash.get(6_993));
//! assert_eq!((row, hashed), (Some(999), 1));
//! ```

pub mod counting;
pub mod lookup;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use counting::{Counted, comparisons};
pub use lookup::{BTreeIndex, DuplicateKey, FullScan, HashIndex, KeyIndex, distinct_keys};
