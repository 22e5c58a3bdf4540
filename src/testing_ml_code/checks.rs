//! Behavioural checks in the style of CheckList (Ribeiro et al. 2020): minimum functionality,
//! invariance and directional expectations, each a list of cases run against a model.

use super::data::{NEGATIVE, POSITIVE, SUBJECTS};
use super::{Review, SentimentModel, Training};
use std::fmt;

/// The three kinds of behavioural test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Simple cases with a known right answer, like unit tests of a capability.
    MinimumFunctionality,
    /// A change that must not change the predicted label.
    Invariance,
    /// A change that must move the probability one way.
    Directional,
    /// A property of training itself, such as the loss falling after one step.
    Training,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::MinimumFunctionality => "minimum functionality",
            Kind::Invariance => "invariance",
            Kind::Directional => "directional",
            Kind::Training => "training",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Case {
    /// `text` must be predicted `positive`.
    Expect { text: String, positive: bool },
    /// `perturbed` must get the same label as `original`.
    Same { original: String, perturbed: String },
    /// `changed` must have a probability above (`up`) or below `original`'s.
    Moves {
        original: String,
        changed: String,
        up: bool,
    },
}

/// A named list of cases of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// What the check tests, for reports.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    cases: Vec<Case>,
}

/// One failed case, described for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure(pub String);

/// The outcome of running a [`Check`] against a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The check's name.
    pub name: String,
    /// The check's kind.
    pub kind: Kind,
    /// How many cases it ran.
    pub cases: usize,
    /// The cases that failed.
    pub failures: Vec<Failure>,
}

impl Report {
    /// Whether every case passed.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Kind, Report};
    ///
    /// let report = Report { name: "x".into(), kind: Kind::Invariance, cases: 3, failures: vec![] };
    /// assert!(report.passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for Report {
    /// The check, its score, and up to three failures: what a failing test prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {} of {} cases failed",
            self.name,
            self.kind,
            self.failures.len(),
            self.cases
        )?;
        for failure in self.failures.iter().take(3) {
            write!(f, "\n  {}", failure.0)?;
        }
        if self.failures.len() > 3 {
            write!(f, "\n  ... and {} more", self.failures.len() - 3)?;
        }
        Ok(())
    }
}

fn label(positive: bool) -> &'static str {
    if positive { "positive" } else { "negative" }
}

impl Check {
    /// Runs every case against `model`.
    ///
    /// ```
    /// use sysdesign::testing_ml_code::{Review, SentimentModel, Training, checks};
    ///
    /// let reviews = [("The film was great.", true), ("The film was awful.", false)]
    ///     .map(|(t, p)| Review { text: t.into(), positive: p });
    /// let model = SentimentModel::train(&reviews, Training::default()).unwrap();
    /// let report = checks::synonyms().run(&model);
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn run(&self, model: &SentimentModel) -> Report {
        let failures = self
            .cases
            .iter()
            .filter_map(|case| match case {
                Case::Expect { text, positive } => {
                    let p = model.probability(text);
                    (model.predict(text) != *positive).then(|| {
                        Failure(format!(
                            "{text:?}: expected {}, got {} (p = {p:.2})",
                            label(*positive),
                            label(!positive)
                        ))
                    })
                }
                Case::Same {
                    original,
                    perturbed,
                } => (model.predict(original) != model.predict(perturbed)).then(|| {
                    Failure(format!(
                        "{original:?} (p = {:.2}) became {perturbed:?} (p = {:.2})",
                        model.probability(original),
                        model.probability(perturbed)
                    ))
                }),
                Case::Moves {
                    original,
                    changed,
                    up,
                } => {
                    let (before, after) = (model.probability(original), model.probability(changed));
                    let moved = if *up { after > before } else { after < before };
                    (!moved).then(|| {
                        Failure(format!(
                            "{original:?} (p = {before:.3}) -> {changed:?} (p = {after:.3}): expected {}",
                            if *up { "higher" } else { "lower" }
                        ))
                    })
                }
            })
            .collect();
        Report {
            name: self.name.clone(),
            kind: self.kind,
            cases: self.cases.len(),
            failures,
        }
    }
}

/// Every subject with every sentiment word: `f(subject, word, positive)`.
fn grid(mut f: impl FnMut(&str, &str, bool) -> Case) -> Vec<Case> {
    let mut cases = Vec::new();
    for subject in SUBJECTS {
        for (words, positive) in [(&POSITIVE, true), (&NEGATIVE, false)] {
            for word in words {
                cases.push(f(subject, word, positive));
            }
        }
    }
    cases
}

// ANCHOR: checks
/// Minimum functionality: "The plot was superb." is positive, "The plot was dull." negative.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::plain_sentiment().name, "plain sentiment words");
/// ```
pub fn plain_sentiment() -> Check {
    Check {
        name: "plain sentiment words".into(),
        kind: Kind::MinimumFunctionality,
        cases: grid(|s, w, positive| Case::Expect {
            text: format!("The {s} was {w}."),
            positive,
        }),
    }
}

/// Minimum functionality: "The plot was not superb." is negative, "not dull" positive.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::negation().cases_len(), 112);
/// ```
pub fn negation() -> Check {
    Check {
        name: "negation".into(),
        kind: Kind::MinimumFunctionality,
        cases: grid(|s, w, positive| Case::Expect {
            text: format!("The {s} was not {w}."),
            positive: !positive,
        }),
    }
}

/// Invariance: replacing `film` by `movie` keeps the label.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::synonyms().cases_len(), 16);
/// ```
pub fn synonyms() -> Check {
    let cases = grid(|s, w, _| Case::Same {
        original: format!("The {s} was {w}."),
        perturbed: format!("The {s} was {w}.").replace("film", "movie"),
    })
    .into_iter()
    .filter(|c| matches!(c, Case::Same { original, .. } if original.contains("film")))
    .collect();
    Check {
        name: "film -> movie".into(),
        kind: Kind::Invariance,
        cases,
    }
}

