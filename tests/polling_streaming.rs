//! Polling and streaming: the four ways a client hears of server events, webhooks, and adaptive
//! bitrate, tested against simple models and over loopback.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::time::Duration;
use sysdesign::overload::{Backoff, Jitter};
use sysdesign::polling_streaming::{
    Protocol, SignatureError, SseParser, ThroughputRule, bandwidth_trace, deliver, encode_sse,
    follow_all, play, poisson_events, sign, simulate, verify,
};

fn ladder_rule(safety: f64) -> ThroughputRule {
    ThroughputRule {
        ladder: vec![145, 365, 730, 1_100, 2_000, 3_000, 4_500],
        window: 3,
        safety,
    }
}

proptest! {
    // The rule never picks a bitrate above safety x estimate, unless it is the lowest rung.
    #[test]
    fn abr_never_picks_above_the_estimate_times_its_safety_factor(
        recent in prop::collection::vec(50.0f64..20_000.0, 0..10),
        safety in 0.1f64..=1.0,
    ) {
        let rule = ladder_rule(safety);
        let chosen = rule.choose(&recent);
        match rule.estimate(&recent) {
            Some(estimate) if chosen != 145 => prop_assert!(f64::from(chosen) <= safety * estimate),
            Some(_) => {}
            None => prop_assert_eq!(chosen, 145),
        }
        // And it is the highest that fits: the next rung up would not.
        if let (Some(estimate), Some(&up)) = (rule.estimate(&recent), rule.ladder.iter().find(|&&b| b > chosen)) {
            prop_assert!(f64::from(up) > safety * estimate);
        }
    }

    // Whatever the link does, every segment chosen in play obeys the same bound.
    #[test]
    fn abr_play_keeps_every_choice_under_the_safe_estimate(seed in 0u64..500) {
        let rule = ladder_rule(0.8);
        let trace = bandwidth_trace(seed, 200, 10);
        for s in play(&rule, &trace, 40, 4.0, 20.0) {
            if let Some(e) = s.estimate_kbps {
                prop_assert!(s.bitrate_kbps == 145 || f64::from(s.bitrate_kbps) <= 0.8 * e);
            }
            prop_assert!(s.buffer_s <= 20.0 + 1e-9);
        }
    }

    // The parser returns the same events however the stream is cut into chunks.
    #[test]
    fn sse_parser_is_independent_of_chunk_boundaries(
        datas in prop::collection::vec("[a-z0-9 :\n]{1,12}", 1..8),
        cuts in prop::collection::vec(0usize..200, 0..10),
    ) {
        let stream: String = datas.iter().enumerate().map(|(i, d)| encode_sse(Some(&i.to_string()), d)).collect();
        let mut whole = SseParser::default();
        let expected = whole.feed(&stream);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (stream.len() + 1)).collect();
        cuts.sort_unstable();
        let mut parser = SseParser::default();
        let mut got = vec![];
        let mut from = 0;
        for cut in cuts.into_iter().chain([stream.len()]) {
            got.extend(parser.feed(&stream[from..cut]));
            from = cut;
        }
        prop_assert_eq!(&got, &expected);
        let data: Vec<&str> = got.iter().map(|e| e.data.as_str()).collect();
        prop_assert_eq!(data, datas.iter().map(String::as_str).collect::<Vec<_>>());
    }

    // A signature verifies for its body only.
    #[test]
    fn webhook_signature_verifies_only_the_signed_body(
        body in prop::collection::vec(any::<u8>(), 0..64),
        other in prop::collection::vec(any::<u8>(), 0..64),
        ts in 0u64..4_000_000_000,
    ) {
        let header = sign(b"secret", ts, &body);
        prop_assert!(verify(b"secret", &header, &body, ts, 0).is_ok());
        if other != body {
            prop_assert_eq!(verify(b"secret", &header, &other, ts, 0), Err(SignatureError::Mismatch));
        }
    }

    // Streams send one request; short polling sends one per interval; every event is delivered.
    #[test]
    fn simulated_ways_deliver_every_event_and_count_requests(seed in 0u64..300, n in 1usize..50) {
        let events = poisson_events(seed, n, 100.0);
        for way in [
            Protocol::ShortPoll { interval_s: 2.0 },
            Protocol::LongPoll { timeout_s: 20.0 },
            Protocol::ServerSentEvents,
            Protocol::WebSocket,
        ] {
            let run = simulate(way, &events, 0.05, 200.0);
            prop_assert_eq!(run.latencies_s.len(), events.len());
            prop_assert!(run.latencies_s.iter().all(|&l| l >= 0.05 - 1e-12));
            match way {
                Protocol::ShortPoll { .. } => prop_assert_eq!(run.requests, 100),
                Protocol::ServerSentEvents | Protocol::WebSocket => prop_assert_eq!(run.requests, 1),
                Protocol::LongPoll { .. } => prop_assert!(run.requests as usize >= 1),
            }
        }
    }
}

