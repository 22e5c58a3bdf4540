//! Least-squares polynomial fits, solved with nalgebra's SVD on inputs scaled to [-1, 1].

use super::{LearnError, Learner, Model, check_points};
use nalgebra::{DMatrix, DVector};

/// The learner "fit a polynomial of this degree by least squares".
///
/// ```
/// use sysdesign::bias_variance::{Learner, Model, Polynomial};
///
/// let xs = [0.0, 1.0, 2.0, 3.0];
/// let ys = [1.0, 2.0, 5.0, 10.0]; // 1 + x²
/// let fit = Polynomial::new(2).fit(&xs, &ys).unwrap();
/// assert!((fit.predict(4.0) - 17.0).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polynomial {
    degree: usize,
}

impl Polynomial {
    /// A learner for polynomials of degree `degree`.
    ///
    /// ```
    /// use sysdesign::bias_variance::Polynomial;
    ///
    /// assert_eq!(Polynomial::new(4).degree(), 4);
    /// ```
    pub fn new(degree: usize) -> Self {
        Polynomial { degree }
    }

    /// The degree it fits.
    ///
    /// ```
    /// use sysdesign::bias_variance::Polynomial;
    ///
    /// assert_eq!(Polynomial::new(0).degree(), 0);
    /// ```
    pub fn degree(&self) -> usize {
        self.degree
    }
}

impl Learner for Polynomial {
    type Fitted = PolynomialFit;

    fn fit(&self, xs: &[f64], ys: &[f64]) -> Result<PolynomialFit, LearnError> {
        PolynomialFit::fit(xs, ys, self.degree)
    }

    fn name(&self) -> String {
        format!("degree {}", self.degree)
    }
}

/// A fitted polynomial.
/// It stores its coefficients in the scaled variable `t = (x - center) / half_width`, which maps
/// the training inputs onto [-1, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct PolynomialFit {
    coefficients: Vec<f64>,
    center: f64,
    half_width: f64,
}

impl PolynomialFit {
    // ANCHOR: fit
    /// Fits the polynomial of degree `degree` that minimises the squared error on the points.
    ///
    /// It needs `degree + 1` distinct inputs, so that the answer is unique.
    ///
    /// ```
    /// use sysdesign::bias_variance::{LearnError, Model, PolynomialFit};
    ///
    /// // Three points on a line: the best line passes through all of them.
    /// let fit = PolynomialFit::fit(&[10.0, 20.0, 30.0], &[1.0, 2.0, 3.0], 1).unwrap();
    /// assert!((fit.predict(25.0) - 2.5).abs() < 1e-12);
    /// // Two distinct inputs cannot pin down a parabola.
    /// assert_eq!(
    ///     PolynomialFit::fit(&[1.0, 1.0, 2.0], &[0.0, 0.0, 1.0], 2),
    ///     Err(LearnError::TooFewPoints { points: 2, needed: 3 })
    /// );
    /// ```
    pub fn fit(xs: &[f64], ys: &[f64], degree: usize) -> Result<Self, LearnError> {
        check_points(xs, ys)?;
        let distinct = {
            let mut sorted = xs.to_vec();
            sorted.sort_by(f64::total_cmp);
            sorted.dedup();
            sorted
        };
        // `degree >= len` rather than `len < degree + 1`: no overflow for degree = usize::MAX.
        if degree >= distinct.len() {
            return Err(LearnError::TooFewPoints {
                points: distinct.len(),
                needed: degree.saturating_add(1),
            });
        }
        // Powers of x grow apart fast: x = 10 gives 10^9 in the column of x^9, and the matrix
        // becomes numerically singular. On [-1, 1] every power stays between -1 and 1.
        let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
        let center = (lo + hi) / 2.0;
        let half_width = if hi > lo { (hi - lo) / 2.0 } else { 1.0 };
        // The Vandermonde matrix: row i is 1, t_i, t_i², ..., t_i^degree.
        let vandermonde = DMatrix::from_fn(xs.len(), degree + 1, |row, power| {
            ((xs[row] - center) / half_width).powi(power as i32)
        });
        let labels = DVector::from_column_slice(ys);
        // The SVD solves least squares without forming XᵀX, whose condition number is the
        // square of X's; singular values below the tolerance count as zero.
        let svd = vandermonde.svd(true, true);
        let tolerance = 1e-12 * svd.singular_values.max();
        let coefficients = svd.solve(&labels, tolerance).map_err(LearnError::Solver)?;
        Ok(PolynomialFit {
            coefficients: coefficients.iter().copied().collect(),
            center,
            half_width,
        })
    }
    // ANCHOR_END: fit

    /// The coefficients in the scaled variable `t`, constant term first.
    /// When the training inputs span exactly [-1, 1], `t = x`.
    ///
    /// ```
    /// use sysdesign::bias_variance::PolynomialFit;
    ///
    /// let xs = [-1.0, 0.0, 1.0];
    /// let ys = xs.map(|x| 2.0 - 3.0 * x * x);
    /// let fit = PolynomialFit::fit(&xs, &ys, 2).unwrap();
    /// let c = fit.coefficients();
    /// assert!((c[0] - 2.0).abs() < 1e-12 && c[1].abs() < 1e-12 && (c[2] + 3.0).abs() < 1e-12);
    /// ```
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// The degree of the fitted polynomial.
    ///
    /// ```
    /// use sysdesign::bias_variance::PolynomialFit;
    ///
    /// assert_eq!(PolynomialFit::fit(&[0.0, 1.0], &[0.0, 1.0], 1).unwrap().degree(), 1);
    /// ```
    pub fn degree(&self) -> usize {
        self.coefficients.len() - 1
    }
}

impl Model for PolynomialFit {
    fn predict(&self, x: f64) -> f64 {
        let t = (x - self.center) / self.half_width;
        // Horner's rule, highest power first.
        self.coefficients
            .iter()
            .rev()
            .fold(0.0, |acc, &c| acc * t + c)
    }
}
