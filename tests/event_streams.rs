//! Event streams and MapReduce: replay from a snapshot equals replay from the start, windows
//! hold exactly the events they should, the streaming counter equals a batch count when no
//! event is late, and the threaded word count equals a single-threaded one.

use proptest::prelude::*;
use sysdesign::event_streams::{
    Command, EventStore, TimedEvent, Window, WindowSpec, WindowedCounter, batch_counts,
    count_words, map_reduce, reducer_for, replay, split_text, windows_for,
};

#[test]
fn refused_command_records_no_event() {
    let mut store = EventStore::new(0);
    assert!(store.handle(Command::Deposit("nobody".into(), 5)).is_err());
    store
        .handle(Command::Open("a".into()))
        .expect("new account");
    assert!(store.handle(Command::Open("a".into())).is_err());
    assert!(store.handle(Command::Withdraw("a".into(), 1)).is_err());
    assert_eq!(store.events().len(), 1);
}

#[test]
fn as_of_travels_back_in_time() {
    let mut store = EventStore::new(0);
    store.handle(Command::Open("a".into())).expect("ok");
    store.handle(Command::Deposit("a".into(), 10)).expect("ok");
    store.handle(Command::Deposit("a".into(), 5)).expect("ok");
    assert_eq!(store.as_of(2)["a"], 10);
    assert_eq!(store.as_of(3)["a"], 15);
    assert!(store.as_of(0).is_empty());
}

#[test]
fn late_event_is_counted_apart_and_changes_no_emitted_window() {
    let mut c = WindowedCounter::new(WindowSpec::Tumbling { size: 10 }, 2);
    let e = |time, arrival| TimedEvent {
        key: "k".into(),
        time,
        arrival,
    };
    c.process(&e(1, 1));
    c.process(&e(13, 13)); // watermark 11: [0, 10) is emitted
    c.process(&e(9, 14)); // too late for [0, 10)
    c.finish(20);
    assert_eq!(c.late(), 1);
    assert_eq!(c.results()[0].window, Window { start: 0, end: 10 });
    assert_eq!(c.results()[0].count, 1);
}

#[test]
fn sessions_merge_when_a_bridging_event_arrives() {
    let mut c = WindowedCounter::new(WindowSpec::Session { gap: 5 }, 100);
    let e = |time| TimedEvent {
        key: "k".into(),
        time,
        arrival: time,
    };
    c.process(&e(0));
    c.process(&e(8)); // a separate session so far
    c.process(&e(4)); // bridges [0, 5) and [8, 13)
    c.finish(200);
    assert_eq!(c.results().len(), 1);
    assert_eq!(c.results()[0].window, Window { start: 0, end: 13 });
    assert_eq!(c.results()[0].count, 3);
}

#[test]
fn word_count_ignores_case_and_punctuation() {
    let counts = count_words("The cat; the CAT, the end.");
    assert_eq!(counts["the"], 3);
    assert_eq!(counts["cat"], 2);
}

fn command() -> impl Strategy<Value = Command> {
    let account = (0u8..4).prop_map(|a| format!("acct-{a}"));
    prop_oneof![
        1 => account.clone().prop_map(Command::Open),
        3 => (account.clone(), 0u64..100).prop_map(|(a, n)| Command::Deposit(a, n)),
        2 => (account, 0u64..150).prop_map(|(a, n)| Command::Withdraw(a, n)),
    ]
}

fn spec() -> impl Strategy<Value = WindowSpec> {
    prop_oneof![
        (1u64..30).prop_map(|size| WindowSpec::Tumbling { size }),
        (1u64..30, 1u64..30).prop_map(|(size, slide)| WindowSpec::Sliding { size, slide }),
        (1u64..15).prop_map(|gap| WindowSpec::Session { gap }),
    ]
}

