//! Gradient descent, and learning without labels: k-means.
//!
//! **Gradient descent** finds the parameters that minimise a loss by stepping, again and again,
//! a small distance downhill: against the gradient, scaled by a **learning rate**.
//! Too small a rate crawls; too large a rate overshoots the valley and, past a threshold set by
//! the loss's steepest curvature, climbs out of it for ever.
//! **k-means** groups unlabelled points into `k` clusters by alternating two steps that each
//! lower the same objective: assign each point to its nearest center, move each center to the
//! mean of its points.
//!
//! The design decision: gradient descent runs on the bias-variance chapter's own problem, a
//! least-squares polynomial on the same scaled features ([`PolynomialFeatures`]), so its answer
//! can be checked coefficient by coefficient against the closed-form solution
//! ([`PolynomialFit::fit`]), and the rate limit `2 / L` can be computed from the problem's
//! [`Curvature`] instead of being guessed.
//! k-means works on fixed-size points (`[f64; D]`), seeds with k-means++ and records its
//! objective after every iteration, so a test can check that it never rises.
//!
//! ```
//! use sysdesign::bias_variance::PolynomialFit;
//! use sysdesign::gradient_descent::{LeastSquares, descend, kmeans};
//!
//! let xs = [-1.0, -0.5, 0.0, 0.5, 1.0];
//! let ys = [1.0, 0.2, 0.1, 0.4, 1.2];
//! let (problem, _) = LeastSquares::polynomial(&xs, &ys, 2).unwrap();
//! let rate = 1.0 / problem.curvature().largest;
//! let run = descend(&problem, rate, 2_000, &[0.0; 3]).unwrap();
//! let exact = PolynomialFit::fit(&xs, &ys, 2).unwrap();
//! for (got, want) in run.coefficients.iter().zip(exact.coefficients()) {
//!     assert!((got - want).abs() < 1e-9);
//! }
//!
//! let points = [[0.0, 0.0], [0.5, 0.0], [9.0, 9.0], [9.5, 9.0]];
//! assert_eq!(kmeans(&points, 2, 3, 1).unwrap().objective(), 0.25);
//! ```
//!
//! [`PolynomialFeatures`]: crate::bias_variance::PolynomialFeatures
//! [`PolynomialFit::fit`]: crate::bias_variance::PolynomialFit::fit

mod descent;
mod kmeans;

pub use descent::{Curvature, Descent, LeastSquares, Objective, descend};
pub use kmeans::{Clustering, blobs, kmeans, lloyd, objective, plus_plus_seeds, random_seeds};

use crate::bias_variance::LearnError;
use std::fmt;

/// Why gradient descent or k-means could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum DescentError {
    /// The data: lengths that do not pair up, a value that is not finite, too few points.
    Data(LearnError),
    /// A row of features with another length than the first.
    RaggedRows {
        /// Its position.
        index: usize,
        /// Its length.
        len: usize,
        /// The first row's length.
        expected: usize,
    },
    /// A learning rate that is not a positive finite number.
    BadRate(f64),
    /// A starting point of the wrong length, or with a value that is not finite.
    BadStart {
        /// Its length.
        len: usize,
        /// The problem's number of coefficients.
        expected: usize,
    },
    /// k-means with `k = 0` or more clusters than points.
    BadK {
        /// Clusters asked for.
        k: usize,
        /// Points given.
        points: usize,
    },
    /// A point with a coordinate that is not finite.
    NotFinitePoint {
        /// Its position.
        index: usize,
    },
}

impl fmt::Display for DescentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DescentError::Data(e) => write!(f, "{e}"),
            DescentError::RaggedRows {
                index,
                len,
                expected,
            } => write!(
                f,
                "row {index} has {len} features but row 0 has {expected} (and none may be empty)"
            ),
            DescentError::BadRate(rate) => {
                write!(f, "learning rate {rate} is not a positive finite number")
            }
            DescentError::BadStart { len, expected } => write!(
                f,
                "the start has {len} coefficients (or a non-finite one); the problem has {expected}"
            ),
            DescentError::BadK { k, points } => {
                write!(
                    f,
                    "k = {k} clusters for {points} points: need 1 <= k <= points"
                )
            }
            DescentError::NotFinitePoint { index } => {
                write!(f, "point {index} has a coordinate that is not finite")
            }
        }
    }
}

impl std::error::Error for DescentError {}
