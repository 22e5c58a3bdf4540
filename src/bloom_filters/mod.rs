//! Bloom filters: a set that answers "definitely not here" or "probably here", in a few bits per item.
//!
//! A Bloom filter is an array of `m` bits and `k` hash functions.
//! Inserting an item sets the `k` bits its hashes pick; a query checks those `k` bits.
//! A bit once set is never cleared, so an inserted item always finds all its bits set:
//! **no false negatives**. An item never inserted may find its bits set by others: a false positive,
//! with probability about `(1 - e^(-kn/m))^k` after `n` insertions ([`false_positive_rate`]).
//!
//! The design decisions: the filter is sized from the number of items and the target
//! false-positive rate ([`BloomFilter::with_rate`], using [`optimal_bits`] and [`optimal_hashes`]);
//! its `k` indexes come from one 128-bit XXH3 hash split into two halves and combined as
//! `h1 + i·h2` (Kirsch and Mitzenmacher's double hashing), which keeps the formula's accuracy
//! at the cost of one hash per operation instead of `k`.
//! [`CountingBloomFilter`] swaps bits for small counters so items can be removed.
//! [`BlockedBloomFilter`] puts all `k` bits of an item in one 512-bit block, one cache line, so a
//! lookup costs one memory access instead of up to `k`, at a measured cost in false positives
//! ([`blocked_false_positive_rate`]).
//!
//! ```
//! use sysdesign::bloom_filters::BloomFilter;
//!
//! let mut seen = BloomFilter::with_rate(1_000, 0.01)?;
//! seen.insert(b"alice");
//! assert!(seen.contains(b"alice")); // always: no false negatives
//! assert!(!seen.contains(b"bob")); // almost always: a 1 % chance of a false positive
//! # Ok::<(), sysdesign::bloom_filters::BloomError>(())
//! ```

mod blocked;
mod counting;
mod filter;

pub use blocked::{BLOCK_BITS, BlockedBloomFilter, blocked_false_positive_rate};
pub use counting::CountingBloomFilter;
pub use filter::{BloomFilter, bit_indexes};

use std::fmt;

/// Why a filter could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum BloomError {
    /// The filter must expect at least one item; this many were given.
    ZeroItems(usize),
    /// The target false-positive rate must lie strictly between 0 and 1; this one does not.
    RateOutOfRange(f64),
    /// A filter needs at least one bit (or counter); this many were given.
    ZeroBits(u64),
    /// A filter needs at least one hash function; this many were given.
    ZeroHashes(u32),
    /// More bits (or counters) than the limit were asked for, directly or by `items` and `rate`.
    TooManyBits {
        /// Bits (or counters) asked for.
        bits: u64,
        /// The limit: [`MAX_BITS`] for a filter, [`MAX_COUNTERS`] for a counting filter.
        limit: u64,
    },
    /// More hash functions than [`MAX_HASHES`] were asked for.
    TooManyHashes {
        /// Hash functions asked for.
        hashes: u32,
        /// The limit.
        limit: u32,
    },
    /// The memory could not be allocated (the operating system refused it).
    OutOfMemory {
        /// Bytes asked for.
        bytes: u64,
    },
}

/// The most bits a [`BloomFilter`] may have: 2^33, a filter of 1 GiB, enough for about 900
/// million items at a 1 % false-positive rate. A larger request is refused, never attempted.
pub const MAX_BITS: u64 = 1 << 33;

/// The most counters a [`CountingBloomFilter`] may have: 2^30, one byte each (1 GiB).
pub const MAX_COUNTERS: u64 = 1 << 30;

/// The most hash functions a filter may use: 128. Each insert and lookup computes this many
/// indexes; the optimum for a 10^-9 false-positive rate is 30, for 10^-38 it is 126.
pub const MAX_HASHES: u32 = 128;

/// Allocates `len` zeroed cells of `T`, or reports the bytes that could not be had.
pub(crate) fn zeroed<T: Clone + Default>(len: u64) -> Result<Vec<T>, BloomError> {
    let bytes = len.saturating_mul(std::mem::size_of::<T>() as u64);
    let len = usize::try_from(len).map_err(|_| BloomError::OutOfMemory { bytes })?;
    let mut cells = Vec::new();
    cells
        .try_reserve_exact(len)
        .map_err(|_| BloomError::OutOfMemory { bytes })?;
    cells.resize(len, T::default());
    Ok(cells)
}

impl fmt::Display for BloomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BloomError::ZeroItems(n) => {
                write!(f, "a Bloom filter must expect at least 1 item, not {n}")
            }
            BloomError::RateOutOfRange(p) => {
                write!(f, "the false-positive rate must be in (0, 1), not {p}")
            }
            BloomError::ZeroBits(m) => write!(f, "a Bloom filter needs at least 1 bit, not {m}"),
            BloomError::ZeroHashes(k) => {
                write!(f, "a Bloom filter needs at least 1 hash function, not {k}")
            }
            BloomError::TooManyBits { bits, limit } => {
                write!(f, "bits = {bits} is over the limit of {limit}")
            }
            BloomError::TooManyHashes { hashes, limit } => {
                write!(f, "hashes = {hashes} is over the limit of {limit}")
            }
            BloomError::OutOfMemory { bytes } => {
                write!(f, "could not allocate {bytes} bytes for the filter")
            }
        }
    }
}

impl std::error::Error for BloomError {}

// ANCHOR: sizing
/// Bits needed for `items` at false-positive rate `rate`: `m = ceil(-n·ln p / (ln 2)²)`.
///
/// ```
/// use sysdesign::bloom_filters::optimal_bits;
///
/// // About 9.6 bits per item buy a 1 % false-positive rate.
/// assert_eq!(optimal_bits(10_000, 0.01)?, 95_851);
/// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
/// ```
pub fn optimal_bits(items: usize, rate: f64) -> Result<u64, BloomError> {
    if items == 0 {
        return Err(BloomError::ZeroItems(items));
    }
    if !(rate > 0.0 && rate < 1.0) {
        return Err(BloomError::RateOutOfRange(rate));
    }
    let ln2 = std::f64::consts::LN_2;
    Ok((-(items as f64) * rate.ln() / (ln2 * ln2)).ceil() as u64)
}

/// The number of hash functions that minimises the false-positive rate: `k = round(m/n · ln 2)`, at least 1.
///
/// ```
/// use sysdesign::bloom_filters::optimal_hashes;
///
/// assert_eq!(optimal_hashes(95_851, 10_000), 7);
/// assert_eq!(optimal_hashes(10, 1_000), 1);
/// ```
pub fn optimal_hashes(bits: u64, items: usize) -> u32 {
    let k = (bits as f64 / items.max(1) as f64 * std::f64::consts::LN_2).round();
    k.max(1.0) as u32 // saturating: a huge k is then refused by the constructors
}

/// The classic estimate of the false-positive rate after `items` insertions into `bits` bits
/// with `hashes` hash functions: `(1 - e^(-k·n/m))^k`.
///
/// ```
/// use sysdesign::bloom_filters::false_positive_rate;
///
/// let p = false_positive_rate(95_851, 7, 10_000);
/// assert!((p - 0.01).abs() < 0.0002, "{p}");
/// assert_eq!(false_positive_rate(1_000, 3, 0), 0.0);
/// ```
pub fn false_positive_rate(bits: u64, hashes: u32, items: usize) -> f64 {
    let fill = 1.0 - (-(hashes as f64) * items as f64 / bits as f64).exp();
    fill.powf(f64::from(hashes))
}
// ANCHOR_END: sizing
