//! Grid search with 5-fold cross-validation on one training set of 30 points, choosing a
//! polynomial degree and a k for k-nearest neighbours, compared with the choice that a large
//! held-out set shows to be best; then the same over 50 training sets.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::bias_variance::{
    Experiment, Knn, Learner, Polynomial, grid_search, k_fold, mean_squared_error, noisy_sample,
    sine,
};
use sysdesign::show::{self, Table};

const NOISE_SD: f64 = 0.3;
const TRAIN_SIZE: usize = 30;
const HELD_OUT: usize = 10_000;
const FOLDS: usize = 5;
const SEED: u64 = 7;
const REPEATS: u64 = 50;

/// Cross-validated and held-out error of every candidate, the position CV chose and the best.
struct Outcome {
    cv: Vec<f64>,
    held_out: Vec<f64>,
    chosen: usize,
    best: usize,
}

fn search<L: Learner>(grid: &[L], seed: u64) -> Outcome {
    let experiment = Experiment::new(sine, NOISE_SD, TRAIN_SIZE);
    let mut rng = StdRng::seed_from_u64(seed);
    let (xs, ys) = noisy_sample(&experiment, TRAIN_SIZE, &mut rng).expect("valid experiment");
    let (test_xs, test_ys) = noisy_sample(&experiment, HELD_OUT, &mut rng).expect("valid");
    let folds = k_fold(xs.len(), FOLDS, seed).expect("5 folds of 30 points");
    let result = grid_search(grid, &xs, &ys, &folds).expect("every candidate fits 24 points");
    // What the grid search cannot see: each candidate, refitted on all 30 points, scored on
    // 10,000 fresh points.
    let held_out: Vec<f64> = grid
        .iter()
        .map(|learner| {
            let model = learner
                .fit(&xs, &ys)
                .expect("every candidate fits 30 points");
            mean_squared_error(&model, &test_xs, &test_ys).expect("non-empty held-out set")
        })
        .collect();
    let best = (0..grid.len())
        .min_by(|&a, &b| held_out[a].total_cmp(&held_out[b]))
        .expect("the grid is not empty");
    Outcome {
        cv: result.scores,
        held_out,
        chosen: result.best,
        best,
    }
}

fn show_one<L: Learner>(grid: &[L], what: &str) {
    let outcome = search(grid, SEED);
    let mut table = Table::new(["candidate", "5-fold CV error", "held-out error", "note"]);
    for (i, learner) in grid.iter().enumerate() {
        let note = match (i == outcome.chosen, i == outcome.best) {
            (true, true) => "chosen by CV, and truly best",
            (true, false) => "chosen by CV",
            (false, true) => "truly best (held-out)",
            (false, false) => "",
        };
        table.push([
            learner.name(),
            format!("{:.4}", outcome.cv[i]),
            format!("{:.4}", outcome.held_out[i]),
            note.to_string(),
        ]);
    }
    show::table(&table.caption(format!(
        "{what}: grid search on one training set of {TRAIN_SIZE} points (seed {SEED})"
    )));
}

fn summarise<L: Learner>(grid: &[L], what: &str, table: &mut Table) {
    let (mut agree, mut regret, mut worst) = (0, 0.0, 0.0f64);
    let mut picks = vec![0; grid.len()];
    for seed in 0..REPEATS {
        let o = search(grid, 1_000 + seed);
        agree += usize::from(o.chosen == o.best);
        let excess = o.held_out[o.chosen] - o.held_out[o.best];
        regret += excess;
        worst = worst.max(excess);
        picks[o.chosen] += 1;
    }
    let most: Vec<String> = grid
        .iter()
        .zip(&picks)
        .filter(|&(_, &count)| count > 0)
        .map(|(learner, count)| format!("{}: {count}", learner.name()))
        .collect();
    table.push([
        what.to_string(),
        format!("{agree} of {REPEATS}"),
        format!("{:.4}", regret / REPEATS as f64),
        format!("{worst:.4}"),
        most.join(", "),
    ]);
}

fn main() {
    let degrees: Vec<Polynomial> = (0..=10).map(Polynomial::new).collect();
    let ks: Vec<Knn> = [1, 2, 3, 4, 5, 7, 10, 15, 20].map(Knn::new).to_vec();
    show_one(&degrees, "polynomial degree");
    show_one(&ks, "k-nearest neighbours");
    let mut table = Table::new([
        "grid",
        "CV picked the truly best",
        "mean excess error",
        "worst excess error",
        "choices",
    ]);
    summarise(&degrees, "degree 0-10", &mut table);
    summarise(&ks, "k in 1-20", &mut table);
    show::table(&table.caption(format!(
        "{REPEATS} training sets (seeds 1000-{}): how often 5-fold CV picks the candidate \
         with the lowest held-out error, and how much error a wrong pick costs",
        1_000 + REPEATS - 1
    )));
}
