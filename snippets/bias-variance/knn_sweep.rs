//! The same experiment for k-nearest-neighbours regression, with k swept from 1 to all 30
//! points: small k follows every noisy label, large k averages the curve away.

use sysdesign::bias_variance::{Experiment, Knn, decompose, sine};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const NOISE_SD: f64 = 0.3;
const TRAIN_SIZE: usize = 30;
const TRIALS: usize = 300;
const SEED: u64 = 2024;
const KS: [usize; 11] = [1, 2, 3, 4, 5, 7, 10, 13, 17, 23, 30];

fn main() {
    let experiment = Experiment::new(sine, NOISE_SD, TRAIN_SIZE).with_trials(TRIALS);
    let mut table = Table::new([
        "k",
        "bias²",
        "variance",
        "bias² + var + noise",
        "measured test error",
    ]);
    let (mut bias, mut variance, mut error) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(usize, f64, f64, f64)> = None;
    let mut variance_k1 = f64::NAN;
    for k in KS {
        let d = decompose(&Knn::new(k), &experiment, SEED).expect("valid experiment");
        table.push([
            k.to_string(),
            format!("{:.4}", d.bias_squared),
            format!("{:.4}", d.variance),
            format!("{:.4}", d.sum()),
            format!("{:.4}", d.test_error),
        ]);
        if best.is_none_or(|(_, e, _, _)| d.test_error < e) {
            best = Some((k, d.test_error, d.variance, d.bias_squared));
        }
        if k == 1 {
            variance_k1 = d.variance;
        }
        bias.push((k as f64, d.bias_squared));
        variance.push((k as f64, d.variance));
        error.push((k as f64, d.test_error));
    }
    println!(
        "k-nearest neighbours on the same {TRIALS} training sets of {TRAIN_SIZE} points \
         (noise variance {:.2}).",
        NOISE_SD * NOISE_SD
    );
    show::table(&table.caption("k against bias² and variance; large k is a simpler model"));
    let (best_k, best_error, best_variance, best_bias) = best.expect("the sweep is not empty");
    show::value("variance_k1", format!("{variance_k1:.3}"));
    show::value("best_k", best_k);
    show::value("best_test_error", format!("{best_error:.3}"));
    show::value("best_variance", format!("{best_variance:.3}"));
    show::value("best_bias_sq", format!("{best_bias:.3}"));
    let svg = LineChart::new("k-nearest neighbours: k against error (30 points, noise sd 0.3)")
        .x_label("k, neighbours averaged (log scale)")
        .y_label("squared error")
        .log_x()
        .series("test error", error)
        .series("variance", variance)
        .series("bias²", bias)
        .to_svg()
        .expect("every point is finite and k > 0");
    show::svg(
        "bias_variance_knn",
        "Bias², variance and test error of k-nearest neighbours against k",
        svg,
    );
}
