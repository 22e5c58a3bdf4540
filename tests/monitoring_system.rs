//! The monitoring system: Gorilla blocks round-trip any series exactly, cost one bit per
//! regular timestamp and repeated value, and the yearly entry counts follow the retention.

use proptest::prelude::*;
use sysdesign::monitoring_system::{Block, SeriesKind, entries_after_a_year, series};
use sysdesign::specialized_storage::{HOUR_MS, Retention};

#[test]
fn regular_timestamps_and_repeated_values_cost_two_bits_a_point() {
    let points: Vec<(i64, f64)> = (0..1_001).map(|i| (10 * i, 3.5)).collect();
    let block = Block::encode(&points);
    // 128 bits for the first point, 9 + 1 for the second, then 1 + 1 for each of the 999 others.
    let bits = 128 + 10 + 2 * 999;
    assert_eq!(block.len_bytes(), (bits as usize).div_ceil(8));
    assert_eq!(block.decode().expect("whole block"), points);
}

#[test]
fn an_empty_block_and_a_single_point_round_trip() {
    assert_eq!(Block::encode(&[]).decode().expect("empty"), vec![]);
    let one = [(-5, f64::NAN.copysign(-1.0))];
    let back = Block::encode(&one).decode().expect("one point");
    assert_eq!(back[0].0, -5);
    assert_eq!(back[0].1.to_bits(), one[0].1.to_bits());
}

#[test]
fn a_late_scrape_costs_more_bits_than_an_on_time_one() {
    let on_time: Vec<(i64, f64)> = (0..100).map(|i| (10 * i, 1.0)).collect();
    let mut late = on_time.clone();
    late[50].0 += 3;
    assert!(Block::encode(&late).len_bytes() > Block::encode(&on_time).len_bytes());
}

#[test]
fn full_precision_floats_compress_worse_than_counters() {
    let noisy = series(SeriesKind::FullPrecision, 720, 0, 10, 0, 3);
    let counter = series(SeriesKind::Counter, 720, 0, 10, 0, 3);
    assert!(Block::encode(&noisy).bytes_per_point() > Block::encode(&counter).bytes_per_point());
}

#[test]
fn a_year_keeps_the_retained_entries_of_each_resolution() {
    let days = |d: u64| d * 24 * HOUR_MS;
    let keep = Retention {
        raw_ms: days(1),
        minute_ms: days(7),
        hour_ms: days(90),
    };
    assert_eq!(
        entries_after_a_year(10, keep),
        (8_640, 7 * 24 * 60, 90 * 24)
    );
}

proptest! {
    #[test]
    fn any_series_round_trips_bit_for_bit(
        points in proptest::collection::vec((any::<i64>(), any::<u64>()), 0..200),
    ) {
        let mut t = 0i64;
        let points: Vec<(i64, f64)> = points
            .into_iter()
            .map(|(step, bits)| {
                t = t.wrapping_add(step % 100_000);
                (t, f64::from_bits(bits))
            })
            .collect();
        let back = Block::encode(&points).decode().expect("a whole block");
        prop_assert_eq!(back.len(), points.len());
        for (a, b) in back.iter().zip(&points) {
            prop_assert_eq!(a.0, b.0);
            prop_assert_eq!(a.1.to_bits(), b.1.to_bits());
        }
    }

    #[test]
    fn generated_series_round_trip_and_never_exceed_the_worst_case(
        kind in proptest::sample::select(SeriesKind::ALL.to_vec()),
        jitter in 0i64..5_000,
        seed in 0u64..1_000,
    ) {
        let points = series(kind, 300, 1_700_000_000_000, 10_000, jitter, seed);
        let block = Block::encode(&points);
        prop_assert_eq!(block.decode().expect("a whole block"), points);
        // Worst case per point after the first: 4 + 64 timestamp bits, 2 + 5 + 6 + 64 value bits.
        prop_assert!(block.len_bytes() <= 16 + 299 * 145usize.div_ceil(8));
    }
}
