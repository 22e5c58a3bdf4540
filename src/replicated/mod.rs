//! A replicated key-value store, simulated: N replicas of every key, a network that delays each
//! message and can be cut into partitions, quorums for reads and writes, and the repairs that make
//! replicas agree again (read repair, anti-entropy, hinted handoff).
//!
//! The design decision is that nothing here is real: there are no threads, no sockets and no
//! clock. A [`Sim`] keeps a queue of events ordered by simulated time in milliseconds, the caller
//! says when each operation starts and how far to run, and every random choice (each message's
//! delay) comes from one seeded generator. The same calls with the same seed give the same run, to
//! the byte, which is what lets a book print its timelines and a property test replay a failure.
//!
//! The model, which the CAP and quorum chapters lean on:
//!
//! - every key lives on the first N of the cluster's nodes (one shard); any further nodes only
//!   stand in for unreachable replicas when [`Config::sloppy`] is on;
//! - a client talks to one node, its *coordinator*, with no delay; the coordinator sends the
//!   operation to the key's replicas and answers once W of them acknowledged a write, or R of them
//!   answered a read, keeping the reply with the newest [`Stamp`] (last writer wins);
//! - a write's stamp is the coordinator's clock reading (simulated time plus that node's
//!   [`Config::clock_offset`]), ties broken by node id; a replica keeps whichever version has the
//!   newer stamp;
//! - the coordinator knows which nodes it can reach (a perfect failure detector): when fewer than
//!   the quorum can be reached, it refuses at once ([`Outcome::Unavailable`]), as Cassandra does;
//!   a quorum that does not answer within [`Config::timeout`] fails ([`Outcome::TimedOut`]);
//! - a message between two nodes on different sides of a partition is lost.
//!
//! ```
//! use sysdesign::replicated::{Config, Outcome, Sim};
//!
//! // Three replicas, writes and reads wait for two of them, 5 ms each way.
//! let config = Config::new(3, 3, 2, 2).unwrap().delay(5, 5);
//! let mut sim = Sim::new(config, 7).unwrap();
//! let write = sim.write(0, 0, "x", 1).unwrap();
//! let read = sim.read(20, 2, "x").unwrap();
//! sim.run_until(100);
//! assert_eq!(sim.op(write).completed, Some(10)); // one round trip to a second replica
//! assert!(matches!(sim.op(read).outcome, Some(Outcome::Read(Some(v))) if v.value == 1));
//! ```

mod engine;
pub mod script;
mod workload;

use std::fmt;

pub use engine::Sim;
pub use workload::{Summary, Workload, run_workload, summarize};

/// Simulated time, in milliseconds.
pub type Time = u64;
/// A node's index in the cluster, from 0.
pub type NodeId = usize;

/// The version a write carries: the coordinator's clock reading, and its node id to break ties.
/// Replicas keep the version with the larger stamp: last writer wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// The coordinator's clock when the write began (simulated time plus its offset).
    pub clock: i64,
    /// The coordinator, so two writes never share a stamp.
    pub node: NodeId,
}

/// A value and its stamp, as a replica stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Versioned {
    /// The value written.
    pub value: i64,
    /// Its version.
    pub stamp: Stamp,
}

/// A cluster and its quorums; build it with [`Config::new`] and the builder methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Nodes in the cluster (at least N).
    pub nodes: usize,
    /// N: replicas of every key (nodes `0..N`).
    pub replicas: usize,
    /// R: replies a read waits for.
    pub read_quorum: usize,
    /// W: acknowledgements a write waits for.
    pub write_quorum: usize,
    /// Smallest one-way delay of a message, in ms.
    pub delay_min: Time,
    /// Largest one-way delay; each message draws a delay uniformly in between.
    pub delay_max: Time,
    /// How long a coordinator waits for its quorum.
    pub timeout: Time,
    /// Sloppy quorum: unreachable replicas are replaced by the next reachable nodes, which keep
    /// the write as a hint and hand it to its home once they can reach it.
    pub sloppy: bool,
    /// Read repair: a read sends the newest version it saw to every replier that had an older one.
    pub read_repair: bool,
    /// Anti-entropy: every this many ms, every node pushes all it holds to every node it reaches.
    pub anti_entropy: Option<Time>,
    /// How often a node holding hints tries to hand them off.
    pub handoff_every: Time,
    /// Each node's clock offset, in ms (positive runs ahead).
    pub clock_offsets: Vec<i64>,
}

