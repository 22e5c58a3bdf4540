//! Batch gradient descent on a least-squares problem, with the step-size limits that the
//! problem's curvature sets.

use super::DescentError;
use crate::bias_variance::{LearnError, PolynomialFeatures, PolynomialFit};
use nalgebra::{DMatrix, SymmetricEigen};

/// A loss to minimise over a vector of parameters, with its gradient: what [`descend`] needs.
/// [`LeastSquares`] is one; the testing chapter's logistic regression is another.
///
/// ```
/// use sysdesign::gradient_descent::{Objective, descend};
///
/// /// (c − 3)², the simplest bowl.
/// struct Bowl;
/// impl Objective for Bowl {
///     fn dimension(&self) -> usize { 1 }
///     fn loss(&self, c: &[f64]) -> f64 { (c[0] - 3.0).powi(2) }
///     fn gradient(&self, c: &[f64]) -> Vec<f64> { vec![2.0 * (c[0] - 3.0)] }
/// }
/// let run = descend(&Bowl, 0.25, 60, &[0.0]).unwrap();
/// assert!((run.coefficients[0] - 3.0).abs() < 1e-12);
/// ```
pub trait Objective {
    /// How many parameters.
    fn dimension(&self) -> usize;
    /// The loss at `c`.
    fn loss(&self, c: &[f64]) -> f64;
    /// The gradient of the loss at `c`, one entry per parameter.
    fn gradient(&self, c: &[f64]) -> Vec<f64>;
}

/// A least-squares problem: find coefficients `c` that minimise the mean squared error
/// `(1/n) Σ (rowᵢ · c − yᵢ)²`.
///
/// ```
/// use sysdesign::gradient_descent::{LeastSquares, Objective};
///
/// // y = 2x at x = 1 and x = 2, one feature: the answer is c = 2, with zero loss.
/// let problem = LeastSquares::new(vec![vec![1.0], vec![2.0]], vec![2.0, 4.0]).unwrap();
/// assert_eq!(problem.loss(&[2.0]), 0.0);
/// assert_eq!(problem.loss(&[0.0]), 10.0); // (4 + 16) / 2
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LeastSquares {
    rows: Vec<Vec<f64>>,
    labels: Vec<f64>,
}

