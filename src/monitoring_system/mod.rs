//! A monitoring system for thousands of services: where the bytes of a hundred million time
//! series go, and how Facebook's Gorilla made each point cost about a byte and a half.
//!
//! The monitoring chapter's metrics, roll-ups and alerts work per service; at the scale of a
//! company the problem becomes storage. A point is a timestamp and a float, 16 bytes raw, and
//! a scrape every 10 seconds of 100 million series is 10 million points a second. Two ideas
//! cut that down, and this module measures both on seeded series:
//!
//! - **compression** ([`Block`]): a scrape comes at a nearly fixed interval and a value is
//!   often close to the last, so Gorilla stores each timestamp as the change in the interval
//!   (delta of delta, usually a single `0` bit) and each value as its XOR with the previous
//!   one (a single `0` bit when it repeats) [Pelkonen et al., VLDB 2015];
//! - **downsampling**: old data is read at coarse resolution, so it is kept only as the
//!   per-minute and per-hour aggregates of the specialized-storage chapter's
//!   [`TimeSeries`](crate::specialized_storage::TimeSeries) ([`entries_after_a_year`]).
//!
//! The design decision is to implement the paper's bit format exactly as published (with one
//! deviation: a delta of delta too large for 12 bits takes 64 bits, not 32, so any gap
//! round-trips) and to generate the series ([`series`]) rather than ship a data set, so every
//! figure is reproducible from a seed.
//!
//! ```
//! use sysdesign::monitoring_system::{Block, SeriesKind, series};
//!
//! let counter = series(SeriesKind::Counter, 720, 1_700_000_000, 10, 0, 1);
//! let block = Block::encode(&counter);
//! assert_eq!(block.decode()?, counter); // lossless
//! assert!(block.bytes_per_point() < 4.0); // against 16 raw
//! # Ok::<(), sysdesign::monitoring_system::DecodeError>(())
//! ```

mod gorilla;
mod workload;

pub use gorilla::{Block, DecodeError};
pub use workload::{SeriesKind, entries_after_a_year, series};
