//! A counting Bloom filter: counters instead of bits, so items can be removed.

use super::{
    BloomError, MAX_COUNTERS, MAX_HASHES, bit_indexes, optimal_bits, optimal_hashes, zeroed,
};

// ANCHOR: counting
/// A Bloom filter whose cells are 8-bit counters: insert increments, remove decrements.
///
/// It costs 8 times the memory of [`super::BloomFilter`] (4-bit counters are the classic choice).
/// A counter that reaches 255 sticks there, never to be decremented, so it can never drop an
/// item it still holds; removing an item that was never inserted could, so [`remove`](Self::remove)
/// refuses anything the filter does not report as present.
///
/// ```
/// use sysdesign::bloom_filters::CountingBloomFilter;
///
/// let mut filter = CountingBloomFilter::with_rate(1_000, 0.01)?;
/// filter.insert(b"session-1");
/// assert!(filter.contains(b"session-1"));
/// assert!(filter.remove(b"session-1"));
/// assert!(!filter.contains(b"session-1"));
/// assert!(!filter.remove(b"never-added"));
/// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountingBloomFilter {
    counters: Vec<u8>,
    hashes: u32,
}

impl CountingBloomFilter {
    /// A filter sized for `items` items at false-positive rate `rate`, one counter per bit
    /// a plain filter would use; at most [`MAX_COUNTERS`](super::MAX_COUNTERS) counters and
    /// [`MAX_HASHES`](super::MAX_HASHES) hash functions.
    ///
    /// ```
    /// use sysdesign::bloom_filters::{BloomError, CountingBloomFilter, MAX_COUNTERS};
    ///
    /// let err = CountingBloomFilter::with_rate(usize::MAX, 0.01).unwrap_err();
    /// assert!(matches!(err, BloomError::TooManyBits { limit: MAX_COUNTERS, .. }));
    /// ```
    pub fn with_rate(items: usize, rate: f64) -> Result<Self, BloomError> {
        let cells = optimal_bits(items, rate)?;
        if cells > MAX_COUNTERS {
            let (bits, limit) = (cells, MAX_COUNTERS);
            return Err(BloomError::TooManyBits { bits, limit });
        }
        let hashes = optimal_hashes(cells, items);
        if hashes > MAX_HASHES {
            let limit = MAX_HASHES;
            return Err(BloomError::TooManyHashes { hashes, limit });
        }
        Ok(CountingBloomFilter {
            counters: zeroed(cells)?,
            hashes,
        })
    }

    fn cells(&self, item: &[u8]) -> impl Iterator<Item = usize> + use<> {
        bit_indexes(item, self.counters.len() as u64, self.hashes).map(|i| i as usize)
    }

    /// Adds `item`: increments each of its `k` counters (saturating at 255).
    pub fn insert(&mut self, item: &[u8]) {
        for cell in self.cells(item) {
            self.counters[cell] = self.counters[cell].saturating_add(1);
        }
    }

    /// False when `item` is certainly absent; true when it is probably present.
    pub fn contains(&self, item: &[u8]) -> bool {
        self.cells(item).all(|cell| self.counters[cell] > 0)
    }

    /// Removes one insertion of `item`; returns false (and changes nothing) when it is absent.
    pub fn remove(&mut self, item: &[u8]) -> bool {
        if !self.contains(item) {
            return false;
        }
        for cell in self.cells(item) {
            if self.counters[cell] < u8::MAX {
                self.counters[cell] -= 1;
            }
        }
        true
    }
}
// ANCHOR_END: counting
