//! The confusion matrix of byte labels in one pass, at close to the speed of reading them.

use super::{ConfusionMatrix, MetricsError, check_pairs};
use std::num::NonZeroUsize;

/// Labels per block: the fast path's 32-bit counters are added into 64-bit totals after each
/// block. A counter gets at most one increment per eight labels, so a block of 2^31 labels
/// leaves it far below `u32::MAX`, and inputs of any size are safe; below that size the
/// tables are folded once, at the end. The unit tests use small blocks, to cross their edges.
const BLOCK: usize = if cfg!(test) { 1000 } else { 1 << 31 };

impl ConfusionMatrix<u8> {
    // ANCHOR: from_bytes
    /// Counts each (truth, prediction) pair of byte labels, such as class ids 0 to 9, with no
    /// map and no sorting: the result equals [`ConfusionMatrix::new`] on the same labels, many
    /// times faster on long inputs.
    ///
    /// Labels below 8 take the fast path, `count_small`; any other byte sends the whole input
    /// to `count_any`, one counter for each of the 65,536 possible pairs.
    ///
    /// ```
    /// use sysdesign::classification_metrics::ConfusionMatrix;
    ///
    /// let (truth, predicted) = ([0, 0, 1, 2, 2], [0, 1, 1, 2, 0]);
    /// let fast = ConfusionMatrix::from_bytes(&truth, &predicted)?;
    /// assert_eq!(fast, ConfusionMatrix::new(&truth, &predicted)?);
    /// assert_eq!(fast.count(&2, &0), 1);
    /// let wide = ConfusionMatrix::from_bytes(&[200, 7], &[200, 9])?; // not all below 8
    /// assert_eq!(wide.labels(), [7, 9, 200]);
    /// # Ok::<(), sysdesign::classification_metrics::MetricsError>(())
    /// ```
    pub fn from_bytes(truth: &[u8], predicted: &[u8]) -> Result<Self, MetricsError> {
        check_pairs(truth.len(), predicted.len())?;
        Ok(match count_small(truth, predicted) {
            Some(counts) => Self::from_pair_counts(&counts, 8),
            None => Self::from_any_bytes(truth, predicted),
        })
    }
    // ANCHOR_END: from_bytes

    // ANCHOR: from_bytes_parallel
    /// [`from_bytes`](Self::from_bytes) on `threads` threads: each counts the pairs of its own
    /// slice of the labels, and the counts add up, so the matrix is the same. Worth it only on
    /// long inputs (a thread costs tens of microseconds to start); on a machine with one free
    /// core it is no faster.
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// use sysdesign::classification_metrics::ConfusionMatrix;
    ///
    /// let truth: Vec<u8> = (0..1000).map(|i| (i % 3) as u8).collect();
    /// let predicted: Vec<u8> = (0..1000).map(|i| (i % 4 % 3) as u8).collect();
    /// let two = NonZeroUsize::new(2).unwrap();
    /// assert_eq!(
    ///     ConfusionMatrix::from_bytes_parallel(&truth, &predicted, two)?,
    ///     ConfusionMatrix::from_bytes(&truth, &predicted)?,
    /// );
    /// # Ok::<(), sysdesign::classification_metrics::MetricsError>(())
    /// ```
    pub fn from_bytes_parallel(
        truth: &[u8],
        predicted: &[u8],
        threads: NonZeroUsize,
    ) -> Result<Self, MetricsError> {
        check_pairs(truth.len(), predicted.len())?;
        let share = truth.len().div_ceil(threads.get());
        let counted: Vec<Option<Vec<u64>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = truth
                .chunks(share)
                .zip(predicted.chunks(share))
                .map(|(t, p)| scope.spawn(move || count_small(t, p)))
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("counting does not panic"))
                .collect()
        });
        // Any slice with a label of 8 or more sends the whole input to the general count.
        let Some(parts) = counted.into_iter().collect::<Option<Vec<_>>>() else {
            return Ok(Self::from_any_bytes(truth, predicted));
        };
        let mut totals = vec![0u64; 64];
        for part in parts {
            for (total, count) in totals.iter_mut().zip(part) {
                *total += count;
            }
        }
        Ok(Self::from_pair_counts(&totals, 8))
    }
    // ANCHOR_END: from_bytes_parallel

    /// The slow path, for labels of any byte value: one counter for each of the 65,536 pairs.
    fn from_any_bytes(truth: &[u8], predicted: &[u8]) -> Self {
        Self::from_pair_counts(&count_any(truth, predicted), 256)
    }

    /// The matrix over the labels that occur, from the counts of every pair `(t, p)` of labels
    /// below `width`, at index `t·width + p`.
    fn from_pair_counts(counts: &[u64], width: usize) -> Self {
        let occurs = |label: usize| {
            (0..width)
                .any(|other| counts[label * width + other] > 0 || counts[other * width + label] > 0)
        };
        let labels: Vec<usize> = (0..width).filter(|&l| occurs(l)).collect();
        let matrix = labels
            .iter()
            .map(|&t| labels.iter().map(|&p| counts[t * width + p]).collect())
            .collect();
        ConfusionMatrix {
            scored: (0..labels.len()).collect(),
            labels: labels.iter().map(|&l| l as u8).collect(),
            counts: matrix,
        }
    }
}

