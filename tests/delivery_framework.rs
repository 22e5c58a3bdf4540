//! Tests of `sysdesign::delivery_framework`: the unit arithmetic and the estimates built on it.

use proptest::prelude::*;
use sysdesign::delivery_framework::{
    Bytes, BytesPerSecond, Count, PerSecond, Seconds, Workload, requests_per_second,
    rule_of_thumb_per_second, three_figures,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_day_has_86_400_seconds_and_a_year_365_days() {
    assert_eq!(Seconds::DAY.get(), 86_400.0);
    assert_eq!(Seconds::YEAR / Seconds::DAY, 365.0);
    assert_eq!(Seconds::days(2.0), Seconds::DAY * 2.0);
}

#[test]
fn the_ten_to_the_fifth_shortcut_is_13_6_percent_low() {
    let daily = Count::new(2e10);
    let exact = requests_per_second(daily, Count::new(1.0));
    let rough = rule_of_thumb_per_second(daily);
    assert!(close(1.0 - rough / exact, 0.136));
}

#[test]
fn a_gigabit_per_second_is_125_megabytes_per_second() {
    let link = BytesPerSecond::gigabits(1.0);
    assert_eq!(link.get(), 125e6);
    assert_eq!(link.bits_per_second(), 1e9);
    assert!(close((Bytes::mega(1.0) / link).get(), 0.008));
}

#[test]
fn the_notes_twitter_feed_reads_20_petabytes_a_day() {
    let feed = Workload {
        daily_active_users: Count::new(200e6),
        reads_per_user_per_day: Count::new(100.0),
        writes_per_user_per_day: Count::new(1.0),
        bytes_per_read: Bytes::mega(1.0),
        bytes_per_write: Bytes::mega(1.0),
        peak_to_average: 2.0,
    };
    assert!(close(feed.reads_per_day_bytes().get(), 20e15));
    assert!(close(feed.reads().get(), 2e10 / 86_400.0));
    assert!(close(feed.peak_reads().get(), 2.0 * 2e10 / 86_400.0));
    assert!(close(feed.storage_per_day().get(), 200e12));
    assert!(close(feed.storage_per_year().get(), 365.0 * 200e12));
    assert!(close(feed.read_bandwidth().get(), 20e15 / 86_400.0));
    assert!(close(feed.write_bandwidth().get(), 200e12 / 86_400.0));
}

#[test]
fn quantities_print_with_an_si_prefix_and_three_figures() {
    assert_eq!(Bytes::new(20e15).to_string(), "20 PB");
    assert_eq!(PerSecond::new(231_481.48).to_string(), "231 k/s");
    assert_eq!(BytesPerSecond::new(231.48e9).in_bits(), "1.85 Tbit/s");
    assert_eq!(Seconds::millis(8.0).to_string(), "8 ms");
    assert_eq!(Seconds::nanos(44.2).to_string(), "44.2 ns");
    assert_eq!(Seconds::micros(2.967).to_string(), "2.97 µs");
    assert_eq!(Seconds::DAY.to_string(), "1 days");
    assert_eq!(Count::new(5e9).to_string(), "5 G");
    assert_eq!(three_figures(0.1234), "0.123");
    assert_eq!(three_figures(1234.0), "1234");
}

proptest! {
    /// Bytes ÷ time × time gives the bytes back, and bytes ÷ bandwidth × bandwidth too.
    #[test]
    fn division_and_multiplication_are_inverse(b in 1.0f64..1e18, s in 1e-9f64..1e9) {
        let bw = Bytes::new(b) / Seconds::new(s);
        prop_assert!(close((bw * Seconds::new(s)).get(), b));
        prop_assert!(close((Bytes::new(b) / bw).get(), s));
        let rate = Count::new(b) / Seconds::new(s);
        prop_assert!(close((rate * Seconds::new(s)).get(), b));
        prop_assert!(close((Count::new(b) / rate).get(), s));
    }

    /// A workload's rates scale linearly with its users.
    #[test]
    fn rates_scale_with_users(users in 1.0f64..1e10, per in 0.0f64..1e4, k in 1.0f64..100.0) {
        let one = requests_per_second(Count::new(users), Count::new(per));
        let many = requests_per_second(Count::new(users * k), Count::new(per));
        prop_assert!(close(many.get(), one.get() * k));
    }
}
