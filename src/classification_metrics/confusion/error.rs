//! Why a confusion matrix could not be built, or a score could not be read from it.

use std::fmt;

/// Why a confusion matrix could not be built, or a score could not be read from it.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricsError {
    /// The true and predicted labels have different lengths.
    LengthMismatch {
        /// How many true labels were given.
        truth: usize,
        /// How many predicted labels were given.
        predicted: usize,
    },
    /// No labels at all: every score would be 0 / 0.
    Empty,
    /// `Average::Binary` names a positive class that is not one of the data's two classes.
    UnknownPositive(String),
    /// `Average::Binary` on more than two classes.
    NotBinary {
        /// How many distinct labels the data holds.
        classes: usize,
    },
    /// A negative or non-finite `beta` for the F-beta score.
    InvalidBeta(f64),
    /// [`ConfusionMatrix::with_labels`](super::ConfusionMatrix::with_labels) was given an empty label set: nothing to score.
    NoLabels,
}

impl fmt::Display for MetricsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricsError::LengthMismatch { truth, predicted } => write!(
                f,
                "{truth} true labels but {predicted} predicted labels: they must pair up one to one"
            ),
            MetricsError::Empty => write!(f, "no labels: every score would be 0 / 0"),
            MetricsError::UnknownPositive(label) => write!(
                f,
                "the positive class {label} is not one of the two classes in the labels"
            ),
            MetricsError::NotBinary { classes } => write!(
                f,
                "a binary average needs at most 2 classes, the data has {classes}; \
                 use Average::Macro, Micro or Weighted"
            ),
            MetricsError::InvalidBeta(beta) => {
                write!(f, "beta must be finite and not negative, got {beta}")
            }
            MetricsError::NoLabels => {
                write!(f, "labels is empty: name at least one class to score")
            }
        }
    }
}

impl std::error::Error for MetricsError {}
