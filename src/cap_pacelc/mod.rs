//! CAP and PACELC on a simulated replicated store: what a partition forces a store to give up,
//! what it gives up when there is no partition, and the consistency models that name the result.
//!
//! The store is [`crate::replicated`]'s simulation. Two settings of it stand for the two sides of
//! CAP: majority quorums (R = W = 2 of N = 3) refuse an operation when they cannot reach a
//! majority, and single-replica reads and writes (R = W = 1) with anti-entropy answer from
//! whatever replica they reach and repair the difference later. The design decision is to judge
//! both by their histories, not by their settings: [`history_of`] turns a run into a history, and
//! [`history::check`] says which consistency models allow it.
//!
//! ```
//! use sysdesign::cap_pacelc::{history::{check, Model}, history_of};
//! use sysdesign::replicated::{Config, Sim};
//!
//! // One replica per operation, and a read at a replica the write has not reached yet.
//! let mut sim = Sim::new(Config::new(3, 3, 1, 1).unwrap().delay(10, 10), 3).unwrap();
//! sim.write(0, 0, "x", 1).unwrap();
//! sim.read(5, 2, "x").unwrap();
//! sim.run_until(50);
//! let history = history_of(sim.ops(), "x");
//! assert!(!check(&history, Model::Linearizable).unwrap().allowed);
//! assert!(check(&history, Model::Sequential).unwrap().allowed);
//! ```

pub mod history;

use crate::replicated::{OpRecord, Outcome, Request};
use history::{Action, Op};

// ANCHOR: history_of
/// The history of one key in a finished run, for the checker: each client is the node it talked
/// to. A refused operation never happened; a write that timed out may or may not have taken
/// effect, so it stays with no response; a read that got no answer tells nothing and is left out.
pub fn history_of(ops: &[OpRecord], key: &str) -> Vec<Op> {
    ops.iter()
        .filter(|op| op.key == key)
        .filter_map(|op| {
            let action = match (op.request, op.outcome?) {
                (_, Outcome::Unavailable { .. }) => return None,
                (Request::Write(v), Outcome::Written(_)) => Action::Write(v),
                (Request::Write(v), Outcome::TimedOut { .. }) => {
                    return Some(Op::new(op.node, Action::Write(v), op.invoked, None));
                }
                (Request::Read, Outcome::Read(got)) => Action::Read(got.map(|v| v.value)),
                _ => return None,
            };
            Some(Op::new(op.node, action, op.invoked, op.completed))
        })
        .collect()
}
// ANCHOR_END: history_of
