//! Tests of `sysdesign::bloom_filters`: no false negatives (property test against a `HashSet`),
//! the measured false-positive rate against the formula at the design point, the counting
//! variant, and a differential test against the `fastbloom` crate.

use proptest::prelude::*;
use std::collections::HashSet;
use sysdesign::bloom_filters::{
    BlockedBloomFilter, BloomError, BloomFilter, CountingBloomFilter, blocked_false_positive_rate,
    false_positive_rate, optimal_bits,
};

fn members(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| format!("member-{i}").into_bytes())
        .collect()
}

fn strangers(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| format!("stranger-{i}").into_bytes())
        .collect()
}

fn observed_rate(contains: impl Fn(&[u8]) -> bool, probes: &[Vec<u8>]) -> f64 {
    probes.iter().filter(|p| contains(p)).count() as f64 / probes.len() as f64
}

#[test]
fn no_inserted_key_is_ever_reported_absent() {
    let mut filter = BloomFilter::with_rate(20_000, 0.01).expect("valid parameters");
    let keys = members(50_000); // 2.5 times the design load: more false positives, still no false negative
    for key in &keys {
        filter.insert(key);
    }
    assert!(keys.iter().all(|key| filter.contains(key)));
}

#[test]
fn the_measured_false_positive_rate_is_within_ten_percent_of_the_formula_at_the_design_point() {
    let (items, target) = (10_000, 0.01);
    let mut filter = BloomFilter::with_rate(items, target).expect("valid parameters");
    for key in members(items) {
        filter.insert(&key);
    }
    let formula = filter.expected_false_positive_rate();
    let observed = observed_rate(|p| filter.contains(p), &strangers(200_000));
    assert!(
        (observed - formula).abs() <= 0.1 * formula,
        "observed {observed}, formula {formula}"
    );
}

#[test]
fn the_formula_tracks_the_measured_rate_across_fill_levels() {
    let mut filter = BloomFilter::new(50_000, 5).expect("valid parameters");
    let keys = members(20_000);
    let probes = strangers(50_000);
    for (i, key) in keys.iter().enumerate() {
        filter.insert(key);
        if (i + 1) % 4_000 == 0 {
            let formula = filter.expected_false_positive_rate();
            let observed = observed_rate(|p| filter.contains(p), &probes);
            assert!(
                (observed - formula).abs() <= 0.15 * formula + 0.001,
                "n={}: observed {observed}, formula {formula}",
                i + 1
            );
        }
    }
}

#[test]
fn bad_parameters_are_errors_carrying_the_value() {
    assert_eq!(
        BloomFilter::with_rate(0, 0.1).unwrap_err(),
        BloomError::ZeroItems(0)
    );
    assert_eq!(
        BloomFilter::with_rate(10, 0.0).unwrap_err(),
        BloomError::RateOutOfRange(0.0)
    );
    assert!(matches!(
        BloomFilter::with_rate(10, f64::NAN),
        Err(BloomError::RateOutOfRange(_))
    ));
    assert!(
        optimal_bits(10, 1.0)
            .unwrap_err()
            .to_string()
            .contains("not 1")
    );
}

#[test]
fn more_hash_functions_are_not_always_better() {
    // 8 bits per item: the optimum is k = round(8 ln 2) = 6; 1 and 20 are both worse.
    let best = false_positive_rate(80_000, 6, 10_000);
    assert!(best < false_positive_rate(80_000, 1, 10_000));
    assert!(best < false_positive_rate(80_000, 20, 10_000));
}

#[test]
fn a_counting_filter_forgets_a_removed_key_and_keeps_the_others() {
    let mut filter = CountingBloomFilter::with_rate(1_000, 0.01).expect("valid parameters");
    let keys = members(1_000);
    for key in &keys {
        filter.insert(key);
    }
    for key in &keys[..500] {
        assert!(filter.remove(key));
    }
    assert!(
        keys[500..].iter().all(|key| filter.contains(key)),
        "no false negative for kept keys"
    );
    let still_reported = keys[..500]
        .iter()
        .filter(|key| filter.contains(key))
        .count();
    assert!(
        still_reported < 25,
        "removed keys now read as absent (bar false positives): {still_reported}"
    );
}

