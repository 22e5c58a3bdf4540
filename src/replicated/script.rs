//! Scripted scenarios: the same timed steps played on several simulations side by side, for the
//! timeline tables of the book.

use super::{NodeId, Sim, Time};
use crate::show::Table;

/// One step of a script, on the key `"x"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A client at this node writes this value.
    Write(NodeId, i64),
    /// A client at this node reads.
    Read(NodeId),
    /// The network splits into these sides (nodes not named form one more side).
    Partition(&'static [&'static [NodeId]]),
    /// The network heals.
    Heal,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Write(node, v) => write!(f, "client at node {node} writes x = {v}"),
            Step::Read(node) => write!(f, "client at node {node} reads x"),
            Step::Partition(sides) => {
                let sides: Vec<String> = sides.iter().map(|side| format!("{side:?}")).collect();
                write!(f, "network splits {}", sides.join(" | "))
            }
            Step::Heal => write!(f, "network heals"),
        }
    }
}

/// What one simulation showed after one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The client's answer and how long it took ("" for a network step, "no answer" if none came
    /// by the end).
    pub answer: String,
    /// What each of the first `shown` nodes stores for x when the next step begins ("-": nothing).
    pub replicas: String,
}

/// Plays `script` (in time order) on every simulation in `sims`, running each until just before
/// the next step, and at last until `end`; returns, per step, one cell per simulation: the
/// operation's final answer, and what the nodes stored just before the next step. `shown` is how
/// many nodes the replicas column lists.
///
/// ```
/// use sysdesign::replicated::script::{Step, play};
/// use sysdesign::replicated::{Config, Sim};
///
/// let mut sims = [Sim::new(Config::new(3, 3, 2, 2).unwrap(), 1).unwrap()];
/// let script = [(0, Step::Write(0, 7)), (10, Step::Read(2))];
/// let rows = play(&mut sims, &script, 20, 3);
/// assert_eq!(rows[1][0].answer, "7 after 2 ms");
/// assert_eq!(rows[1][0].replicas, "7 7 7");
/// ```
pub fn play(sims: &mut [Sim], script: &[(Time, Step)], end: Time, shown: usize) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut ops = Vec::new();
    for (i, &(at, step)) in script.iter().enumerate() {
        let next = script.get(i + 1).map_or(end, |&(t, _)| t.saturating_sub(1));
        let mut row = Vec::new();
        for (s, sim) in sims.iter_mut().enumerate() {
            let at = at.max(sim.now());
            sim.run_until(at);
            let op = match step {
                Step::Write(node, v) => sim.write(at, node, "x", v).ok(),
                Step::Read(node) => sim.read(at, node, "x").ok(),
                Step::Partition(sides) => {
                    sim.partition(sides);
                    None
                }
                Step::Heal => {
                    sim.heal();
                    None
                }
            };
            ops.push((rows.len(), s, op));
            sim.run_until(next.max(at));
            let replicas = (0..shown)
                .map(|node| {
                    sim.stored(node, "x")
                        .map_or("-".to_string(), |v| v.value.to_string())
                })
                .collect::<Vec<_>>()
                .join(" ");
            let answer = String::new();
            row.push(Cell { answer, replicas });
        }
        rows.push(row);
    }
    // Answers are filled in at the end, so an operation still in flight when the next step
    // begins gets its answer too.
    for sim in sims.iter_mut() {
        sim.run_until(end);
    }
    for (row, s, op) in ops {
        if let Some(id) = op {
            let record = sims[s].op(id);
            rows[row][s].answer = match (record.outcome, record.latency()) {
                (Some(outcome), Some(ms)) => format!("{outcome} after {ms} ms"),
                _ => "no answer".to_string(),
            };
        }
    }
    rows
}

/// The timeline table of a played script: a row per step with its time and what it did, then,
/// for each simulation named in `columns` as `(answer header, replicas header)`, the two cells
/// [`play`] returned for it.
///
/// ```
/// use sysdesign::replicated::script::{Step, play, timeline};
/// use sysdesign::replicated::{Config, Sim};
///
/// let mut sims = [Sim::new(Config::new(3, 3, 2, 2).unwrap(), 1).unwrap()];
/// let script = [(0, Step::Write(0, 7)), (10, Step::Read(2))];
/// let rows = play(&mut sims, &script, 20, 3);
/// let table = timeline(&script, &rows, &[("answer", "x at nodes 0 1 2")]);
/// assert!(table.to_string().contains("client at node 2 reads x"));
/// ```
pub fn timeline(script: &[(Time, Step)], rows: &[Vec<Cell>], columns: &[(&str, &str)]) -> Table {
    let mut headers = vec!["t (ms)".to_string(), "step".to_string()];
    for (answer, replicas) in columns {
        headers.push(answer.to_string());
        headers.push(replicas.to_string());
    }
    let mut table = Table::new(headers);
    for ((at, step), cells) in script.iter().zip(rows) {
        let mut row = vec![at.to_string(), step.to_string()];
        for cell in cells {
            row.push(cell.answer.clone());
            row.push(cell.replicas.clone());
        }
        table.push(row);
    }
    table
}
