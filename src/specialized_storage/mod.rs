//! Specialized storage: the data structures inside the stores a design reaches for when rows
//! and columns are the wrong shape.
//!
//! Each store is a small, exact, tested version of the idea that makes the real product work:
//!
//! | module | store | idea |
//! | --- | --- | --- |
//! | `blob` | blob store (S3, GCS) | content-defined chunks named by their SHA-256, so versions of a file share storage |
//! | `presign` | blob store access | a pre-signed URL: an HMAC over method, path and expiry, so the store can check a request without the caller's credentials |
//! | `timeseries` | time-series database | points rolled up into minute and hour aggregates (count, min, max, sum) as they arrive, each resolution with its own retention |
//! | `inverted` | search engine (Elasticsearch, Lucene) | posting lists per word, AND and OR by merging sorted lists |
//! | `quadtree` | spatial index | a region quadtree and best-first "k nearest" |
//! | `graph` | graph database | adjacency lists, breadth-first reach, friends of friends with mutual counts |
//! | `vector` | vector database | two-stage retrieval: 64-bit sign codes pick candidates, exact dot products re-rank |
//!
//! The design decision throughout: each structure answers one query shape well, and each
//! comes with the brute-force answer it must agree with (`scan`, `nearest_by_scan`,
//! [`VectorIndex::exact`]), which the tests compare against on random inputs.
//!
//! ```
//! use sysdesign::specialized_storage::{Chunking, dedup, edited_versions, Edit};
//!
//! // Ten versions of a 256 KiB file, each with 4 small insertions.
//! let versions = edited_versions(256 * 1024, 10, 4, Edit::Insert, 1);
//! let fixed = dedup(&versions, Chunking::fixed(4096).unwrap());
//! let cdc = dedup(&versions, Chunking::content_defined(1024, 4096, 16384).unwrap());
//! // An insertion shifts every later fixed-size chunk; content-defined cuts move with the bytes.
//! assert!(cdc.stored_bytes * 2 < fixed.stored_bytes);
//! ```

pub(crate) mod blob;
mod graph;
mod inverted;
mod presign;
mod quadtree;
mod timeseries;
mod vector;

pub use blob::{
    ChunkStore, Chunking, ChunkingError, DedupReport, Edit, Fingerprint, Manifest, MissingChunk,
    dedup, edited_versions, fingerprint,
};
pub use graph::{GraphError, SocialGraph, Suggestion, UserId, preferential_attachment};
pub use inverted::{DocId, Hits, InvertedIndex, Query, scan};
pub use presign::{PresignError, UrlSigner};
pub use quadtree::{Nearest, Neighbour, OutOfBounds, Point, QuadTree, Rect, nearest_by_scan};
pub use timeseries::{Aggregate, HOUR_MS, MINUTE_MS, Resolution, Retention, TimeSeries, roll_up};
pub use vector::{Scored, VectorIndex, clustered_vectors, recall_at_k};
