//! k-nearest-neighbours regression in one dimension.

use super::{LearnError, Learner, Model, check_points};

/// The learner "predict the mean label of the `k` nearest training points".
///
/// ```
/// use sysdesign::bias_variance::{Knn, Learner, Model};
///
/// let fit = Knn::new(1).fit(&[0.0, 10.0], &[1.0, 2.0]).unwrap();
/// assert_eq!(fit.predict(3.0), 1.0);
/// assert_eq!(fit.predict(7.0), 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knn {
    k: usize,
}

impl Knn {
    /// A learner that averages `k` neighbours.
    ///
    /// ```
    /// use sysdesign::bias_variance::Knn;
    ///
    /// assert_eq!(Knn::new(5).k(), 5);
    /// ```
    pub fn new(k: usize) -> Self {
        Knn { k }
    }

    /// How many neighbours it averages.
    ///
    /// ```
    /// use sysdesign::bias_variance::Knn;
    ///
    /// assert_eq!(Knn::new(1).k(), 1);
    /// ```
    pub fn k(&self) -> usize {
        self.k
    }
}

impl Learner for Knn {
    type Fitted = KnnFit;

    fn fit(&self, xs: &[f64], ys: &[f64]) -> Result<KnnFit, LearnError> {
        KnnFit::fit(xs, ys, self.k)
    }

    fn name(&self) -> String {
        format!("k = {}", self.k)
    }
}

/// A fitted k-nearest-neighbours model: the training points, sorted by input.
/// "Fitting" only stores the data; all the work happens at prediction time.
#[derive(Debug, Clone, PartialEq)]
pub struct KnnFit {
    points: Vec<(f64, f64)>,
    k: usize,
}

impl KnnFit {
    /// Stores the points for `k`-nearest-neighbour predictions.
    ///
    /// ```
    /// use sysdesign::bias_variance::{KnnFit, LearnError};
    ///
    /// assert_eq!(KnnFit::fit(&[1.0], &[1.0], 0), Err(LearnError::ZeroNeighbours));
    /// assert_eq!(
    ///     KnnFit::fit(&[1.0], &[1.0], 2),
    ///     Err(LearnError::TooFewPoints { points: 1, needed: 2 })
    /// );
    /// ```
    pub fn fit(xs: &[f64], ys: &[f64], k: usize) -> Result<Self, LearnError> {
        check_points(xs, ys)?;
        if k == 0 {
            return Err(LearnError::ZeroNeighbours);
        }
        if xs.len() < k {
            return Err(LearnError::TooFewPoints {
                points: xs.len(),
                needed: k,
            });
        }
        let mut points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(KnnFit { points, k })
    }
}

impl Model for KnnFit {
    // ANCHOR: knn_predict
    fn predict(&self, x: f64) -> f64 {
        // The k nearest points of a sorted line form one window around x: grow it from the
        // insertion point, one side at a time, taking the closer side (the left on a tie).
        let right_start = self.points.partition_point(|&(xi, _)| xi < x);
        let (mut left, mut right) = (right_start, right_start); // the window is [left, right)
        while right - left < self.k {
            let take_left = match (left.checked_sub(1), self.points.get(right)) {
                (Some(l), Some(&(xr, _))) => x - self.points[l].0 <= xr - x,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if take_left {
                left -= 1;
            } else {
                right += 1;
            }
        }
        let sum: f64 = self.points[left..right].iter().map(|&(_, y)| y).sum();
        sum / self.k as f64
    }
    // ANCHOR_END: knn_predict
}
