//! Tests of `sysdesign::bias_variance`: exact recovery of polynomials, kNN against a brute-force
//! reference, the decomposition identity, and folds that partition the data. All seeded.

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::bias_variance::{
    Experiment, Knn, LearnError, Learner, Model, Polynomial, PolynomialFit, cross_validate,
    decompose, grid_search, k_fold,
};

fn horner(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn recovers_a_polynomial_exactly_from_noise_free_data(
        coefficients in prop::collection::vec(-5.0f64..5.0, 1..=9),
        extra in 0usize..20,
        seed in any::<u64>(),
    ) {
        let degree = coefficients.len() - 1;
        let mut rng = StdRng::seed_from_u64(seed);
        // Inputs span exactly [-1, 1], so the fit's scaled variable is x itself.
        let mut xs = vec![-1.0, 1.0];
        xs.extend((0..degree + extra).map(|_| rng.random_range(-1.0..1.0)));
        let ys: Vec<f64> = xs.iter().map(|&x| horner(&coefficients, x)).collect();
        let fit = PolynomialFit::fit(&xs, &ys, degree).unwrap();
        for (got, want) in fit.coefficients().iter().zip(&coefficients) {
            prop_assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
    }

    #[test]
    fn recovers_predictions_exactly_on_a_wide_domain(
        coefficients in prop::collection::vec(-5.0f64..5.0, 1..=7),
        seed in any::<u64>(),
    ) {
        // Inputs in [1000, 1010] would make x^6 about 10^18 without the scaling to [-1, 1].
        let degree = coefficients.len() - 1;
        let mut rng = StdRng::seed_from_u64(seed);
        let xs: Vec<f64> = (0..3 * degree + 4).map(|_| rng.random_range(1000.0..1010.0)).collect();
        let truth = |x: f64| horner(&coefficients, (x - 1005.0) / 5.0);
        let ys: Vec<f64> = xs.iter().map(|&x| truth(x)).collect();
        let fit = PolynomialFit::fit(&xs, &ys, degree).unwrap();
        for &x in &xs {
            prop_assert!((fit.predict(x) - truth(x)).abs() < 1e-9);
        }
    }

    #[test]
    fn knn_predicts_the_mean_of_the_k_nearest_like_a_brute_force_search(
        points in prop::collection::vec((-10i32..10, -100.0f64..100.0), 1..40),
        k_seed in any::<usize>(),
        query in -12i32..12,
    ) {
        // Integer inputs make ties common; the model breaks them to the left (smaller x).
        let k = 1 + k_seed % points.len();
        let xs: Vec<f64> = points.iter().map(|p| f64::from(p.0)).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        let q = f64::from(query);
        let model = Knn::new(k).fit(&xs, &ys).unwrap();
        // Reference: sort by (distance, x), with the same stable order of the sorted points.
        let mut sorted: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut by_distance: Vec<(f64, usize)> =
            sorted.iter().enumerate().map(|(i, p)| ((p.0 - q).abs(), i)).collect();
        // Equal distance: left of the query first, nearest to the query within a side.
        by_distance.sort_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| {
                let (xa, xb) = (sorted[a.1].0, sorted[b.1].0);
                let side = |x: f64| if x < q { 0 } else { 1 };
                side(xa).cmp(&side(xb)).then_with(|| if xa < q { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) })
            })
        });
        let want: f64 = by_distance[..k].iter().map(|&(_, i)| sorted[i].1).sum::<f64>() / k as f64;
        prop_assert!((model.predict(q) - want).abs() < 1e-9, "{} vs {want}", model.predict(q));
    }

    #[test]
    fn cross_validation_folds_partition_the_data(points in 2usize..200, folds_seed in any::<usize>(), seed in any::<u64>()) {
        let folds = 2 + folds_seed % (points - 1);
        let split = k_fold(points, folds, seed).unwrap();
        prop_assert_eq!(split.len(), folds);
        let mut validated: Vec<usize> = split.iter().flat_map(|f| f.validate.clone()).collect();
        validated.sort_unstable();
        prop_assert_eq!(validated, (0..points).collect::<Vec<_>>());
        let sizes: Vec<usize> = split.iter().map(|f| f.validate.len()).collect();
        prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
        for fold in &split {
            let mut all: Vec<usize> = fold.train.iter().chain(&fold.validate).copied().collect();
            all.sort_unstable();
            prop_assert_eq!(all, (0..points).collect::<Vec<_>>());
        }
    }
}

#[test]
fn bias_squared_plus_variance_plus_noise_matches_the_measured_test_error() {
    let experiment = Experiment::new(|x| (3.0 * x).cos(), 0.5, 25).with_trials(400);
    for degree in [0, 2, 5] {
        let d = decompose(&Polynomial::new(degree), &experiment, 99).unwrap();
        assert!(
            (d.test_error - d.sum()).abs() < 0.05 * d.sum(),
            "degree {degree}: {d:?}"
        );
    }
}

