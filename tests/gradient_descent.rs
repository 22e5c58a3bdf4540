//! Tests of `sysdesign::gradient_descent`: gradient descent against the closed-form least-squares
//! fit of the bias-variance module, the rate limit 2 / L from both sides, and k-means (Lloyd's
//! iterations never raise the objective; k-means++ against an exhaustive search on small sets).

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::bias_variance::{Experiment, PolynomialFit, noisy_sample};
use sysdesign::gradient_descent::{
    DescentError, LeastSquares, Objective, blobs, descend, kmeans, lloyd, objective,
    plus_plus_seeds, random_seeds,
};

fn sine(x: f64) -> f64 {
    (std::f64::consts::PI * x).sin()
}

/// The bias-variance chapter's training set: 30 points from sin(πx) with noise 0.3, seed 11.
fn chapter_data() -> (Vec<f64>, Vec<f64>) {
    let experiment = Experiment::new(sine, 0.3, 30);
    noisy_sample(&experiment, 30, &mut StdRng::seed_from_u64(11)).unwrap()
}

#[test]
fn descent_at_rate_one_over_l_reaches_the_closed_form_least_squares_fit() {
    let (xs, ys) = chapter_data();
    for degree in 0..=3 {
        let (problem, _) = LeastSquares::polynomial(&xs, &ys, degree).unwrap();
        let rate = 1.0 / problem.curvature().largest;
        let run = descend(&problem, rate, 20_000, &vec![0.0; degree + 1]).unwrap();
        let exact = PolynomialFit::fit(&xs, &ys, degree).unwrap();
        for (got, want) in run.coefficients.iter().zip(exact.coefficients()) {
            assert!(
                (got - want).abs() < 1e-8,
                "degree {degree}: {got} vs {want}"
            );
        }
        let best = problem.loss(exact.coefficients());
        assert!(run.losses.last().unwrap() - best < 1e-12);
    }
}

#[test]
fn the_gradient_matches_finite_differences_of_the_loss() {
    let (xs, ys) = chapter_data();
    let (problem, _) = LeastSquares::polynomial(&xs, &ys, 3).unwrap();
    let c = [0.3, -1.0, 0.5, 2.0];
    let gradient = problem.gradient(&c);
    for i in 0..4 {
        let h = 1e-6;
        let (mut up, mut down) = (c, c);
        up[i] += h;
        down[i] -= h;
        let numeric = (problem.loss(&up) - problem.loss(&down)) / (2.0 * h);
        assert!(
            (numeric - gradient[i]).abs() < 1e-6,
            "{numeric} vs {}",
            gradient[i]
        );
    }
}

#[test]
fn a_rate_just_above_two_over_l_diverges_and_just_below_converges() {
    let (xs, ys) = chapter_data();
    let (problem, _) = LeastSquares::polynomial(&xs, &ys, 3).unwrap();
    let l = problem.curvature().largest;
    let below = descend(&problem, 1.99 / l, 3_000, &[0.0; 4]).unwrap();
    let above = descend(&problem, 2.01 / l, 3_000, &[0.0; 4]).unwrap();
    assert!(below.losses.last().unwrap() < &below.losses[0]);
    assert!(above.losses.last().unwrap() > &(1e6 * above.losses[0]));
}

#[test]
fn rejects_a_rate_that_is_not_positive_and_a_start_of_the_wrong_length() {
    let problem = LeastSquares::new(vec![vec![1.0]], vec![1.0]).unwrap();
    assert_eq!(
        descend(&problem, 0.0, 1, &[0.0]),
        Err(DescentError::BadRate(0.0))
    );
    assert!(matches!(
        descend(&problem, f64::NAN, 1, &[0.0]),
        Err(DescentError::BadRate(_))
    ));
    assert_eq!(
        descend(&problem, 0.1, 1, &[0.0, 0.0]),
        Err(DescentError::BadStart {
            len: 2,
            expected: 1
        })
    );
}

#[test]
fn kmeans_finds_the_blobs_it_was_given() {
    let centers = [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0], [6.0, 6.0]];
    let (points, labels) = blobs(&centers, 50, 0.7, 5);
    let found = kmeans(&points, 4, 5, 1).unwrap();
    // Every blob lands in one cluster, and no two blobs share one.
    let mut cluster_of_blob = [usize::MAX; 4];
    for (&label, &cluster) in labels.iter().zip(&found.assignment) {
        if cluster_of_blob[label] == usize::MAX {
            cluster_of_blob[label] = cluster;
        }
        assert_eq!(cluster_of_blob[label], cluster);
    }
    let mut distinct = cluster_of_blob.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
}

