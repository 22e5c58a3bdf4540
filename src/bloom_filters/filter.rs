//! The Bloom filter itself: a bit array and double hashing.

use super::{
    BloomError, MAX_BITS, MAX_HASHES, false_positive_rate, optimal_bits, optimal_hashes, zeroed,
};
use xxhash_rust::xxh3::xxh3_128;

// ANCHOR: indexes
/// The `hashes` bit indexes of `item` in a filter of `bits` bits, by double hashing:
/// one 128-bit XXH3 gives `h1` (low half) and `h2` (high half, made odd), and index `i`
/// is `(h1 + i·h2) mod bits`.
///
/// Kirsch and Mitzenmacher showed that these `k` indexes, computed from two hashes, give the
/// same asymptotic false-positive rate as `k` independent hash functions.
///
/// ```
/// use sysdesign::bloom_filters::bit_indexes;
///
/// let indexes: Vec<u64> = bit_indexes(b"alice", 1_000, 5).collect();
/// assert_eq!(indexes.len(), 5);
/// assert!(indexes.iter().all(|&i| i < 1_000));
/// ```
pub fn bit_indexes(item: &[u8], bits: u64, hashes: u32) -> impl Iterator<Item = u64> + use<> {
    let hash = xxh3_128(item);
    let h1 = hash as u64;
    // Odd, so that for a power-of-two `bits` the k indexes cannot collapse onto one cycle.
    let h2 = (hash >> 64) as u64 | 1;
    let bits = bits.max(1); // an empty filter has no bit to point at; treat it as one
    (0..hashes as u64).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % bits)
}
// ANCHOR_END: indexes

// ANCHOR: filter
/// A Bloom filter over byte strings: `bits` bits in 64-bit words, `hashes` indexes per item.
///
/// ```
/// use sysdesign::bloom_filters::BloomFilter;
///
/// let mut filter = BloomFilter::new(1_024, 3)?;
/// assert!(!filter.contains(b"x"));
/// filter.insert(b"x");
/// assert!(filter.contains(b"x"));
/// assert_eq!(filter.len(), 1);
/// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BloomFilter {
    words: Vec<u64>,
    bits: u64,
    hashes: u32,
    inserted: usize,
}

impl BloomFilter {
    /// A filter sized for `items` insertions at false-positive rate `rate`.
    ///
    /// ```
    /// use sysdesign::bloom_filters::{BloomError, BloomFilter};
    ///
    /// let filter = BloomFilter::with_rate(10_000, 0.01)?;
    /// assert_eq!((filter.bits(), filter.hashes()), (95_851, 7));
    /// assert_eq!(BloomFilter::with_rate(10, 1.5).unwrap_err(), BloomError::RateOutOfRange(1.5));
    /// # Ok::<(), BloomError>(())
    /// ```
    pub fn with_rate(items: usize, rate: f64) -> Result<Self, BloomError> {
        let bits = optimal_bits(items, rate)?;
        Self::new(bits, optimal_hashes(bits, items))
    }

    /// A filter of `bits` bits (1 to [`MAX_BITS`](super::MAX_BITS)) and `hashes` hash functions
    /// (1 to [`MAX_HASHES`](super::MAX_HASHES)).
    ///
    /// ```
    /// use sysdesign::bloom_filters::{BloomError, BloomFilter, MAX_BITS};
    ///
    /// assert_eq!(BloomFilter::new(0, 3).unwrap_err(), BloomError::ZeroBits(0));
    /// assert_eq!(BloomFilter::new(8, 0).unwrap_err(), BloomError::ZeroHashes(0));
    /// assert_eq!(
    ///     BloomFilter::new(u64::MAX, 3).unwrap_err(),
    ///     BloomError::TooManyBits { bits: u64::MAX, limit: MAX_BITS }
    /// );
    /// ```
    pub fn new(bits: u64, hashes: u32) -> Result<Self, BloomError> {
        if bits == 0 {
            return Err(BloomError::ZeroBits(bits));
        }
        if hashes == 0 {
            return Err(BloomError::ZeroHashes(hashes));
        }
        if bits > MAX_BITS {
            let limit = MAX_BITS;
            return Err(BloomError::TooManyBits { bits, limit });
        }
        if hashes > MAX_HASHES {
            let limit = MAX_HASHES;
            return Err(BloomError::TooManyHashes { hashes, limit });
        }
        Ok(BloomFilter {
            words: zeroed(bits.div_ceil(64))?,
            bits,
            hashes,
            inserted: 0,
        })
    }

    /// Adds `item`: sets each of its `k` bits.
    pub fn insert(&mut self, item: &[u8]) {
        for index in bit_indexes(item, self.bits, self.hashes) {
            self.words[(index / 64) as usize] |= 1 << (index % 64);
        }
        self.inserted += 1;
    }

    /// False when `item` was certainly never inserted; true when it probably was.
    pub fn contains(&self, item: &[u8]) -> bool {
        bit_indexes(item, self.bits, self.hashes)
            .all(|index| self.words[(index / 64) as usize] & (1 << (index % 64)) != 0)
    }
    // ANCHOR_END: filter

    /// The number of bits, `m`.
    pub fn bits(&self) -> u64 {
        self.bits
    }

    /// The number of hash functions, `k`.
    pub fn hashes(&self) -> u32 {
        self.hashes
    }

    /// How many insertions were made (counting repeats), `n`.
    pub fn len(&self) -> usize {
        self.inserted
    }

    /// True before the first insertion.
    pub fn is_empty(&self) -> bool {
        self.inserted == 0
    }

    /// The fraction of bits set, between 0 and 1.
    ///
    /// ```
    /// use sysdesign::bloom_filters::BloomFilter;
    ///
    /// let mut filter = BloomFilter::new(64, 1)?;
    /// assert_eq!(filter.fill_ratio(), 0.0);
    /// filter.insert(b"a");
    /// assert_eq!(filter.fill_ratio(), 1.0 / 64.0);
    /// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
    /// ```
    pub fn fill_ratio(&self) -> f64 {
        let set: u64 = self.words.iter().map(|w| u64::from(w.count_ones())).sum();
        set as f64 / self.bits as f64
    }

    /// The formula's false-positive rate for this filter after its insertions so far.
    ///
    /// ```
    /// use sysdesign::bloom_filters::BloomFilter;
    ///
    /// let filter = BloomFilter::with_rate(100, 0.05)?;
    /// assert_eq!(filter.expected_false_positive_rate(), 0.0);
    /// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
    /// ```
    pub fn expected_false_positive_rate(&self) -> f64 {
        false_positive_rate(self.bits, self.hashes, self.inserted)
    }
}
