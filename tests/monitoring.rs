//! Monitoring: HDR percentiles against a sorted vector, exact merges and roll-ups, the alert
//! rule's hysteresis, the text exposition format, and a scrape over loopback.

use proptest::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use sysdesign::monitoring::{
    Alert, AlertRule, AlertState, LatencyHistogram, MetricError, MetricsEndpoint, Observation,
    Registry, Rollups, Transition, Workload, nearest_rank, parse,
};

fn histogram_of(micros: &[u64]) -> LatencyHistogram {
    let h = LatencyHistogram::new();
    for &m in micros {
        h.record(Duration::from_micros(m));
    }
    h
}

proptest! {
    // The HDR histogram returns the nearest-rank value rounded up to the end of its bucket,
    // which is never more than 0.1% above the exact value.
    #[test]
    fn hdr_percentile_is_the_nearest_rank_value_within_a_tenth_of_a_percent(
        micros in prop::collection::vec(0u64..10_000_000, 1..400),
        q in 0.0f64..=1.0,
    ) {
        let exact = nearest_rank(&micros, q).expect("not empty");
        let hdr = histogram_of(&micros).percentile(q).as_micros() as u64;
        prop_assert!(hdr >= exact, "hdr {hdr} below exact {exact}");
        prop_assert!((hdr - exact) as f64 <= exact as f64 / 1000.0, "hdr {hdr} exact {exact}");
    }

    // Merging histograms is exact: the merge holds what one histogram of all values holds.
    #[test]
    fn merged_histograms_answer_like_one_histogram_of_all_values(
        a in prop::collection::vec(1u64..1_000_000, 1..200),
        b in prop::collection::vec(1u64..1_000_000, 1..200),
        q in 0.0f64..=1.0,
    ) {
        let merged = histogram_of(&a);
        merged.merge(&histogram_of(&b));
        let all: Vec<u64> = a.iter().chain(&b).copied().collect();
        let whole = histogram_of(&all);
        prop_assert_eq!(merged.percentile(q), whole.percentile(q));
        prop_assert_eq!(merged.count(), whole.count());
        prop_assert_eq!(merged.sum(), whole.sum());
    }

    // Hysteresis: once firing, a signal that never drops below the resolve threshold never
    // resolves, and a signal that never rises above the fire threshold never fires again.
    #[test]
    fn hysteresis_never_flaps_on_a_signal_between_the_thresholds(
        between in prop::collection::vec(0.02f64..=0.05, 1..200),
        hold_s in 0u64..300,
    ) {
        let rule = AlertRule::new(0.05, 0.02, Duration::from_secs(hold_s)).expect("valid");
        let mut alert = Alert::new(rule);
        let mut t = Duration::ZERO;
        // Drive it to firing first.
        while alert.state() != AlertState::Firing {
            alert.evaluate(t, 1.0);
            t += Duration::from_secs(15);
        }
        for &v in &between {
            prop_assert_eq!(alert.evaluate(t, v), None);
            t += Duration::from_secs(15);
        }
        // And from inactive, the same signal never fires.
        let mut quiet = Alert::new(rule);
        for (i, &v) in between.iter().enumerate() {
            prop_assert_eq!(quiet.evaluate(Duration::from_secs(15 * i as u64), v), None);
        }
    }

    // Whatever the signal, notifications alternate: fired, resolved, fired, ...
    #[test]
    fn transitions_alternate_starting_with_fired(
        signal in prop::collection::vec(0.0f64..0.1, 1..300),
        hold_s in 0u64..120,
    ) {
        let rule = AlertRule::new(0.05, 0.02, Duration::from_secs(hold_s)).expect("valid");
        let mut alert = Alert::new(rule);
        let mut expect = Transition::Fired;
        for (i, &v) in signal.iter().enumerate() {
            if let Some(tr) = alert.evaluate(Duration::from_secs(10 * i as u64), v) {
                prop_assert_eq!(tr, expect);
                expect = match tr { Transition::Fired => Transition::Resolved, Transition::Resolved => Transition::Fired };
            }
        }
    }

    // Rolling minutes up into hours keeps every count and every latency.
    #[test]
    fn coarser_rollups_keep_every_request(seed in 0u64..1_000, factor in 1u32..30) {
        let w = Workload { seed, minutes: 30, quiet_per_minute: 20, busy: 10..12, busy_per_minute: 50, ..Workload::default() };
        let mut per_minute = Rollups::new(Duration::from_secs(60));
        for obs in w.generate() {
            per_minute.record(&obs);
        }
        let coarse = per_minute.coarsen(factor);
        let (fine, coarse) = (per_minute.total(), coarse.total());
        prop_assert_eq!(fine.requests, coarse.requests);
        prop_assert_eq!(fine.errors, coarse.errors);
        prop_assert_eq!(fine.latency.percentile(0.99), coarse.latency.percentile(0.99));
    }
}