#[test]
fn fastbloom_with_the_same_bits_and_hashes_has_a_similar_false_positive_rate() {
    let (bits, hashes, items) = (95_851u64, 7u32, 10_000usize);
    let mut ours = BloomFilter::new(bits, hashes).expect("valid parameters");
    let mut theirs = fastbloom::BloomFilter::with_num_bits(bits as usize)
        .seed(&42)
        .hashes(hashes);
    let keys = members(items);
    for key in &keys {
        ours.insert(key);
        theirs.insert(key.as_slice());
    }
    assert!(
        keys.iter()
            .all(|k| ours.contains(k) && theirs.contains(k.as_slice()))
    );
    let probes = strangers(200_000);
    let ours_rate = observed_rate(|p| ours.contains(p), &probes);
    let theirs_rate = observed_rate(|p| theirs.contains(p), &probes);
    let formula = false_positive_rate(bits, hashes, items);
    // Both within 25 % of the formula and of each other (fastbloom rounds its bit count up to whole blocks).
    assert!(
        (ours_rate - formula).abs() < 0.25 * formula,
        "ours {ours_rate}, formula {formula}"
    );
    assert!(
        (theirs_rate - formula).abs() < 0.25 * formula,
        "fastbloom {theirs_rate}, formula {formula}"
    );
    assert!(
        (ours_rate / theirs_rate - 1.0).abs() < 0.25,
        "ours {ours_rate}, fastbloom {theirs_rate}"
    );
}

#[test]
fn a_blocked_filter_never_denies_an_inserted_key() {
    let mut filter = BlockedBloomFilter::with_rate(20_000, 0.01).expect("valid parameters");
    let keys = members(50_000);
    for key in &keys {
        filter.insert(key);
    }
    assert!(keys.iter().all(|key| filter.contains(key)));
}

#[test]
fn a_blocked_filter_pays_for_locality_with_more_false_positives_as_its_formula_predicts() {
    let (items, target) = (10_000, 0.01);
    let mut blocked = BlockedBloomFilter::with_rate(items, target).expect("valid parameters");
    let mut classic = BloomFilter::new(blocked.bits(), blocked.hashes()).expect("valid");
    for key in members(items) {
        blocked.insert(&key);
        classic.insert(&key);
    }
    let probes = strangers(400_000);
    let blocked_rate = observed_rate(|p| blocked.contains(p), &probes);
    let classic_rate = observed_rate(|p| classic.contains(p), &probes);
    let formula = blocked.expected_false_positive_rate();
    assert!(
        blocked_rate > classic_rate,
        "blocked {blocked_rate}, classic {classic_rate}"
    );
    assert!(
        (blocked_rate - formula).abs() <= 0.1 * formula,
        "observed {blocked_rate}, formula {formula}"
    );
    assert_eq!(
        formula,
        blocked_false_positive_rate(blocked.bits(), blocked.hashes(), items)
    );
}

#[test]
fn a_blocked_filter_rounds_up_to_whole_blocks_and_refuses_bad_parameters() {
    assert_eq!(BlockedBloomFilter::new(1, 3).expect("valid").bits(), 512);
    assert_eq!(
        BlockedBloomFilter::new(513, 3).expect("valid").bits(),
        1_024
    );
    assert_eq!(
        BlockedBloomFilter::new(64, 0).unwrap_err(),
        BloomError::ZeroHashes(0)
    );
    assert_eq!(
        BlockedBloomFilter::with_rate(0, 0.01).unwrap_err(),
        BloomError::ZeroItems(0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, rng_seed: proptest::test_runner::RngSeed::Fixed(3), ..ProptestConfig::default() })]

    #[test]
    fn a_filter_never_denies_what_a_hash_set_holds(
        inserted in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 0..200),
        probes in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 0..100),
        bits in 1u64..4_000,
        hashes in 1u32..12,
    ) {
        let mut filter = BloomFilter::new(bits, hashes).expect("bits and hashes are not zero");
        let mut model = HashSet::new();
        for item in &inserted {
            filter.insert(item);
            model.insert(item.clone());
        }
        for item in inserted.iter().chain(&probes) {
            // The model's "present" implies the filter's; the converse is a false positive.
            if model.contains(item) {
                prop_assert!(filter.contains(item));
            }
        }
    }

    #[test]
    fn a_counting_filter_never_denies_a_key_inserted_more_times_than_removed(
        ops in prop::collection::vec((0u8..30, any::<bool>()), 0..300),
    ) {
        let mut filter = CountingBloomFilter::with_rate(50, 0.05).expect("valid parameters");
        let mut model = std::collections::HashMap::<u8, usize>::new();
        for (key, insert) in ops {
            let bytes = [key];
            if insert {
                filter.insert(&bytes);
                *model.entry(key).or_default() += 1;
            } else if model.get(&key).copied().unwrap_or(0) > 0 {
                prop_assert!(filter.remove(&bytes));
                *model.entry(key).or_default() -= 1;
            }
            for (&k, &count) in &model {
                if count > 0 {
                    prop_assert!(filter.contains(&[k]));
                }
            }
        }
    }
}

