//! A bag-of-words sentiment classifier: a tokenizer, a vocabulary, and logistic regression
//! trained by the gradient-descent chapter's [`descend`].

use crate::gradient_descent::{DescentError, Objective, descend};
use std::collections::BTreeMap;

/// A labelled text: `positive` is the label a person gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The text.
    pub text: String,
    /// True for a positive review.
    pub positive: bool,
}

/// A bug planted in the pipeline on purpose, so the chapter can show which test catches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlantedBug {
    /// The tokenizer forgets to lower-case: `Great` and `great` become different words.
    KeepsCase,
    /// Training steps up the gradient instead of down (a sign error in the update).
    GradientAscent,
}

// ANCHOR: tokenize
/// Splits `text` into lower-case words of letters and apostrophes; everything else separates.
/// With [`PlantedBug::KeepsCase`] it keeps the case, the planted bug.
///
/// ```
/// use sysdesign::testing_ml_code::tokenize;
///
/// assert_eq!(tokenize("Great film, didn't LOVE it!", None), ["great", "film", "didn't", "love", "it"]);
/// ```
pub fn tokenize(text: &str, bug: Option<PlantedBug>) -> Vec<String> {
    text.split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|word| !word.is_empty())
        .map(|word| match bug {
            Some(PlantedBug::KeepsCase) => word.to_string(),
            _ => word.to_lowercase(),
        })
        .collect()
}
// ANCHOR_END: tokenize

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    /// The gradient-descent learning rate.
    pub rate: f64,
    /// Full-batch gradient steps.
    pub steps: usize,
    /// The L2 penalty `λ/2 · |w|²` on the word weights (not the bias), which keeps weights
    /// finite on separable data.
    pub l2: f64,
    /// A bug to plant, or `None` for the correct pipeline.
    pub bug: Option<PlantedBug>,
}

impl Default for Training {
    /// Rate 2, 300 steps, λ = 0.001, no bug.
    fn default() -> Self {
        Training {
            rate: 2.0,
            steps: 300,
            l2: 1e-3,
            bug: None,
        }
    }
}

/// Logistic loss on word-presence features: parameter 0 is the bias, parameter `1 + i` the
/// weight of word `i`.
struct LogisticLoss {
    /// For each review, the positions of the words it contains (each once).
    documents: Vec<Vec<usize>>,
    labels: Vec<f64>,
    words: usize,
    l2: f64,
}

impl LogisticLoss {
    fn score(&self, document: &[usize], c: &[f64]) -> f64 {
        c[0] + document.iter().map(|&w| c[1 + w]).sum::<f64>()
    }
}

impl Objective for LogisticLoss {
    fn dimension(&self) -> usize {
        self.words + 1
    }

    fn loss(&self, c: &[f64]) -> f64 {
        let n = self.documents.len() as f64;
        let data: f64 = self
            .documents
            .iter()
            .zip(&self.labels)
            // log(1 + e^-z) for a positive label, log(1 + e^z) for a negative one.
            .map(|(d, &y)| softplus((1.0 - 2.0 * y) * self.score(d, c)))
            .sum();
        data / n + self.l2 / 2.0 * c[1..].iter().map(|w| w * w).sum::<f64>()
    }

