//! The confusion matrix of byte labels in one pass, at close to the speed of reading them.

use super::{ConfusionMatrix, MetricsError};

/// One counter for every (true byte, predicted byte) pair: 256 × 256.
const PAIRS: usize = 256 * 256;

/// Independent tables the loop rotates through (see [`ConfusionMatrix::from_bytes`]).
const LANES: usize = 4;

impl ConfusionMatrix<u8> {
    // ANCHOR: from_bytes
    /// Counts each (truth, prediction) pair of byte labels, such as class ids 0 to 9, with no
    /// map and no sorting: the pair `(t, p)` is simply counter `t·256 + p`.
    ///
    /// The result equals [`ConfusionMatrix::new`] on the same labels, many times faster on long
    /// inputs. Four tables take turns, so that two equal pairs in a row (most pairs, when the
    /// classifier is good) add to different counters and need not wait for each other.
    ///
    /// ```
    /// use sysdesign::classification_metrics::ConfusionMatrix;
    ///
    /// let (truth, predicted) = ([0, 0, 1, 2, 2], [0, 1, 1, 2, 0]);
    /// let fast = ConfusionMatrix::from_bytes(&truth, &predicted)?;
    /// assert_eq!(fast, ConfusionMatrix::new(&truth, &predicted)?);
    /// assert_eq!(fast.count(&2, &0), 1);
    /// # Ok::<(), sysdesign::classification_metrics::MetricsError>(())
    /// ```
    pub fn from_bytes(truth: &[u8], predicted: &[u8]) -> Result<Self, MetricsError> {
        if truth.len() != predicted.len() {
            return Err(MetricsError::LengthMismatch {
                truth: truth.len(),
                predicted: predicted.len(),
            });
        }
        if truth.is_empty() {
            return Err(MetricsError::Empty);
        }
        // A boxed array, not a Vec, so the compiler knows every `t·256 + p` is in bounds.
        let mut tables: Box<[[u64; LANES]; PAIRS]> = vec![[0u64; LANES]; PAIRS]
            .into_boxed_slice()
            .try_into()
            .expect("the Vec has exactly PAIRS entries");
        let pair = |t: u8, p: u8| usize::from(t) << 8 | usize::from(p);
        let (t_chunks, p_chunks) = (truth.chunks_exact(LANES), predicted.chunks_exact(LANES));
        let (t_rest, p_rest) = (t_chunks.remainder(), p_chunks.remainder());
        for (t, p) in t_chunks.zip(p_chunks) {
            for lane in 0..LANES {
                tables[pair(t[lane], p[lane])][lane] += 1;
            }
        }
        for (&t, &p) in t_rest.iter().zip(p_rest) {
            tables[pair(t, p)][0] += 1;
        }
        let counts: Vec<u64> = tables.iter().map(|lanes| lanes.iter().sum()).collect();
        Ok(Self::from_pair_counts(&counts))
    }
    // ANCHOR_END: from_bytes

    /// The matrix over the labels that occur, from all 256 × 256 pair counts.
    fn from_pair_counts(counts: &[u64]) -> Self {
        let occurs = |label: usize| {
            (0..256).any(|other| counts[label << 8 | other] > 0 || counts[other << 8 | label] > 0)
        };
        let labels: Vec<usize> = (0..256).filter(|&l| occurs(l)).collect();
        let matrix = labels
            .iter()
            .map(|&t| labels.iter().map(|&p| counts[t << 8 | p]).collect())
            .collect();
        ConfusionMatrix {
            scored: (0..labels.len()).collect(),
            labels: labels.iter().map(|&l| l as u8).collect(),
            counts: matrix,
        }
    }
}
