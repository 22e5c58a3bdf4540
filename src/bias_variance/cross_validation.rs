//! k-fold cross-validation and grid search.

use super::{LearnError, Learner, Model, check_points};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// One round of cross-validation: the positions of the points to train on, and of the points
/// held out to score the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// Positions used for fitting.
    pub train: Vec<usize>,
    /// Positions used for scoring, disjoint from `train`.
    pub validate: Vec<usize>,
}

// ANCHOR: k_fold
/// The most points [`k_fold`] splits: 2^24. Every fold holds every index once, so the folds take
/// `folds × points` indexes; a larger request is refused instead of exhausting memory.
pub const MAX_FOLD_POINTS: usize = 1 << 24;

/// Shuffles the positions `0..points` with `seed` and cuts them into `folds` groups whose sizes
/// differ by at most one; fold `i` validates on group `i` and trains on the rest.
/// Every point is validated exactly once. Asking for more than [`MAX_FOLD_POINTS`] points is an
/// error, as are fewer than two folds or more folds than points.
///
/// ```
/// use sysdesign::bias_variance::k_fold;
///
/// let folds = k_fold(10, 3, 42).unwrap();
/// let sizes: Vec<usize> = folds.iter().map(|f| f.validate.len()).collect();
/// assert_eq!(sizes, [4, 3, 3]);
/// assert!(folds.iter().all(|f| f.train.len() + f.validate.len() == 10));
/// ```
pub fn k_fold(points: usize, folds: usize, seed: u64) -> Result<Vec<Fold>, LearnError> {
    if folds < 2 || folds > points {
        return Err(LearnError::BadFolds { folds, points });
    }
    if points > MAX_FOLD_POINTS {
        let limit = MAX_FOLD_POINTS;
        return Err(LearnError::TooManyPoints { points, limit });
    }
    let mut order: Vec<usize> = (0..points).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let (base, extra) = (points / folds, points % folds);
    let mut start = 0;
    let mut out = Vec::with_capacity(folds);
    for i in 0..folds {
        let end = start + base + usize::from(i < extra);
        let validate = order[start..end].to_vec();
        let train = order[..start]
            .iter()
            .chain(&order[end..])
            .copied()
            .collect();
        out.push(Fold { train, validate });
        start = end;
    }
    Ok(out)
}
// ANCHOR_END: k_fold

/// The cross-validated mean squared error of `learner`: each fold's model is fitted on its
/// training points and scored on its held-out points, and the squared errors of all held-out
/// points are averaged.
///
/// ```
/// use sysdesign::bias_variance::{Polynomial, cross_validate, k_fold};
///
/// let xs: Vec<f64> = (0..12).map(|i| i as f64).collect();
/// let ys: Vec<f64> = xs.iter().map(|x| 2.0 * x + 1.0).collect();
/// let folds = k_fold(xs.len(), 4, 0).unwrap();
/// assert!(cross_validate(&Polynomial::new(1), &xs, &ys, &folds).unwrap() < 1e-20);
/// ```
pub fn cross_validate<L: Learner>(
    learner: &L,
    xs: &[f64],
    ys: &[f64],
    folds: &[Fold],
) -> Result<f64, LearnError> {
    check_points(xs, ys)?;
    let (mut sum, mut count) = (0.0, 0usize);
    for fold in folds {
        let pick = |positions: &[usize], from: &[f64]| -> Result<Vec<f64>, LearnError> {
            positions
                .iter()
                .map(|&p| {
                    from.get(p).copied().ok_or(LearnError::TooFewPoints {
                        points: from.len(),
                        needed: p + 1,
                    })
                })
                .collect()
        };
        let model = learner.fit(&pick(&fold.train, xs)?, &pick(&fold.train, ys)?)?;
        for &p in &fold.validate {
            let (x, y) = (xs.get(p), ys.get(p));
            let (Some(&x), Some(&y)) = (x, y) else {
                return Err(LearnError::TooFewPoints {
                    points: xs.len(),
                    needed: p + 1,
                });
            };
            sum += (y - model.predict(x)).powi(2);
            count += 1;
        }
    }
    if count == 0 {
        return Err(LearnError::BadFolds {
            folds: folds.len(),
            points: xs.len(),
        });
    }
    Ok(sum / count as f64)
}

/// The result of a grid search: every candidate's cross-validated error, and the best one.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSearch {
    /// The cross-validated mean squared error of each candidate, in the order given.
    pub scores: Vec<f64>,
    /// The position of the candidate with the lowest score (the first, on a tie).
    pub best: usize,
}

// ANCHOR: grid_search
/// Scores every candidate with [`cross_validate`] on the same folds and picks the lowest.
///
/// ```
/// use sysdesign::bias_variance::{Polynomial, grid_search, k_fold};
///
/// let xs: Vec<f64> = (0..20).map(|i| i as f64 / 10.0).collect();
/// let ys: Vec<f64> = xs.iter().map(|x| x * x * x - x).collect();
/// let grid: Vec<Polynomial> = (0..=5).map(Polynomial::new).collect();
/// let search = grid_search(&grid, &xs, &ys, &k_fold(20, 5, 3).unwrap()).unwrap();
/// // Degrees below 3 cannot follow the cubic; degree 3 and above fit it exactly.
/// assert!(search.scores[..3].iter().all(|&s| s > 1e-4));
/// assert!(search.scores[3] < 1e-20);
/// assert!(grid[search.best].degree() >= 3);
/// ```
pub fn grid_search<L: Learner>(
    candidates: &[L],
    xs: &[f64],
    ys: &[f64],
    folds: &[Fold],
) -> Result<GridSearch, LearnError> {
    let scores = candidates
        .iter()
        .map(|learner| cross_validate(learner, xs, ys, folds))
        .collect::<Result<Vec<f64>, LearnError>>()?;
    let best = scores
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
        .ok_or(LearnError::EmptyGrid)?;
    Ok(GridSearch { scores, best })
}
// ANCHOR_END: grid_search
