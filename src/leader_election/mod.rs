//! Leader election with leases and fencing tokens, and heartbeat failure detection, simulated.
//!
//! A group of nodes wants exactly one of them doing some job (charging customers, accepting
//! writes). Each node keeps asking a **lease store** (etcd, ZooKeeper, Chubby) for one record,
//! with a compare-and-set: the store grants the lease when nobody holds it or the holder's lease
//! has expired, renews it for the holder, and refuses everyone else. A lease lasts `ttl` ms and
//! comes with a **fencing token**, a number one larger than the previous lease's. The leader sends
//! its token with every write, and the storage refuses a token older than one it has seen, so a
//! leader that lost its lease without knowing it (paused, partitioned) cannot overwrite its
//! successor's work.
//!
//! The design decision is a discrete-event simulation rather than threads and timers: one queue of
//! events ordered by true time in milliseconds, every delay drawn from one seeded generator, every
//! fault (crash, pause, cut link) given up front. Each node reads its own clock, which drifts from
//! true time by a bounded rate, and stops trusting its lease after `ttl · (1 − ρ)` of its own
//! time counted from when it *sent* the request, which is what makes "never two leaders" hold
//! whatever the delays, as long as no clock drifts by more than the bound ρ.
//!
//! ```
//! use sysdesign::leader_election::{Election, ElectionConfig, Fault, overlapping_terms};
//!
//! let config = ElectionConfig::new(3, 1_000);
//! // The first leader, node 0, crashes at 2 s; another takes over once its lease expires.
//! let mut run = Election::new(config, vec![Fault::Crash { node: 0, at: 2_000 }], 7);
//! run.run_until(5_000);
//! let grants = run.grants();
//! assert_eq!(grants[0].node, 0);
//! assert!(grants[1].node != 0 && grants[1].at >= 2_000 && grants[1].token == 2);
//! assert_eq!(overlapping_terms(&run.terms()), None);
//! ```

mod election;
mod heartbeat;

pub use election::{Clock, Election, Grant, Term, WriteRecord};
pub use heartbeat::{DetectorRun, HeartbeatLink, detector_run, heartbeat_arrivals};

/// True time, in milliseconds.
pub type Time = u64;
/// A node's index, from 0.
pub type NodeId = usize;

/// The cluster, its timing and its assumptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionConfig {
    /// Nodes taking part.
    pub nodes: usize,
    /// How long a lease lasts at the store after it grants or renews it, in ms.
    pub ttl: Time,
    /// How often each node runs its loop (renew or try to acquire; write if leader), local ms.
    pub tick: Time,
    /// Local ms between a leader checking its lease and its write going out.
    pub work: Time,
    /// Smallest one-way message delay, in ms.
    pub delay_min: Time,
    /// Largest one-way message delay.
    pub delay_max: Time,
    /// The drift bound ρ the nodes assume, in parts per million.
    pub drift_bound_ppm: i64,
    /// Each node's actual drift in ppm (missing entries are 0).
    pub clock_ppm: Vec<i64>,
    /// Whether the storage checks fencing tokens.
    pub fencing: bool,
}

impl ElectionConfig {
    /// `nodes` nodes and leases of `ttl` ms; a loop every `ttl / 5`, 20 ms of work before a write,
    /// 1 to 10 ms per message, clocks within 1% (10,000 ppm) and exactly on time, fencing on.
    ///
    /// ```
    /// use sysdesign::leader_election::ElectionConfig;
    ///
    /// let config = ElectionConfig::new(3, 1_000);
    /// assert_eq!(config.tick, 200);
    /// assert_eq!(config.safe_lease_ms(), 988); // 1% off for drift, 2 ms for clock rounding
    /// ```
    pub fn new(nodes: usize, ttl: Time) -> ElectionConfig {
        ElectionConfig {
            nodes,
            ttl,
            tick: (ttl / 5).max(1),
            work: 20,
            delay_min: 1,
            delay_max: 10,
            drift_bound_ppm: 10_000,
            clock_ppm: vec![0; nodes],
            fencing: true,
        }
    }

