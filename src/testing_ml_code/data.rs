//! A seeded corpus of short film reviews, generated from word lists, with some label noise.

use super::Review;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

/// Words that make a review positive.
pub const POSITIVE: [&str; 8] = [
    "great",
    "excellent",
    "wonderful",
    "good",
    "brilliant",
    "delightful",
    "moving",
    "superb",
];
/// Words that make a review negative.
pub const NEGATIVE: [&str; 8] = [
    "bad", "awful", "terrible", "poor", "boring", "dull", "weak", "dreadful",
];
/// What a review talks about; `film` and `movie` are interchangeable.
pub const SUBJECTS: [&str; 7] = [
    "film",
    "movie",
    "plot",
    "acting",
    "soundtrack",
    "ending",
    "cast",
];
/// First names, which must not sway the sentiment.
pub const NAMES: [&str; 6] = ["Alice", "Bob", "Chen", "Dana", "Emeka", "Farah"];
const INTENSIFIERS: [&str; 5] = ["", "really ", "very ", "quite ", "truly "];
const NEUTRAL: [&str; 5] = [
    "We saw it on a Tuesday.",
    "It runs for two hours.",
    "I went with friends.",
    "The cinema was full.",
    "It opened last week.",
];

/// The share of reviews whose sentiment sentence is negated ("was not good").
pub const NEGATED_SHARE: f64 = 0.1;

// ANCHOR: reviews
/// `n` reviews drawn with `seed`: one sentiment sentence ("The acting was really superb.",
/// sometimes negated: "was not superb"), half the time introduced by a name ("Dana said the
/// ...") and half the time followed by a neutral sentence. The label is the sentence's
/// sentiment, flipped for a share `label_noise` of reviews, as a hurried annotator would.
///
/// ```
/// use sysdesign::testing_ml_code::reviews;
///
/// let corpus = reviews(200, 0.0, 3);
/// assert_eq!(corpus.len(), 200);
/// assert!(corpus.iter().all(|r| r.text.ends_with('.')));
/// assert_eq!(corpus, reviews(200, 0.0, 3)); // seeded
/// ```
pub fn reviews(n: usize, label_noise: f64, seed: u64) -> Vec<Review> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let positive = rng.random_bool(0.5);
            let negated = rng.random_bool(NEGATED_SHARE);
            // A negated sentence uses the opposite word: "not awful" is the positive one.
            let words = if positive != negated {
                &POSITIVE
            } else {
                &NEGATIVE
            };
            let adjective = words.choose(&mut rng).expect("non-empty");
            let subject = SUBJECTS.choose(&mut rng).expect("non-empty");
            let intensifier = INTENSIFIERS.choose(&mut rng).expect("non-empty");
            let not = if negated { "not " } else { "" };
            let mut text = if rng.random_bool(0.5) {
                let name = NAMES.choose(&mut rng).expect("non-empty");
                format!("{name} said the {subject} was {not}{intensifier}{adjective}.")
            } else {
                format!("The {subject} was {not}{intensifier}{adjective}.")
            };
            if rng.random_bool(0.5) {
                text.push(' ');
                text.push_str(NEUTRAL.choose(&mut rng).expect("non-empty"));
            }
            let flipped = rng.random_bool(label_noise.clamp(0.0, 1.0));
            Review {
                text,
                positive: positive != flipped,
            }
        })
        .collect()
}
// ANCHOR_END: reviews
