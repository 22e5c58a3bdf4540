//! One training set of 30 noisy points from sin(πx), fitted by polynomials of degree 1, 3 and 10:
//! the error on the training points keeps falling, the error on fresh points does not.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::bias_variance::{
    Experiment, Model, PolynomialFit, mean_squared_error, noisy_sample, sine,
};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const SEED: u64 = 11;
const DEGREES: [usize; 3] = [1, 3, 10];
/// The chart's vertical range; a curve leaving it is drawn along its edge.
const CLIP: f64 = 2.0;

fn main() {
    let experiment = Experiment::new(sine, 0.3, 30);
    let mut rng = StdRng::seed_from_u64(SEED);
    let (xs, ys) = noisy_sample(&experiment, 30, &mut rng).expect("valid experiment");
    let (test_xs, test_ys) = noisy_sample(&experiment, 10_000, &mut rng).expect("valid");

    let mut table = Table::new([
        "degree",
        "coefficients",
        "training error",
        "error on fresh points",
    ]);
    let grid: Vec<f64> = (0..=80).map(|i| -1.0 + i as f64 / 40.0).collect();
    let mut chart = LineChart::new("Three fits to the same 30 noisy points")
        .x_label("x")
        .y_label("y")
        .y_range(-CLIP..CLIP)
        .series("truth: sin(pi x)", grid.iter().map(|&x| (x, sine(x))));
    for degree in DEGREES {
        let fit = PolynomialFit::fit(&xs, &ys, degree).expect("30 distinct inputs");
        table.push([
            degree.to_string(),
            (degree + 1).to_string(),
            format!(
                "{:.4}",
                mean_squared_error(&fit, &xs, &ys).expect("non-empty")
            ),
            format!(
                "{:.4}",
                mean_squared_error(&fit, &test_xs, &test_ys).expect("non-empty")
            ),
        ]);
        let curve = grid.iter().map(|&x| (x, fit.predict(x).clamp(-CLIP, CLIP)));
        chart = chart.series(format!("degree {degree}"), curve.collect::<Vec<_>>());
    }
    println!(
        "30 training points and 10,000 fresh points, y = sin(pi x) + noise (sd 0.3), seed {SEED}."
    );
    show::table(&table.caption("more coefficients always fit the training points better"));
    let svg = chart.to_svg().expect("every point is finite");
    show::svg(
        "bias_variance_fits",
        "Polynomials of degree 1, 3 and 10 fitted to one training set (clipped to ±2)",
        svg,
    );
}
