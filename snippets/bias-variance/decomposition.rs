//! Bias², variance and test error of least-squares polynomials of growing degree, each fitted
//! to the same 300 seeded training sets of 30 noisy points from sin(πx) on [-1, 1].

use sysdesign::bias_variance::{Experiment, Polynomial, decompose, sine};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const NOISE_SD: f64 = 0.3;
const TRAIN_SIZE: usize = 30;
const TRIALS: usize = 300;
const SEED: u64 = 2024;
const MAX_DEGREE: usize = 12;

fn log10(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.into_iter().map(|(x, y)| (x, y.log10())).collect()
}

fn main() {
    let experiment = Experiment::new(sine, NOISE_SD, TRAIN_SIZE).with_trials(TRIALS);
    println!(
        "{TRIALS} training sets of {TRAIN_SIZE} points, y = sin(pi x) + noise (sd {NOISE_SD}), \
         seed {SEED}; errors averaged over {} test inputs on [-1, 1].",
        experiment.test_xs.len()
    );
    let mut table = Table::new([
        "degree",
        "bias²",
        "bias², corrected",
        "variance",
        "noise",
        "bias² + var + noise",
        "measured test error",
        "difference",
    ]);
    let (mut bias, mut variance, mut error) = (Vec::new(), Vec::new(), Vec::new());
    let mut at_degree_10 = None;
    // The figures the chapter's prose quotes, by name.
    let mut quoted: Vec<(String, f64)> = Vec::new();
    let mut best: Option<(usize, f64)> = None;
    for degree in 0..=MAX_DEGREE {
        let d = decompose(&Polynomial::new(degree), &experiment, SEED).expect("valid experiment");
        // ANCHOR: corrected
        // The squared error of the mean of TRIALS predictions carries the mean's own
        // variance, variance / TRIALS, on top of the true bias²; subtracting
        // variance / (TRIALS - 1) removes it on average, but not the noise of the estimate.
        let corrected = d.bias_squared - d.variance / (TRIALS as f64 - 1.0);
        // ANCHOR_END: corrected
        if degree == 10 {
            at_degree_10 = Some((
                d.bias_squared,
                d.variance / (TRIALS as f64 - 1.0),
                corrected,
            ));
        }
        table.push([
            degree.to_string(),
            format!("{:.4}", d.bias_squared),
            // Round a tiny negative to 0 rather than print "-0.0000".
            format!(
                "{:.4}",
                if corrected.abs() < 5e-5 {
                    0.0
                } else {
                    corrected
                }
            ),
            format!("{:.4}", d.variance),
            format!("{:.4}", d.noise),
            format!("{:.4}", d.sum()),
            format!("{:.4}", d.test_error),
            format!("{:+.1}%", 100.0 * (d.test_error - d.sum()) / d.sum()),
        ]);
        if matches!(degree, 0 | 3 | 8 | 12) {
            quoted.push((format!("test_error_{degree}"), d.test_error));
        }
        if matches!(degree, 0 | 3) {
            quoted.push((format!("bias_sq_{degree}"), d.bias_squared));
        }
        if best.is_none_or(|(_, e)| d.test_error < e) {
            best = Some((degree, d.test_error));
        }
        bias.push((degree as f64, d.bias_squared));
        variance.push((degree as f64, d.variance));
        error.push((degree as f64, d.test_error));
    }
    show::table(
        &table.caption(
            "the decomposition check: the sum of the parts against the measured test error",
        ),
    );

    let (best_degree, best_error) = best.expect("the sweep is not empty");
    show::value("best_degree", best_degree);
    show::value("best_test_error", format!("{best_error:.3}"));
    for (name, value) in quoted {
        // Three significant figures, as the prose reads them.
        let shown = if value >= 100.0 {
            format!("{value:.0}")
        } else if value >= 1.0 {
            format!("{value:.2}")
        } else {
            format!("{value:.3}")
        };
        show::value(&name, shown);
    }
    let (measured, inflation, corrected) = at_degree_10.expect("degree 10 is in the sweep");
    show::value("bias_sq_10", format!("{measured:.2}"));
    show::value("inflation_10", format!("{inflation:.2}"));
    show::value("corrected_10", format!("{corrected:.2}"));

    // The errors span eight powers of ten, so the chart plots their logarithms.
    let svg = LineChart::new("Polynomial degree against error (30 points, noise sd 0.3)")
        .x_label("degree")
        .y_label("log10 of squared error")
        .series("test error", log10(error))
        .series("variance", log10(variance))
        .series("bias²", log10(bias))
        .to_svg()
        .expect("every point is finite");
    show::svg(
        "bias_variance_degree",
        "Bias², variance and test error against polynomial degree (log scale)",
        svg,
    );
}