impl LeastSquares {
    /// A problem with one row of features per label.
    /// Every row must have the same, non-zero, length, and every number must be finite.
    ///
    /// ```
    /// use sysdesign::gradient_descent::{DescentError, LeastSquares};
    ///
    /// assert!(matches!(
    ///     LeastSquares::new(vec![vec![1.0], vec![1.0, 2.0]], vec![0.0, 0.0]),
    ///     Err(DescentError::RaggedRows { .. })
    /// ));
    /// ```
    pub fn new(rows: Vec<Vec<f64>>, labels: Vec<f64>) -> Result<Self, DescentError> {
        if rows.len() != labels.len() || rows.is_empty() {
            return Err(DescentError::Data(LearnError::LengthMismatch {
                xs: rows.len(),
                ys: labels.len(),
            }));
        }
        let width = rows[0].len();
        if let Some(index) = rows.iter().position(|r| r.len() != width || r.is_empty()) {
            return Err(DescentError::RaggedRows {
                index,
                len: rows[index].len(),
                expected: width,
            });
        }
        let numbers = rows.iter().flatten().chain(&labels);
        if let Some((index, &value)) = numbers.enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(DescentError::Data(LearnError::NotFinite { index, value }));
        }
        Ok(LeastSquares { rows, labels })
    }

    /// The problem of fitting a polynomial of degree `degree` to the points `(xs[i], ys[i])`:
    /// the rows are [`PolynomialFeatures`], the same scaled powers that
    /// [`PolynomialFit::fit`] solves in closed form.
    ///
    /// ```
    /// use sysdesign::gradient_descent::{LeastSquares, Objective};
    ///
    /// let (problem, _features) = LeastSquares::polynomial(&[0.0, 1.0, 2.0], &[1.0, 2.0, 3.0], 1).unwrap();
    /// assert_eq!(problem.dimension(), 2);
    /// ```
    pub fn polynomial(
        xs: &[f64],
        ys: &[f64],
        degree: usize,
    ) -> Result<(Self, PolynomialFeatures), DescentError> {
        let features = PolynomialFeatures::for_inputs(xs, degree).map_err(DescentError::Data)?;
        let rows = xs.iter().map(|&x| features.row(x)).collect();
        Ok((LeastSquares::new(rows, ys.to_vec())?, features))
    }

    /// The curvature of the loss: the smallest and largest eigenvalues of its Hessian
    /// `(2/n) XᵀX`, called `μ` and `L`. Gradient descent with a fixed rate `η` converges for
    /// every start exactly when `0 < η < 2 / L`, and its slowest direction shrinks by
    /// `1 − η μ` per step.
    ///
    /// ```
    /// use sysdesign::gradient_descent::LeastSquares;
    ///
    /// // Two independent coefficients, one feature 1 and one feature 3: Hessian diag(2, 18).
    /// let problem = LeastSquares::new(vec![vec![1.0, 0.0], vec![0.0, 3.0]], vec![0.0, 0.0]).unwrap();
    /// let curvature = problem.curvature();
    /// assert!((curvature.smallest - 1.0).abs() < 1e-12 && (curvature.largest - 9.0).abs() < 1e-12);
    /// ```
    pub fn curvature(&self) -> Curvature {
        let d = self.dimension();
        let n = self.rows.len() as f64;
        let hessian = DMatrix::from_fn(d, d, |i, j| {
            self.rows.iter().map(|r| 2.0 * r[i] * r[j]).sum::<f64>() / n
        });
        let eigenvalues = SymmetricEigen::new(hessian).eigenvalues;
        Curvature {
            smallest: eigenvalues.min(),
            largest: eigenvalues.max(),
        }
    }
}

impl Objective for LeastSquares {
    /// How many coefficients the problem has.
    ///
    /// ```
    /// use sysdesign::gradient_descent::{LeastSquares, Objective};
    ///
    /// assert_eq!(LeastSquares::new(vec![vec![1.0, 0.0]], vec![1.0]).unwrap().dimension(), 2);
    /// ```
    fn dimension(&self) -> usize {
        self.rows[0].len()
    }

    /// The mean squared error of the coefficients `c`.
    ///
    /// ```
    /// use sysdesign::gradient_descent::{LeastSquares, Objective};
    ///
    /// let problem = LeastSquares::new(vec![vec![1.0]], vec![3.0]).unwrap();
    /// assert_eq!(problem.loss(&[1.0]), 4.0);
    /// ```
    fn loss(&self, c: &[f64]) -> f64 {
        let sum: f64 = self
            .rows
            .iter()
            .zip(&self.labels)
            .map(|(row, y)| (dot(row, c) - y).powi(2))
            .sum();
        sum / self.rows.len() as f64
    }

    /// The gradient of the loss at `c`: `(2/n) Σ (rowᵢ · c − yᵢ) rowᵢ`.
    ///
    /// ```
    /// use sysdesign::gradient_descent::{LeastSquares, Objective};
    ///
    /// let problem = LeastSquares::new(vec![vec![1.0]], vec![3.0]).unwrap();
    /// // loss(c) = (c − 3)², whose slope at c = 1 is 2 (1 − 3) = −4.
    /// assert_eq!(problem.gradient(&[1.0]), [-4.0]);
    /// ```
    fn gradient(&self, c: &[f64]) -> Vec<f64> {
        let n = self.rows.len() as f64;
        let mut gradient = vec![0.0; self.dimension()];
        for (row, y) in self.rows.iter().zip(&self.labels) {
            let residual = dot(row, c) - y;
            for (g, feature) in gradient.iter_mut().zip(row) {
                *g += 2.0 * residual * feature / n;
            }
        }
        gradient
    }
}