#[test]
fn average_of_per_minute_p99s_understates_the_p99_when_busy_minutes_are_slow() {
    let mut per_minute = Rollups::new(Duration::from_secs(60));
    for obs in Workload::default().generate() {
        per_minute.record(&obs);
    }
    let averaged = per_minute.average_of_percentiles(0.99);
    let merged = per_minute.total().latency.percentile(0.99);
    assert!(averaged < merged / 2, "{averaged:?} vs {merged:?}");
}

#[test]
fn single_threshold_rule_fires_and_resolves_at_once() {
    let mut alert = Alert::new(AlertRule::single_threshold(0.5).expect("valid"));
    assert_eq!(alert.evaluate(Duration::ZERO, 0.6), Some(Transition::Fired));
    assert_eq!(
        alert.evaluate(Duration::ZERO, 0.4),
        Some(Transition::Resolved)
    );
}

#[test]
fn pending_alert_that_drops_back_never_fires() {
    let rule = AlertRule::new(0.5, 0.1, Duration::from_secs(60)).expect("valid");
    let mut alert = Alert::new(rule);
    assert_eq!(alert.evaluate(Duration::from_secs(0), 0.9), None);
    assert_eq!(alert.evaluate(Duration::from_secs(30), 0.2), None);
    assert_eq!(alert.evaluate(Duration::from_secs(60), 0.9), None);
    assert_eq!(
        alert.state(),
        AlertState::Pending {
            since: Duration::from_secs(60)
        }
    );
}

#[test]
fn rule_with_resolve_above_fire_is_refused() {
    assert!(AlertRule::new(0.1, 0.2, Duration::ZERO).is_err());
    assert!(AlertRule::new(f64::NAN, 0.2, Duration::ZERO).is_err());
}

#[test]
fn registry_refuses_bad_and_duplicate_names() {
    let r = Registry::default();
    assert_eq!(
        r.counter("1abc", "").unwrap_err(),
        MetricError::BadName("1abc".into())
    );
    r.gauge("queue_length", "").expect("valid");
    assert_eq!(
        r.counter("queue_length", "").unwrap_err(),
        MetricError::Duplicate("queue_length".into())
    );
    assert!(
        r.histogram("h", "", &[Duration::from_secs(2), Duration::from_secs(1)])
            .is_err()
    );
}

#[test]
fn histogram_exposition_has_cumulative_buckets_ending_with_inf_equal_to_count() {
    let r = Registry::default();
    let buckets = [Duration::from_millis(10), Duration::from_millis(100)];
    let h = r
        .histogram("latency_seconds", "Request latency.", &buckets)
        .expect("valid");
    for ms in [5, 50, 50, 500] {
        h.record(Duration::from_millis(ms));
    }
    let text = r.render();
    assert!(text.ends_with('\n'));
    let expected = "# HELP latency_seconds Request latency.\n\
        # TYPE latency_seconds histogram\n\
        latency_seconds_bucket{le=\"0.01\"} 1\n\
        latency_seconds_bucket{le=\"0.1\"} 3\n\
        latency_seconds_bucket{le=\"+Inf\"} 4\n\
        latency_seconds_sum 0.605\n\
        latency_seconds_count 4\n";
    assert_eq!(text, expected);
}

#[test]
fn help_text_escapes_backslash_and_newline() {
    let r = Registry::default();
    r.counter("x_total", "a\\b\nc").expect("valid");
    assert!(r.render().starts_with("# HELP x_total a\\\\b\\nc\n"));
}

#[test]
fn rendered_samples_parse_back_to_their_values() {
    let r = Registry::default();
    r.counter("served_total", "").expect("valid").inc_by(42);
    r.gauge("in_flight", "").expect("valid").set(-1.5);
    let samples = parse(&r.render()).expect("parses");
    let values: Vec<(&str, f64)> = samples.iter().map(|s| (s.name.as_str(), s.value)).collect();
    assert_eq!(values, [("served_total", 42.0), ("in_flight", -1.5)]);
}

#[test]
fn scrape_over_loopback_returns_the_registry_text() {
    let registry = Arc::new(Registry::default());
    let c = registry
        .counter("requests_total", "Requests.")
        .expect("valid");
    let endpoint = MetricsEndpoint::start(Arc::clone(&registry)).expect("binds 127.0.0.1");
    assert!(endpoint.addr().ip().is_loopback());
    c.inc_by(2);
    let first = endpoint.scrape().expect("scrape");
    c.inc();
    let second = endpoint.scrape().expect("scrape");
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body,
        "# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total 2\n"
    );
    assert!(second.body.ends_with("requests_total 3\n"));
}

#[test]
fn rollup_counts_errors_in_their_minute() {
    let mut r = Rollups::new(Duration::from_secs(60));
    let obs = |s, ok| Observation {
        at: Duration::from_secs(s),
        latency: Duration::from_millis(1),
        ok,
    };
    r.record(&obs(1, false));
    r.record(&obs(61, true));
    r.record(&obs(62, false));
    let errors: Vec<(u64, u64)> = r
        .windows()
        .map(|(start, w)| (start.as_secs(), w.errors))
        .collect();
    assert_eq!(errors, [(0, 1), (60, 1)]);
}