#[test]
fn short_polling_latency_is_bounded_by_interval_plus_round_trip() {
    let events = poisson_events(1, 40, 100.0);
    let run = simulate(
        Protocol::ShortPoll { interval_s: 2.0 },
        &events,
        0.05,
        120.0,
    );
    assert!(run.latencies_s.iter().all(|&l| l <= 2.0 + 0.1 + 1e-9));
}

#[test]
fn streams_deliver_after_one_way_delay() {
    let events = [1.0, 2.0, 2.5];
    let run = simulate(Protocol::ServerSentEvents, &events, 0.05, 10.0);
    for l in run.latencies_s {
        assert!((l - 0.05).abs() < 1e-9);
    }
}

#[test]
fn sse_parser_handles_crlf_comments_and_events_without_data() {
    let mut p = SseParser::default();
    let events = p.feed(": keep-alive\r\nid: 1\r\n\r\nevent: tick\r\ndata:x\r\n\r\n");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event, "tick");
    assert_eq!(events[0].data, "x");
    assert_eq!(events[0].last_event_id, "1");
}

#[test]
fn webhook_is_retried_until_the_receiver_answers_2xx() {
    let backoff = Backoff::new(100, 1_000, Jitter::None).expect("valid");
    let mut rng = StdRng::seed_from_u64(1);
    let attempts = deliver(&backoff, 10, &mut rng, |n, _| if n < 4 { 500 } else { 204 });
    let at: Vec<u64> = attempts.iter().map(|a| a.at_ms).collect();
    assert_eq!(at, [0, 100, 300, 700]);
    assert_eq!(attempts.last().map(|a| a.status), Some(204));
}

#[test]
fn webhook_gives_up_after_max_attempts() {
    let backoff = Backoff::new(100, 1_000, Jitter::Full).expect("valid");
    let mut rng = StdRng::seed_from_u64(1);
    assert_eq!(deliver(&backoff, 3, &mut rng, |_, _| 0).len(), 3);
}

#[test]
fn stale_or_malformed_signatures_are_refused() {
    let header = sign(b"k", 1_000, b"body");
    assert!(matches!(
        verify(b"k", &header, b"body", 2_000, 300),
        Err(SignatureError::Stale { .. })
    ));
    assert!(matches!(
        verify(b"k", "v1=zz", b"body", 1_000, 300),
        Err(SignatureError::Malformed(_))
    ));
}

#[test]
fn all_four_clients_receive_every_event_in_order_over_loopback() {
    // No gaps: events are published at once, so nothing waits on the clock but the polls.
    let gaps = vec![Duration::ZERO; 5];
    let runs = follow_all(&gaps, Duration::from_millis(1), Duration::from_secs(30)).expect("runs");
    assert_eq!(runs.len(), 4);
    for run in runs {
        assert_eq!(run.received, [1, 2, 3, 4, 5], "{}", run.protocol);
        assert!(run.requests >= 1);
    }
}