#[test]
fn kmeans_rejects_k_zero_more_clusters_than_points_and_nan() {
    assert_eq!(
        kmeans(&[[1.0]], 2, 1, 0),
        Err(DescentError::BadK { k: 2, points: 1 })
    );
    assert_eq!(
        kmeans(&[[1.0]], 0, 1, 0),
        Err(DescentError::BadK { k: 0, points: 1 })
    );
    assert_eq!(
        kmeans(&[[1.0], [f64::NAN]], 1, 1, 0),
        Err(DescentError::NotFinitePoint { index: 1 })
    );
}

/// The best objective over every assignment of the points to k clusters (each cluster's center
/// at its mean): exponential, for a handful of points.
fn exhaustive_optimum(points: &[[f64; 2]], k: usize) -> f64 {
    let n = points.len();
    let mut best = f64::INFINITY;
    let mut labels = vec![0usize; n];
    loop {
        let mut sums = vec![([0.0, 0.0], 0usize); k];
        for (p, &l) in points.iter().zip(&labels) {
            sums[l].0[0] += p[0];
            sums[l].0[1] += p[1];
            sums[l].1 += 1;
        }
        let centers: Vec<[f64; 2]> = sums
            .iter()
            .map(|(s, c)| [s[0] / (*c).max(1) as f64, s[1] / (*c).max(1) as f64])
            .collect();
        let cost: f64 = points
            .iter()
            .zip(&labels)
            .map(|(p, &l)| (p[0] - centers[l][0]).powi(2) + (p[1] - centers[l][1]).powi(2))
            .sum();
        best = best.min(cost);
        // Next assignment, counting in base k.
        let mut i = 0;
        while i < n {
            labels[i] += 1;
            if labels[i] < k {
                break;
            }
            labels[i] = 0;
            i += 1;
        }
        if i == n {
            return best;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lloyd_iterations_never_increase_the_objective(
        raw in prop::collection::vec((-10.0f64..10.0, -10.0f64..10.0), 2..60),
        k in 1usize..6,
        seed in any::<u64>(),
        plus_plus in any::<bool>(),
    ) {
        let points: Vec<[f64; 2]> = raw.iter().map(|&(x, y)| [x, y]).collect();
        let k = k.min(points.len());
        let mut rng = StdRng::seed_from_u64(seed);
        let seeds = if plus_plus {
            plus_plus_seeds(&points, k, &mut rng).unwrap()
        } else {
            random_seeds(&points, k, &mut rng).unwrap()
        };
        let start = objective(&points, &seeds);
        let run = lloyd(&points, seeds, 100).unwrap();
        let mut previous = start;
        for &now in &run.objectives {
            prop_assert!(now <= previous * (1.0 + 1e-12) + 1e-12, "{now} after {previous}");
            previous = now;
        }
        // At convergence every point sits with its nearest center.
        if run.converged {
            for (p, &cluster) in points.iter().zip(&run.assignment) {
                let mine = objective(&[*p], &run.centers[cluster..=cluster]);
                prop_assert!(mine <= objective(&[*p], &run.centers) + 1e-12);
            }
        }
    }

    #[test]
    fn kmeans_is_never_better_than_the_exhaustive_optimum_and_close_to_it(
        raw in prop::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 3..8),
        seed in any::<u64>(),
    ) {
        let points: Vec<[f64; 2]> = raw.iter().map(|&(x, y)| [x, y]).collect();
        let optimum = exhaustive_optimum(&points, 2);
        let found = kmeans(&points, 2, 10, seed).unwrap().objective();
        prop_assert!(found >= optimum - 1e-9);
        // Ten k-means++ restarts on a handful of points find the optimum within 50 %.
        prop_assert!(found <= 1.5 * optimum + 1e-9, "{found} vs optimum {optimum}");
    }

    #[test]
    fn descent_below_two_over_l_never_increases_the_loss(
        degree in 0usize..5,
        fraction in 0.01f64..1.99,
        seed in any::<u64>(),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..20).map(|_| rng.random_range(-3.0..3.0)).collect();
        let ys: Vec<f64> = xs.iter().map(|x| x.sin() + rng.random_range(-0.5..0.5)).collect();
        let (problem, _) = LeastSquares::polynomial(&xs, &ys, degree).unwrap();
        let rate = fraction / problem.curvature().largest;
        let run = descend(&problem, rate, 200, &vec![0.0; degree + 1]).unwrap();
        for pair in run.losses.windows(2) {
            prop_assert!(pair[1] <= pair[0] * (1.0 + 1e-12) + 1e-15, "{} after {}", pair[1], pair[0]);
        }
    }
}
