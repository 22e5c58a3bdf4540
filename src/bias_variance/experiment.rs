//! The bias-variance experiment: many training sets from one source, one learner, and the
//! spread of its predictions.

use super::{LearnError, Learner, Model, check_points};
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

/// Where data comes from: a true function on a domain, plus Gaussian noise on every label;
/// and how the experiment samples it.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The function the labels are noisy readings of.
    pub truth: fn(f64) -> f64,
    /// The standard deviation of the label noise.
    pub noise_sd: f64,
    /// Points in each training set, drawn uniformly from `domain`.
    pub train_size: usize,
    /// The inputs drawn from, `(low, high)`.
    pub domain: (f64, f64),
    /// Evenly spaced inputs, covering the domain, at which predictions are compared.
    pub test_xs: Vec<f64>,
    /// How many training sets to draw.
    pub trials: usize,
}

impl Experiment {
    /// An experiment on the domain [-1, 1] with 101 test inputs and 200 training sets.
    ///
    /// ```
    /// use sysdesign::bias_variance::Experiment;
    ///
    /// let e = Experiment::new(|x| x * x, 0.1, 20);
    /// assert_eq!((e.domain, e.test_xs.len(), e.trials), ((-1.0, 1.0), 101, 200));
    /// assert_eq!(e.test_xs[50], 0.0);
    /// ```
    pub fn new(truth: fn(f64) -> f64, noise_sd: f64, train_size: usize) -> Self {
        Experiment {
            truth,
            noise_sd,
            train_size,
            domain: (-1.0, 1.0),
            test_xs: grid((-1.0, 1.0), 101),
            trials: 200,
        }
    }

    /// The same experiment with `trials` training sets.
    ///
    /// ```
    /// use sysdesign::bias_variance::Experiment;
    ///
    /// assert_eq!(Experiment::new(|x| x, 0.1, 20).with_trials(50).trials, 50);
    /// ```
    pub fn with_trials(mut self, trials: usize) -> Self {
        self.trials = trials;
        self
    }

    fn check(&self) -> Result<Normal<f64>, LearnError> {
        let (lo, hi) = self.domain;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(LearnError::BadExperiment {
                reason: format!("domain ({lo}, {hi}) is not a finite interval"),
            });
        }
        if self.trials == 0 || self.test_xs.is_empty() {
            return Err(LearnError::BadExperiment {
                reason: format!(
                    "{} trials and {} test inputs; both must be positive",
                    self.trials,
                    self.test_xs.len()
                ),
            });
        }
        Normal::new(0.0, self.noise_sd).map_err(|_| LearnError::BadExperiment {
            reason: format!("noise standard deviation {} is not >= 0", self.noise_sd),
        })
    }
}

/// `points` evenly spaced values from `low` to `high`, both included.
fn grid((low, high): (f64, f64), points: usize) -> Vec<f64> {
    (0..points)
        .map(|i| low + (high - low) * i as f64 / (points.max(2) - 1) as f64)
        .collect()
}

/// Draws `n` points with inputs uniform on the experiment's domain and labels
/// `truth(x) + noise`.
///
/// ```
/// use rand::SeedableRng;
/// use sysdesign::bias_variance::{Experiment, noisy_sample};
///
/// let e = Experiment::new(|x| 3.0 * x, 0.0, 10);
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let (xs, ys) = noisy_sample(&e, 5, &mut rng).unwrap();
/// assert!(xs.iter().zip(&ys).all(|(x, y)| *y == 3.0 * x && (-1.0..=1.0).contains(x)));
/// ```
pub fn noisy_sample<R: Rng + ?Sized>(
    experiment: &Experiment,
    n: usize,
    rng: &mut R,
) -> Result<(Vec<f64>, Vec<f64>), LearnError> {
    let noise = experiment.check()?;
    let (lo, hi) = experiment.domain;
    let xs: Vec<f64> = (0..n).map(|_| rng.random_range(lo..=hi)).collect();
    let ys = xs
        .iter()
        .map(|&x| (experiment.truth)(x) + noise.sample(rng))
        .collect();
    Ok((xs, ys))
}

