//! Scores instead of labels: sweep the decision threshold, and read the precision-recall and
//! ROC curves, the area under the ROC curve and average precision from the sweep.

use std::fmt;

/// Why a threshold sweep could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum CurveError {
    /// The scores and the true labels have different lengths.
    LengthMismatch {
        /// How many scores were given.
        scores: usize,
        /// How many true labels were given.
        truth: usize,
    },
    /// A score is NaN or infinite; its position is given.
    NonFiniteScore {
        /// Where the score is in the input.
        index: usize,
        /// The score itself.
        score: f64,
    },
    /// The curves need at least one positive and one negative sample.
    OneClassOnly {
        /// How many positives the labels hold.
        positives: usize,
        /// How many negatives the labels hold.
        negatives: usize,
    },
    /// Points given to [`roc_auc`] or [`average_precision`] that no threshold sweep makes.
    NotASweep {
        /// The first offending point (its index; 0 for an empty list).
        index: usize,
        /// What is wrong with it.
        why: &'static str,
    },
}

impl fmt::Display for CurveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CurveError::LengthMismatch { scores, truth } => {
                write!(f, "{scores} scores but {truth} true labels")
            }
            CurveError::NonFiniteScore { index, score } => {
                write!(f, "score {index} is {score}; every score must be finite")
            }
            CurveError::OneClassOnly {
                positives,
                negatives,
            } => write!(
                f,
                "{positives} positives and {negatives} negatives: the curves need at least one of each"
            ),
            CurveError::NotASweep { index, why } => {
                write!(f, "point {index} is not from a threshold sweep: {why}")
            }
        }
    }
}

impl std::error::Error for CurveError {}

/// The confusion counts when every sample scoring at least `threshold` is called positive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdPoint {
    /// Samples with a score at or above this are predicted positive.
    pub threshold: f64,
    /// Positives at or above the threshold.
    pub tp: u64,
    /// Negatives at or above the threshold.
    pub fp: u64,
    /// Positives below the threshold.
    pub fn_: u64,
    /// Negatives below the threshold.
    pub tn: u64,
}

impl ThresholdPoint {
    /// tp / (tp + fp); never 0 / 0 in a sweep, since each threshold admits one sample at least.
    pub fn precision(&self) -> f64 {
        // In f64: a point built by hand may hold counts whose u64 sum overflows.
        self.tp as f64 / (self.tp as f64 + self.fp as f64)
    }

    /// tp / (tp + fn), the true-positive rate.
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp as f64 + self.fn_ as f64)
    }

    /// fp / (fp + tn), the false-positive rate.
    pub fn false_positive_rate(&self) -> f64 {
        self.fp as f64 / (self.fp as f64 + self.tn as f64)
    }

    /// The harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let den = 2.0 * self.tp as f64 + self.fp as f64 + self.fn_ as f64;
        if den == 0.0 {
            0.0
        } else {
            2.0 * self.tp as f64 / den
        }
    }
}

/// One point per distinct score, from the highest threshold down: each step admits the samples
/// with that score, so tp and fp only grow. Sorting once makes the whole sweep O(n log n).
///
/// ```
/// use sysdesign::classification_metrics::threshold_sweep;
///
/// let points = threshold_sweep(&[0.9, 0.8, 0.8, 0.1], &[true, false, true, false]).unwrap();
/// assert_eq!(points.len(), 3); // the tie at 0.8 is one threshold
/// assert_eq!((points[1].tp, points[1].fp), (2, 1));
/// ```
// ANCHOR: sweep
pub fn threshold_sweep(scores: &[f64], truth: &[bool]) -> Result<Vec<ThresholdPoint>, CurveError> {
    if scores.len() != truth.len() {
        return Err(CurveError::LengthMismatch {
            scores: scores.len(),
            truth: truth.len(),
        });
    }
    if let Some((index, &score)) = scores.iter().enumerate().find(|(_, s)| !s.is_finite()) {
        return Err(CurveError::NonFiniteScore { index, score });
    }
    let positives = truth.iter().filter(|&&t| t).count();
    let negatives = truth.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(CurveError::OneClassOnly {
            positives,
            negatives,
        });
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut points = Vec::new();
    for (rank, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = order
            .get(rank + 1)
            .is_none_or(|&next| scores[next] != scores[i]);
        if last_of_tie {
            points.push(ThresholdPoint {
                threshold: scores[i],
                tp,
                fp,
                fn_: positives as u64 - tp,
                tn: negatives as u64 - fp,
            });
        }
    }
    Ok(points)
}
// ANCHOR_END: sweep

