//! Windows over an unbounded stream: tumbling, sliding and session windows, closed by a
//! watermark, with late events counted rather than silently lost.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// An event: a key, the time it happened (event time) and the time it reached the processor
/// (processing time), both in seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedEvent {
    /// What it is about (a user, a page).
    pub key: String,
    /// When it happened.
    pub time: u64,
    /// When it arrived.
    pub arrival: u64,
}

/// How events are grouped in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowSpec {
    /// Back-to-back windows of `size` seconds: `[0, size)`, `[size, 2 size)`, ...
    Tumbling {
        /// The length of each window.
        size: u64,
    },
    /// Windows of `size` seconds starting every `slide` seconds; they overlap when
    /// `slide < size`, so an event belongs to about `size / slide` of them.
    Sliding {
        /// The length of each window.
        size: u64,
        /// The distance between window starts.
        slide: u64,
    },
    /// Per key, a window that lasts while events keep coming less than `gap` seconds apart:
    /// `[first event, last event + gap)`.
    Session {
        /// The silence that ends a session.
        gap: u64,
    },
}

/// A window, `[start, end)` in event time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    /// The first second it covers.
    pub start: u64,
    /// The first second after it.
    pub end: u64,
}

// ANCHOR: assign
/// The tumbling or sliding windows that contain time `t` (windows start at 0, so near 0 a
/// sliding window set is shorter). For sessions, the window the event opens on its own,
/// `[t, t + gap)`, before any merge.
///
/// ```
/// use sysdesign::event_streams::{Window, WindowSpec, windows_for};
///
/// let w = |start, end| Window { start, end };
/// assert_eq!(windows_for(WindowSpec::Tumbling { size: 60 }, 130), [w(120, 180)]);
/// assert_eq!(
///     windows_for(WindowSpec::Sliding { size: 60, slide: 20 }, 130),
///     [w(80, 140), w(100, 160), w(120, 180)]
/// );
/// ```
pub fn windows_for(spec: WindowSpec, t: u64) -> Vec<Window> {
    match spec {
        WindowSpec::Tumbling { size } => {
            let size = size.max(1);
            let start = t - t % size;
            vec![Window {
                start,
                end: start + size,
            }]
        }
        WindowSpec::Sliding { size, slide } => {
            let (size, slide) = (size.max(1), slide.max(1));
            let last = t - t % slide; // the latest start at or before t
            let mut windows = Vec::new();
            let mut start = last;
            loop {
                if start + size > t {
                    windows.push(Window {
                        start,
                        end: start + size,
                    });
                }
                if start < slide || start + size <= t {
                    break;
                }
                start -= slide;
            }
            windows.reverse();
            windows
        }
        WindowSpec::Session { gap } => vec![Window {
            start: t,
            end: t + gap.max(1),
        }],
    }
}
// ANCHOR_END: assign

/// A window's result: how many events of `key` fell in it, and when it was emitted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WindowResult {
    /// The key.
    pub key: String,
    /// The window.
    pub window: Window,
    /// Events counted.
    pub count: u64,
    /// Processing time at which the watermark passed the window's end (or the stream ended).
    pub emitted_at: u64,
}

// ANCHOR: counter
/// Counts events per key and window as they arrive, in any order. The **watermark** is the
/// largest event time seen minus `allowed_lateness`: the processor's claim that no event
/// older than it is still coming. A window is emitted once the watermark reaches its end;
/// an event that arrives for a window already emitted is late, and is counted in
/// [`late`](WindowedCounter::late) instead of silently changing a published result.
#[derive(Clone, Debug)]
pub struct WindowedCounter {
    spec: WindowSpec,
    allowed_lateness: u64,
    max_time: Option<u64>,
    open: BTreeMap<(String, Window), u64>,
    emitted: Vec<WindowResult>,
    late: u64,
}

impl WindowedCounter {
    /// A counter for `spec` that waits `allowed_lateness` seconds of event time for stragglers.
    pub fn new(spec: WindowSpec, allowed_lateness: u64) -> Self {
        WindowedCounter {
            spec,
            allowed_lateness,
            max_time: None,
            open: BTreeMap::new(),
            emitted: Vec::new(),
            late: 0,
        }
    }

    /// The current watermark (none before the first event).
    pub fn watermark(&self) -> Option<u64> {
        self.max_time
            .map(|t| t.saturating_sub(self.allowed_lateness))
    }