/// The mean squared error of `model` on the points.
///
/// ```
/// use sysdesign::bias_variance::{Knn, Learner, mean_squared_error};
///
/// let model = Knn::new(1).fit(&[0.0], &[1.0]).unwrap();
/// assert_eq!(mean_squared_error(&model, &[5.0, 6.0], &[1.0, 3.0]).unwrap(), 2.0);
/// ```
pub fn mean_squared_error<M: Model>(model: &M, xs: &[f64], ys: &[f64]) -> Result<f64, LearnError> {
    check_points(xs, ys)?;
    if xs.is_empty() {
        return Err(LearnError::TooFewPoints {
            points: 0,
            needed: 1,
        });
    }
    let sum: f64 = xs
        .iter()
        .zip(ys)
        .map(|(&x, &y)| (y - model.predict(x)).powi(2))
        .sum();
    Ok(sum / xs.len() as f64)
}

/// The measured parts of a learner's expected test error, each averaged over the test inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decomposition {
    /// (average prediction − truth)², the error the average model still makes.
    pub bias_squared: f64,
    /// The spread of the predictions around their average, over training sets.
    pub variance: f64,
    /// The label noise's variance, `noise_sd²`: no model can remove it.
    pub noise: f64,
    /// The measured mean squared error on fresh noisy labels at the test inputs.
    pub test_error: f64,
}

impl Decomposition {
    /// bias² + variance + noise, which the theory says equals the expected test error.
    ///
    /// ```
    /// use sysdesign::bias_variance::Decomposition;
    ///
    /// let d = Decomposition { bias_squared: 0.5, variance: 0.25, noise: 0.25, test_error: 1.0 };
    /// assert_eq!(d.sum(), 1.0);
    /// ```
    pub fn sum(&self) -> f64 {
        self.bias_squared + self.variance + self.noise
    }
}

// ANCHOR: decompose
/// Fits `learner` to `experiment.trials` training sets drawn with `seed`, and measures the bias²,
/// the variance and the test error of its predictions at the experiment's test inputs.
///
/// Learners given the same experiment and seed see the same training sets, so their
/// differences come from the learners and not from the luck of the draw.
///
/// ```
/// use sysdesign::bias_variance::{Experiment, Polynomial, decompose};
///
/// let e = Experiment::new(|x| x * x, 0.2, 25);
/// let d = decompose(&Polynomial::new(2), &e, 1).unwrap();
/// // The right degree has (almost) no bias; the test error is noise plus variance.
/// assert!(d.bias_squared < 1e-3);
/// assert!((d.test_error - d.sum()).abs() < 0.1 * d.test_error);
/// ```
pub fn decompose<L: Learner>(
    learner: &L,
    experiment: &Experiment,
    seed: u64,
) -> Result<Decomposition, LearnError> {
    let noise = experiment.check()?;
    let mut rng = StdRng::seed_from_u64(seed);
    let tests = experiment.test_xs.len();
    // predictions[t][r]: the prediction at test input t of the model fitted to training set r.
    let mut predictions = vec![Vec::with_capacity(experiment.trials); tests];
    let mut squared_error = 0.0;
    for _ in 0..experiment.trials {
        let (xs, ys) = noisy_sample(experiment, experiment.train_size, &mut rng)?;
        let model = learner.fit(&xs, &ys)?;
        for (t, &x) in experiment.test_xs.iter().enumerate() {
            let guess = model.predict(x);
            // A fresh label, never seen in training: what the model meets in production.
            let label = (experiment.truth)(x) + noise.sample(&mut rng);
            squared_error += (label - guess).powi(2);
            predictions[t].push(guess);
        }
    }
    let (mut bias_squared, mut variance) = (0.0, 0.0);
    for (guesses, &x) in predictions.iter().zip(&experiment.test_xs) {
        let mean = guesses.iter().sum::<f64>() / guesses.len() as f64;
        bias_squared += (mean - (experiment.truth)(x)).powi(2);
        variance += guesses.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / guesses.len() as f64;
    }
    Ok(Decomposition {
        bias_squared: bias_squared / tests as f64,
        variance: variance / tests as f64,
        noise: experiment.noise_sd.powi(2),
        test_error: squared_error / (tests * experiment.trials) as f64,
    })
}
// ANCHOR_END: decompose