/// Bit counts and item counts at the edges of their types, and every kind of rate.
fn extreme_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(63),
        Just(64),
        Just(sysdesign::bloom_filters::MAX_BITS),
        Just(sysdesign::bloom_filters::MAX_BITS + 1),
        Just(u64::MAX),
        any::<u64>(),
    ]
}

fn extreme_rate() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MIN_POSITIVE),
        Just(1e-300),
        Just(0.5),
        any::<f64>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..ProptestConfig::default() })]

    /// No argument aborts, overflows or loops: each is refused with an error naming the limit,
    /// or gives a filter that works.
    #[test]
    fn extreme_sizes_are_refused_or_work(
        bits in extreme_u64(),
        hashes in prop_oneof![Just(0u32), Just(1), Just(128), Just(129), Just(u32::MAX), any::<u32>()],
        items in prop_oneof![Just(0usize), Just(1), Just(usize::MAX), any::<usize>()],
        rate in extreme_rate(),
    ) {
        // Keep the filters that are built small enough for a test: at most 2^24 bits.
        let small_bits = if bits > 1 << 24 && bits <= sysdesign::bloom_filters::MAX_BITS { 1 << 24 } else { bits };
        match BloomFilter::new(small_bits, hashes) {
            Ok(mut filter) => {
                filter.insert(b"x");
                prop_assert!(filter.contains(b"x"));
            }
            Err(BloomError::ZeroBits(0) | BloomError::ZeroHashes(0)) => prop_assert!(small_bits == 0 || hashes == 0),
            Err(BloomError::TooManyBits { bits: b, limit }) => prop_assert!(b > limit),
            Err(BloomError::TooManyHashes { hashes: h, limit }) => prop_assert!(h > limit),
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
        // Sizing from items and rate: refused, or sized; only small ones are built.
        match sysdesign::bloom_filters::optimal_bits(items, rate) {
            Ok(m) if m <= 1 << 24 && items <= 1 << 20 => {
                let filter = BloomFilter::with_rate(items, rate);
                let fine = filter.is_ok() || matches!(filter, Err(BloomError::TooManyHashes { .. }));
                prop_assert!(fine);
                let counting = CountingBloomFilter::with_rate(items, rate);
                let fine = counting.is_ok() || matches!(counting, Err(BloomError::TooManyHashes { .. }));
                prop_assert!(fine);
            }
            Ok(m) if m > sysdesign::bloom_filters::MAX_BITS => {
                let refused = matches!(BloomFilter::with_rate(items, rate), Err(BloomError::TooManyBits { .. }));
                prop_assert!(refused);
                let refused = matches!(CountingBloomFilter::with_rate(items, rate), Err(BloomError::TooManyBits { .. }));
                prop_assert!(refused);
            }
            Ok(_) => {} // between the test's size and the limit: valid, but too big to build here
            Err(e) => prop_assert!(items == 0 || !(rate > 0.0 && rate < 1.0), "{e}"),
        }
        let p = sysdesign::bloom_filters::false_positive_rate(bits.max(1), hashes, items);
        prop_assert!((0.0..=1.0).contains(&p), "{p}");
    }
}