    fn gradient(&self, c: &[f64]) -> Vec<f64> {
        let n = self.documents.len() as f64;
        let mut gradient: Vec<f64> = c.iter().map(|w| self.l2 * w).collect();
        gradient[0] = 0.0;
        for (d, &y) in self.documents.iter().zip(&self.labels) {
            let error = (sigmoid(self.score(d, c)) - y) / n;
            gradient[0] += error;
            for &w in d {
                gradient[1 + w] += error;
            }
        }
        gradient
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `log(1 + e^z)`, without overflow for large `z`.
fn softplus(z: f64) -> f64 {
    if z > 30.0 { z } else { z.exp().ln_1p() }
}

/// A trained bag-of-words logistic-regression sentiment model.
#[derive(Debug, Clone, PartialEq)]
pub struct SentimentModel {
    vocabulary: BTreeMap<String, usize>,
    weights: Vec<f64>,
    bug: Option<PlantedBug>,
    /// The training loss before the first step and after each step.
    pub losses: Vec<f64>,
}

impl SentimentModel {
    // ANCHOR: train
    /// Trains on `reviews`: builds the vocabulary from their words, then runs full-batch
    /// gradient descent on the regularised logistic loss from all-zero weights.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training};
    ///
    /// let reviews = [("a great film", true), ("an awful film", false)]
    ///     .map(|(t, p)| Review { text: t.into(), positive: p });
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// assert!(model.probability("great") > 0.9 && model.probability("awful") < 0.1);
    /// ```
    pub fn train(reviews: &[Review], training: Training) -> Result<Self, DescentError> {
        let mut vocabulary = BTreeMap::new();
        let mut documents = Vec::with_capacity(reviews.len());
        for review in reviews {
            let mut document: Vec<usize> = tokenize(&review.text, training.bug)
                .into_iter()
                .map(|word| {
                    let next = vocabulary.len();
                    *vocabulary.entry(word).or_insert(next)
                })
                .collect();
            document.sort_unstable();
            document.dedup();
            documents.push(document);
        }
        let objective = LogisticLoss {
            documents,
            labels: reviews
                .iter()
                .map(|r| f64::from(u8::from(r.positive)))
                .collect(),
            words: vocabulary.len(),
            l2: training.l2,
        };
        // The planted sign error: stepping with a negative rate climbs the loss.
        let rate = match training.bug {
            Some(PlantedBug::GradientAscent) => -training.rate,
            _ => training.rate,
        };
        let start = vec![0.0; objective.dimension()];
        let run = descend_signed(&objective, rate, training.steps, &start)?;
        Ok(SentimentModel {
            vocabulary,
            weights: run.coefficients,
            bug: training.bug,
            losses: run.losses,
        })
    }
    // ANCHOR_END: train

    /// The probability that `text` is positive: the logistic function of the bias plus the
    /// weights of the known words it contains (each counted once; unknown words weigh 0).
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training};
    ///
    /// let reviews = [Review { text: "good".into(), positive: true }];
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// assert!(model.probability("good") > 0.5);
    /// ```
    pub fn probability(&self, text: &str) -> f64 {
        let mut words: Vec<usize> = tokenize(text, self.bug)
            .iter()
            .filter_map(|w| self.vocabulary.get(w).copied())
            .collect();
        words.sort_unstable();
        words.dedup();
        sigmoid(self.weights[0] + words.iter().map(|&w| self.weights[1 + w]).sum::<f64>())
    }

    /// The predicted label: positive when the probability is at least 0.5.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training};
    ///
    /// let reviews = [Review { text: "dull".into(), positive: false }];
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// assert!(!model.predict("dull"));
    /// ```
    pub fn predict(&self, text: &str) -> bool {
        self.probability(text) >= 0.5
    }

    /// The learned weight of `word` (as the model's tokenizer spells it), if it is known.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training};
    ///
    /// let reviews = [Review { text: "dull".into(), positive: false }];
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// assert!(model.weight("dull").unwrap() < 0.0);
    /// assert_eq!(model.weight("zebra"), None);
    /// ```
    pub fn weight(&self, word: &str) -> Option<f64> {
        self.vocabulary.get(word).map(|&w| self.weights[1 + w])
    }

    /// The share of `reviews` whose predicted label matches theirs.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training};
    ///
    /// let reviews = [("fine", true), ("poor", false)].map(|(t, p)| Review { text: t.into(), positive: p });
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// assert_eq!(model.accuracy(&reviews), 1.0);
    /// ```
    pub fn accuracy(&self, reviews: &[Review]) -> f64 {
        let right = reviews
            .iter()
            .filter(|r| self.predict(&r.text) == r.positive)
            .count();
        right as f64 / reviews.len().max(1) as f64
    }
}

/// [`descend`] for a rate of either sign: a negative rate is the planted gradient-ascent bug,
/// which [`descend`] itself rightly refuses.
fn descend_signed(
    objective: &LogisticLoss,
    rate: f64,
    steps: usize,
    start: &[f64],
) -> Result<crate::gradient_descent::Descent, DescentError> {
    if rate >= 0.0 {
        return descend(objective, rate, steps, start);
    }
    let flipped = Flipped(objective);
    let mut run = descend(&flipped, -rate, steps, start)?;
    run.losses = run.losses.iter().map(|l| -l).collect();
    Ok(run)
}

/// An objective upside down: descending it climbs the original.
struct Flipped<'a>(&'a LogisticLoss);

impl Objective for Flipped<'_> {
    fn dimension(&self) -> usize {
        self.0.dimension()
    }
    fn loss(&self, c: &[f64]) -> f64 {
        -self.0.loss(c)
    }
    fn gradient(&self, c: &[f64]) -> Vec<f64> {
        self.0.gradient(c).into_iter().map(|g| -g).collect()
    }
}
