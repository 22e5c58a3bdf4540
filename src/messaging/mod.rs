//! Messaging: queues, publish-subscribe, partitioned logs, and what a crash does to delivery.
//!
//! A producer hands a message to a broker and moves on; consumers take it later, at their own
//! pace. Three shapes of broker cover most systems:
//!
//! | shape | who gets a message | after it is consumed |
//! | --- | --- | --- |
//! | [`WorkQueue`] (point-to-point) | one consumer | deleted; a failure requeues it, then dead-letters it |
//! | [`PubSub`] (publish-subscribe) | a copy for every current subscriber | nothing is kept |
//! | [`PartitionedLog`] with [`ConsumerGroup`]s | one member of each group | kept; each group keeps its own offsets |
//!
//! The design decision is that everything here is driven step by step by its caller, with time
//! passed in as ticks and randomness seeded, so a crash can be placed at an exact point and
//! every run is reproducible: [`consume`] asks a closure at each crash point whether the
//! consumer dies there. The same consumer-group semantics on a real broker, Redis Streams,
//! are in `redis_streams` (feature `redis`).
//!
//! ```
//! use sysdesign::messaging::{CrashPoint, Delivery, crash_once};
//!
//! // A crash between "apply" and "commit" repeats a message under at-least-once...
//! let run = crash_once(Delivery::AtLeastOnce, 5, 1, 2, CrashPoint::AfterFirstStep);
//! assert_eq!(run.effects, [1, 1, 2, 1, 1]);
//! // ...and the same crash under effectively-once leaves every message applied once.
//! let run = crash_once(Delivery::EffectivelyOnce, 5, 1, 2, CrashPoint::AfterFirstStep);
//! assert_eq!(run.effects, [1, 1, 1, 1, 1]);
//! ```

mod delivery;
mod log;
mod pubsub;
mod queue;
#[cfg(feature = "redis")]
pub mod redis_streams;

pub use delivery::{CrashPoint, Delivery, DeliveryRun, consume, crash_once, random_crashes};
pub use log::{ConsumerGroup, GroupError, PartitionedLog, Record};
pub use pubsub::{PubSub, SubscriberId};
pub use queue::{
    BacklogConfig, BacklogReport, Envelope, QueueError, Settled, WorkQueue, run_backlog,
};
