//! k-means clustering: Lloyd's iterations from k-means++ seeds, on points of any dimension.

use super::DescentError;
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

/// The squared Euclidean distance between two points.
fn distance2<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum()
}

/// The position of the center nearest `point`, and its squared distance (the first on ties).
fn nearest<const D: usize>(point: &[f64; D], centers: &[[f64; D]]) -> (usize, f64) {
    centers
        .iter()
        .enumerate()
        .map(|(i, c)| (i, distance2(point, c)))
        .fold((0, f64::INFINITY), |best, this| {
            if this.1 < best.1 { this } else { best }
        })
}

/// The k-means objective: the sum over points of the squared distance to the nearest center
/// (also called the within-cluster sum of squares, or inertia).
///
/// ```
/// use sysdesign::gradient_descent::objective;
///
/// let points = [[0.0, 0.0], [2.0, 0.0], [10.0, 0.0]];
/// assert_eq!(objective(&points, &[[1.0, 0.0], [10.0, 0.0]]), 2.0);
/// ```
pub fn objective<const D: usize>(points: &[[f64; D]], centers: &[[f64; D]]) -> f64 {
    points.iter().map(|p| nearest(p, centers).1).sum()
}

fn check<const D: usize>(points: &[[f64; D]], k: usize) -> Result<(), DescentError> {
    if k == 0 || k > points.len() {
        return Err(DescentError::BadK {
            k,
            points: points.len(),
        });
    }
    if let Some(index) = points.iter().position(|p| p.iter().any(|v| !v.is_finite())) {
        return Err(DescentError::NotFinitePoint { index });
    }
    Ok(())
}

// ANCHOR: plus_plus
/// k-means++ seeding [Arthur and Vassilvitskii 2007]: the first center is a point chosen
/// uniformly, and each next one is a point chosen with probability proportional to its squared
/// distance to the nearest center chosen so far, so far-away groups are likely to get a center.
///
/// ```
/// use rand::SeedableRng;
/// use sysdesign::gradient_descent::plus_plus_seeds;
///
/// let points = [[0.0, 0.0], [0.0, 0.1], [100.0, 0.0], [100.0, 0.1]];
/// let mut rng = rand::rngs::StdRng::seed_from_u64(3);
/// let seeds = plus_plus_seeds(&points, 2, &mut rng).unwrap();
/// // One seed in each far-apart pair (any other choice has probability below 1e-5).
/// assert!((seeds[0][0] - seeds[1][0]).abs() == 100.0);
/// ```
pub fn plus_plus_seeds<const D: usize, R: Rng + ?Sized>(
    points: &[[f64; D]],
    k: usize,
    rng: &mut R,
) -> Result<Vec<[f64; D]>, DescentError> {
    check(points, k)?;
    let mut centers = vec![points[rng.random_range(0..points.len())]];
    let mut nearest2: Vec<f64> = points.iter().map(|p| distance2(p, &centers[0])).collect();
    while centers.len() < k {
        let total: f64 = nearest2.iter().sum();
        let next = if total > 0.0 {
            // Walk the cumulative sum to where a uniform draw in [0, total) falls.
            let mut target = rng.random_range(0.0..total);
            nearest2
                .iter()
                .position(|&d| {
                    target -= d;
                    target < 0.0
                })
                .unwrap_or(points.len() - 1)
        } else {
            // Every point already sits on a center (duplicates): any point will do.
            rng.random_range(0..points.len())
        };
        centers.push(points[next]);
        for (d, p) in nearest2.iter_mut().zip(points) {
            *d = d.min(distance2(p, &points[next]));
        }
    }
    Ok(centers)
}
// ANCHOR_END: plus_plus

/// Random seeding (Forgy's method): `k` distinct positions of `points`, chosen uniformly.
///
/// ```
/// use rand::SeedableRng;
/// use sysdesign::gradient_descent::random_seeds;
///
/// let points = [[1.0], [2.0], [3.0]];
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let mut seeds = random_seeds(&points, 3, &mut rng).unwrap();
/// seeds.sort_by(|a, b| a[0].total_cmp(&b[0]));
/// assert_eq!(seeds, points);
/// ```
pub fn random_seeds<const D: usize, R: Rng + ?Sized>(
    points: &[[f64; D]],
    k: usize,
    rng: &mut R,
) -> Result<Vec<[f64; D]>, DescentError> {
    check(points, k)?;
    Ok(rand::seq::index::sample(rng, points.len(), k)
        .iter()
        .map(|i| points[i])
        .collect())
}

/// The result of Lloyd's iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering<const D: usize> {
    /// The centers, one per cluster.
    pub centers: Vec<[f64; D]>,
    /// For each point, the position of its cluster's center.
    pub assignment: Vec<usize>,
    /// The objective after each iteration's update step, first iteration first.
    pub objectives: Vec<f64>,
    /// Whether the assignments stopped changing before the iteration limit.
    pub converged: bool,
}

