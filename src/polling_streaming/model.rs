//! The four ways a client learns of server events, as a model on a simulated clock: the same
//! events, the same network delay, and for each way the requests it sends and how late each
//! event arrives. Deterministic, so its counts are exact.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt;

// ANCHOR: protocol
/// How the client hears of events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Protocol {
    /// A request every `interval_s` seconds; the answer holds whatever is new, often nothing.
    ShortPoll {
        /// Seconds between requests.
        interval_s: f64,
    },
    /// A request the server holds until there is something new or `timeout_s` passes; the
    /// client asks again as soon as an answer arrives.
    LongPoll {
        /// How long the server holds an empty request.
        timeout_s: f64,
    },
    /// One HTTP request whose response never ends: the server writes each event into it.
    ServerSentEvents,
    /// One HTTP request upgraded to a WebSocket; the server sends each event as a message.
    WebSocket,
}
// ANCHOR_END: protocol

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::ShortPoll { interval_s } => write!(f, "short polling every {interval_s} s"),
            Protocol::LongPoll { timeout_s } => write!(f, "long polling, {timeout_s} s timeout"),
            Protocol::ServerSentEvents => f.write_str("server-sent events"),
            Protocol::WebSocket => f.write_str("WebSocket"),
        }
    }
}

/// What one protocol cost and delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// HTTP requests the client sent (a stream or a WebSocket counts its one opening request).
    pub requests: u64,
    /// Responses that carried no event.
    pub empty_responses: u64,
    /// For each event, in order, seconds from its publication to its arrival at the client.
    pub latencies_s: Vec<f64>,
}

/// `n` event times over `duration_s` seconds, a Poisson process, seeded.
pub fn poisson_events(seed: u64, n: usize, duration_s: f64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let rate = n as f64 / duration_s;
    let mut t = 0.0;
    let mut out = vec![];
    while out.len() < n {
        t += -(1.0 - rng.random::<f64>()).ln() / rate;
        if t >= duration_s {
            break;
        }
        out.push(t);
    }
    out
}

// ANCHOR: simulate
/// Runs `protocol` for `duration_s` seconds against events published at `events` (sorted,
/// seconds), with `one_way_s` seconds of network delay each way. Events not delivered by the
/// end are left out of `latencies_s`.
pub fn simulate(protocol: Protocol, events: &[f64], one_way_s: f64, duration_s: f64) -> Delivery {
    let d = one_way_s;
    let mut latencies = vec![];
    let (mut requests, mut empty) = (0u64, 0u64);
    let mut next = 0; // the first event not yet delivered
    // Delivers every event published by `server_at`, arriving at `server_at + d`; returns how many.
    let mut deliver = |server_at: f64, next: &mut usize| {
        let start = *next;
        while *next < events.len() && events[*next] <= server_at {
            latencies.push(server_at + d - events[*next]);
            *next += 1;
        }
        *next - start
    };
    match protocol {
        Protocol::ShortPoll { interval_s } => {
            let mut sent = 0.0;
            while sent < duration_s {
                requests += 1;
                if deliver(sent + d, &mut next) == 0 {
                    empty += 1;
                }
                sent += interval_s;
            }
        }
        Protocol::LongPoll { timeout_s } => {
            let mut sent = 0.0;
            while sent < duration_s {
                requests += 1;
                let arrives = sent + d;
                // The server answers at once if something is waiting, else at the next event
                // or at the timeout, whichever comes first.
                let answer = match events.get(next) {
                    Some(&e) if e <= arrives => arrives,
                    Some(&e) if e < arrives + timeout_s => e,
                    _ => arrives + timeout_s,
                };
                if deliver(answer, &mut next) == 0 {
                    empty += 1;
                }
                sent = answer + d; // the next request leaves as the answer arrives
            }
        }
        Protocol::ServerSentEvents | Protocol::WebSocket => {
            requests = 1;
            let open = d; // the server has the stream from then on
            for &e in events.iter().filter(|&&e| e < duration_s) {
                deliver(e.max(open), &mut next);
            }
        }
    }
    Delivery {
        requests,
        empty_responses: empty,
        latencies_s: latencies,
    }
}
// ANCHOR_END: simulate
