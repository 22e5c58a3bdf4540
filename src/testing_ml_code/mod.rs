//! Testing machine-learning code: behavioural tests of a small sentiment model.
//!
//! A model's accuracy on a held-out set says how often it is right on data like its training
//! data; it says nothing about *which* mistakes it makes, and a held-out set drawn from the same
//! pipeline shares that pipeline's blind spots.
//! Behavioural tests treat the model as a black box and check capabilities one at a time
//! [Ribeiro et al. 2020]: **minimum functionality** tests (simple cases with a known answer),
//! **invariance** tests (a change that must not move the label) and **directional** tests (a
//! change that must move the score one way).
//! Training itself gets two checks from the notes: the loss falls after one step, and the model
//! can overfit a small batch.
//!
//! The design decision: the model is small and trained here (bag-of-words logistic regression,
//! fitted with the gradient-descent chapter's [`descend`](crate::gradient_descent::descend)) on a
//! seeded generated corpus, so every test is reproducible to the bit; and the pipeline can
//! plant a bug ([`PlantedBug`]) so the chapter can show which test catches it, while the tests
//! in `tests/testing_ml_code.rs` assert that the check *fails* on the broken model and CI stays
//! green.
//!
//! ```
//! use sysdesign::testing_ml_code::{PlantedBug, SentimentModel, Training, checks, reviews};
//!
//! let corpus = reviews(1_000, 0.05, 1);
//! let good = SentimentModel::train(&corpus, Training::default()).unwrap();
//! assert!(checks::upper_case().run(&good).passed());
//!
//! let bug = Training { bug: Some(PlantedBug::KeepsCase), ..Training::default() };
//! let broken = SentimentModel::train(&corpus, bug).unwrap();
//! assert!(!checks::upper_case().run(&broken).passed());
//! ```

pub mod checks;
mod data;
mod model;

pub use checks::{Check, Failure, Kind, Report};
pub use data::{NAMES, NEGATED_SHARE, NEGATIVE, POSITIVE, SUBJECTS, reviews};
pub use model::{PlantedBug, Review, SentimentModel, Training, tokenize};
