//! Polling and streaming: how a client learns that something happened on the server.
//!
//! Four ways, from asking most to asking least: short polling (ask every few seconds), long
//! polling (ask, and the server holds the request until there is news), server-sent events (one
//! response that never ends) and WebSockets (one connection, messages both ways). [`simulate`]
//! runs each on a simulated clock, so the requests it sends and the delay it adds are exact;
//! with the `http` feature, [`follow_all`] runs the four for real over loopback with axum and
//! tokio-tungstenite. Webhooks turn the direction around ([`sign`], [`verify`], [`deliver`]), and
//! video players poll for segments and adapt the bitrate ([`ThroughputRule`], [`play`]).
//!
//! ```
//! use sysdesign::polling_streaming::{Protocol, simulate};
//!
//! let events = [1.0, 5.0, 9.0];
//! let polled = simulate(Protocol::ShortPoll { interval_s: 2.0 }, &events, 0.05, 10.0);
//! let streamed = simulate(Protocol::ServerSentEvents, &events, 0.05, 10.0);
//! assert_eq!((polled.requests, streamed.requests), (5, 1));
//! assert!(polled.latencies_s.iter().sum::<f64>() > streamed.latencies_s.iter().sum::<f64>());
//! ```

mod abr;
#[cfg(feature = "websocket")]
mod live;
mod model;
mod sse;
mod webhook;

pub use abr::{Segment, ThroughputRule, bandwidth_trace, play};
#[cfg(feature = "websocket")]
pub use live::{Feed, Followed, LONG_POLL_HOLD, follow_all};
pub use model::{Delivery, Protocol, poisson_events, simulate};
pub use sse::{SseEvent, SseParser, encode_sse};
pub use webhook::{Attempt, SignatureError, deliver, sign, verify};
