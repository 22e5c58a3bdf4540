//! Relational databases and ACID: a transaction's writes all happen or none do (atomicity), it
//! takes the data from one valid state to another (consistency), concurrent transactions do not
//! see each other's unfinished work (isolation), and what was committed survives a crash
//! (durability).
//!
//! The module shows the four properties twice.
//! First on SQLite, a real engine ([`sqlite`]): a funds transfer that commits, one that breaks a
//! `CHECK` constraint halfway and rolls back, what two connections see of each other, and a
//! reopened file.
//! Then in a store of our own, small enough to read whole: a write-ahead log of checksummed
//! records ([`record`], framed as [`frame`] describes), a file abstraction that can fail on
//! purpose ([`log_file`], and [`dir`] for the directory around it), the store that commits with
//! `fsync` and recovers exactly the committed transactions ([`WalStore`]), and an explicit
//! [`repair`] for a log that is damaged rather than torn.
//!
//! ```
//! use sysdesign::relational_acid::{replay, SimulatedLog, WalStore};
//!
//! let mut store = WalStore::with_log(SimulatedLog::new())?;
//! store.begin().put("alice", "70").put("bob", "80").commit()?;
//! let committed = store.log().disk().len();
//! store.begin().put("alice", "0").put("bob", "150").commit()?;
//! // A crash that keeps only part of the second transaction's records:
//! let torn = &store.log().disk()[..committed + 30];
//! let recovered = replay(torn).state;
//! assert_eq!(recovered.get(&b"alice"[..]), Some(&b"70".to_vec()));
//! assert_eq!(recovered.get(&b"bob"[..]), Some(&b"80".to_vec()));
//! # Ok::<(), sysdesign::relational_acid::WalError>(())
//! ```

pub mod crash;
pub mod dir;
mod error;
pub mod frame;
pub mod log_file;
pub mod record;
pub mod repair;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod wal;

pub use log_file::{FileLog, LogFile, SimulatedLog};
pub use repair::{DropReason, Dropped, RepairReport, salvage};
pub use wal::{
    Op, Recovery, Replayed, Step, Stop, Transaction, WAL_FORMAT, WalError, WalStore, replay,
};