/// The extreme eigenvalues of a quadratic loss's Hessian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curvature {
    /// `μ`, the flattest direction's curvature (0 when the problem has many answers).
    pub smallest: f64,
    /// `L`, the steepest direction's curvature: rates of `2 / L` and above diverge.
    pub largest: f64,
}

impl Curvature {
    /// `L / μ`, the condition number: how many times slower the flattest direction converges
    /// than the steepest at the rate `1 / L`.
    ///
    /// ```
    /// use sysdesign::gradient_descent::Curvature;
    ///
    /// assert_eq!(Curvature { smallest: 0.5, largest: 50.0 }.condition_number(), 100.0);
    /// ```
    pub fn condition_number(&self) -> f64 {
        self.largest / self.smallest
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// What a run of gradient descent did: the loss before the first step and after each step,
/// and the coefficients it stopped at.
#[derive(Debug, Clone, PartialEq)]
pub struct Descent {
    /// `losses[0]` at the start, `losses[i]` after step `i`. A run that overflowed stops early,
    /// its last loss infinite.
    pub losses: Vec<f64>,
    /// The coefficients after the last step.
    pub coefficients: Vec<f64>,
}

impl Descent {
    /// The coefficients as a polynomial model of `x`, for problems made by
    /// [`LeastSquares::polynomial`].
    ///
    /// ```
    /// use sysdesign::bias_variance::Model;
    /// use sysdesign::gradient_descent::{LeastSquares, descend};
    ///
    /// let xs = [-1.0, 0.0, 1.0];
    /// let (problem, features) = LeastSquares::polynomial(&xs, &[1.0, 1.0, 1.0], 1).unwrap();
    /// let run = descend(&problem, 0.5, 100, &[0.0, 0.0]).unwrap();
    /// assert!((run.model(&features).predict(0.3) - 1.0).abs() < 1e-9);
    /// ```
    pub fn model(&self, features: &PolynomialFeatures) -> PolynomialFit {
        features.model(self.coefficients.clone())
    }
}

// ANCHOR: descend
/// Runs `steps` steps of batch gradient descent, `c ← c − rate · ∇loss(c)`, from `start`.
///
/// It stops early, with an infinite last loss, once the loss overflows: that is what a rate
/// above `2 / L` leads to.
///
/// ```
/// use sysdesign::gradient_descent::{LeastSquares, descend};
///
/// let problem = LeastSquares::new(vec![vec![1.0]], vec![3.0]).unwrap(); // loss (c − 3)², L = 2
/// let good = descend(&problem, 0.25, 50, &[0.0]).unwrap();
/// assert!((good.coefficients[0] - 3.0).abs() < 1e-9);
/// let bad = descend(&problem, 1.5, 50, &[0.0]).unwrap(); // rate > 2 / L = 1
/// assert!(bad.losses[50] > 1e20 * bad.losses[0]);
/// ```
pub fn descend<P: Objective + ?Sized>(
    problem: &P,
    rate: f64,
    steps: usize,
    start: &[f64],
) -> Result<Descent, DescentError> {
    if !(rate.is_finite() && rate > 0.0) {
        return Err(DescentError::BadRate(rate));
    }
    if start.len() != problem.dimension() || start.iter().any(|v| !v.is_finite()) {
        return Err(DescentError::BadStart {
            len: start.len(),
            expected: problem.dimension(),
        });
    }
    let mut c = start.to_vec();
    let mut losses = Vec::with_capacity(steps + 1);
    losses.push(problem.loss(&c));
    for _ in 0..steps {
        let gradient = problem.gradient(&c);
        for (ci, gi) in c.iter_mut().zip(&gradient) {
            *ci -= rate * gi;
        }
        let loss = problem.loss(&c);
        losses.push(loss);
        if !loss.is_finite() {
            break;
        }
    }
    Ok(Descent {
        losses,
        coefficients: c,
    })
}
// ANCHOR_END: descend
