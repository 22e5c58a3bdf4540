//! Optimistic concurrency: no lock while working; a write names the version it read, and the
//! store refuses it if the value changed since. Interleavings are driven step by step.

use std::fmt;

// ANCHOR: versioned
/// A value and a version number that every successful write increases by one.
///
/// ```
/// use sysdesign::locking::VersionedValue;
///
/// let mut counter = VersionedValue::new(0);
/// let (value, version) = counter.read();
/// assert_eq!(counter.compare_and_set(version, value + 1), Ok(1));
/// // A second write based on the same read is refused: the version moved on.
/// assert!(counter.compare_and_set(version, value + 1).is_err());
/// assert_eq!(counter.read(), (1, 1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionedValue {
    value: i64,
    version: u64,
}

/// A compare-and-set refused: the version had moved on since the caller read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The version the caller read.
    pub expected: u64,
    /// The version the store holds now.
    pub current: u64,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version conflict: read version {}, now at {}",
            self.expected, self.current
        )
    }
}

impl std::error::Error for Conflict {}

impl VersionedValue {
    /// `value` at version 0.
    pub fn new(value: i64) -> VersionedValue {
        VersionedValue { value, version: 0 }
    }

    /// The value and its version.
    pub fn read(&self) -> (i64, u64) {
        (self.value, self.version)
    }

    /// Writes `value` whatever happened since the caller read: the last writer wins.
    /// Returns the new version.
    pub fn write(&mut self, value: i64) -> u64 {
        self.value = value;
        self.version += 1;
        self.version
    }

    /// Writes `value` only if the version is still `expected`; returns the new version, or the
    /// conflict. In SQL: `UPDATE t SET value = ?, version = version + 1 WHERE id = ? AND version = ?`
    /// and check that one row changed.
    pub fn compare_and_set(&mut self, expected: u64, value: i64) -> Result<u64, Conflict> {
        if self.version != expected {
            return Err(Conflict {
                expected,
                current: self.version,
            });
        }
        Ok(self.write(value))
    }
}
// ANCHOR_END: versioned

/// How clients write back their read-modify-write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// A plain write: the last writer wins.
    Blind,
    /// Compare-and-set on the version read; on a conflict, read again and retry.
    CompareAndSet,
}

/// One step of one client, as it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The client read `value` at `version`.
    Read {
        /// Which client.
        client: usize,
        /// What it read.
        value: i64,
        /// At which version.
        version: u64,
    },
    /// The client's write of `value` was applied.
    Wrote {
        /// Which client.
        client: usize,
        /// What it wrote.
        value: i64,
    },
    /// The client's compare-and-set was refused; it will read again.
    Refused {
        /// Which client.
        client: usize,
        /// The conflict.
        conflict: Conflict,
    },
}

/// The outcome of [`increments`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interleaving {
    /// The counter at the end.
    pub final_value: i64,
    /// Increments the clients made and were told succeeded.
    pub acknowledged: u64,
    /// Acknowledged increments missing from the final value.
    pub lost: u64,
    /// Compare-and-sets refused (each cost the client a retry).
    pub retries: u64,
    /// Every step, in order.
    pub steps: Vec<Step>,
}

#[derive(Clone, Copy, Debug)]
enum Client {
    NeedRead { left: u32 },
    NeedWrite { left: u32, value: i64, version: u64 },
    Done,
}

// ANCHOR: increments
/// `clients` clients each add 1 to a counter starting at 0, `each` times, by reading it and
/// writing back the value plus one, in `mode`. `schedule` says whose step comes next (a step is
/// one read or one write); entries for finished clients are skipped, and once it runs out the
/// clients still working take turns until all are done. Deterministic: the same schedule gives
/// the same steps.
///
/// ```
/// use sysdesign::locking::{WriteMode, increments};
///
/// // Both read 0, both write 1: one increment lost.
/// let run = increments(2, 1, &[0, 1, 0, 1], WriteMode::Blind);
/// assert_eq!((run.final_value, run.lost), (1, 1));
/// // With compare-and-set the second write is refused, retried, and lands.
/// let run = increments(2, 1, &[0, 1, 0, 1], WriteMode::CompareAndSet);
/// assert_eq!((run.final_value, run.lost, run.retries), (2, 0, 1));
/// ```
pub fn increments(clients: usize, each: u32, schedule: &[usize], mode: WriteMode) -> Interleaving {
    let mut store = VersionedValue::new(0);
    let mut state = vec![Client::NeedRead { left: each }; clients];
    if each == 0 {
        state.fill(Client::Done);
    }
    let mut steps = Vec::new();
    let (mut acknowledged, mut retries) = (0, 0);
    let after = (0..clients).cycle();
    // Each client needs at most 2 steps per increment plus 2 per refusal, and a refusal means
    // another client's write landed, so the total is bounded; the cap is a second guard.
    let cap = 4 * (clients as u64 + 1) * (u64::from(each) + 1) * (clients as u64 + 1);
    for client in schedule.iter().copied().chain(after) {
        if state.iter().all(|c| matches!(c, Client::Done)) || steps.len() as u64 >= cap {
            break;
        }
        let Some(current) = state.get(client).copied() else {
            continue;
        };
        state[client] = match current {
            Client::Done => Client::Done,
            Client::NeedRead { left } => {
                let (value, version) = store.read();
                steps.push(Step::Read {
                    client,
                    value,
                    version,
                });
                Client::NeedWrite {
                    left,
                    value,
                    version,
                }
            }
            Client::NeedWrite {
                left,
                value,
                version,
            } => {
                let written = match mode {
                    WriteMode::Blind => Ok(store.write(value + 1)),
                    WriteMode::CompareAndSet => store.compare_and_set(version, value + 1),
                };
                match written {
                    Ok(_) => {
                        steps.push(Step::Wrote {
                            client,
                            value: value + 1,
                        });
                        acknowledged += 1;
                        if left > 1 {
                            Client::NeedRead { left: left - 1 }
                        } else {
                            Client::Done
                        }
                    }
                    Err(conflict) => {
                        steps.push(Step::Refused { client, conflict });
                        retries += 1;
                        Client::NeedRead { left }
                    }
                }
            }
        };
    }
    let final_value = store.read().0;
    Interleaving {
        final_value,
        acknowledged,
        lost: acknowledged.saturating_sub(final_value.max(0) as u64),
        retries,
        steps,
    }
}
// ANCHOR_END: increments
