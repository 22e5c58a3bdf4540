//! Bias and variance: why a model that fits its training data better can predict worse.
//!
//! Train the same kind of model on many training sets drawn from one source, and look at its
//! predictions at one input `x`.
//! Their average misses the truth by the **bias**; they scatter around their own average by the
//! **variance**; and the label itself carries **noise** that no model can predict.
//! For squared error, the expected test error is exactly bias² + variance + noise.
//!
//! The design decision: every model here is a [`Learner`] (a recipe that fits a [`Model`] to
//! points), so one experiment ([`decompose`]) and one model-selection procedure
//! ([`grid_search`] with [`k_fold`] cross-validation) serve polynomials of any degree and
//! k-nearest neighbours alike.
//! Data is one-dimensional, so the results can be drawn, and every random draw takes a seed.
//!
//! ```
//! use sysdesign::bias_variance::{decompose, Experiment, Polynomial};
//!
//! let experiment = Experiment::new(|x| (std::f64::consts::PI * x).sin(), 0.3, 30);
//! let line = decompose(&Polynomial::new(1), &experiment, 7).unwrap();
//! let cubic = decompose(&Polynomial::new(3), &experiment, 7).unwrap();
//! let nine = decompose(&Polynomial::new(9), &experiment, 7).unwrap();
//! // A straight line cannot bend like a sine: large bias. A cubic can.
//! assert!(line.bias_squared > 10.0 * cubic.bias_squared);
//! // Degree 9 can bend far more than the sine needs, and pays in variance.
//! assert!(nine.variance > 10.0 * cubic.variance);
//! ```

mod cross_validation;
mod experiment;
mod knn;
mod polynomial;

pub use cross_validation::{
    Fold, GridSearch, MAX_FOLD_POINTS, cross_validate, grid_search, k_fold,
};
pub use experiment::{Decomposition, Experiment, decompose, mean_squared_error, noisy_sample};
pub use knn::{Knn, KnnFit};
pub use polynomial::{Polynomial, PolynomialFeatures, PolynomialFit};

use std::fmt;

/// The truth behind the chapter's data, `sin(πx)`: smooth and odd, and no polynomial of any
/// degree, so every degree the chapters try has some bias.
///
/// ```
/// use sysdesign::bias_variance::sine;
///
/// assert!((sine(0.5) - 1.0).abs() < 1e-12);
/// assert!((sine(-0.5) + 1.0).abs() < 1e-12);
/// ```
pub fn sine(x: f64) -> f64 {
    (std::f64::consts::PI * x).sin()
}

// ANCHOR: traits
/// A fitted model: a function from an input to a prediction.
pub trait Model {
    /// The model's prediction at `x`.
    ///
    /// ```
    /// use sysdesign::bias_variance::{Model, PolynomialFit};
    ///
    /// let line = PolynomialFit::fit(&[0.0, 1.0], &[1.0, 3.0], 1).unwrap();
    /// assert!((line.predict(0.5) - 2.0).abs() < 1e-12);
    /// ```
    fn predict(&self, x: f64) -> f64;
}

/// A recipe with its hyperparameters fixed (a degree, a number of neighbours), which fits a
/// [`Model`] to training points.
pub trait Learner {
    /// The kind of model it fits.
    type Fitted: Model;

    /// Fits a model to the points `(xs[i], ys[i])`.
    ///
    /// ```
    /// use sysdesign::bias_variance::{Knn, Learner, Model};
    ///
    /// let model = Knn::new(2).fit(&[0.0, 1.0, 5.0], &[10.0, 20.0, 90.0]).unwrap();
    /// assert_eq!(model.predict(0.2), 15.0);
    /// ```
    fn fit(&self, xs: &[f64], ys: &[f64]) -> Result<Self::Fitted, LearnError>;

    /// A short name for tables, such as `degree 3` or `k = 5`.
    ///
    /// ```
    /// use sysdesign::bias_variance::{Learner, Polynomial};
    ///
    /// assert_eq!(Polynomial::new(3).name(), "degree 3");
    /// ```
    fn name(&self) -> String;
}
// ANCHOR_END: traits

/// Why a model could not be fitted or evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum LearnError {
    /// `xs` and `ys` have different lengths.
    LengthMismatch {
        /// How many inputs.
        xs: usize,
        /// How many labels.
        ys: usize,
    },
    /// Too few points to fit the model: a degree-d polynomial needs d + 1 distinct inputs,
    /// k-nearest neighbours needs k points.
    TooFewPoints {
        /// How many (distinct, for a polynomial) points there were.
        points: usize,
        /// How many the model needs.
        needed: usize,
    },
    /// An input or label is NaN or infinite.
    NotFinite {
        /// Its position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// k-nearest neighbours with k = 0.
    ZeroNeighbours,
    /// Cross-validation asked for fewer than two folds, or more folds than points.
    BadFolds {
        /// Folds asked for.
        folds: usize,
        /// Points available.
        points: usize,
    },
    /// Cross-validation over more points than [`MAX_FOLD_POINTS`].
    TooManyPoints {
        /// Points asked for.
        points: usize,
        /// The limit.
        limit: usize,
    },
    /// A grid search was given no candidates.
    EmptyGrid,
    /// An experiment's noise is negative or not finite, or its domain is empty.
    BadExperiment {
        /// What is wrong, with the value.
        reason: String,
    },
    /// The least-squares solver failed (it reports this only for a negative tolerance).
    Solver(&'static str),
}

impl fmt::Display for LearnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LearnError::LengthMismatch { xs, ys } => {
                write!(f, "{xs} inputs but {ys} labels; they must pair up")
            }
            LearnError::TooFewPoints { points, needed } => {
                write!(
                    f,
                    "the model needs {needed} points (distinct inputs for a polynomial), got {points}"
                )
            }
            LearnError::NotFinite { index, value } => {
                write!(f, "value {value} at position {index} is not finite")
            }
            LearnError::ZeroNeighbours => write!(f, "k-nearest neighbours needs k >= 1"),
            LearnError::BadFolds { folds, points } => {
                write!(
                    f,
                    "cannot split {points} points into {folds} folds (need 2 <= folds <= points)"
                )
            }
            LearnError::TooManyPoints { points, limit } => {
                write!(f, "points = {points} is over the limit of {limit}")
            }
            LearnError::EmptyGrid => write!(f, "a grid search needs at least one candidate"),
            LearnError::BadExperiment { reason } => write!(f, "bad experiment: {reason}"),
            LearnError::Solver(why) => write!(f, "least squares failed: {why}"),
        }
    }
}

impl std::error::Error for LearnError {}

/// Checks that `xs` and `ys` pair up and hold only finite numbers.
fn check_points(xs: &[f64], ys: &[f64]) -> Result<(), LearnError> {
    if xs.len() != ys.len() {
        return Err(LearnError::LengthMismatch {
            xs: xs.len(),
            ys: ys.len(),
        });
    }
    for (index, &value) in xs.iter().enumerate().chain(ys.iter().enumerate()) {
        if !value.is_finite() {
            return Err(LearnError::NotFinite { index, value });
        }
    }
    Ok(())
}