    /// Takes one event, then emits every window the watermark has passed.
    pub fn process(&mut self, event: &TimedEvent) {
        let closed = |w: &Window| self.watermark().is_some_and(|wm| w.end <= wm);
        let all = windows_for(self.spec, event.time);
        let windows: Vec<Window> = all.iter().filter(|w| !closed(w)).copied().collect();
        // Late: it belonged to windows, and all of them were emitted. (A sliding window set
        // with gaps, slide > size, has times that belong to no window at all.)
        if windows.is_empty() && !all.is_empty() {
            self.late += 1;
        }
        for window in windows {
            match self.spec {
                WindowSpec::Session { .. } => self.merge_session(&event.key, window),
                _ => *self.open.entry((event.key.clone(), window)).or_insert(0) += 1,
            }
        }
        self.max_time = Some(self.max_time.map_or(event.time, |m| m.max(event.time)));
        if let Some(wm) = self.watermark() {
            self.emit(|w| w.end <= wm, event.arrival);
        }
    }

    /// Merges the new session window with every open session of `key` it overlaps.
    fn merge_session(&mut self, key: &str, mut window: Window) {
        let mut count = 1;
        let overlapping: Vec<Window> = self
            .open
            .range((key.to_string(), Window { start: 0, end: 0 })..)
            .take_while(|((k, _), _)| k == key)
            .map(|((_, w), _)| *w)
            .filter(|w| w.start < window.end && window.start < w.end)
            .collect();
        for w in overlapping {
            count += self.open.remove(&(key.to_string(), w)).unwrap_or(0);
            window.start = window.start.min(w.start);
            window.end = window.end.max(w.end);
        }
        self.open.insert((key.to_string(), window), count);
    }

    fn emit(&mut self, due: impl Fn(&Window) -> bool, now: u64) {
        let ready: Vec<(String, Window)> =
            self.open.keys().filter(|(_, w)| due(w)).cloned().collect();
        for key in ready {
            let count = self.open.remove(&key).unwrap_or(0);
            self.emitted.push(WindowResult {
                key: key.0,
                window: key.1,
                count,
                emitted_at: now,
            });
        }
    }

    /// The stream ended at processing time `now`: emits every window still open.
    pub fn finish(&mut self, now: u64) {
        self.emit(|_| true, now);
    }
    // ANCHOR_END: counter

    /// Results emitted so far, in the order they were emitted.
    pub fn results(&self) -> &[WindowResult] {
        &self.emitted
    }

    /// Events that arrived after every window they belonged to had been emitted.
    pub fn late(&self) -> u64 {
        self.late
    }
}

/// The counts a batch job would compute over all `events` at once: the reference the
/// streaming counter must match when no event is late.
pub fn batch_counts(spec: WindowSpec, events: &[TimedEvent]) -> BTreeMap<(String, Window), u64> {
    let mut counts = BTreeMap::new();
    match spec {
        WindowSpec::Session { gap } => {
            let gap = gap.max(1);
            let mut by_key: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
            for e in events {
                by_key.entry(&e.key).or_default().push(e.time);
            }
            for (key, mut times) in by_key {
                times.sort_unstable();
                // Split where two consecutive events are `gap` or more apart.
                let mut sessions: Vec<(u64, u64, u64)> = Vec::new(); // (first, last, count)
                for t in times {
                    match sessions.last_mut() {
                        Some((_, last, count)) if t < *last + gap => {
                            *last = t;
                            *count += 1;
                        }
                        _ => sessions.push((t, t, 1)),
                    }
                }
                for (start, last, count) in sessions {
                    let end = last + gap;
                    counts.insert((key.to_string(), Window { start, end }), count);
                }
            }
        }
        _ => {
            for e in events {
                for w in windows_for(spec, e.time) {
                    *counts.entry((e.key.clone(), w)).or_insert(0) += 1;
                }
            }
        }
    }
    counts
}

/// A seeded stream of clicks by `users` users over `seconds` of event time, about one a
/// second, each delayed on its way: 0 to 2 s usually, and 5 to 40 s for one in twenty.
/// Sorted by arrival, as a processor receives them.
pub fn click_stream(users: usize, seconds: u64, seed: u64) -> Vec<TimedEvent> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut events = Vec::new();
    for time in 0..seconds {
        if !rng.random_bool(0.9) {
            continue;
        }
        let delay = if rng.random_bool(0.05) {
            rng.random_range(5..=40)
        } else {
            rng.random_range(0..=2)
        };
        events.push(TimedEvent {
            key: format!("user-{}", rng.random_range(0..users.max(1))),
            time,
            arrival: time + delay,
        });
    }
    events.sort_by_key(|e| (e.arrival, e.time));
    events
}