    // ANCHOR: safe_lease
    /// How long, on its own clock, a node trusts a lease, counted from when it sent the request:
    /// `ttl · (1 − ρ)`, less 2 ms for the rounding of the simulated clocks. A clock at most ρ slow
    /// reaches that reading no later than `ttl` of true time after the request left, so before the
    /// store, which started counting on the request's arrival, lets the lease go.
    pub fn safe_lease_ms(&self) -> i64 {
        let rho = self.drift_bound_ppm.clamp(0, 999_999) as i128;
        let shortened = self.ttl as i128 * (1_000_000 - rho) / 1_000_000;
        shortened as i64 - 2
    }
    // ANCHOR_END: safe_lease
}

/// Something that goes wrong, given before the run starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The node stops for good at `at`.
    Crash {
        /// The node.
        node: NodeId,
        /// When.
        at: Time,
    },
    /// The node is frozen (a garbage-collection pause, a VM migration) from `from` to `until`:
    /// its timers and the messages it receives wait; then it carries on where it stopped.
    Pause {
        /// The node.
        node: NodeId,
        /// Start of the pause.
        from: Time,
        /// End of the pause.
        until: Time,
    },
    /// Every message the node sends or is sent from `from` to `until` is lost.
    Cut {
        /// The node.
        node: NodeId,
        /// Start of the cut.
        from: Time,
        /// End of the cut.
        until: Time,
    },
}

// ANCHOR: gate
/// The check a storage service makes on fencing tokens: it remembers the newest token it has
/// accepted and refuses any older one, so a holder whose lease was taken over cannot write after
/// its successor has.
///
/// ```
/// use sysdesign::leader_election::FencingGate;
///
/// let mut storage = FencingGate::default();
/// assert!(storage.admit(33));
/// assert!(storage.admit(34));
/// assert!(!storage.admit(33)); // the old holder, back from a pause
/// assert_eq!(storage.newest(), 34);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FencingGate {
    newest: u64,
}

impl FencingGate {
    /// Accepts `token` if it is no older than every token accepted before, and remembers it.
    pub fn admit(&mut self, token: u64) -> bool {
        let accepted = token >= self.newest;
        if accepted {
            self.newest = token;
        }
        accepted
    }

    /// The newest token accepted so far (0 before any).
    pub fn newest(&self) -> u64 {
        self.newest
    }
}
// ANCHOR_END: gate

// ANCHOR: checks
/// Two terms of different nodes that overlap in true time: two leaders at once. `None` is safe.
///
/// ```
/// use sysdesign::leader_election::{Term, overlapping_terms};
///
/// let a = Term { node: 0, token: 1, from: 0, until: 100 };
/// let b = Term { node: 1, token: 2, from: 100, until: 200 };
/// assert_eq!(overlapping_terms(&[a, b]), None);
/// let c = Term { node: 1, token: 2, from: 99, until: 200 };
/// assert_eq!(overlapping_terms(&[a, c]), Some((a, c)));
/// ```
pub fn overlapping_terms(terms: &[Term]) -> Option<(Term, Term)> {
    let mut sorted = terms.to_vec();
    sorted.sort_by_key(|t| (t.from, t.until));
    for (i, first) in sorted.iter().enumerate() {
        // Later terms start no earlier; only those starting before `first` ends can overlap it.
        for second in sorted[i + 1..].iter().take_while(|t| t.from < first.until) {
            if second.node != first.node {
                return Some((*first, *second));
            }
        }
    }
    None
}

/// Accepted writes whose token is older than a token the storage had accepted before them.
///
/// ```
/// use sysdesign::leader_election::{WriteRecord, stale_accepted};
///
/// let w = |token, accepted| WriteRecord { at: 0, node: 0, token, value: 1, accepted, lease_current: false };
/// assert_eq!(stale_accepted(&[w(1, true), w(2, true), w(1, false)]), 0);
/// assert_eq!(stale_accepted(&[w(1, true), w(2, true), w(1, true)]), 1);
/// ```
pub fn stale_accepted(writes: &[WriteRecord]) -> usize {
    let mut newest = 0;
    let mut stale = 0;
    for write in writes.iter().filter(|w| w.accepted) {
        if write.token < newest {
            stale += 1;
        }
        newest = newest.max(write.token);
    }
    stale
}
// ANCHOR_END: checks
