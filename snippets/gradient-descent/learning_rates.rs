//! Gradient descent on the bias-variance chapter's training set (30 noisy points from sin(πx),
//! seed 11), fitting a cubic, with three learning rates: too small, right and too large.
//! Checked against the closed-form least-squares fit.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::bias_variance::{Experiment, PolynomialFit, noisy_sample, sine};
use sysdesign::chart::LineChart;
use sysdesign::gradient_descent::{LeastSquares, Objective, descend};
use sysdesign::show::{self, Table};

const SEED: u64 = 11;
const DEGREE: usize = 3;
const STEPS: usize = 2_000;
/// The chart's vertical range, in log10 of the excess loss; a curve leaving it is cut there.
const TOP: f64 = 4.0;

fn main() {
    let experiment = Experiment::new(sine, 0.3, 30);
    let mut rng = StdRng::seed_from_u64(SEED);
    let (xs, ys) = noisy_sample(&experiment, 30, &mut rng).expect("valid experiment");
    let (problem, _features) = LeastSquares::polynomial(&xs, &ys, DEGREE).expect("30 points");
    let exact = PolynomialFit::fit(&xs, &ys, DEGREE).expect("30 distinct inputs");
    let best_loss = problem.loss(exact.coefficients());
    // ANCHOR: rates
    let curvature = problem.curvature();
    let l = curvature.largest;
    println!(
        "cubic on 30 points (seed {SEED}): Hessian eigenvalues from mu = {:.5} to L = {:.4}, condition number {:.0}",
        curvature.smallest,
        l,
        curvature.condition_number()
    );
    println!("rates of 2 / L = {:.4} and above diverge", 2.0 / l);
    // At rate 1 / L the flattest direction shrinks by 1 - mu / L per step.
    let steps_per_tenfold = 10f64.ln() / -(1.0 - curvature.smallest / l).ln();
    show::value("l", format!("{l:.3}"));
    show::value("mu", format!("{:.4}", curvature.smallest));
    show::value("two_over_l", format!("{:.3}", 2.0 / l));
    show::value("condition", format!("{:.0}", curvature.condition_number()));
    show::value("steps_per_tenfold", format!("{steps_per_tenfold:.0}"));
    let rates = [
        ("too small", 0.1 / l),
        ("right", 1.0 / l),
        ("fastest safe", 1.9 / l),
        ("too large", 2.1 / l),
    ];
    // ANCHOR_END: rates
    println!("closed-form least squares (SVD): loss {best_loss:.6}");

    let mut table = Table::new([
        "",
        "rate",
        "rate x L",
        "loss after 10",
        "after 100",
        "after 2000",
        "largest coefficient error",
    ]);
    let mut chart = LineChart::new("Gradient descent on a cubic fit: excess loss per step")
        .x_label("step")
        .y_label("log10(loss - least-squares loss)")
        .y_range(-12.0..TOP);
    for (name, rate) in rates {
        let run = descend(&problem, rate, STEPS, &[0.0; DEGREE + 1]).expect("a positive rate");
        let error = run
            .coefficients
            .iter()
            .zip(exact.coefficients())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        let at = |step: usize| {
            run.losses
                .get(step)
                .map_or("overflowed".to_string(), |loss| format!("{loss:.4e}"))
        };
        table.push([
            name.to_string(),
            format!("{rate:.4}"),
            format!("{:.1}", rate * l),
            at(10),
            at(100),
            at(STEPS),
            format!("{error:.1e}"),
        ]);
        if name == "fastest safe" {
            continue;
        }
        // Excess loss on a log scale: straight lines are geometric convergence (or divergence).
        let curve: Vec<(f64, f64)> = run
            .losses
            .iter()
            .enumerate()
            .map(|(step, loss)| (step as f64, (loss - best_loss).max(1e-12).log10()))
            .take_while(|&(_, y)| y <= TOP)
            .collect();
        if let Some(&(step, _)) = curve.last().filter(|_| curve.len() < run.losses.len()) {
            show::value("too_large_leaves_at", step);
        }
        chart = chart.series(format!("{name}: rate {:.1} / L", rate * l), curve);
    }
    show::table(&table.caption("loss after 10, 100 and 2000 steps, from all-zero coefficients"));
    let svg = chart.to_svg().expect("finite points");
    show::svg(
        "gradient_descent_rates",
        "Excess training loss against step for three learning rates (the too-large run is cut where it leaves the chart)",
        svg,
    );
}
