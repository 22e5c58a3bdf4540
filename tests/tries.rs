//! Tests of `sysdesign::tries`: the trie and the DAWG against a `BTreeSet` (model-based), the
//! DAWG's minimality on small inputs, and a differential test against the `fst` crate.

use proptest::prelude::*;
use std::collections::BTreeSet;
use sysdesign::tries::{Dawg, SortError, Trie, fst_size, random_strings, word_list};

fn word_sets() -> impl Strategy<Value = BTreeSet<String>> {
    prop::collection::btree_set("[abc]{0,6}", 0..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn trie_and_dawg_answer_membership_like_a_btreeset(
        words in word_sets(),
        probes in prop::collection::vec("[abcd]{0,7}", 0..100),
    ) {
        let trie = Trie::from_sorted(&words).unwrap();
        let dawg = Dawg::from_sorted(&words).unwrap();
        for probe in probes.iter().chain(&words) {
            prop_assert_eq!(trie.contains(probe), words.contains(probe), "trie, {:?}", probe);
            prop_assert_eq!(dawg.contains(probe), words.contains(probe), "dawg, {:?}", probe);
        }
        prop_assert_eq!(dawg.words(), words.iter().cloned().collect::<Vec<_>>());
        prop_assert_eq!((trie.len(), dawg.len()), (words.len(), words.len()));
    }

    #[test]
    fn the_dawg_is_never_larger_than_the_trie_nor_than_fst(words in word_sets()) {
        let trie = Trie::from_sorted(&words).unwrap().size();
        let dawg = Dawg::from_sorted(&words).unwrap().size();
        prop_assert!(dawg.nodes <= trie.nodes && dawg.edges <= trie.edges);
        // fst minimises through a bounded cache of states, so it may keep a duplicate state;
        // it can never do better than the minimal automaton.
        let (fst_states, _) = fst_size(&words).unwrap();
        prop_assert!(dawg.nodes <= fst_states);
    }
}

#[test]
fn differential_against_fst_on_the_seeded_word_list() {
    let words = word_list(2_000, 1);
    let dawg = Dawg::from_sorted(&words).unwrap();
    let set = fst::Set::from_iter(&words).unwrap();
    for probe in words.iter().chain(&random_strings(2_000, 9)) {
        assert_eq!(dawg.contains(probe), set.contains(probe), "{probe}");
    }
    // fst's register is a bounded cache, so on large inputs it may keep a few duplicate
    // states; it never finds fewer than the minimal automaton has.
    let (fst_states, _) = fst_size(&words).unwrap();
    assert!(dawg.size().nodes <= fst_states);
}

#[test]
fn rejects_unsorted_and_duplicate_input_naming_the_position() {
    assert_eq!(
        Dawg::from_sorted(["a", "c", "b"]),
        Err(SortError { index: 2 })
    );
    assert_eq!(Dawg::from_sorted(["a", "a"]), Err(SortError { index: 1 }));
    assert_eq!(Trie::from_sorted(["b", "a"]), Err(SortError { index: 1 }));
}

#[test]
fn shared_endings_are_stored_once() {
    let words = ["bake", "baked", "baker", "make", "maked", "maker"];
    let dawg = Dawg::from_sorted(words).unwrap();
    // b and m lead to the same state: "ake", "aked", "aker" are stored once.
    assert_eq!(dawg.size().nodes, 6);
    assert_eq!(Trie::from_sorted(words).unwrap().size().nodes, 13);
}

#[test]
fn the_empty_word_and_the_empty_set_work() {
    let empty: [&str; 0] = [];
    assert!(!Dawg::from_sorted(empty).unwrap().contains(""));
    let only_empty = Dawg::from_sorted([""]).unwrap();
    assert!(only_empty.contains("") && !only_empty.contains("a"));
}