#[test]
fn variance_falls_as_k_grows_from_one() {
    let experiment = Experiment::new(|x| x.sin(), 0.3, 40);
    let one = decompose(&Knn::new(1), &experiment, 5).unwrap();
    let ten = decompose(&Knn::new(10), &experiment, 5).unwrap();
    assert!(one.variance > 2.0 * ten.variance, "{one:?} vs {ten:?}");
    assert!(one.bias_squared < ten.bias_squared);
}

#[test]
fn decomposition_is_reproducible_from_its_seed() {
    let experiment = Experiment::new(|x| x * x, 0.2, 20).with_trials(20);
    let a = decompose(&Polynomial::new(3), &experiment, 8).unwrap();
    let b = decompose(&Polynomial::new(3), &experiment, 8).unwrap();
    assert_eq!(a, b);
}

#[test]
fn grid_search_rejects_degrees_too_low_for_a_parabola() {
    let mut rng = StdRng::seed_from_u64(3);
    let xs: Vec<f64> = (0..60).map(|_| rng.random_range(-1.0..1.0)).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| 1.0 - 2.0 * x * x + rng.random_range(-0.01..0.01))
        .collect();
    let grid: Vec<Polynomial> = (0..=4).map(Polynomial::new).collect();
    let result = grid_search(&grid, &xs, &ys, &k_fold(60, 5, 1).unwrap()).unwrap();
    // Below degree 2 the error is the parabola's shape; from 2 on it is the noise (variance
    // 0.01² / 3), and degrees 3 and 4 may tie with 2 within that.
    assert!(
        result.scores[1] > 0.1 && result.scores[2] < 1e-4,
        "{result:?}"
    );
    assert!(grid[result.best].degree() >= 2);
}

#[test]
fn errors_name_the_offending_values() {
    assert_eq!(
        PolynomialFit::fit(&[1.0, 2.0], &[1.0], 1),
        Err(LearnError::LengthMismatch { xs: 2, ys: 1 })
    );
    assert_eq!(
        PolynomialFit::fit(&[1.0, f64::INFINITY], &[1.0, 2.0], 1),
        Err(LearnError::NotFinite {
            index: 1,
            value: f64::INFINITY
        })
    );
    assert_eq!(
        k_fold(3, 4, 0),
        Err(LearnError::BadFolds {
            folds: 4,
            points: 3
        })
    );
    let empty: Vec<Knn> = Vec::new();
    assert_eq!(
        grid_search(&empty, &[0.0, 1.0], &[0.0, 1.0], &k_fold(2, 2, 0).unwrap()),
        Err(LearnError::EmptyGrid)
    );
    let message = LearnError::TooFewPoints {
        points: 2,
        needed: 4,
    }
    .to_string();
    assert!(message.contains('2') && message.contains('4'));
}

#[test]
fn cross_validation_never_scores_a_point_the_model_was_fitted_on() {
    // 1-nearest neighbour has zero error on its own training points, so a leak would show up as
    // a zero score on data where the labels alternate.
    let xs: Vec<f64> = (0..20).map(f64::from).collect();
    let ys: Vec<f64> = (0..20)
        .map(|i| if i % 2 == 0 { 0.0 } else { 1.0 })
        .collect();
    let score = cross_validate(&Knn::new(1), &xs, &ys, &k_fold(20, 10, 4).unwrap()).unwrap();
    assert!(score > 0.2, "{score}");
    assert_eq!(Knn::new(3).name(), "k = 3");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..ProptestConfig::default() })]

    /// Counts at the edges of `usize`: an error naming the values, or a correct answer; never
    /// an overflow panic or an allocation the machine cannot make.
    #[test]
    fn extreme_counts_are_refused_or_answered(
        points in prop_oneof![Just(0usize), Just(1), Just(2), Just((1 << 24) + 1), Just(usize::MAX), 0usize..50],
        folds in prop_oneof![Just(0usize), Just(1), Just(2), Just(usize::MAX), 0usize..50],
        degree in prop_oneof![Just(0usize), Just(1), Just(usize::MAX), Just(usize::MAX - 1), 0usize..10],
    ) {
        match sysdesign::bias_variance::k_fold(points, folds, 7) {
            Ok(split) => {
                prop_assert!(points <= 50 && folds >= 2 && folds <= points, "{points} {folds}");
                prop_assert_eq!(split.len(), folds);
            }
            Err(e) => prop_assert!(e.to_string().contains(&points.to_string()), "{e}"),
        }
        let xs: Vec<f64> = (0..5).map(f64::from).collect();
        let ys = xs.clone();
        match sysdesign::bias_variance::PolynomialFit::fit(&xs, &ys, degree) {
            Ok(_) => prop_assert!(degree < 5),
            Err(e) => prop_assert!(degree >= 5, "{e}"),
        }
    }
}
