//! Seeded word lists: one shaped like a language (stems with shared endings), one without any
//! shape (random strings), so the measurements can show what the structure is worth.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;

/// The endings a stem may take, as English verbs and nouns do.
pub const SUFFIXES: [&str; 10] = [
    "", "s", "ed", "ing", "er", "ers", "able", "ness", "less", "ly",
];

const ONSETS: [&str; 16] = [
    "b", "br", "c", "ch", "d", "f", "g", "gr", "k", "l", "m", "p", "r", "s", "st", "t",
];
const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "ea"];
const CODAS: [&str; 10] = ["", "n", "r", "l", "st", "nd", "mp", "k", "t", "sh"];

// ANCHOR: word_list
/// About `stems` × 4 words, sorted and distinct: `stems` made-up stems of one to three
/// syllables, each with the bare stem and three to five of the [`SUFFIXES`], drawn with `seed`.
///
/// ```
/// use sysdesign::tries::word_list;
///
/// let words = word_list(100, 1);
/// assert!(words.windows(2).all(|w| w[0] < w[1]));
/// assert_eq!(words, word_list(100, 1));
/// ```
pub fn word_list(stems: usize, seed: u64) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut words = BTreeSet::new();
    for _ in 0..stems {
        let syllables = rng.random_range(1..=3);
        let stem: String = (0..syllables)
            .map(|_| {
                let pick =
                    |list: &[&'static str], rng: &mut StdRng| *list.choose(rng).expect("non-empty");
                format!(
                    "{}{}{}",
                    pick(&ONSETS, &mut rng),
                    pick(&VOWELS, &mut rng),
                    pick(&CODAS, &mut rng)
                )
            })
            .collect();
        let endings = rng.random_range(3..=5);
        words.insert(stem.clone());
        for suffix in SUFFIXES[1..].sample(&mut rng, endings) {
            words.insert(format!("{stem}{suffix}"));
        }
    }
    words.into_iter().collect()
}
// ANCHOR_END: word_list

/// `n` distinct random strings of 4 to 12 lower-case letters, sorted: no shared structure
/// beyond chance.
///
/// ```
/// use sysdesign::tries::random_strings;
///
/// let words = random_strings(50, 2);
/// assert_eq!(words.len(), 50);
/// assert!(words.windows(2).all(|w| w[0] < w[1]));
/// ```
pub fn random_strings(n: usize, seed: u64) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut words = BTreeSet::new();
    while words.len() < n {
        let len = rng.random_range(4..=12);
        let word: String = (0..len)
            .map(|_| char::from(b'a' + rng.random_range(0..26u8)))
            .collect();
        words.insert(word);
    }
    words.into_iter().collect()
}