// ANCHOR: count_small
/// Counts of the pairs `(t, p)` at index `t·8 + p`, or `None` when a label is 8 or more.
///
/// Both vectors are read eight labels at a time, as 64-bit words. A label below 8 fits in 3
/// bits, so `(truth << 3) | predicted` puts the pair's number `t·8 + p` (6 bits) in each of the
/// word's eight bytes at once, and two neighbouring bytes then fold into one 12-bit number
/// naming both pairs. Each of those is one increment in a table of 4,096 counters, small
/// enough for the fastest cache: four increments count eight pairs.
/// The four 16-bit positions of a word have a table each: when the same pairs come again at
/// once, as they do when the classifier is good, the second increment need not wait for the
/// first to be written. An OR of every word remembers whether any label was 8 or more, in which
/// case the counts are thrown away.
fn count_small(truth: &[u8], predicted: &[u8]) -> Option<Vec<u64>> {
    let mut totals = vec![0u64; 64];
    let mut seen = 0u64;
    let mut tables = vec![[0u32; 4096]; 4];
    for (truth, predicted) in truth.chunks(BLOCK).zip(predicted.chunks(BLOCK)) {
        let (t_words, p_words) = (truth.chunks_exact(8), predicted.chunks_exact(8));
        let (t_rest, p_rest) = (t_words.remainder(), p_words.remainder());
        for (t, p) in t_words.zip(p_words) {
            let t = u64::from_le_bytes(t.try_into().expect("chunks of 8 bytes"));
            let p = u64::from_le_bytes(p.try_into().expect("chunks of 8 bytes"));
            seen |= t | p;
            let pairs = (t << 3) | p; // each byte: t·8 + p
            let two_pairs =
                (pairs & 0x003F_003F_003F_003F) | ((pairs >> 2) & 0x0FC0_0FC0_0FC0_0FC0);
            for (i, table) in tables.iter_mut().enumerate() {
                table[((two_pairs >> (16 * i)) & 0xFFF) as usize] += 1;
            }
        }
        for (&t, &p) in t_rest.iter().zip(p_rest) {
            seen |= u64::from(t | p);
            totals[usize::from((t << 3) | p) & 63] += 1;
        }
        // Counter `first + 64·second` counted both pairs: row `second` of 64 counters adds
        // its sum to the second pair's total, and each counter to its first pair's.
        for table in &mut tables {
            for (second, row) in table.chunks_exact_mut(64).enumerate() {
                totals[second] += row.iter().map(|&c| u64::from(c)).sum::<u64>();
                for (total, count) in totals.iter_mut().zip(row.iter_mut()) {
                    *total += u64::from(std::mem::take(count));
                }
            }
        }
    }
    (seen & 0xF8F8_F8F8_F8F8_F8F8 == 0).then_some(totals)
}
// ANCHOR_END: count_small

/// Counts of every pair `(t, p)` of bytes at index `t·256 + p`: 65,536 counters, one pass.
fn count_any(truth: &[u8], predicted: &[u8]) -> Vec<u64> {
    let mut counts = vec![0u64; 256 * 256];
    for (&t, &p) in truth.iter().zip(predicted) {
        counts[usize::from(t) << 8 | usize::from(p)] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(21), ..ProptestConfig::default() })]

        /// Lengths just below, at and just above one to three blocks (1,000 labels under
        /// `cargo test`), where the counters are folded into the totals and zeroed, lose no
        /// pair and count none twice; 9 classes takes the slow path.
        #[test]
        fn counting_bytes_agrees_with_the_general_matrix_around_block_edges(
            classes in 1u8..=9,
            blocks in 1usize..=3,
            offset in -9isize..=9,
            seed in any::<u64>(),
        ) {
            let len = (blocks * BLOCK).saturating_add_signed(offset);
            let mut state = seed | 1;
            let mut label = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % u64::from(classes)) as u8
            };
            let truth: Vec<u8> = (0..len).map(|_| label()).collect();
            let predicted: Vec<u8> = (0..len).map(|_| label()).collect();
            let fast = ConfusionMatrix::from_bytes(&truth, &predicted).unwrap();
            prop_assert_eq!(fast.total(), len as u64);
            prop_assert_eq!(fast, ConfusionMatrix::new(&truth, &predicted).unwrap());
        }
    }
}