/// Invariance: who said it does not change what was said, for names seen in training or not.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::names().cases_len(), 112);
/// ```
pub fn names() -> Check {
    let cases = POSITIVE
        .iter()
        .chain(&NEGATIVE)
        .flat_map(|word| {
            let original = format!("Alice said the film was {word}.");
            // Five names seen in training, two never seen.
            ["Bob", "Chen", "Dana", "Emeka", "Farah", "Zoe", "Olu"].map(|name| Case::Same {
                perturbed: original.replace("Alice", name),
                original: original.clone(),
            })
        })
        .collect();
    Check {
        name: "change the name".into(),
        kind: Kind::Invariance,
        cases,
    }
}

/// Invariance: shouting (upper case) keeps the label.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::upper_case().cases_len(), 112);
/// ```
pub fn upper_case() -> Check {
    Check {
        name: "UPPER CASE".into(),
        kind: Kind::Invariance,
        cases: grid(|s, w, _| {
            let original = format!("The {s} was {w}.");
            Case::Same {
                perturbed: original.to_uppercase(),
                original,
            }
        }),
    }
}

/// Invariance: an unrelated sentence, never seen in training, keeps the label.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::neutral_sentence().cases_len(), 112);
/// ```
pub fn neutral_sentence() -> Check {
    Check {
        name: "add a neutral sentence".into(),
        kind: Kind::Invariance,
        cases: grid(|s, w, _| {
            let original = format!("The {s} was {w}.");
            Case::Same {
                perturbed: format!("{original} I had popcorn."),
                original,
            }
        }),
    }
}

/// Directional: adding a sentence with another negative word lowers the probability of
/// positive; adding one with another positive word raises it.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::added_opinion().cases_len(), 224);
/// ```
pub fn added_opinion() -> Check {
    let mut cases = Vec::new();
    for (added, up) in [
        (["dreadful", "awful"], false),
        (["brilliant", "superb"], true),
    ] {
        cases.extend(grid(|s, w, _| {
            // Another word than the review's own: the model counts each word once.
            let word = if w == added[0] { added[1] } else { added[0] };
            Case::Moves {
                original: format!("The {s} was {w}."),
                changed: format!("The {s} was {w}. The rest was {word}."),
                up,
            }
        }));
    }
    Check {
        name: "add an opinion".into(),
        kind: Kind::Directional,
        cases,
    }
}
// ANCHOR_END: checks

impl Check {
    /// How many cases the check has.
    ///
    /// ```
    /// assert_eq!(sysdesign::testing_ml_code::checks::plain_sentiment().cases_len(), 112);
    /// ```
    pub fn cases_len(&self) -> usize {
        self.cases.len()
    }
}

/// Every behavioural check of the chapter, in the order the page shows them.
///
/// ```
/// assert_eq!(sysdesign::testing_ml_code::checks::all().len(), 7);
/// ```
pub fn all() -> Vec<Check> {
    vec![
        plain_sentiment(),
        negation(),
        synonyms(),
        names(),
        upper_case(),
        neutral_sentence(),
        added_opinion(),
    ]
}

// ANCHOR: training_checks
/// Training check: one gradient step on `reviews` lowers the training loss.
///
/// ```
/// use sysdesign::testing_ml_code::{PlantedBug, Training, checks, reviews};
///
/// let data = reviews(100, 0.0, 1);
/// assert!(checks::loss_falls_after_one_step(&data, Training::default()).passed());
/// let broken = Training { bug: Some(PlantedBug::GradientAscent), ..Training::default() };
/// assert!(!checks::loss_falls_after_one_step(&data, broken).passed());
/// ```
pub fn loss_falls_after_one_step(reviews: &[Review], training: Training) -> Report {
    let one_step = Training {
        steps: 1,
        ..training
    };
    let mut failures = Vec::new();
    match SentimentModel::train(reviews, one_step) {
        Ok(model) if model.losses[1] < model.losses[0] => {}
        Ok(model) => failures.push(Failure(format!(
            "loss went from {:.4} to {:.4} after one step",
            model.losses[0], model.losses[1]
        ))),
        Err(e) => failures.push(Failure(format!("training failed: {e}"))),
    }
    Report {
        name: "loss falls after one step".into(),
        kind: Kind::Training,
        cases: 1,
        failures,
    }
}

/// Training check: with no regularisation and enough steps, the model fits a small batch
/// perfectly. A model that cannot memorise 20 examples has a bug, not a lack of data.
///
/// ```
/// use sysdesign::testing_ml_code::{Training, checks, reviews};
///
/// let batch = reviews(20, 0.0, 1);
/// assert!(checks::overfits_a_small_batch(&batch, Training::default()).passed());
/// ```
pub fn overfits_a_small_batch(batch: &[Review], training: Training) -> Report {
    let memorise = Training {
        l2: 0.0,
        steps: training.steps.max(1_000),
        ..training
    };
    let failures = match SentimentModel::train(batch, memorise) {
        Ok(model) => batch
            .iter()
            .filter(|r| model.predict(&r.text) != r.positive)
            .map(|r| {
                Failure(format!(
                    "training example {:?} ({}) predicted {} (p = {:.2})",
                    r.text,
                    label(r.positive),
                    label(!r.positive),
                    model.probability(&r.text)
                ))
            })
            .collect(),
        Err(e) => vec![Failure(format!("training failed: {e}"))],
    };
    Report {
        name: "overfits a small batch".into(),
        kind: Kind::Training,
        cases: batch.len(),
        failures,
    }
}
// ANCHOR_END: training_checks
