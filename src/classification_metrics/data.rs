//! Seeded data for the chapter: a classifier's scores on an imbalanced problem.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Bernoulli, Distribution, Normal};

/// Scores a classifier gave, and whether each sample is truly positive.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredSamples {
    /// One score per sample; higher means "more likely positive".
    pub scores: Vec<f64>,
    /// The true class of each sample.
    pub truth: Vec<bool>,
}

/// `n` samples, each positive with probability `positive_rate`; a negative's score is drawn
/// from N(0, 1) and a positive's from N(`separation`, 1), so `separation` sets how well the
/// scores tell the classes apart (0: not at all). The same seed gives the same samples.
///
/// ```
/// use sysdesign::classification_metrics::scored_samples;
///
/// let a = scored_samples(1_000, 0.1, 2.0, 7);
/// assert_eq!(a, scored_samples(1_000, 0.1, 2.0, 7));
/// let positives = a.truth.iter().filter(|&&t| t).count();
/// assert!((70..=130).contains(&positives));
/// ```
///
/// # Panics
///
/// When `positive_rate` is outside [0, 1] or `separation` is not finite.
// ANCHOR: scored_samples
pub fn scored_samples(n: usize, positive_rate: f64, separation: f64, seed: u64) -> ScoredSamples {
    let mut rng = StdRng::seed_from_u64(seed);
    let is_positive = Bernoulli::new(positive_rate).expect("positive_rate must be in [0, 1]");
    let negative = Normal::new(0.0, 1.0).expect("a unit normal is valid");
    let positive = Normal::new(separation, 1.0).expect("separation must be finite");
    let mut samples = ScoredSamples {
        scores: Vec::with_capacity(n),
        truth: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let truth = is_positive.sample(&mut rng);
        let score = if truth {
            positive.sample(&mut rng)
        } else {
            negative.sample(&mut rng)
        };
        samples.scores.push(score);
        samples.truth.push(truth);
    }
    samples
}
// ANCHOR_END: scored_samples