/// Events with event times in 0..200 and delays up to `max_delay`, sorted by arrival.
fn stream(max_delay: u64) -> impl Strategy<Value = Vec<TimedEvent>> {
    prop::collection::vec((0u8..3, 0u64..200, 0..=max_delay), 0..80).prop_map(|raw| {
        let mut events: Vec<TimedEvent> = raw
            .into_iter()
            .map(|(k, time, delay)| TimedEvent {
                key: format!("k{k}"),
                time,
                arrival: time + delay,
            })
            .collect();
        events.sort_by_key(|e| (e.arrival, e.time));
        events
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Loading from the latest snapshot plus the tail equals replaying every event, and both
    /// equal the state the store kept while handling commands.
    #[test]
    fn snapshot_plus_tail_equals_full_replay(
        commands in prop::collection::vec(command(), 0..200),
        every in 0usize..20,
    ) {
        let mut store = EventStore::new(every);
        let mut live = sysdesign::event_streams::Balances::new();
        for c in commands {
            if let Ok(event) = store.handle(c) {
                sysdesign::event_streams::apply(&mut live, &event.clone());
            }
        }
        let (loaded, replayed) = store.load();
        prop_assert_eq!(&loaded, &replay(store.events()));
        prop_assert_eq!(&loaded, &live);
        if every > 0 {
            prop_assert!(replayed < every);
        }
    }

    /// Tumbling and sliding windows: exactly the windows `[k·slide, k·slide + size)` that
    /// contain t, each once, in order.
    #[test]
    fn windows_for_matches_brute_force(size in 1u64..40, slide in 1u64..40, t in 0u64..500) {
        for (spec, step) in [
            (WindowSpec::Tumbling { size }, size),
            (WindowSpec::Sliding { size, slide }, slide),
        ] {
            let want: Vec<Window> = (0..=t / step)
                .map(|k| Window { start: k * step, end: k * step + size })
                .filter(|w| w.start <= t && t < w.end)
                .collect();
            prop_assert_eq!(windows_for(spec, t), want);
        }
    }

    /// When the allowed lateness covers the worst delay, no event is late and the streaming
    /// counts equal the batch counts, for every kind of window.
    #[test]
    fn streaming_equals_batch_when_lateness_covers_the_delay(
        spec in spec(),
        events in stream(20),
    ) {
        let mut counter = WindowedCounter::new(spec, 20);
        for e in &events {
            counter.process(e);
        }
        counter.finish(u64::MAX);
        prop_assert_eq!(counter.late(), 0);
        let streamed: std::collections::BTreeMap<(String, Window), u64> = counter
            .results()
            .iter()
            .map(|r| ((r.key.clone(), r.window), r.count))
            .collect();
        prop_assert_eq!(streamed, batch_counts(spec, &events));
    }

    /// With too little lateness, every tumbling-window event is either counted once or
    /// reported late: none vanishes silently; and no window is emitted twice.
    #[test]
    fn every_event_is_counted_or_reported_late(
        size in 1u64..30,
        lateness in 0u64..5,
        events in stream(30),
    ) {
        let mut counter = WindowedCounter::new(WindowSpec::Tumbling { size }, lateness);
        for e in &events {
            counter.process(e);
        }
        counter.finish(u64::MAX);
        let counted: u64 = counter.results().iter().map(|r| r.count).sum();
        prop_assert_eq!(counted + counter.late(), events.len() as u64);
        let mut keys: Vec<(String, Window)> =
            counter.results().iter().map(|r| (r.key.clone(), r.window)).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        prop_assert_eq!(keys.len(), n);
    }

    /// The threaded MapReduce equals the single-threaded count, with or without the combiner,
    /// for any number of splits and reducers; each reducer gets exactly its words.
    #[test]
    fn map_reduce_equals_single_threaded_count(
        text in "[a-c ,.]{0,300}",
        splits in 1usize..6,
        reducers in 1usize..5,
        combine in any::<bool>(),
    ) {
        let pieces = split_text(&text, splits);
        prop_assert_eq!(pieces.concat(), text.clone());
        let run = map_reduce(&pieces, reducers, combine);
        prop_assert_eq!(&run.counts, &count_words(&text));
        let total: u64 = run.counts.values().sum();
        prop_assert_eq!(run.words_mapped.iter().sum::<usize>() as u64, total);
        if !combine {
            prop_assert_eq!(run.pairs_shuffled() as u64, total);
        }
        for r in 0..reducers {
            let sent: usize = run.shuffle.iter().map(|row| row[r]).sum();
            let words_of_r = run.counts.keys().filter(|w| reducer_for(w, reducers) == r).count();
            prop_assert!(sent >= words_of_r);
        }
    }
}
