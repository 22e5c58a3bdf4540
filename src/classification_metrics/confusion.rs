//! The confusion matrix, and every count-based score read from it.

use std::collections::BTreeMap;
use std::fmt;

mod bytes;
mod error;
pub use error::MetricsError;

/// What a score is when its denominator is zero: precision when nothing was predicted
/// positive, recall when nothing is truly positive, F when both are.
///
/// scikit-learn offers the same three values through its `zero_division` argument; its
/// default, `"warn"`, returns 0 and prints a warning, which is [`ZeroDivision::Zero`] here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZeroDivision {
    /// The undefined score counts as 0: the pessimistic choice, and scikit-learn's default.
    Zero,
    /// The undefined score counts as 1: "made no mistake of this kind".
    One,
    /// The undefined score is NaN and is left out of averages (all NaN averages to NaN).
    Nan,
}

impl ZeroDivision {
    fn value(self) -> f64 {
        match self {
            ZeroDivision::Zero => 0.0,
            ZeroDivision::One => 1.0,
            ZeroDivision::Nan => f64::NAN,
        }
    }
}

/// How per-class scores become one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Average<L> {
    /// Only the score of this positive class (two classes at most).
    Binary(L),
    /// The unweighted mean over classes: every class counts the same, however rare.
    Macro,
    /// Pool the counts of every class first, then score once: every sample counts the same.
    Micro,
    /// The mean over classes weighted by each class's support (its number of true samples).
    Weighted,
}

/// Precision, recall and F-beta of one class, or of one average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Of the samples predicted in the class, the fraction truly in it.
    pub precision: f64,
    /// Of the samples truly in the class, the fraction predicted in it.
    pub recall: f64,
    /// The weighted harmonic mean of precision and recall.
    pub f: f64,
}

/// Counts of (true class, predicted class) pairs over the sorted union of both label lists.
///
/// ```
/// use sysdesign::classification_metrics::ConfusionMatrix;
///
/// let m = ConfusionMatrix::new(&["cat", "cat", "dog"], &["cat", "dog", "dog"]).unwrap();
/// assert_eq!(m.labels(), ["cat", "dog"]);
/// assert_eq!(m.count(&"cat", &"dog"), 1); // one cat called a dog
/// assert_eq!(m.accuracy(), 2.0 / 3.0);
/// ```
// ANCHOR: confusion_matrix
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix<L> {
    labels: Vec<L>,
    /// Row = true class, column = predicted class, both indexing `labels`.
    counts: Vec<Vec<u64>>,
    /// The classes that per-class scores and averages cover (indexes into `labels`).
    scored: Vec<usize>,
}

/// What every constructor checks first: the labels pair up one to one, and there is at least
/// one pair.
fn check_pairs(truth: usize, predicted: usize) -> Result<(), MetricsError> {
    if truth != predicted {
        return Err(MetricsError::LengthMismatch { truth, predicted });
    }
    if truth == 0 {
        return Err(MetricsError::Empty);
    }
    Ok(())
}

impl<L: Ord + Clone> ConfusionMatrix<L> {
    /// Counts each (truth, prediction) pair.
    pub fn new(truth: &[L], predicted: &[L]) -> Result<Self, MetricsError> {
        check_pairs(truth.len(), predicted.len())?;
        // One pass: number each label the first time it is seen (a small map, one lookup per
        // label), count in that numbering, then reorder rows and columns by sorted label.
        let mut ids: BTreeMap<&L, usize> = BTreeMap::new();
        let mut seen: Vec<Vec<u64>> = Vec::new();
        for (t, p) in truth.iter().zip(predicted) {
            let (t, p) = (
                number(&mut ids, &mut seen, t),
                number(&mut ids, &mut seen, p),
            );
            seen[t][p] += 1;
        }
        let sorted: Vec<(&L, usize)> = ids.into_iter().collect();
        let counts = sorted
            .iter()
            .map(|&(_, t)| sorted.iter().map(|&(_, p)| seen[t][p]).collect())
            .collect();
        let labels: Vec<L> = sorted.into_iter().map(|(label, _)| label.clone()).collect();
        let scored = (0..labels.len()).collect();
        Ok(ConfusionMatrix {
            labels,
            counts,
            scored,
        })
    }
    // ANCHOR_END: confusion_matrix