/// The area under the ROC curve (true-positive rate against false-positive rate), by the
/// trapezoid rule from (0, 0): the probability that a random positive outscores a random
/// negative, ties counting one half.
///
/// ```
/// use sysdesign::classification_metrics::{roc_auc, threshold_sweep};
///
/// let perfect = threshold_sweep(&[0.9, 0.8, 0.2], &[true, true, false]).unwrap();
/// assert_eq!(roc_auc(&perfect), Ok(1.0));
/// assert!(roc_auc(&[]).is_err()); // not a sweep: refused rather than answered with 0
/// ```
pub fn roc_auc(points: &[ThresholdPoint]) -> Result<f64, CurveError> {
    check_sweep(points)?;
    let mut area = 0.0;
    let (mut x0, mut y0) = (0.0, 0.0);
    for p in points {
        let (x1, y1) = (p.false_positive_rate(), p.recall());
        area += (x1 - x0) * (y0 + y1) / 2.0;
        (x0, y0) = (x1, y1);
    }
    Ok(area)
}

/// Average precision: the precision at each threshold weighted by the recall it adds,
/// Σ (Rₙ − Rₙ₋₁) Pₙ. Unlike a trapezoid under the precision-recall curve, it never
/// interpolates between points, which would be optimistic.
///
/// ```
/// use sysdesign::classification_metrics::{average_precision, threshold_sweep};
///
/// // The only positive ranks second: precision 1/2 when its recall arrives.
/// let points = threshold_sweep(&[0.9, 0.8, 0.1], &[false, true, false]).unwrap();
/// assert_eq!(average_precision(&points), Ok(0.5));
/// ```
pub fn average_precision(points: &[ThresholdPoint]) -> Result<f64, CurveError> {
    check_sweep(points)?;
    let mut previous_recall = 0.0;
    let mut sum = 0.0;
    for p in points {
        let recall = p.recall();
        sum += (recall - previous_recall) * p.precision();
        previous_recall = recall;
    }
    Ok(sum)
}

/// Checks that `points` could come from [`threshold_sweep`]: at least one point, finite and
/// strictly falling thresholds, the same positives (tp + fn) and negatives (fp + tn) at every
/// point, at least one of each, at least one sample predicted positive at the first point, and
/// from each point to the next tp and fp never falling and at least one of them rising (each
/// threshold is a score, so it admits at least one more sample). Precision is then never 0/0.
///
/// ```
/// use sysdesign::classification_metrics::{check_sweep, threshold_sweep, CurveError};
///
/// let mut points = threshold_sweep(&[0.9, 0.1], &[true, false]).unwrap();
/// assert_eq!(check_sweep(&points), Ok(()));
/// points[1].tn += 1; // a sample appeared from nowhere
/// assert!(matches!(check_sweep(&points), Err(CurveError::NotASweep { index: 1, .. })));
/// ```
pub fn check_sweep(points: &[ThresholdPoint]) -> Result<(), CurveError> {
    let bad = |index, why| Err(CurveError::NotASweep { index, why });
    let Some(first) = points.first() else {
        return bad(0, "no points");
    };
    let positives = first.tp.checked_add(first.fn_);
    let negatives = first.fp.checked_add(first.tn);
    if positives.is_none_or(|p| p == 0) || negatives.is_none_or(|n| n == 0) {
        return bad(
            0,
            "needs at least one positive and one negative, without overflow",
        );
    }
    if first.tp == 0 && first.fp == 0 {
        return bad(0, "the highest threshold predicts no sample positive");
    }
    for (index, p) in points.iter().enumerate() {
        if !p.threshold.is_finite() {
            return bad(index, "a threshold that is not finite");
        }
        if p.tp.checked_add(p.fn_) != positives || p.fp.checked_add(p.tn) != negatives {
            return bad(index, "tp + fn or fp + tn differs from the first point's");
        }
        if let Some(before) = index.checked_sub(1).map(|i| points[i]) {
            if p.threshold >= before.threshold {
                return bad(index, "thresholds must fall strictly");
            }
            if p.tp < before.tp || p.fp < before.fp {
                return bad(index, "tp or fp fell as the threshold fell");
            }
            if (p.tp, p.fp) == (before.tp, before.fp) {
                return bad(
                    index,
                    "the threshold admits no sample the one before did not",
                );
            }
        }
    }
    Ok(())
}

/// The point of the sweep with the highest F1 (the highest threshold among ties).
pub fn best_f1(points: &[ThresholdPoint]) -> Option<ThresholdPoint> {
    points
        .iter()
        .copied()
        .fold(None, |best: Option<ThresholdPoint>, p| match best {
            Some(b) if b.f1() >= p.f1() => Some(b),
            _ => Some(p),
        })
}
