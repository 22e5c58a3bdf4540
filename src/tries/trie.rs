//! A trie: one node per distinct prefix, one edge per (prefix, next byte).

use super::{AutomatonSize, SortError};
use std::collections::BTreeMap;

/// A node of a [`Trie`]: its children by byte, and whether a word ends here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    children: BTreeMap<u8, usize>,
    terminal: bool,
}

// ANCHOR: trie
/// A set of byte strings stored as a tree of prefixes: the root is the empty prefix, and the
/// edge labelled `b` from the node for prefix `p` leads to the node for `p` + `b`.
///
/// ```
/// use sysdesign::tries::Trie;
///
/// let mut trie = Trie::new();
/// for word in ["tap", "taps", "top", "tops"] {
///     trie.insert(word);
/// }
/// assert!(trie.contains("tops") && !trie.contains("to"));
/// // Prefixes shared: "", t, ta, tap, taps, to, top, tops.
/// assert_eq!(trie.size().nodes, 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trie {
    nodes: Vec<Node>,
    words: usize,
}

impl Trie {
    /// An empty trie (a root node only).
    ///
    /// ```
    /// assert_eq!(sysdesign::tries::Trie::new().len(), 0);
    /// ```
    pub fn new() -> Self {
        Trie {
            nodes: vec![Node::default()],
            words: 0,
        }
    }

    /// Adds `word`; returns false if it was already there.
    ///
    /// ```
    /// let mut trie = sysdesign::tries::Trie::new();
    /// assert!(trie.insert("cat"));
    /// assert!(!trie.insert("cat"));
    /// ```
    pub fn insert(&mut self, word: impl AsRef<[u8]>) -> bool {
        let mut node = 0;
        for &byte in word.as_ref() {
            node = match self.nodes[node].children.get(&byte) {
                Some(&child) => child,
                None => {
                    self.nodes.push(Node::default());
                    let child = self.nodes.len() - 1;
                    self.nodes[node].children.insert(byte, child);
                    child
                }
            };
        }
        let added = !self.nodes[node].terminal;
        self.nodes[node].terminal = true;
        self.words += usize::from(added);
        added
    }
    // ANCHOR_END: trie

    /// Whether `word` is in the set.
    ///
    /// ```
    /// let mut trie = sysdesign::tries::Trie::new();
    /// trie.insert("cat");
    /// assert!(trie.contains("cat") && !trie.contains("ca") && !trie.contains("cats"));
    /// ```
    pub fn contains(&self, word: impl AsRef<[u8]>) -> bool {
        let mut node = 0;
        for byte in word.as_ref() {
            match self.nodes[node].children.get(byte) {
                Some(&child) => node = child,
                None => return false,
            }
        }
        self.nodes[node].terminal
    }

    /// The words that start with `prefix`, in byte order: what autocomplete asks a trie.
    ///
    /// ```
    /// let mut trie = sysdesign::tries::Trie::new();
    /// for w in ["car", "cart", "cat", "dog"] {
    ///     trie.insert(w);
    /// }
    /// assert_eq!(trie.with_prefix("car"), ["car", "cart"]);
    /// ```
    pub fn with_prefix(&self, prefix: impl AsRef<[u8]>) -> Vec<String> {
        let mut node = 0;
        for byte in prefix.as_ref() {
            match self.nodes[node].children.get(byte) {
                Some(&child) => node = child,
                None => return Vec::new(),
            }
        }
        let mut found = Vec::new();
        let mut stack = vec![(node, prefix.as_ref().to_vec())];
        while let Some((node, word)) = stack.pop() {
            if self.nodes[node].terminal {
                found.push(String::from_utf8_lossy(&word).into_owned());
            }
            for (&byte, &child) in self.nodes[node].children.iter().rev() {
                let mut next = word.clone();
                next.push(byte);
                stack.push((child, next));
            }
        }
        found
    }

    /// How many words it holds.
    ///
    /// ```
    /// let mut trie = sysdesign::tries::Trie::new();
    /// trie.insert("a");
    /// assert_eq!(trie.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.words
    }

    /// Whether it holds no word.
    ///
    /// ```
    /// assert!(sysdesign::tries::Trie::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    /// Nodes, edges and the bytes of the packed layout ([`AutomatonSize`]).
    ///
    /// ```
    /// let mut trie = sysdesign::tries::Trie::new();
    /// trie.insert("ab");
    /// let size = trie.size();
    /// assert_eq!((size.nodes, size.edges), (3, 2));
    /// ```
    pub fn size(&self) -> AutomatonSize {
        let edges = self.nodes.iter().map(|n| n.children.len()).sum();
        AutomatonSize::new(self.nodes.len(), edges)
    }

    /// A trie of `words`, which must be sorted and distinct (the [`Dawg`](super::Dawg)'s
    /// requirement too, so that both are built from the same checked input).
    ///
    /// ```
    /// use sysdesign::tries::Trie;
    ///
    /// assert!(Trie::from_sorted(["a", "b"]).is_ok());
    /// assert!(Trie::from_sorted(["b", "a"]).is_err());
    /// ```
    pub fn from_sorted<I, W>(words: I) -> Result<Self, SortError>
    where
        I: IntoIterator<Item = W>,
        W: AsRef<[u8]>,
    {
        let mut trie = Trie::new();
        let mut previous: Option<Vec<u8>> = None;
        for (index, word) in words.into_iter().enumerate() {
            let word = word.as_ref();
            super::check_order(previous.as_deref(), word, index)?;
            trie.insert(word);
            previous = Some(word.to_vec());
        }
        Ok(trie)
    }
}

impl Default for Trie {
    fn default() -> Self {
        Trie::new()
    }
}