    /// Counts each (truth, prediction) pair, and scores exactly the classes in `labels`, as
    /// scikit-learn's `labels=` argument does.
    ///
    /// A class in `labels` that occurs in neither vector gets a row and a column of zeros: its
    /// precision, recall and F are all 0 / 0, so they take the [`ZeroDivision`] value, and a macro
    /// average counts it. A class of the data missing from `labels` is not scored, but its
    /// samples still count as other classes' false positives and false negatives.
    ///
    /// ```
    /// use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};
    ///
    /// let (truth, predicted) = (["a", "a", "b"], ["a", "b", "b"]);
    /// let seen = ConfusionMatrix::new(&truth, &predicted)?;
    /// let named = ConfusionMatrix::with_labels(&truth, &predicted, &["a", "b", "c"])?;
    /// let macro_f = |m: &ConfusionMatrix<&str>| m.scores(&Average::Macro, 1.0, ZeroDivision::Zero).map(|s| s.f);
    /// // "c" never occurs: with labels= it is scored 0, and the macro average drops by a third.
    /// assert_eq!(macro_f(&named)?, macro_f(&seen)? * 2.0 / 3.0);
    /// assert_eq!(named.scored_labels(), [&"a", &"b", &"c"]);
    /// # Ok::<(), sysdesign::classification_metrics::MetricsError>(())
    /// ```
    pub fn with_labels(truth: &[L], predicted: &[L], labels: &[L]) -> Result<Self, MetricsError> {
        if labels.is_empty() {
            return Err(MetricsError::NoLabels);
        }
        let mut matrix = Self::new(truth, predicted)?;
        for label in labels {
            if let Err(at) = matrix.labels.binary_search(label) {
                // A class absent from the data: a row and a column of zeros.
                matrix.labels.insert(at, label.clone());
                for row in &mut matrix.counts {
                    row.insert(at, 0);
                }
                let width = matrix.labels.len();
                matrix.counts.insert(at, vec![0; width]);
            }
        }
        let mut scored: Vec<usize> = labels
            .iter()
            .filter_map(|label| matrix.position(label))
            .collect();
        scored.sort_unstable();
        scored.dedup();
        matrix.scored = scored;
        Ok(matrix)
    }

    /// The classes that [`per_class`](Self::per_class) and the averages cover, sorted: every
    /// class for [`new`](Self::new), the `labels` given to [`with_labels`](Self::with_labels).
    pub fn scored_labels(&self) -> Vec<&L> {
        self.scored.iter().map(|&i| &self.labels[i]).collect()
    }

    /// The classes, sorted; row and column `i` belong to `labels()[i]`.
    pub fn labels(&self) -> &[L] {
        &self.labels
    }

    /// How many samples of class `truth` were predicted as `predicted` (0 for unknown labels).
    pub fn count(&self, truth: &L, predicted: &L) -> u64 {
        match (self.position(truth), self.position(predicted)) {
            (Some(t), Some(p)) => self.counts[t][p],
            _ => 0,
        }
    }

    /// The number of samples.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// The fraction of samples whose prediction is right.
    pub fn accuracy(&self) -> f64 {
        let right: u64 = (0..self.labels.len()).map(|i| self.counts[i][i]).sum();
        right as f64 / self.total() as f64
    }

    fn position(&self, label: &L) -> Option<usize> {
        self.labels.binary_search(label).ok()
    }

    // ANCHOR: per_class_counts
    /// True positives, false positives and false negatives of class `i`, one against the rest.
    fn one_vs_rest(&self, i: usize) -> Counts {
        let tp = self.counts[i][i];
        let predicted: u64 = self.counts.iter().map(|row| row[i]).sum();
        let actual: u64 = self.counts[i].iter().sum();
        Counts {
            tp,
            fp: predicted - tp,
            fn_: actual - tp,
        }
    }
    // ANCHOR_END: per_class_counts

    /// Precision, recall and F-beta of every scored class, in the order of
    /// [`scored_labels`](Self::scored_labels) (for [`new`](Self::new), of [`labels`](Self::labels)).
    ///
    /// ```
    /// use sysdesign::classification_metrics::{ConfusionMatrix, ZeroDivision};
    ///
    /// // Nothing is ever predicted "b": its precision is 0 / 0.
    /// let m = ConfusionMatrix::new(&["a", "b"], &["a", "a"]).unwrap();
    /// let per_class = m.per_class(1.0, ZeroDivision::One).unwrap();
    /// assert_eq!(per_class[1].precision, 1.0);
    /// assert_eq!(per_class[1].recall, 0.0);
    /// assert_eq!(per_class[1].f, 0.0); // F is defined: recall's denominator is not 0
    /// ```
    pub fn per_class(&self, beta: f64, zero: ZeroDivision) -> Result<Vec<Scores>, MetricsError> {
        check_beta(beta)?;
        Ok(self
            .scored
            .iter()
            .map(|&i| self.one_vs_rest(i).scores(beta, zero))
            .collect())
    }

