//! Tries and DAWGs: storing many strings so that shared parts are stored once.
//!
//! A **trie** stores a set of words as a tree of their prefixes: words that start alike share
//! the path for their common start, and a lookup follows one edge per byte, whatever the size
//! of the set.
//! A **DAWG** (directed acyclic word graph, or minimal acyclic automaton) also merges the states
//! that have the same future, so words that *end* alike share their endings too: `walking`,
//! `talking` and `talked` share `ing` and `ed`.
//!
//! The design decision: both are measured the same way, in nodes, edges and the bytes of one
//! packed layout ([`AutomatonSize`]), on a seeded word list with real-looking suffixes
//! ([`word_list`]); the DAWG is built incrementally from sorted input
//! [Daciuk et al. 2000], never holding a whole trie, and is checked against the `fst` crate's
//! automaton, which the same paper's idea underlies.
//!
//! ```
//! use sysdesign::tries::{Dawg, Trie};
//!
//! let words = ["talk", "talked", "talking", "walk", "walked", "walking"];
//! let trie = Trie::from_sorted(words).unwrap();
//! let dawg = Dawg::from_sorted(words).unwrap();
//! assert!(dawg.contains("walked") && !dawg.contains("walks"));
//! // The trie stores "alk", "ed" and "ing" twice; the DAWG once.
//! assert_eq!((trie.size().nodes, dawg.size().nodes), (19, 9));
//! ```

mod dawg;
mod trie;
mod words;

pub use dawg::Dawg;
pub use trie::Trie;
pub use words::{SUFFIXES, random_strings, word_list};

use std::fmt;

/// The size of an automaton: its nodes and edges, and the bytes of a packed layout of them.
///
/// The layout is the one a read-only automaton would use in memory or on disk: an array of
/// edges, each a 1-byte label and a 4-byte target; per node, the 4-byte index of its first
/// edge (edges of a node are contiguous), plus one more index to end the last node; and one
/// bit per node for "a word ends here".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutomatonSize {
    /// States.
    pub nodes: usize,
    /// Transitions.
    pub edges: usize,
    /// Bytes of the packed layout.
    pub bytes: usize,
}

impl AutomatonSize {
    /// The size of an automaton with `nodes` nodes and `edges` edges.
    ///
    /// ```
    /// use sysdesign::tries::AutomatonSize;
    ///
    /// // 10 edges × 5 + 11 offsets × 4 + 1 byte of terminal bits.
    /// assert_eq!(AutomatonSize::new(10, 10).bytes, 50 + 44 + 2);
    /// ```
    pub fn new(nodes: usize, edges: usize) -> Self {
        AutomatonSize {
            nodes,
            edges,
            bytes: edges * 5 + (nodes + 1) * 4 + nodes.div_ceil(8),
        }
    }
}

/// Input that is not sorted and distinct, which the incremental construction needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortError {
    /// The position of the first word that is not greater than the one before it.
    pub index: usize,
}

impl fmt::Display for SortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "word {} is not greater than the word before it: the input must be sorted bytewise and distinct",
            self.index
        )
    }
}

impl std::error::Error for SortError {}

fn check_order(previous: Option<&[u8]>, word: &[u8], index: usize) -> Result<(), SortError> {
    match previous {
        Some(p) if p >= word => Err(SortError { index }),
        _ => Ok(()),
    }
}

/// The `fst` crate's view of the same words: its distinct states (counted by walking its
/// automaton) and the bytes of its compressed encoding.
///
/// ```
/// use sysdesign::tries::fst_size;
///
/// let (states, bytes) = fst_size(["tap", "taps", "top", "tops"]).unwrap();
/// assert_eq!(states, 5);
/// assert!(bytes > 0);
/// ```
pub fn fst_size<I, W>(words: I) -> Result<(usize, usize), fst::Error>
where
    I: IntoIterator<Item = W>,
    W: AsRef<[u8]>,
{
    let set = fst::Set::from_iter(words)?;
    let raw = set.as_fst();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![raw.root().addr()];
    while let Some(addr) = stack.pop() {
        if seen.insert(addr) {
            stack.extend(raw.node(addr).transitions().map(|t| t.addr));
        }
    }
    Ok((seen.len(), raw.as_bytes().len()))
}
