//! An inverted index with posting lists of document ids, answering AND / OR queries by merging.

use std::collections::{BTreeMap, BTreeSet};

use crate::text::words;

/// A document's number in the index, in the order documents were added.
pub type DocId = u32;

/// A boolean query over words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Documents holding the word (case-insensitive).
    Term(String),
    /// Documents matching both.
    And(Box<Query>, Box<Query>),
    /// Documents matching either.
    Or(Box<Query>, Box<Query>),
}

impl Query {
    /// A one-word query.
    pub fn term(word: &str) -> Query {
        Query::Term(word.to_lowercase())
    }

    /// `self AND other`.
    pub fn and(self, other: Query) -> Query {
        Query::And(Box::new(self), Box::new(other))
    }

    /// `self OR other`.
    pub fn or(self, other: Query) -> Query {
        Query::Or(Box::new(self), Box::new(other))
    }

    /// Whether a document with these words matches: the definition the index must agree with.
    pub fn matches(&self, words: &BTreeSet<String>) -> bool {
        match self {
            Query::Term(w) => words.contains(w),
            Query::And(a, b) => a.matches(words) && b.matches(words),
            Query::Or(a, b) => a.matches(words) || b.matches(words),
        }
    }
}

impl std::fmt::Display for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Query::Term(w) => write!(f, "{w}"),
            Query::And(a, b) => write!(f, "({a} AND {b})"),
            Query::Or(a, b) => write!(f, "({a} OR {b})"),
        }
    }
}

// ANCHOR: index
/// Each word maps to the sorted list of documents holding it (its **posting list**). A query
/// merges lists: AND walks two sorted lists keeping common ids, OR keeps every id once; each
/// step reads only the postings of the words the query names, never the documents.
///
/// ```
/// use sysdesign::specialized_storage::{InvertedIndex, Query};
/// let mut index = InvertedIndex::default();
/// index.add("Rust storage engines");
/// index.add("storage in the cloud");
/// index.add("Rust in the browser");
/// assert_eq!(index.search(&Query::term("rust").and(Query::term("storage"))).ids, vec![0]);
/// assert_eq!(index.search(&Query::term("cloud").or(Query::term("browser"))).ids, vec![1, 2]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct InvertedIndex {
    postings: BTreeMap<String, Vec<DocId>>,
    docs: u32,
}

/// A query's answer and the work it took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    /// Matching documents, in id order.
    pub ids: Vec<DocId>,
    /// Posting-list entries read.
    pub postings_read: usize,
}

impl InvertedIndex {
    /// Indexes a document and returns its id.
    pub fn add(&mut self, text: &str) -> DocId {
        let id = self.docs;
        self.docs += 1;
        for word in words(text).collect::<BTreeSet<_>>() {
            // Ids only grow, so pushing keeps every list sorted.
            self.postings.entry(word).or_default().push(id);
        }
        id
    }

    /// Documents indexed.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    /// Whether no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The posting list of `word`.
    pub fn postings(&self, word: &str) -> &[DocId] {
        self.postings
            .get(&word.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Answers `query`.
    pub fn search(&self, query: &Query) -> Hits {
        match query {
            Query::Term(w) => {
                let ids = self.postings(w).to_vec();
                Hits {
                    postings_read: ids.len(),
                    ids,
                }
            }
            Query::And(a, b) => self.combine(a, b, true),
            Query::Or(a, b) => self.combine(a, b, false),
        }
    }

    fn combine(&self, a: &Query, b: &Query, both: bool) -> Hits {
        let (a, b) = (self.search(a), self.search(b));
        let ids = if both {
            intersect(&a.ids, &b.ids)
        } else {
            union(&a.ids, &b.ids)
        };
        Hits {
            ids,
            postings_read: a.postings_read + b.postings_read,
        }
    }
}

fn intersect(a: &[DocId], b: &[DocId]) -> Vec<DocId> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn union(a: &[DocId], b: &[DocId]) -> Vec<DocId> {
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len() + b.len()));
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(_), Some(&y)) | (None, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => unreachable!("the loop condition holds one of them"),
        };
        out.push(next);
    }
    out
}
// ANCHOR_END: index

/// The brute-force answer: tokenize every document and test the query on it.
///
/// ```
/// use sysdesign::specialized_storage::{Query, scan};
/// assert_eq!(scan(&["a b", "b c"], &Query::term("b").and(Query::term("c"))), vec![1]);
/// ```
pub fn scan(docs: &[&str], query: &Query) -> Vec<DocId> {
    docs.iter()
        .enumerate()
        .filter(|(_, d)| query.matches(&words(d).collect()))
        .map(|(i, _)| i as DocId)
        .collect()
}
