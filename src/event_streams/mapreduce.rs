//! MapReduce word count over threads, with the shuffle made visible.

use std::collections::BTreeMap;
use std::thread;

use crate::hashing::stable_hash;

/// A map task's output: the words it read, and its pairs split into one list per reducer.
type MapOutput = (usize, Vec<Vec<(String, u64)>>);

pub use crate::text::words;

/// Word counts the plain way, one thread, one map: the reference.
pub fn count_words(text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for word in words(text) {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

/// The reduce task a word goes to: `hash(word) mod R`, the paper's default partitioning.
pub fn reducer_for(word: &str, reducers: usize) -> usize {
    (stable_hash(word.as_bytes()) % reducers.max(1) as u64) as usize
}

/// What a MapReduce run produced, and what crossed the shuffle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapReduceRun {
    /// The word counts.
    pub counts: BTreeMap<String, u64>,
    /// `shuffle[m][r]`: the (word, count) pairs map task `m` sent to reduce task `r`.
    pub shuffle: Vec<Vec<usize>>,
    /// Input words each map task read.
    pub words_mapped: Vec<usize>,
}

impl MapReduceRun {
    /// Every pair that crossed the shuffle.
    pub fn pairs_shuffled(&self) -> usize {
        self.shuffle.iter().flatten().sum()
    }
}

// ANCHOR: mapreduce
/// Counts the words of `splits` with one map thread per split and `reducers` reduce threads.
/// Each map task emits `(word, 1)` for every word, or with `combine` sums its own pairs first
/// (the paper's combiner), and partitions its output by [`reducer_for`]. The shuffle hands
/// reduce task `r` partition `r` of every map task's output; each reducer sums its words.
///
/// ```
/// use sysdesign::event_streams::{count_words, map_reduce};
///
/// let splits = ["the cat sat", "the cat ran", "a dog sat"];
/// let run = map_reduce(&splits, 2, true);
/// assert_eq!(run.counts, count_words(&splits.join(" ")));
/// assert_eq!(run.counts["the"], 2);
/// ```
pub fn map_reduce(splits: &[&str], reducers: usize, combine: bool) -> MapReduceRun {
    let reducers = reducers.max(1);
    // Map phase: one scoped thread per split, each returning R partitions of pairs.
    let mapped: Vec<MapOutput> = thread::scope(|s| {
        let tasks: Vec<_> = splits
            .iter()
            .map(|split| {
                s.spawn(move || {
                    let mut partitions = vec![Vec::new(); reducers];
                    let mut read = 0;
                    if combine {
                        let local = count_words(split);
                        read = local.values().sum::<u64>() as usize;
                        for (word, n) in local {
                            partitions[reducer_for(&word, reducers)].push((word, n));
                        }
                    } else {
                        for word in words(split) {
                            read += 1;
                            partitions[reducer_for(&word, reducers)].push((word, 1));
                        }
                    }
                    (read, partitions)
                })
            })
            .collect();
        tasks
            .into_iter()
            .map(|t| t.join().expect("a map task does not panic"))
            .collect()
    });
    let shuffle = mapped
        .iter()
        .map(|(_, parts)| parts.iter().map(Vec::len).collect())
        .collect();
    let words_mapped = mapped.iter().map(|(read, _)| *read).collect();
    // Shuffle: reduce task r gets partition r of every map output.
    let mut inputs: Vec<Vec<(String, u64)>> = vec![Vec::new(); reducers];
    for (_, partitions) in mapped {
        for (r, pairs) in partitions.into_iter().enumerate() {
            inputs[r].extend(pairs);
        }
    }
    // Reduce phase: one scoped thread per reduce task; the key ranges are disjoint.
    let counts = thread::scope(|s| {
        let tasks: Vec<_> = inputs
            .into_iter()
            .map(|pairs| {
                s.spawn(move || {
                    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
                    for (word, n) in pairs {
                        *sums.entry(word).or_insert(0) += n;
                    }
                    sums
                })
            })
            .collect();
        let mut all = BTreeMap::new();
        for t in tasks {
            all.extend(t.join().expect("a reduce task does not panic"));
        }
        all
    });
    MapReduceRun {
        counts,
        shuffle,
        words_mapped,
    }
}
// ANCHOR_END: mapreduce

/// Splits `text` into `n` pieces of about equal length, cutting only at whitespace.
pub fn split_text(text: &str, n: usize) -> Vec<&str> {
    let n = n.max(1);
    let target = text.len().div_ceil(n).max(1);
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if pieces.len() + 1 == n || rest.len() <= target {
            pieces.push(rest);
            break;
        }
        let mut at = target;
        while !rest.is_char_boundary(at) {
            at += 1;
        }
        let cut = rest[at..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |i| at + i);
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}
