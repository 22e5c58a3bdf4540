//! A small history checker for one register: is a history of reads and writes allowed under a
//! consistency model?
//!
//! A history lists operations with the time each was invoked and the time it returned.
//! Linearizability and sequential consistency both ask whether some total order of the operations
//! explains every read (each read returns the value of the latest write before it in the order,
//! or nothing when there is none); they differ in which orders are allowed. Linearizability keeps
//! real time: an operation that returned before another was invoked must come first. Sequential
//! consistency keeps only each client's own order. Eventual consistency asks much less: every
//! read returns some value that was written, and once writes stop, reads agree.
//!
//! The search is brute force with one saving: it remembers each (set of operations placed,
//! register value) pair it has explored, as Wing and Gong's checker and its successors do, so it
//! visits at most 2^n × (distinct values + 1) states instead of n! orders. That is fine for the
//! dozen-operation histories of the book; it refuses histories of more than [`MAX_OPS`].
//!
//! ```
//! use sysdesign::cap_pacelc::history::{check, Action, Model, Op};
//!
//! // Client 0 writes 1 and it returns at 10; client 1 reads at 20 and still sees nothing.
//! let stale = [
//!     Op::new(0, Action::Write(1), 0, Some(10)),
//!     Op::new(1, Action::Read(None), 20, Some(25)),
//! ];
//! assert!(!check(&stale, Model::Linearizable).unwrap().allowed);
//! assert!(check(&stale, Model::Sequential).unwrap().allowed);
//! ```

use std::collections::HashSet;
use std::fmt;

/// The longest history the checker accepts.
pub const MAX_OPS: usize = 20;

/// What an operation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Wrote this value.
    Write(i64),
    /// Read and got this value (`None`: the register was empty).
    Read(Option<i64>),
}

/// One operation of a history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    /// Who issued it; a client's operations are sequential.
    pub client: usize,
    /// What it did.
    pub action: Action,
    /// When it was invoked.
    pub invoke: u64,
    /// When it returned; `None` for a write whose client never heard back, which may take effect
    /// at any point after its invocation, or never, and orders nothing else (a read with no
    /// answer tells nothing and should be left out).
    pub response: Option<u64>,
}

impl Op {
    /// An operation.
    pub fn new(client: usize, action: Action, invoke: u64, response: Option<u64>) -> Op {
        Op {
            client,
            action,
            invoke,
            response,
        }
    }
}

/// A consistency model, from strongest to weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// One order of all operations, respecting real time, explains every read.
    Linearizable,
    /// One order of all operations, respecting each client's own order, explains every read.
    Sequential,
    /// Every read returns a written value (or nothing); reads invoked at or after `settled`
    /// all return the same value.
    Eventual {
        /// The time from which replicas should agree.
        settled: u64,
    },
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Model::Linearizable => write!(f, "linearizable"),
            Model::Sequential => write!(f, "sequential"),
            Model::Eventual { .. } => write!(f, "eventual"),
        }
    }
}

/// The checker's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the model allows the history.
    pub allowed: bool,
    /// Search states visited: the cost of the answer.
    pub states: u64,
}

/// A history the checker will not take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryError {
    /// More operations than [`MAX_OPS`].
    TooLong {
        /// Operations in the history.
        ops: usize,
    },
    /// An operation returned before it was invoked.
    ReturnsBeforeInvoked {
        /// Its index in the history.
        index: usize,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::TooLong { ops } => write!(
                f,
                "a history of {ops} operations is longer than the {MAX_OPS} the brute-force checker takes"
            ),
            HistoryError::ReturnsBeforeInvoked { index } => {
                write!(f, "operation {index} returns before it is invoked")
            }
        }
    }
}

impl std::error::Error for HistoryError {}

// ANCHOR: check
/// Whether `model` allows `history`, and how many states the search visited.
pub fn check(history: &[Op], model: Model) -> Result<Verdict, HistoryError> {
    if history.len() > MAX_OPS {
        return Err(HistoryError::TooLong { ops: history.len() });
    }
    if let Some(index) = history
        .iter()
        .position(|op| op.response.is_some_and(|r| r < op.invoke))
    {
        return Err(HistoryError::ReturnsBeforeInvoked { index });
    }
    // must_precede[b] is the set of operations that any allowed order puts before b.
    let precedes = |a: &Op, b: &Op| match model {
        Model::Linearizable => a.response.is_some_and(|r| r < b.invoke),
        Model::Sequential => a.response.is_some() && a.client == b.client && a.invoke < b.invoke,
        Model::Eventual { .. } => false,
    };
    if let Model::Eventual { settled } = model {
        return Ok(eventual(history, settled));
    }
    let must_precede: Vec<u32> = history
        .iter()
        .map(|b| {
            history
                .iter()
                .enumerate()
                .filter(|(_, a)| precedes(a, b))
                .fold(0u32, |set, (i, _)| set | 1 << i)
        })
        .collect();
    // Operations that must be placed: everything but writes that never returned.
    let required: u32 = history
        .iter()
        .enumerate()
        .filter(|(_, op)| op.response.is_some() || matches!(op.action, Action::Read(_)))
        .fold(0, |set, (i, _)| set | 1 << i);
    let mut search = Search {
        history,
        must_precede,
        required,
        seen: HashSet::new(),
        states: 0,
    };
    let allowed = search.explore(0, None);
    Ok(Verdict {
        allowed,
        states: search.states,
    })
}

