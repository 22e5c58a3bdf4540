//! The blocked Bloom filter: all `k` bits of an item in one 64-byte block, one cache line.

use super::{BloomError, MAX_BITS, MAX_HASHES, optimal_bits, optimal_hashes, zeroed};
use xxhash_rust::xxh3::xxh3_128;

/// Bits in a block: 512, one 64-byte cache line on the CPUs this book runs on.
pub const BLOCK_BITS: u64 = 512;

/// One block: eight 64-bit words aligned to 64 bytes, so a block never straddles two cache lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(align(64))]
struct Block([u64; 8]);

// ANCHOR: pattern
/// The block of `item` among `blocks`, and the item's `hashes` bits inside that block as a
/// 512-bit pattern (eight words).
///
/// One 128-bit XXH3: the low half picks the block by multiply-shift (`h1·blocks / 2^64`, a
/// range reduction without division); the high half seeds a 64-bit linear congruential
/// generator, and the top 9 bits of each of its next `k` states give a position in the block.
///
/// Why not double hashing, `(a + i·b) mod 512`, as the classic filter does? In a space of 512
/// there are only 256 odd steps `b`, so two items of one block fairly often share a step and
/// differ by a small multiple of it, and then share most of their bits: the measured
/// false-positive rate came out about an eighth above the formula. The generator's 64-bit
/// state makes such near-twins vanishingly rare.
fn block_and_pattern(item: &[u8], blocks: u64, hashes: u32) -> (usize, [u64; 8]) {
    let hash = xxh3_128(item);
    let block = ((u128::from(hash as u64) * u128::from(blocks)) >> 64) as usize;
    let mut state = (hash >> 64) as u64;
    let mut pattern = [0u64; 8];
    for _ in 0..hashes {
        // Knuth's MMIX constants; the top bits of an LCG are its well-mixed ones.
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let bit = state >> 55; // 0..512
        pattern[(bit / 64) as usize] |= 1 << (bit % 64);
    }
    (block, pattern)
}
// ANCHOR_END: pattern

// ANCHOR: blocked
/// A Bloom filter whose `k` bits for an item all lie in one 512-bit block, so an insert or a
/// lookup touches one cache line instead of up to `k`.
///
/// The price is a higher false-positive rate than a classic filter of the same size: items do
/// not spread evenly over blocks, and a block that received more than its share answers "probably
/// here" more often ([`blocked_false_positive_rate`] gives the expected rate).
///
/// ```
/// use sysdesign::bloom_filters::BlockedBloomFilter;
///
/// let mut filter = BlockedBloomFilter::with_rate(1_000, 0.01)?;
/// filter.insert(b"alice");
/// assert!(filter.contains(b"alice"));
/// assert_eq!(filter.bits() % 512, 0); // whole blocks
/// # Ok::<(), sysdesign::bloom_filters::BloomError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedBloomFilter {
    blocks: Vec<Block>,
    hashes: u32,
    inserted: usize,
}

impl BlockedBloomFilter {
    /// A filter of at least `bits` bits, rounded up to whole 512-bit blocks, with `hashes` bits
    /// per item (1 to [`MAX_HASHES`](super::MAX_HASHES)).
    ///
    /// ```
    /// use sysdesign::bloom_filters::{BloomError, BlockedBloomFilter};
    ///
    /// assert_eq!(BlockedBloomFilter::new(1_000, 7)?.bits(), 1_024);
    /// assert_eq!(BlockedBloomFilter::new(0, 7).unwrap_err(), BloomError::ZeroBits(0));
    /// # Ok::<(), BloomError>(())
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
        Ok(BlockedBloomFilter {
            blocks: zeroed(bits.div_ceil(BLOCK_BITS))?,
            hashes,
            inserted: 0,
        })
    }

    /// A filter with the bits and hashes a classic filter would get for `items` at `rate`
    /// (rounded up to whole blocks); its real rate is somewhat higher, see
    /// [`expected_false_positive_rate`](Self::expected_false_positive_rate).
    pub fn with_rate(items: usize, rate: f64) -> Result<Self, BloomError> {
        let bits = optimal_bits(items, rate)?;
        Self::new(bits, optimal_hashes(bits, items))
    }

    /// Adds `item`: ORs its pattern into its block.
    pub fn insert(&mut self, item: &[u8]) {
        let (block, pattern) = block_and_pattern(item, self.blocks.len() as u64, self.hashes);
        let words = &mut self.blocks[block].0;
        for (word, bits) in words.iter_mut().zip(pattern) {
            *word |= bits;
        }
        self.inserted += 1;
    }

    /// False when `item` was certainly never inserted; true when it probably was.
    ///
    /// All eight words are compared, with no early exit: the block is one cache line, already
    /// loaded, and a loop without branches runs faster than one that stops at the first zero.
    pub fn contains(&self, item: &[u8]) -> bool {
        let (block, pattern) = block_and_pattern(item, self.blocks.len() as u64, self.hashes);
        let words = &self.blocks[block].0;
        words
            .iter()
            .zip(pattern)
            .fold(0, |missing, (word, bits)| missing | (bits & !word))
            == 0
    }
    // ANCHOR_END: blocked

    /// The number of bits, `m`: a multiple of 512.
    pub fn bits(&self) -> u64 {
        self.blocks.len() as u64 * BLOCK_BITS
    }

    /// The number of bits set per item, `k`.
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

    /// The expected false-positive rate after the insertions so far
    /// ([`blocked_false_positive_rate`]).
    pub fn expected_false_positive_rate(&self) -> f64 {
        blocked_false_positive_rate(self.bits(), self.hashes, self.inserted)
    }
}

// ANCHOR: blocked_rate
/// The expected false-positive rate of a blocked filter of `bits` bits (whole 512-bit blocks)
/// with `hashes` bits per item after `items` insertions.
///
/// The number of items landing in one block is close to Poisson with mean `λ = n / blocks`; a
/// block holding `j` items answers a stranger "probably here" with the classic rate for 512 bits,
/// `(1 - (1 - 1/512)^(j·k))^k`. The expected rate sums those over `j`, weighted by the Poisson
/// probabilities: crowded blocks cost more than empty ones save, so it is above the classic rate.
///
/// ```
/// use sysdesign::bloom_filters::{blocked_false_positive_rate, false_positive_rate};
///
/// let (bits, k, n) = (96_256, 7, 10_000);
/// let blocked = blocked_false_positive_rate(bits, k, n);
/// let classic = false_positive_rate(bits, k, n);
/// assert!(blocked > classic && blocked < 2.0 * classic, "{blocked} vs {classic}");
/// ```
pub fn blocked_false_positive_rate(bits: u64, hashes: u32, items: usize) -> f64 {
    let blocks = bits.div_ceil(BLOCK_BITS).max(1) as f64;
    let mean = items as f64 / blocks;
    let k = f64::from(hashes);
    let empty_per_bit = 1.0 - 1.0 / BLOCK_BITS as f64;
    // Sum far enough into the tail that the rest weighs nothing: mean + 12 standard deviations.
    let last = (mean + 12.0 * mean.sqrt() + 12.0).ceil() as u64;
    let mut poisson = (-mean).exp(); // P(j = 0)
    let mut rate = 0.0;
    for j in 0..=last {
        if j > 0 {
            poisson *= mean / j as f64;
        }
        let fill = 1.0 - empty_per_bit.powf(j as f64 * k);
        rate += poisson * fill.powf(k);
    }
    rate
}
// ANCHOR_END: blocked_rate
