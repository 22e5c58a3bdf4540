//! Video analytics: the HyperLogLog sketch ignores repeats, merges into the union, stays
//! within a few standard errors of the exact count kept in a `HashSet`, and refuses bad input.

use std::collections::HashSet;

use proptest::prelude::*;
use sysdesign::video_analytics::{HyperLogLog, SketchError, error_at};

#[test]
fn repeated_viewers_do_not_change_the_sketch() {
    let mut once = HyperLogLog::new(12).expect("valid precision");
    let mut thrice = once.clone();
    for id in 0..5_000u32 {
        once.insert(&id.to_le_bytes());
        for _ in 0..3 {
            thrice.insert(&id.to_le_bytes());
        }
    }
    assert_eq!(once, thrice);
}

#[test]
fn merged_sketches_equal_the_sketch_of_the_union() {
    let (mut morning, mut evening, mut day) = (
        HyperLogLog::new(10).expect("valid"),
        HyperLogLog::new(10).expect("valid"),
        HyperLogLog::new(10).expect("valid"),
    );
    for id in 0..3_000u32 {
        morning.insert(&id.to_le_bytes());
        day.insert(&id.to_le_bytes());
    }
    for id in 2_000..6_000u32 {
        evening.insert(&id.to_le_bytes());
        day.insert(&id.to_le_bytes());
    }
    morning.merge(&evening).expect("same precision");
    assert_eq!(morning, day);
}

#[test]
fn bad_precision_and_mismatched_merge_are_refused_with_the_values() {
    assert_eq!(HyperLogLog::new(3), Err(SketchError::Precision(3)));
    assert_eq!(HyperLogLog::new(17), Err(SketchError::Precision(17)));
    let mut a = HyperLogLog::new(8).expect("valid");
    let b = HyperLogLog::new(9).expect("valid");
    assert_eq!(
        a.merge(&b),
        Err(SketchError::Mismatch { ours: 8, theirs: 9 })
    );
}

#[test]
fn an_empty_sketch_counts_zero_and_small_counts_are_near_exact() {
    let mut s = HyperLogLog::new(14).expect("valid");
    assert_eq!(s.estimate(), 0.0);
    for id in 0..100u32 {
        s.insert(&id.to_le_bytes());
    }
    assert!((s.estimate() - 100.0).abs() < 3.0);
}

#[test]
fn more_registers_give_a_smaller_error() {
    let (coarse, _) = error_at(6, 20_000, 20);
    let (fine, _) = error_at(14, 20_000, 20);
    assert!(fine < coarse / 4.0, "{fine} against {coarse}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    // Five standard errors: a failure by chance is under one in a million per case.
    #[test]
    fn estimate_stays_within_five_standard_errors_of_the_exact_count(
        ids in proptest::collection::vec(any::<u64>(), 0..20_000),
        precision in 8u8..=14,
    ) {
        let mut sketch = HyperLogLog::new(precision).expect("valid");
        let mut exact = HashSet::new();
        for id in &ids {
            sketch.insert(&id.to_le_bytes());
            exact.insert(*id);
        }
        let n = exact.len() as f64;
        let tolerance = (5.0 * sketch.standard_error() * n).max(3.0);
        prop_assert!((sketch.estimate() - n).abs() <= tolerance,
            "estimate {} for {} distinct", sketch.estimate(), n);
    }
}
