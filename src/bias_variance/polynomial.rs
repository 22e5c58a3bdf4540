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

/// The features a polynomial is linear in: `1, t, t², …, t^degree`, where
/// `t = (x - center) / half_width` maps the training inputs onto [-1, 1].
///
/// Least squares ([`PolynomialFit::fit`]) and any other way of finding the coefficients (the
/// gradient-descent chapter's) share it, so their coefficients can be compared one by one.
///
/// ```
/// use sysdesign::bias_variance::{Model, PolynomialFeatures};
///
/// let features = PolynomialFeatures::for_inputs(&[0.0, 4.0, 2.0], 2).unwrap();
/// // The inputs span [0, 4], so t = (x - 2) / 2.
/// assert_eq!(features.row(4.0), [1.0, 1.0, 1.0]);
/// assert_eq!(features.row(0.0), [1.0, -1.0, 1.0]);
/// // Coefficients in t make a model in x: here 1 + t².
/// assert_eq!(features.model(vec![1.0, 0.0, 1.0]).predict(3.0), 1.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolynomialFeatures {
    degree: usize,
    center: f64,
    half_width: f64,
}

impl PolynomialFeatures {
    /// The features of degree `degree` for the training inputs `xs`, which need `degree + 1`
    /// distinct finite values so that least squares has one answer.
    ///
    /// ```
    /// use sysdesign::bias_variance::{LearnError, PolynomialFeatures};
    ///
    /// assert_eq!(
    ///     PolynomialFeatures::for_inputs(&[1.0, 1.0], 1),
    ///     Err(LearnError::TooFewPoints { points: 1, needed: 2 })
    /// );
    /// ```
    pub fn for_inputs(xs: &[f64], degree: usize) -> Result<Self, LearnError> {
        check_points(xs, xs)?;
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
        let half_width = if hi > lo { (hi - lo) / 2.0 } else { 1.0 };
        Ok(PolynomialFeatures {
            degree,
            center: (lo + hi) / 2.0,
            half_width,
        })
    }

    /// The degree: a row has `degree + 1` features.
    ///
    /// ```
    /// use sysdesign::bias_variance::PolynomialFeatures;
    ///
    /// assert_eq!(PolynomialFeatures::for_inputs(&[0.0, 1.0], 1).unwrap().degree(), 1);
    /// ```
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The scaled input `t = (x - center) / half_width`.
    ///
    /// ```
    /// use sysdesign::bias_variance::PolynomialFeatures;
    ///
    /// let features = PolynomialFeatures::for_inputs(&[10.0, 20.0], 1).unwrap();
    /// assert_eq!((features.scaled(10.0), features.scaled(15.0)), (-1.0, 0.0));
    /// ```
    pub fn scaled(&self, x: f64) -> f64 {
        (x - self.center) / self.half_width
    }

    /// The features of one input: `1, t, t², …, t^degree`.
    ///
    /// ```
    /// use sysdesign::bias_variance::PolynomialFeatures;
    ///
    /// let features = PolynomialFeatures::for_inputs(&[-1.0, 0.0, 1.0], 2).unwrap();
    /// assert_eq!(features.row(0.0), [1.0, 0.0, 0.0]);
    /// assert_eq!(features.row(-1.0), [1.0, -1.0, 1.0]);
    /// ```
    pub fn row(&self, x: f64) -> Vec<f64> {
        let t = self.scaled(x);
        std::iter::successors(Some(1.0), |p| Some(p * t))
            .take(self.degree + 1)
            .collect()
    }

    /// The polynomial with these coefficients (in `t`, constant term first) as a [`Model`] of `x`.
    /// Missing high-order coefficients count as zero; extra ones are kept.
    ///
    /// ```
    /// use sysdesign::bias_variance::{Model, PolynomialFeatures};
    ///
    /// let features = PolynomialFeatures::for_inputs(&[-1.0, 1.0], 1).unwrap();
    /// assert_eq!(features.model(vec![2.0, 3.0]).predict(0.5), 3.5);
    /// ```
    pub fn model(&self, coefficients: Vec<f64>) -> PolynomialFit {
        let coefficients = if coefficients.is_empty() {
            vec![0.0]
        } else {
            coefficients
        };
        PolynomialFit {
            coefficients,
            center: self.center,
            half_width: self.half_width,
        }
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
        let features = PolynomialFeatures::for_inputs(xs, degree)?;
        // The Vandermonde matrix: row i is 1, t_i, t_i², ..., t_i^degree.
        let vandermonde = DMatrix::from_fn(xs.len(), degree + 1, |row, power| {
            features.scaled(xs[row]).powi(power as i32)
        });
        let labels = DVector::from_column_slice(ys);
        // The SVD solves least squares without forming XᵀX, whose condition number is the
        // square of X's; singular values below the tolerance count as zero.
        let svd = vandermonde.svd(true, true);
        let tolerance = 1e-12 * svd.singular_values.max();
        let coefficients = svd.solve(&labels, tolerance).map_err(LearnError::Solver)?;
        Ok(features.model(coefficients.iter().copied().collect()))
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
