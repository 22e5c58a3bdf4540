//! Tests of `sysdesign::dynamic_programming`: the three versions agree (proptest), they agree
//! with the `strsim` crate, edit scripts are valid and optimal, and call counts are exact.

use proptest::prelude::*;
use sysdesign::dynamic_programming::{
    Edit, EditTable, apply, edit_distance, memoized_edit_distance, naive_edit_distance,
    subproblem_graph,
};

fn short_word() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(b"abc".to_vec()), 0..7)
}

proptest! {
    #[test]
    fn memoized_equals_bottom_up_equals_naive(a in short_word(), b in short_word()) {
        let naive = naive_edit_distance(&a, &b);
        let memo = memoized_edit_distance(&a, &b);
        prop_assert_eq!(naive.distance, memo.distance);
        prop_assert_eq!(memo.distance, edit_distance(&a, &b));
        prop_assert_eq!(memo.distance, EditTable::new(&a, &b).distance());
        prop_assert!(memo.solved <= ((a.len() + 1) * (b.len() + 1)) as u64);
        prop_assert!(memo.calls <= naive.calls);
    }

    #[test]
    fn agrees_with_the_strsim_crate(a in "[a-d]{0,40}", b in "[a-d]{0,40}") {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        prop_assert_eq!(edit_distance(&ca, &cb), strsim::levenshtein(&a, &b));
        prop_assert_eq!(memoized_edit_distance(&ca, &cb).distance, strsim::levenshtein(&a, &b));
    }

    #[test]
    fn the_edit_script_turns_a_into_b_at_the_cost_of_the_distance(a in "[a-c]{0,15}", b in "[a-c]{0,15}") {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let table = EditTable::new(&ca, &cb);
        let script = table.script(&ca, &cb);
        prop_assert_eq!(apply(&script), cb.clone());
        let kept: Vec<char> = script.iter().filter_map(|s| match s {
            Edit::Keep(c) | Edit::Delete(c) | Edit::Substitute { from: c, .. } => Some(*c),
            Edit::Insert(_) => None,
        }).collect();
        prop_assert_eq!(kept, ca); // the script reads a, in order
        let cost = script.iter().filter(|s| !matches!(s, Edit::Keep(_))).count();
        prop_assert_eq!(cost, table.distance());
    }
}

#[test]
fn naive_calls_follow_the_recurrence_when_nothing_matches() {
    // T(m, n) = 1 + T(m-1, n) + T(m, n-1) + T(m-1, n-1), T = 1 on the border.
    for (n, want) in [(1, 4), (2, 19), (3, 94), (4, 481), (5, 2524), (8, 398_593)] {
        let run = naive_edit_distance(&vec![0u8; n], &vec![1u8; n]);
        assert_eq!((run.distance, run.calls), (n, want));
    }
}

#[test]
fn memoized_solves_each_subproblem_exactly_once() {
    let (a, b) = (vec![0u8; 9], vec![1u8; 6]);
    let run = memoized_edit_distance(&a, &b);
    assert_eq!(run.solved, 10 * 7);
    // Each solved inner cell makes three calls, plus the first call.
    assert_eq!(run.calls, 1 + 3 * 9 * 6);
}

#[test]
fn distance_to_an_empty_sequence_is_its_length() {
    assert_eq!(edit_distance(b"abcde", b""), 5);
    assert_eq!(edit_distance::<u8>(b"", b""), 0);
    assert_eq!(naive_edit_distance(b"", b"xy").calls, 1);
}

#[test]
fn ties_prefer_keeping_lines_whole_like_a_diff() {
    let old = ["a", "b", "c"];
    let new = ["a", "c", "d"];
    let script = EditTable::new(&old, &new).script(&old, &new);
    assert_eq!(
        script,
        [
            Edit::Keep("a"),
            Edit::Delete("b"),
            Edit::Keep("c"),
            Edit::Insert("d")
        ]
    );
}

#[test]
fn subproblem_graph_has_one_node_per_subproblem_and_highlights_an_optimal_path() {
    let diagram = subproblem_graph("cat", "at");
    assert_eq!(diagram.matches("[\"D(").count(), 4 * 3);
    assert!(diagram.contains("class d0_0,d1_0,d2_1,d3_2 onPath"));
}