impl<const D: usize> Clustering<D> {
    /// The final objective.
    ///
    /// ```
    /// use sysdesign::gradient_descent::lloyd;
    ///
    /// let c = lloyd(&[[0.0], [2.0]], vec![[0.0]], 10).unwrap();
    /// assert_eq!((c.centers[0], c.objective()), ([1.0], 2.0));
    /// ```
    pub fn objective(&self) -> f64 {
        self.objectives.last().copied().unwrap_or(f64::INFINITY)
    }
}

// ANCHOR: lloyd
/// Lloyd's algorithm from the given centers: assign every point to its nearest center, move
/// every center to the mean of its points, and repeat until no assignment changes (or
/// `max_iterations`). A center that loses all its points stays where it is.
///
/// Neither step can raise the objective: the assignment step picks each point's nearest center,
/// and the mean is the point with the least total squared distance to a cluster's members.
///
/// ```
/// use sysdesign::gradient_descent::lloyd;
///
/// let points = [[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]];
/// let good = lloyd(&points, vec![[0.0, 0.0], [10.0, 0.0]], 20).unwrap();
/// assert_eq!((good.centers.clone(), good.objective()), (vec![[0.0, 1.0], [10.0, 1.0]], 4.0));
/// // Seeds on the same side split the wrong way, and Lloyd's steps cannot undo it:
/// // a local optimum 25 times worse.
/// let bad = lloyd(&points, vec![[0.0, 0.0], [0.0, 2.0]], 20).unwrap();
/// assert!(bad.converged);
/// assert_eq!((bad.centers.clone(), bad.objective()), (vec![[5.0, 0.0], [5.0, 2.0]], 100.0));
/// ```
pub fn lloyd<const D: usize>(
    points: &[[f64; D]],
    mut centers: Vec<[f64; D]>,
    max_iterations: usize,
) -> Result<Clustering<D>, DescentError> {
    check(points, centers.len())?;
    let mut assignment = vec![usize::MAX; points.len()];
    let mut objectives = Vec::new();
    let mut converged = false;
    for _ in 0..max_iterations {
        let mut changed = false;
        for (slot, p) in assignment.iter_mut().zip(points) {
            let (best, _) = nearest(p, &centers);
            changed |= *slot != best;
            *slot = best;
        }
        if !changed {
            converged = true;
            break;
        }
        let mut sums = vec![([0.0; D], 0usize); centers.len()];
        for (&cluster, p) in assignment.iter().zip(points) {
            let (sum, count) = &mut sums[cluster];
            for (s, v) in sum.iter_mut().zip(p) {
                *s += v;
            }
            *count += 1;
        }
        for (center, (sum, count)) in centers.iter_mut().zip(sums) {
            if count > 0 {
                *center = sum.map(|s| s / count as f64);
            }
        }
        objectives.push(objective(points, &centers));
    }
    Ok(Clustering {
        centers,
        assignment,
        objectives,
        converged,
    })
}
// ANCHOR_END: lloyd

/// k-means as it is run in practice: `restarts` runs of Lloyd's algorithm (at most 300
/// iterations each) from k-means++ seeds drawn with `seed`, keeping the lowest objective.
///
/// ```
/// use sysdesign::gradient_descent::kmeans;
///
/// let points = [[0.0, 0.0], [1.0, 0.0], [50.0, 50.0], [51.0, 50.0]];
/// let best = kmeans(&points, 2, 5, 7).unwrap();
/// assert_eq!(best.objective(), 1.0);
/// ```
pub fn kmeans<const D: usize>(
    points: &[[f64; D]],
    k: usize,
    restarts: usize,
    seed: u64,
) -> Result<Clustering<D>, DescentError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut best: Option<Clustering<D>> = None;
    for _ in 0..restarts.max(1) {
        let run = lloyd(points, plus_plus_seeds(points, k, &mut rng)?, 300)?;
        if best
            .as_ref()
            .is_none_or(|b| run.objective() < b.objective())
        {
            best = Some(run);
        }
    }
    Ok(best.expect("at least one restart"))
}

/// A seeded data set with known groups: `per_blob` points around each center, each coordinate
/// drawn from a normal distribution with standard deviation `spread`. Returns the points and
/// the blob each came from.
///
/// # Panics
///
/// If `spread` is not finite.
///
/// ```
/// use sysdesign::gradient_descent::blobs;
///
/// let (points, labels) = blobs(&[[0.0, 0.0], [9.0, 9.0]], 50, 0.5, 1);
/// assert_eq!((points.len(), labels[0], labels[99]), (100, 0, 1));
/// ```
pub fn blobs<const D: usize>(
    centers: &[[f64; D]],
    per_blob: usize,
    spread: f64,
    seed: u64,
) -> (Vec<[f64; D]>, Vec<usize>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let noise = Normal::new(0.0, spread.abs()).expect("a finite spread");
    let mut points = Vec::with_capacity(centers.len() * per_blob);
    let mut labels = Vec::with_capacity(centers.len() * per_blob);
    for (label, center) in centers.iter().enumerate() {
        for _ in 0..per_blob {
            points.push(center.map(|c| c + noise.sample(&mut rng)));
            labels.push(label);
        }
    }
    (points, labels)
}
