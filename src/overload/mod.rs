//! Overload: what a service and its clients do when more work arrives than the service can finish.
//!
//! A server has a capacity.
//! Past it, a queue grows, every request waits longer, clients time out, and the server spends its
//! capacity on answers nobody waits for: goodput (useful answers per second) collapses while
//! throughput stays high.
//! Four tools keep a system useful under overload, and this module builds each as a small,
//! deterministic model:
//!
//! | tool | where | module |
//! | --- | --- | --- |
//! | load shedding through a bounded queue, and client timeouts | server | [`server`] |
//! | retries with capped exponential backoff and jitter | client | [`backoff`] |
//! | a circuit breaker (closed, open, half-open) | client | [`breaker`] |
//!
//! # The design
//!
//! Nothing here reads a clock or sleeps: time is a tick or a millisecond count passed in, and
//! randomness takes a seed, so a simulation of a thousand clients replays to the byte and the
//! tests check the state machine at exact instants.
//! The same models run in a test in microseconds and in the book as charts.
//!
//! ```
//! use sysdesign::overload::{Backoff, Jitter};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let backoff = Backoff::new(100, 2_000, Jitter::Full)?;
//! let mut rng = StdRng::seed_from_u64(42);
//! let delay = backoff.delay(3, &mut rng);
//! assert!(delay <= 800); // min(2000, 100 * 2^3)
//! # Ok::<(), sysdesign::overload::BackoffError>(())
//! ```

pub mod backoff;
pub mod breaker;
pub mod server;

pub use backoff::{Backoff, BackoffError, Herd, HerdOutcome, Jitter, simulate_herd};
pub use breaker::{BreakerConfig, BreakerError, CircuitBreaker, Rejected, State, Transition};
pub use server::{Admission, LoadReport, ServerConfig, ServerError, simulate_server};