/// A configuration that cannot run; carries the offending values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// N is zero or larger than the cluster.
    Replicas {
        /// N asked for.
        replicas: usize,
        /// Nodes in the cluster.
        nodes: usize,
    },
    /// R or W is zero or larger than N.
    Quorum {
        /// R asked for.
        read: usize,
        /// W asked for.
        write: usize,
        /// N.
        replicas: usize,
    },
    /// The clock offsets do not name one offset per node.
    ClockOffsets {
        /// Offsets given.
        given: usize,
        /// Nodes in the cluster.
        nodes: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Replicas { replicas, nodes } => {
                write!(f, "N = {replicas} must lie between 1 and the {nodes} nodes")
            }
            ConfigError::Quorum {
                read,
                write,
                replicas,
            } => write!(
                f,
                "R = {read} and W = {write} must each lie between 1 and N = {replicas}"
            ),
            ConfigError::ClockOffsets { given, nodes } => {
                write!(f, "{given} clock offsets given for {nodes} nodes")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// A cluster of `nodes` nodes keeping `replicas` (N) copies of each key, with read quorum R
    /// and write quorum W; 1 ms per message, a 100 ms timeout, no repair, clocks in step.
    ///
    /// ```
    /// use sysdesign::replicated::Config;
    ///
    /// assert!(Config::new(3, 3, 2, 2).is_ok());
    /// assert_eq!(
    ///     Config::new(3, 3, 4, 1).unwrap_err().to_string(),
    ///     "R = 4 and W = 1 must each lie between 1 and N = 3"
    /// );
    /// ```
    pub fn new(
        nodes: usize,
        replicas: usize,
        read_quorum: usize,
        write_quorum: usize,
    ) -> Result<Config, ConfigError> {
        let config = Config {
            nodes,
            replicas,
            read_quorum,
            write_quorum,
            delay_min: 1,
            delay_max: 1,
            timeout: 100,
            sloppy: false,
            read_repair: false,
            anti_entropy: None,
            handoff_every: 10,
            clock_offsets: vec![0; nodes],
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks what [`Config::new`] checks, for a configuration whose fields were set by hand.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let (nodes, replicas) = (self.nodes, self.replicas);
        if replicas == 0 || replicas > nodes {
            return Err(ConfigError::Replicas { replicas, nodes });
        }
        let (read, write) = (self.read_quorum, self.write_quorum);
        if !(1..=replicas).contains(&read) || !(1..=replicas).contains(&write) {
            return Err(ConfigError::Quorum {
                read,
                write,
                replicas,
            });
        }
        if self.clock_offsets.len() != nodes {
            let given = self.clock_offsets.len();
            return Err(ConfigError::ClockOffsets { given, nodes });
        }
        Ok(())
    }

    /// Each message takes between `min` and `max` ms (both included); `max` below `min` is
    /// taken as `min`.
    pub fn delay(mut self, min: Time, max: Time) -> Config {
        self.delay_min = min;
        self.delay_max = max.max(min);
        self
    }

    /// How long a coordinator waits for its quorum before failing the operation.
    pub fn timeout(mut self, timeout: Time) -> Config {
        self.timeout = timeout;
        self
    }

    /// Turns on sloppy quorums with hinted handoff.
    pub fn sloppy(mut self) -> Config {
        self.sloppy = true;
        self
    }

    /// Turns on read repair.
    pub fn read_repair(mut self) -> Config {
        self.read_repair = true;
        self
    }

    /// Turns on anti-entropy, a full exchange between all reachable nodes every `period` ms
    /// (a period of 0 is taken as 1).
    pub fn anti_entropy(mut self, period: Time) -> Config {
        self.anti_entropy = Some(period.max(1));
        self
    }

    /// Sets one node's clock offset in ms; a node outside the cluster is ignored.
    pub fn clock_offset(mut self, node: NodeId, offset: i64) -> Config {
        if let Some(slot) = self.clock_offsets.get_mut(node) {
            *slot = offset;
        }
        self
    }

    /// Whether every read quorum meets every write quorum: R + W > N.
    ///
    /// ```
    /// use sysdesign::replicated::Config;
    ///
    /// assert!(Config::new(3, 3, 2, 2).unwrap().quorums_overlap());
    /// assert!(!Config::new(3, 3, 1, 2).unwrap().quorums_overlap());
    /// ```
    pub fn quorums_overlap(&self) -> bool {
        self.read_quorum + self.write_quorum > self.replicas
    }
}

/// An operation's id, in the order the operations were submitted.
pub type OpId = usize;

/// What a client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Read the key.
    Read,
    /// Write this value.
    Write(i64),
}

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A write acknowledged by W nodes, with the stamp it carried.
    Written(Stamp),
    /// A read answered by R nodes: the newest version among them, if any held the key.
    Read(Option<Versioned>),
    /// Refused at once: the coordinator could reach only `reachable` of the `needed` nodes.
    Unavailable {
        /// Nodes the coordinator could reach.
        reachable: usize,
        /// The quorum it needed.
        needed: usize,
    },
    /// The quorum did not answer in time; a write may still have reached some replicas.
    TimedOut {
        /// Acknowledgements or replies received.
        got: usize,
        /// The quorum it needed.
        needed: usize,
    },
}

