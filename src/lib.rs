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
//! | [`show`] | rich output (tables, SVG charts, Mermaid diagrams) for the book, a notebook or a terminal | every chapter |
//! | [`chart`] | line charts drawn with plotters | every chapter with a measurement |
//!
//! Two rules hold everywhere: time is passed in (no function reads the clock inside an algorithm),
//! and randomness takes a seed, so every simulation in the book is reproducible to the byte.

#![warn(missing_docs)]

pub mod caching;
pub mod chart;
pub mod show;

/// Every chapter of the book, listed from `book/SUMMARY.md` by the build script, so that
/// `cargo test` compiles and runs each chapter's ```rust blocks as doctests.
#[cfg(doctest)]
pub mod chapters {
    include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
}