    /// Precision, recall and F-beta averaged as `average` says (`beta = 1` gives F1).
    ///
    /// ```
    /// use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};
    ///
    /// let m = ConfusionMatrix::new(&[0, 0, 1, 2], &[0, 1, 1, 2]).unwrap();
    /// let micro = m.scores(&Average::Micro, 1.0, ZeroDivision::Zero).unwrap();
    /// // With one label per sample, micro precision = micro recall = accuracy.
    /// assert_eq!(micro.precision, m.accuracy());
    /// assert_eq!(micro.recall, m.accuracy());
    /// ```
    pub fn scores(
        &self,
        average: &Average<L>,
        beta: f64,
        zero: ZeroDivision,
    ) -> Result<Scores, MetricsError>
    where
        L: fmt::Debug,
    {
        check_beta(beta)?;
        let classes = self.labels.len();
        match average {
            Average::Binary(positive) => {
                if classes > 2 {
                    return Err(MetricsError::NotBinary { classes });
                }
                match self.position(positive) {
                    Some(i) => Ok(self.one_vs_rest(i).scores(beta, zero)),
                    // Data with one class only, and not the positive one: no sample is or is
                    // predicted positive, so tp = fp = fn = 0 and every score is 0 / 0.
                    None if classes < 2 => Ok(Counts::default().scores(beta, zero)),
                    None => Err(MetricsError::UnknownPositive(format!("{positive:?}"))),
                }
            }
            Average::Micro => {
                let pooled = self.scored.iter().map(|&i| self.one_vs_rest(i)).fold(
                    Counts::default(),
                    |sum, c| Counts {
                        tp: sum.tp + c.tp,
                        fp: sum.fp + c.fp,
                        fn_: sum.fn_ + c.fn_,
                    },
                );
                Ok(pooled.scores(beta, zero))
            }
            Average::Macro | Average::Weighted => {
                let per_class = self.per_class(beta, zero)?;
                let weights: Vec<f64> = (self.scored.iter())
                    .map(|&i| match average {
                        Average::Weighted => self.counts[i].iter().sum::<u64>() as f64,
                        _ => 1.0,
                    })
                    .collect();
                let mean = |pick: fn(&Scores) -> f64| {
                    nan_average(per_class.iter().map(pick).zip(weights.iter().copied()))
                };
                Ok(Scores {
                    precision: mean(|s| s.precision),
                    recall: mean(|s| s.recall),
                    f: mean(|s| s.f),
                })
            }
        }
    }
}

/// The number of `label` in first-seen order, adding a row and a column for a new label.
fn number<'a, L: Ord>(
    ids: &mut BTreeMap<&'a L, usize>,
    seen: &mut Vec<Vec<u64>>,
    label: &'a L,
) -> usize {
    if let Some(&id) = ids.get(label) {
        return id;
    }
    let id = ids.len();
    ids.insert(label, id);
    for row in seen.iter_mut() {
        row.push(0);
    }
    seen.push(vec![0; id + 1]);
    id
}

fn check_beta(beta: f64) -> Result<(), MetricsError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(())
    } else {
        Err(MetricsError::InvalidBeta(beta))
    }
}

/// The weighted mean of the values that are not NaN (NaN when none is); when every remaining
/// weight is zero, the plain mean. This is how scikit-learn averages with `zero_division=nan`.
fn nan_average(values: impl Iterator<Item = (f64, f64)>) -> f64 {
    let kept: Vec<(f64, f64)> = values.filter(|(v, _)| !v.is_nan()).collect();
    if kept.is_empty() {
        return f64::NAN;
    }
    let weight: f64 = kept.iter().map(|(_, w)| w).sum();
    if weight == 0.0 {
        return kept.iter().map(|(v, _)| v).sum::<f64>() / kept.len() as f64;
    }
    kept.iter().map(|(v, w)| v * w).sum::<f64>() / weight
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    // ANCHOR: scores_from_counts
    /// Precision, recall and F-beta from the counts, with `zero` standing in for 0 / 0.
    /// F is computed from the counts, not from precision and recall, so it is 0 (not
    /// undefined) when only one of them is 0 / 0; it is 0 / 0 only when tp, fp and fn are all 0.
    fn scores(self, beta: f64, zero: ZeroDivision) -> Scores {
        let divide = |num: u64, den: u64| {
            if den == 0 {
                zero.value()
            } else {
                num as f64 / den as f64
            }
        };
        let b2 = beta * beta;
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let f_den = b2 * (tp + fn_) + (tp + fp);
        Scores {
            precision: divide(self.tp, self.tp + self.fp),
            recall: divide(self.tp, self.tp + self.fn_),
            f: if f_den == 0.0 {
                zero.value()
            } else {
                (1.0 + b2) * tp / f_den
            },
        }
    }
    // ANCHOR_END: scores_from_counts
}
