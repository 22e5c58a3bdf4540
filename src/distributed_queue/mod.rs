//! A distributed queue: the messaging chapter's pieces put together at scale, and the lease
//! that decides when a silent consumer is given up on.
//!
//! A queue spread over many machines splits its messages into partitions (the
//! [`PartitionedLog`](crate::messaging::PartitionedLog) of the messaging chapter, keyed so one
//! entity's messages stay in order), copies each partition to a few brokers, and lets a
//! [`ConsumerGroup`](crate::messaging::ConsumerGroup) share the partitions out. What this
//! module adds is the other way to hand out work, the one Amazon SQS uses: every message is
//! free for any consumer, and a delivery is a *lease*. A received message is hidden for a
//! visibility timeout; if the consumer does not delete it in time, it becomes visible again
//! and someone else gets it. No consumer has to report its own death, which is what makes
//! the design work with crashing machines; but a consumer that is merely slow looks dead too.
//!
//! The design decision is to drive everything by a tick passed in and a seed, so that
//! [`run_consumers`] can sweep the visibility timeout against consumers that are slow (a
//! log-normal work time) and that crash, and count what each choice costs: work done twice
//! when the timeout is too short, messages stuck behind a dead consumer when it is too long,
//! and the heartbeats (lease extensions) that escape the dilemma.
//!
//! ```
//! use sysdesign::distributed_queue::{ConsumerConfig, run_consumers};
//!
//! let base = ConsumerConfig { messages: 2_000, ..ConsumerConfig::default() };
//! // A 2-second timeout (20 ticks) against work with a 2-second median: half the messages
//! // are handed to a second consumer while the first is still on them.
//! let short = run_consumers(&ConsumerConfig { visibility_timeout: 20, ..base.clone() }, 1);
//! // The same timeout with a heartbeat every 7 ticks: nothing is done twice.
//! let beat = ConsumerConfig { visibility_timeout: 20, heartbeat_every: Some(7), ..base };
//! let beat = run_consumers(&beat, 1);
//! assert!(short.duplicates > 100);
//! assert_eq!(beat.duplicates, 0);
//! ```

mod lease;
mod sim;

pub use lease::{LeaseError, LeasedQueue, Receipt, Received};
pub use sim::{ConsumerConfig, ConsumerReport, run_consumers};