struct Search<'h> {
    history: &'h [Op],
    must_precede: Vec<u32>,
    required: u32,
    seen: HashSet<(u32, Option<i64>)>,
    states: u64,
}

impl Search<'_> {
    /// Can the operations outside `placed` follow, with the register holding `value`?
    fn explore(&mut self, placed: u32, value: Option<i64>) -> bool {
        self.states += 1;
        if placed & self.required == self.required {
            return true;
        }
        if !self.seen.insert((placed, value)) {
            return false; // explored before, and it failed then
        }
        for (i, op) in self.history.iter().enumerate() {
            let bit = 1u32 << i;
            if placed & bit != 0 || self.must_precede[i] & !placed != 0 {
                continue;
            }
            let next = match op.action {
                Action::Write(v) => Some(v),
                Action::Read(got) if got == value => value,
                Action::Read(_) => continue, // this read cannot come next
            };
            if self.explore(placed | bit, next) {
                return true;
            }
        }
        false
    }
}
// ANCHOR_END: check

fn eventual(history: &[Op], settled: u64) -> Verdict {
    let written: HashSet<i64> = history
        .iter()
        .filter_map(|op| match op.action {
            Action::Write(v) => Some(v),
            Action::Read(_) => None,
        })
        .collect();
    let reads = history.iter().filter_map(|op| match op.action {
        Action::Read(got) => Some((op.invoke, got)),
        Action::Write(_) => None,
    });
    let mut states = 0;
    let mut settled_value: Option<Option<i64>> = None;
    let mut allowed = true;
    for (invoke, got) in reads {
        states += 1;
        if got.is_some_and(|v| !written.contains(&v)) {
            allowed = false; // a value out of thin air
        }
        if invoke >= settled {
            match settled_value {
                None => settled_value = Some(got),
                Some(first) if first != got => allowed = false,
                Some(_) => {}
            }
        }
    }
    Verdict { allowed, states }
}

/// Every order of the history's operations tried one by one, with no memory: the reference the
/// tests compare [`check`] with, and the n! cost the memory saves. For histories of a few
/// operations only.
pub fn check_by_permutations(history: &[Op], model: Model) -> bool {
    fn go(history: &[Op], model: Model, order: &mut Vec<usize>, used: &mut Vec<bool>) -> bool {
        if order.len() == history.len() {
            return explains(history, model, order);
        }
        for i in 0..history.len() {
            if !used[i] {
                used[i] = true;
                order.push(i);
                let found = go(history, model, order, used);
                order.pop();
                used[i] = false;
                if found {
                    return true;
                }
            }
        }
        false
    }
    if let Model::Eventual { settled } = model {
        return eventual(history, settled).allowed;
    }
    let mut used = vec![false; history.len()];
    go(history, model, &mut Vec::new(), &mut used)
}

/// Whether one order (of all operations) is allowed by `model` and explains every read; a write
/// that never returned may also be dropped, so each such write is tried both ways.
fn explains(history: &[Op], model: Model, order: &[usize]) -> bool {
    let pending: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| history[i].response.is_none() && matches!(history[i].action, Action::Write(_)))
        .collect();
    (0u32..1 << pending.len()).any(|dropped| {
        let kept: Vec<usize> = order
            .iter()
            .copied()
            .filter(|i| {
                pending
                    .iter()
                    .position(|p| p == i)
                    .is_none_or(|k| dropped & (1 << k) == 0)
            })
            .collect();
        let respects = kept.iter().enumerate().all(|(pos, &b)| {
            kept[pos + 1..].iter().all(|&a| {
                let (a, b) = (&history[a], &history[b]);
                match model {
                    Model::Linearizable => a.response.is_none_or(|r| r >= b.invoke),
                    _ => !(a.response.is_some() && a.client == b.client && a.invoke < b.invoke),
                }
            })
        });
        let mut value = None;
        respects
            && kept.iter().all(|&i| match history[i].action {
                Action::Write(v) => {
                    value = Some(v);
                    true
                }
                Action::Read(got) => got == value,
            })
    })
}
