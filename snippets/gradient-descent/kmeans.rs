//! k-means on 400 unlabelled points drawn around four centers (seeded): the centers it finds,
//! and how often one run of Lloyd's algorithm ends in a poor local optimum when seeded at random
//! and when seeded with k-means++.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::gradient_descent::{blobs, kmeans, lloyd, objective, plus_plus_seeds, random_seeds};
use sysdesign::show::{self, Table};

const TRUE_CENTERS: [[f64; 2]; 4] = [[0.0, 0.0], [6.0, 1.0], [1.0, 6.0], [7.0, 7.0]];
const PER_BLOB: usize = 100;
const SPREAD: f64 = 1.0;
const SEED: u64 = 7;
const RUNS: u64 = 500;

fn main() {
    let (points, _labels) = blobs(&TRUE_CENTERS, PER_BLOB, SPREAD, SEED);
    println!(
        "{} points around {} centers (sd {SPREAD} per coordinate), seed {SEED}; labels hidden from k-means",
        points.len(),
        TRUE_CENTERS.len()
    );
    let best = kmeans(&points, 4, 10, 1).expect("400 finite points");
    let mut table = Table::new([
        "true center",
        "nearest found center",
        "points in its cluster",
    ]);
    for truth in TRUE_CENTERS {
        let distance = |c: &[f64; 2]| (c[0] - truth[0]).powi(2) + (c[1] - truth[1]).powi(2);
        let index = (0..best.centers.len())
            .min_by(|&a, &b| distance(&best.centers[a]).total_cmp(&distance(&best.centers[b])))
            .expect("four centers");
        let found = best.centers[index];
        let size = best.assignment.iter().filter(|&&a| a == index).count();
        table.push([
            format!("({:.1}, {:.1})", truth[0], truth[1]),
            format!("({:.2}, {:.2})", found[0], found[1]),
            size.to_string(),
        ]);
    }
    show::table(&table.caption("k = 4, best of 10 k-means++ restarts"));
    let truth_objective = objective(&points, &TRUE_CENTERS);
    println!(
        "objective {:.1} (the true centers score {truth_objective:.1}); {} Lloyd iterations",
        best.objective(),
        best.objectives.len()
    );

    // ANCHOR: seeding
    let mut table = Table::new([
        "seeding",
        "mean objective",
        "worst",
        "runs > 1.2 x best",
        "mean iterations",
    ]);
    for name in ["random (Forgy)", "k-means++"] {
        let mut objectives = Vec::new();
        let mut iterations = 0;
        for seed in 0..RUNS {
            let mut rng = StdRng::seed_from_u64(seed);
            let seeds = if name == "k-means++" {
                plus_plus_seeds(&points, 4, &mut rng)
            } else {
                random_seeds(&points, 4, &mut rng)
            }
            .expect("k <= points");
            let run = lloyd(&points, seeds, 300).expect("valid input");
            iterations += run.objectives.len();
            objectives.push(run.objective());
        }
        let poor = objectives
            .iter()
            .filter(|&&o| o > 1.2 * best.objective())
            .count();
        let worst = objectives.iter().copied().fold(0.0, f64::max);
        let mean = objectives.iter().sum::<f64>() / RUNS as f64;
        table.push([
            name.to_string(),
            format!("{mean:.1}"),
            format!("{worst:.1}"),
            format!("{poor} of {RUNS}"),
            format!("{:.1}", iterations as f64 / RUNS as f64),
        ]);
        let key = if name == "k-means++" {
            "plus_plus"
        } else {
            "random"
        };
        show::value(&format!("poor_{key}"), poor);
    }
    // ANCHOR_END: seeding
    show::table(&table.caption("one Lloyd run per seed, 500 seeds"));
}
