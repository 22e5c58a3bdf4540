//! Tests of `sysdesign::dynamic_programming`: the three versions agree (proptest), they agree
//! with the `strsim` crate, edit scripts are valid and optimal, and call counts are exact.

use proptest::prelude::*;
use sysdesign::dynamic_programming::{
    Edit, EditTable, GRAPH_MAX_CELLS, MEMOIZED_MAX_TOTAL, NAIVE_MAX_TOTAL, TABLE_MAX_CELLS, apply,
    edit_distance, memoized_edit_distance, naive_edit_distance, subproblem_graph,
};

fn short_word() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(b"abc".to_vec()), 0..7)
}

proptest! {
    #[test]
    fn memoized_equals_bottom_up_equals_naive(a in short_word(), b in short_word()) {
        let naive = naive_edit_distance(&a, &b).expect("short inputs");
        let memo = memoized_edit_distance(&a, &b).expect("short inputs");
        prop_assert_eq!(naive.distance, memo.distance);
        prop_assert_eq!(memo.distance, edit_distance(&a, &b));
        prop_assert_eq!(memo.distance, EditTable::new(&a, &b).expect("short inputs").distance());
        prop_assert!(memo.solved <= ((a.len() + 1) * (b.len() + 1)) as u64);
        prop_assert!(memo.calls <= naive.calls);
    }

    #[test]
    fn agrees_with_the_strsim_crate(a in "[a-d]{0,40}", b in "[a-d]{0,40}") {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        prop_assert_eq!(edit_distance(&ca, &cb), strsim::levenshtein(&a, &b));
        prop_assert_eq!(memoized_edit_distance(&ca, &cb).expect("short inputs").distance, strsim::levenshtein(&a, &b));
    }

    #[test]
    fn the_edit_script_turns_a_into_b_at_the_cost_of_the_distance(a in "[a-c]{0,15}", b in "[a-c]{0,15}") {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let table = EditTable::new(&ca, &cb).expect("short inputs");
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
        let run = naive_edit_distance(&vec![0u8; n], &vec![1u8; n]).expect("short inputs");
        assert_eq!((run.distance, run.calls), (n, want));
    }
}

#[test]
fn memoized_solves_each_subproblem_exactly_once() {
    let (a, b) = (vec![0u8; 9], vec![1u8; 6]);
    let run = memoized_edit_distance(&a, &b).expect("short inputs");
    assert_eq!(run.solved, 10 * 7);
    // Each solved inner cell makes three calls, plus the first call.
    assert_eq!(run.calls, 1 + 3 * 9 * 6);
}

#[test]
fn distance_to_an_empty_sequence_is_its_length() {
    assert_eq!(edit_distance(b"abcde", b""), 5);
    assert_eq!(edit_distance::<u8>(b"", b""), 0);
    assert_eq!(naive_edit_distance(b"", b"xy").expect("short").calls, 1);
}

#[test]
fn ties_prefer_keeping_lines_whole_like_a_diff() {
    let old = ["a", "b", "c"];
    let new = ["a", "c", "d"];
    let script = EditTable::new(&old, &new)
        .expect("short inputs")
        .script(&old, &new);
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
    let diagram = subproblem_graph("cat", "at").expect("short words");
    assert_eq!(diagram.matches("[\"D(").count(), 4 * 3);
    assert!(diagram.contains("class d0_0,d1_0,d2_1,d3_2 onPath"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..ProptestConfig::default() })]

    /// Inputs of any length, up to far beyond each limit: an answer that agrees with the
    /// bottom-up distance, or an error naming the measure and the limit; never a stack overflow,
    /// an allocation abort, or a run that does not end.
    #[test]
    fn extreme_lengths_are_refused_with_the_limit_or_answered(
        n in prop_oneof![Just(0usize), Just(1), Just(12), Just(13), Just(2_048), Just(2_049), Just(5_000), 0usize..40],
        m in prop_oneof![Just(0usize), Just(1), Just(12), Just(2_048), Just(4_097), 0usize..40],
    ) {
        let (a, b) = (vec![0u8; n], vec![1u8; m]);
        let truth = edit_distance(&a, &b);
        prop_assert_eq!(truth, n.max(m));
        // Within the limit but long, the naive recursion is correct and slow: skip it here.
        let quick = n + m <= 16 || n + m > NAIVE_MAX_TOTAL;
        if quick {
            match naive_edit_distance(&a, &b) {
                Ok(run) => prop_assert_eq!(run.distance, truth),
                Err(e) => {
                    prop_assert_eq!((e.value, e.limit), (n + m, NAIVE_MAX_TOTAL));
                    prop_assert!(e.value > e.limit);
                }
            }
        }
        match memoized_edit_distance(&a, &b) {
            Ok(run) => prop_assert_eq!(run.distance, truth),
            Err(e) => {
                prop_assert_eq!((e.value, e.limit), (n + m, MEMOIZED_MAX_TOTAL));
                prop_assert!(e.to_string().contains("a.len() + b.len()"));
            }
        }
        match EditTable::new(&a, &b) {
            Ok(table) => prop_assert_eq!(table.distance(), truth),
            Err(e) => prop_assert!(e.value > TABLE_MAX_CELLS && e.limit == TABLE_MAX_CELLS),
        }
        let words = ("x".repeat(n.min(100)), "y".repeat(m.min(100)));
        match subproblem_graph(&words.0, &words.1) {
            Ok(diagram) => prop_assert!(diagram.starts_with("flowchart")),
            Err(e) => prop_assert_eq!(e.limit, GRAPH_MAX_CELLS),
        }
    }
}
