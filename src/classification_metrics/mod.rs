//! Classification metrics: how good a classifier is, counted from its confusion matrix.
//!
//! A classifier's mistakes come in two kinds, and one number cannot show both: a spam filter
//! that lets spam through fails differently from one that hides real mail. The
//! [`ConfusionMatrix`] keeps every kind apart, and each score reads a different ratio from it:
//! precision (of what was flagged, how much was right), recall (of what should have been
//! flagged, how much was), their harmonic mean F1 and its weighted cousin F-beta.
//!
//! Design decisions:
//! - A score whose denominator is zero is not silently 0: the caller picks what it means with
//!   [`ZeroDivision`], the same three choices scikit-learn offers, and the results match
//!   scikit-learn's to 1e-12 on committed fixtures (`tests/fixtures/classification_metrics/`).
//! - Labels are any `Ord` type, sorted, so "spam"/"ham", integers and enums all work, and the
//!   class order is the one scikit-learn uses.
//! - Scores that are not labels go through [`threshold_sweep`], which sorts once and walks the
//!   thresholds, giving the precision-recall and ROC curves in O(n log n).
//!
//! ```
//! use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};
//!
//! // 10 emails, 1 spam; a filter that never says spam.
//! let truth = [vec!["spam"], vec!["ham"; 9]].concat();
//! let predicted = vec!["ham"; 10];
//! let m = ConfusionMatrix::new(&truth, &predicted).unwrap();
//! assert_eq!(m.accuracy(), 0.9);
//! let spam = m.scores(&Average::Binary("spam"), 1.0, ZeroDivision::Zero).unwrap();
//! assert_eq!(spam.recall, 0.0);
//! ```

mod confusion;
mod curves;
mod data;

pub use confusion::{Average, ConfusionMatrix, MetricsError, Scores, ZeroDivision};
pub use curves::{
    CurveError, ThresholdPoint, average_precision, best_f1, check_sweep, roc_auc, threshold_sweep,
};
pub use data::{ScoredSamples, scored_samples};
