//! A DAWG (directed acyclic word graph): the minimal acyclic automaton of a set of words,
//! built incrementally from sorted input (Daciuk, Mihov, Watson and Watson 2000).

use super::{AutomatonSize, SortError};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct State {
    /// Outgoing edges, sorted by byte (sorted input appends them in order).
    edges: Vec<(u8, usize)>,
    terminal: bool,
}

/// A set of byte strings stored as the minimal acyclic automaton that accepts exactly them:
/// like a trie, but states with the same future (the same set of suffixes) are one state, so
/// common suffixes (`-ing`, `-ed`, `-s`) are stored once as well as common prefixes.
///
/// ```
/// use sysdesign::tries::{Dawg, Trie};
///
/// let words = ["tap", "taps", "top", "tops"];
/// let dawg = Dawg::from_sorted(words).unwrap();
/// assert!(dawg.contains("tops") && !dawg.contains("tos"));
/// // States: root, t, {a, o} merged (both continue with "p", "ps"), p, s.
/// assert_eq!(dawg.size().nodes, 5);
/// assert_eq!(Trie::from_sorted(words).unwrap().size().nodes, 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dawg {
    states: Vec<State>,
    words: usize,
}

/// The incremental construction's working state.
struct Builder {
    states: Vec<State>,
    /// The register: every state already known to be minimal, by its signature.
    register: HashMap<State, usize>,
}

impl Builder {
    // ANCHOR: replace_or_register
    /// Minimises the path of last children below `state`, deepest first: each state on it
    /// either equals a registered state (and is replaced by it) or is registered itself.
    fn replace_or_register(&mut self, state: usize) {
        // The unregistered path: follow the last (largest) edge while there is one.
        let mut path = vec![state];
        while let Some(&(_, child)) = self.states[*path.last().expect("non-empty")].edges.last() {
            path.push(child);
        }
        for pair in path.windows(2).rev() {
            let (parent, child) = (pair[0], pair[1]);
            let signature = self.states[child].clone();
            match self.register.get(&signature) {
                Some(&same) => {
                    // An equivalent state exists: point the parent at it; `child` is now dead.
                    self.states[parent].edges.last_mut().expect("has a child").1 = same;
                }
                None => {
                    self.register.insert(signature, child);
                }
            }
        }
    }
    // ANCHOR_END: replace_or_register
}

impl Dawg {
    // ANCHOR: from_sorted
    /// Builds the minimal automaton of `words`, which must be sorted (bytewise) and distinct.
    /// Memory stays proportional to the automaton plus one word, never to a whole trie.
    ///
    /// ```
    /// use sysdesign::tries::{Dawg, SortError};
    ///
    /// assert_eq!(Dawg::from_sorted(["b", "a"]), Err(SortError { index: 1 }));
    /// ```
    pub fn from_sorted<I, W>(words: I) -> Result<Self, SortError>
    where
        I: IntoIterator<Item = W>,
        W: AsRef<[u8]>,
    {
        let mut b = Builder {
            states: vec![State::default()],
            register: HashMap::new(),
        };
        let mut previous: Vec<u8> = Vec::new();
        let mut count = 0;
        for (index, word) in words.into_iter().enumerate() {
            let word = word.as_ref();
            super::check_order((index > 0).then_some(previous.as_slice()), word, index)?;
            // The common prefix with the previous word is the part of the last path to keep.
            let common = previous
                .iter()
                .zip(word)
                .take_while(|(a, b)| a == b)
                .count();
            let mut last = 0;
            for _ in 0..common {
                last = b.states[last].edges.last().expect("on the last path").1;
            }
            // Everything below the common prefix belongs to the previous word only: minimise it.
            if !b.states[last].edges.is_empty() {
                b.replace_or_register(last);
            }
            // Add the new suffix as a fresh chain of states.
            for &byte in &word[common..] {
                b.states.push(State::default());
                let next = b.states.len() - 1;
                b.states[last].edges.push((byte, next));
                last = next;
            }
            b.states[last].terminal = true;
            previous.clear();
            previous.extend_from_slice(word);
            count += 1;
        }
        b.replace_or_register(0);
        Ok(Dawg {
            states: compact(&b.states),
            words: count,
        })
    }
    // ANCHOR_END: from_sorted

    /// Whether `word` is in the set.
    ///
    /// ```
    /// let dawg = sysdesign::tries::Dawg::from_sorted(["cat", "cats"]).unwrap();
    /// assert!(dawg.contains("cats") && !dawg.contains("ca"));
    /// ```
    pub fn contains(&self, word: impl AsRef<[u8]>) -> bool {
        let mut state = 0;
        for byte in word.as_ref() {
            let edges = &self.states[state].edges;
            match edges.binary_search_by_key(byte, |&(b, _)| b) {
                Ok(i) => state = edges[i].1,
                Err(_) => return false,
            }
        }
        self.states[state].terminal
    }

    /// How many words it holds.
    ///
    /// ```
    /// assert_eq!(sysdesign::tries::Dawg::from_sorted(["a", "b"]).unwrap().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.words
    }

    /// Whether it holds no word.
    ///
    /// ```
    /// let empty: [&str; 0] = [];
    /// assert!(sysdesign::tries::Dawg::from_sorted(empty).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    /// Nodes, edges and the bytes of the packed layout ([`AutomatonSize`]).
    ///
    /// ```
    /// // "ab" and "cb" share their last state and the "b" edge into it.
    /// let size = sysdesign::tries::Dawg::from_sorted(["ab", "cb"]).unwrap().size();
    /// assert_eq!((size.nodes, size.edges), (3, 3));
    /// ```
    pub fn size(&self) -> AutomatonSize {
        let edges = self.states.iter().map(|s| s.edges.len()).sum();
        AutomatonSize::new(self.states.len(), edges)
    }

    /// Every word, in sorted order (a walk of the automaton).
    ///
    /// ```
    /// let dawg = sysdesign::tries::Dawg::from_sorted(["ab", "b"]).unwrap();
    /// assert_eq!(dawg.words(), ["ab", "b"]);
    /// ```
    pub fn words(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![(0usize, Vec::new())];
        while let Some((state, word)) = stack.pop() {
            if self.states[state].terminal {
                found.push(String::from_utf8_lossy(&word).into_owned());
            }
            for &(byte, next) in self.states[state].edges.iter().rev() {
                let mut longer = word.clone();
                longer.push(byte);
                stack.push((next, longer));
            }
        }
        found
    }
}

/// Keeps only the states reachable from the root (replaced states are dead), renumbered with
/// the root first.
fn compact(states: &[State]) -> Vec<State> {
    let mut id = vec![usize::MAX; states.len()];
    let mut order = vec![0];
    id[0] = 0;
    let mut i = 0;
    while i < order.len() {
        for &(_, next) in &states[order[i]].edges {
            if id[next] == usize::MAX {
                id[next] = order.len();
                order.push(next);
            }
        }
        i += 1;
    }
    order
        .iter()
        .map(|&old| State {
            edges: states[old].edges.iter().map(|&(b, n)| (b, id[n])).collect(),
            terminal: states[old].terminal,
        })
        .collect()
}
