//! Replication and sharding: copies of the data on several machines, and the data cut into
//! pieces (shards) spread over machines.
//!
//! Sharding answers "which machine owns this key?". **Range partitioning** gives each shard a
//! contiguous range of keys, which keeps range scans on one shard and lets a popular run of
//! neighbouring keys pile onto one shard; **hash partitioning** places a key by its hash, which
//! scatters neighbours, evens out load from many keys, and cannot split the load of one hot key.
//! Adding a shard moves keys: nearly all of them with `hash % n`, about `1/(n+1)` with consistent
//! hashing, half of one range when a range splits.
//!
//! Replication answers "what does a reader see?". With **asynchronous replication** the leader
//! acknowledges a write before its followers have it, so a read at a follower within the
//! replication lag of a write misses it. **Change data capture** (CDC) uses the same mechanism,
//! a reader tailing the write-ahead log, to keep a different kind of store (a search index, a
//! cache) in step with the source.
//!
//! The design decision is to reuse what the earlier chapters built rather than model anything
//! twice: placement by hashing is [`crate::hashing`]'s, the replicated store and its staleness
//! check are [`crate::replicated`]'s, and the log that CDC tails is the write-ahead log of
//! [`crate::relational_acid::WalStore`], read with its own record decoder.
//!
//! ```
//! use sysdesign::replication_sharding::{Scheme, hottest_over_mean, key_name, shard_load};
//!
//! let keys: Vec<Vec<u8>> = (0..1_000).map(key_name).collect();
//! // Every request for one of the newest 100 keys: one range shard takes them all.
//! let requests: Vec<Vec<u8>> = (900..1_000).map(key_name).collect();
//! let range = Scheme::range(&keys, 4).unwrap();
//! assert_eq!(hottest_over_mean(&shard_load(&range, &requests)), 4.0);
//! let hash = Scheme::hash_modulo(4);
//! assert!(hottest_over_mean(&shard_load(&hash, &requests)) < 2.0);
//! ```

mod cdc;
mod lag;
mod partition;

pub use cdc::{Change, LogTail, SearchIndex};
pub use lag::{LagRun, ReadFrom, follower_reads};
pub use partition::{
    PartitionError, Popularity, RangePartitioner, Scheme, hottest_over_mean, key_name,
    moved_fraction, shard_load, skewed_requests,
};