impl Outcome {
    /// Whether the client got a successful answer.
    pub fn succeeded(&self) -> bool {
        matches!(self, Outcome::Written(_) | Outcome::Read(_))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Written(_) => write!(f, "ok"),
            Outcome::Read(Some(v)) => write!(f, "{}", v.value),
            Outcome::Read(None) => write!(f, "not found"),
            Outcome::Unavailable { reachable, needed } => {
                write!(f, "refused ({reachable} of {needed} reachable)")
            }
            Outcome::TimedOut { got, needed } => write!(f, "timed out ({got} of {needed})"),
        }
    }
}

/// One operation, as the simulation recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpRecord {
    /// Its id.
    pub id: OpId,
    /// The coordinator the client talked to.
    pub node: NodeId,
    /// The key.
    pub key: String,
    /// Read or write.
    pub request: Request,
    /// When the client sent it.
    pub invoked: Time,
    /// When the client got an answer (refusals and timeouts included).
    pub completed: Option<Time>,
    /// The answer.
    pub outcome: Option<Outcome>,
}

impl OpRecord {
    /// How long the client waited, once answered.
    pub fn latency(&self) -> Option<Time> {
        self.completed.map(|done| done - self.invoked)
    }
}

/// An operation submitted for a time already past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitError {
    /// The operation's time is before the simulation's present.
    InThePast {
        /// The time asked for.
        at: Time,
        /// The simulation's present.
        now: Time,
    },
    /// The coordinator is not a node of the cluster.
    NoSuchNode {
        /// The node asked for.
        node: NodeId,
        /// Nodes in the cluster.
        nodes: usize,
    },
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::InThePast { at, now } => {
                write!(
                    f,
                    "an operation at {at} ms is in the past (now is {now} ms)"
                )
            }
            SubmitError::NoSuchNode { node, nodes } => {
                write!(f, "node {node} is not one of the {nodes} nodes")
            }
        }
    }
}

impl std::error::Error for SubmitError {}

/// Stale reads in a finished run: successful reads that returned a version older than some write
/// acknowledged before the read began. Returns (successful reads, stale ones).
///
/// ```
/// use sysdesign::replicated::{Config, Sim, stale_reads};
///
/// let mut sim = Sim::new(Config::new(3, 3, 1, 1).unwrap().delay(10, 10), 1).unwrap();
/// sim.write(0, 0, "x", 1).unwrap(); // acknowledged at once by node 0 itself
/// sim.read(5, 2, "x").unwrap(); // node 2 has not heard of it yet
/// sim.run_until(50);
/// assert_eq!(stale_reads(sim.ops()), (1, 1));
/// ```
pub fn stale_reads(ops: &[OpRecord]) -> (usize, usize) {
    let mut acked: Vec<(&str, Time, Stamp)> = ops
        .iter()
        .filter_map(|op| match (op.outcome, op.completed) {
            (Some(Outcome::Written(stamp)), Some(done)) => Some((op.key.as_str(), done, stamp)),
            _ => None,
        })
        .collect();
    acked.sort_by_key(|&(_, done, _)| done);
    let (mut reads, mut stale) = (0, 0);
    for op in ops {
        if let Some(Outcome::Read(got)) = op.outcome {
            reads += 1;
            let newest_acked = acked
                .iter()
                .take_while(|&&(_, done, _)| done < op.invoked)
                .filter(|&&(key, _, _)| key == op.key)
                .map(|&(_, _, stamp)| stamp)
                .max();
            if newest_acked.is_some() && got.map(|v| v.stamp) < newest_acked {
                stale += 1;
            }
        }
    }
    (reads, stale)
}
