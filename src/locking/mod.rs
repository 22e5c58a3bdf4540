//! Locking: making sure only one client at a time changes a shared thing (a counter, a seat, a
//! row), and the ways around a lock.
//!
//! A lock serialises the clients that touch one resource. How much it covers (its
//! **granularity**) decides how often unrelated clients wait for each other; how long it is held
//! decides how long they wait. **Optimistic concurrency** takes no lock: a client reads a value
//! with its version, works, and writes back only if the version has not moved, retrying if it
//! has. A lock across machines must expire, or a crashed holder keeps it forever, so it is a
//! **lease**; and a holder that is paused past its lease must be stopped at the resource, by a
//! fencing token. Two locks taken in opposite orders can **deadlock**.
//!
//! # The design
//!
//! Every piece is small and deterministic where it can be: counters under one lock or striped
//! locks, hammered by real threads for a timing; read-modify-write clients driven by an explicit
//! schedule of steps; a lease lock whose time is passed in; a deadlock both on real threads
//! (bounded `try_lock`) and in a step-by-step simulation with a wait-for graph; a Redis lock
//! (feature `redis`) whose expiry the tests force rather than wait for.
//!
//! | module | idea |
//! | --- | --- |
//! | [`granularity`] | one global lock against striped locks; a bounded multi-thread hammer |
//! | [`optimistic`] | a versioned value with compare-and-set; lost updates with blind writes, none with compare-and-set, on any interleaving |
//! | [`lease`] | a lock that expires, renewals, fencing tokens; release only by the holder |
//! | [`deadlock`] | two threads, two locks; wait-for-graph cycle detection; lock ordering |
//! | `redis_lock` | `SET NX PX`, a compare-and-delete release in Lua, and fencing tokens, on Redis |
//!
//! ```
//! use sysdesign::locking::{WriteMode, increments};
//!
//! // Two clients, one increment each, reading before either writes.
//! let schedule = [0, 1, 0, 1];
//! assert_eq!(increments(2, 1, &schedule, WriteMode::Blind).final_value, 1); // one lost
//! assert_eq!(increments(2, 1, &schedule, WriteMode::CompareAndSet).final_value, 2);
//! ```

pub mod deadlock;
pub mod granularity;
pub mod lease;
pub mod optimistic;
#[cfg(feature = "redis")]
pub mod redis_lock;

pub use deadlock::{
    LockRun, find_cycle, in_lock_order, opposite_order_threads, same_order_threads, simulate,
};
pub use granularity::{Counters, GlobalLock, HammerRun, StripedLocks, hammer};
pub use lease::{Lease, LeaseError, LeaseLock, Millis};
pub use optimistic::{Conflict, Interleaving, Step, VersionedValue, WriteMode, increments};
