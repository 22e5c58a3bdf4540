//! # sysdesign
//!
//! The library behind *sysdesign*, an executable book about system design.
//! Each module is a small, real, tested implementation of one idea that a chapter explains;
//! the book's snippets call it, its tests check it, and its benchmarks compare it with a well-known crate.
//!
//! # Layout
//!
//! | module | idea | chapter |
//! | --- | --- | --- |
//! | [`caching`] | eviction policies (LRU, LFU, FIFO, MRU), TTL expiry, write policies, Zipf workloads | Caching |
//! | [`storage_basics`] | to write: the idea in a few words | Storage basics |
//! | [`hashing`] | to write: the idea in a few words | Hashing |
//! | [`distributed_caching`] | to write: the idea in a few words | Distributed caching |
//! | [`relational_acid`] | to write: the idea in a few words | Relational acid |
//! | [`indexes`] | to write: the idea in a few words | Indexes |
//! | [`key_value_stores`] | to write: the idea in a few words | Key value stores |
//! | [`bloom_filters`] | to write: the idea in a few words | Bloom filters |
//! | [`rate_limiting`] | token bucket, leaky bucket (meter and queue), fixed window, sliding-window log and counter behind one trait; a 429 middleware; a token bucket shared through Redis | Rate limiting |
//! | [`overload`] | to write: the idea in a few words | Overload |
//! | [`classification_metrics`] | to write: the idea in a few words | Classification metrics |
//! | [`bias_variance`] | to write: the idea in a few words | Bias variance |
//! | [`dynamic_programming`] | to write: the idea in a few words | Dynamic programming |
//! | [`redis_server`] | a private `redis-server` on a free loopback port, started for a test or a program and stopped on drop | Distributed caching, Rate limiting |
//! | [`show`] | rich output (tables, SVG charts, Mermaid diagrams) for the book, a notebook or a terminal | every chapter |
//! | [`chart`] | line charts drawn with plotters | every chapter with a measurement |
//!
//! Two rules hold everywhere: time is passed in (no function reads the clock inside an algorithm),
//! and randomness takes a seed, so every simulation in the book is reproducible to the byte.

#![warn(missing_docs)]

pub mod bias_variance;
pub mod bloom_filters;
pub mod caching;
pub mod chart;
pub mod classification_metrics;
pub mod distributed_caching;
pub mod dynamic_programming;
pub mod hashing;
pub mod indexes;
pub mod key_value_stores;
pub mod overload;
pub mod rate_limiting;
pub mod redis_server;
pub mod relational_acid;
pub mod show;
pub mod storage_basics;

/// Every chapter of the book, listed from `book/SUMMARY.md` by the build script, so that
/// `cargo test` compiles and runs each chapter's ```rust blocks as doctests.
#[cfg(doctest)]
pub mod chapters {
    include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
}
