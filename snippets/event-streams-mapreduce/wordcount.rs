//! MapReduce word count on four threads and three reducers over a seeded text of 40,000 words
//! from a skewed vocabulary: the pairs each map task sends each reducer, without and with a
//! combiner, checked against a single-threaded count.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::event_streams::{count_words, map_reduce, split_text};
use sysdesign::show::{self, Table};

const VOCABULARY: [&str; 24] = [
    "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on",
    "are", "as", "with", "his", "they", "at", "be", "this", "have", "from",
];

/// Word i drawn with probability falling steeply with i (a cube of a uniform draw).
fn text(words: usize, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let picks: Vec<&str> = (0..words)
        .map(|_| {
            let u: f64 = rng.random();
            VOCABULARY[(u * u * u * VOCABULARY.len() as f64) as usize]
        })
        .collect();
    picks.join(" ")
}

fn matrix(run: &sysdesign::event_streams::MapReduceRun, caption: &str) -> Table {
    let reducers = run.shuffle.first().map_or(0, Vec::len);
    let mut headers = vec!["map task".to_string(), "words read".to_string()];
    headers.extend((0..reducers).map(|r| format!("to reducer {r}")));
    let mut table = Table::new(headers);
    for (m, row) in run.shuffle.iter().enumerate() {
        let mut cells = vec![m.to_string(), run.words_mapped[m].to_string()];
        cells.extend(row.iter().map(usize::to_string));
        table.push(cells);
    }
    table.caption(format!(
        "{caption}: {} pairs shuffled",
        run.pairs_shuffled()
    ))
}

/// The five most frequent words, most frequent first.
fn top_words(counts: &BTreeMap<String, u64>) -> Table {
    let mut top: Vec<(&String, &u64)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut table = Table::new(["word", "count"]);
    for (word, n) in top.into_iter().take(5) {
        table.push([word.clone(), n.to_string()]);
    }
    table.caption("the five most frequent words")
}

fn main() {
    // A block, so that `splits` (which borrows `input`) is gone before the notebook cell ends.
    let (plain, combined, reference) = {
        let input = text(40_000, 3);
        // ANCHOR: run
        let splits = split_text(&input, 4);
        let plain = map_reduce(&splits, 3, false);
        let combined = map_reduce(&splits, 3, true);
        let reference = count_words(&input);
        // ANCHOR_END: run
        (plain, combined, reference)
    };
    show::table(&matrix(&plain, "without a combiner"));
    show::table(&matrix(&combined, "with a combiner"));
    show::value("pairs_plain", plain.pairs_shuffled());
    show::value("pairs_combined", combined.pairs_shuffled());
    show::value(
        "equals_single_threaded",
        plain.counts == reference && combined.counts == reference,
    );
    show::table(&top_words(&reference));
}
