//! Event streams and MapReduce: event sourcing, windows over a stream, and a batch job.
//!
//! Three ways to compute over events, from the finest grain to the coarsest:
//!
//! | piece | what it computes | when |
//! | --- | --- | --- |
//! | [`EventStore`] (event sourcing) | the current state, as a fold over every event so far | on every command, and on restart by replay from a snapshot |
//! | [`WindowedCounter`] | counts per key and window of event time | continuously, each window once the watermark passes its end |
//! | [`map_reduce`] | counts over a whole data set | once, in parallel map and reduce tasks with a shuffle between |
//!
//! The design decision is that time is always data: events carry their event time and their
//! arrival time, the watermark is computed from the events, and nothing reads a clock, so a
//! stream with stragglers can be replayed to the same results on every run. MapReduce runs on
//! real threads (`std::thread::scope`), and its result is checked against a plain count.
//!
//! ```
//! use sysdesign::event_streams::{TimedEvent, WindowSpec, WindowedCounter};
//!
//! let mut counter = WindowedCounter::new(WindowSpec::Tumbling { size: 10 }, 0);
//! for (time, arrival) in [(1, 1), (12, 12), (5, 13)] {
//!     counter.process(&TimedEvent { key: "u".into(), time, arrival });
//! }
//! // The window [0, 10) was emitted when the event at 12 s arrived, so the one at 5 s was late.
//! assert_eq!(counter.results()[0].count, 1);
//! assert_eq!(counter.late(), 1);
//! ```

mod mapreduce;
mod sourcing;
mod windows;

pub use mapreduce::{MapReduceRun, count_words, map_reduce, reducer_for, split_text, words};
pub use sourcing::{AccountEvent, Balances, Command, EventStore, Refused, Snapshot, apply, replay};
pub use windows::{
    TimedEvent, Window, WindowResult, WindowSpec, WindowedCounter, batch_counts, click_stream,
    windows_for,
};
