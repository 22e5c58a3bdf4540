//! The event loop: nodes, messages in flight, coordinators waiting for their quorums.

use super::{
    Config, ConfigError, NodeId, OpId, OpRecord, Outcome, Request, Stamp, SubmitError, Time,
    Versioned,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;

/// What travels between nodes.
#[derive(Clone, Debug)]
enum Msg {
    /// Store this version (for `hint`'s home, when the receiver only stands in for it).
    Write {
        op: OpId,
        key: String,
        version: Versioned,
        hint: Option<NodeId>,
    },
    /// The receiver of a `Write` holds it.
    WriteAck { op: OpId },
    /// Send me your version of `key`.
    Read { op: OpId, key: String },
    /// My version of the key.
    ReadReply {
        op: OpId,
        version: Option<Versioned>,
    },
    /// Keep this version if it is newer (read repair, hinted handoff, anti-entropy).
    Merge { entries: Vec<(String, Versioned)> },
}

#[derive(Clone, Debug)]
enum Event {
    Invoke(OpId),
    Deliver { from: NodeId, to: NodeId, msg: Msg },
    Timeout(OpId),
    AntiEntropy,
    Handoff,
}

#[derive(Clone, Debug, Default)]
struct Node {
    store: BTreeMap<String, Versioned>,
    /// Writes held for an unreachable home: (home, key, version).
    hints: Vec<(NodeId, String, Versioned)>,
}

#[derive(Clone, Debug, Default)]
struct Pending {
    needed: usize,
    acks: usize,
    replies: Vec<(NodeId, Option<Versioned>)>,
    stamp: Option<Stamp>,
    done: bool,
}

/// The simulated cluster. See the [module documentation](super) for the model.
#[derive(Debug)]
pub struct Sim {
    config: Config,
    rng: StdRng,
    now: Time,
    seq: u64,
    queue: BTreeMap<(Time, u64), Event>,
    nodes: Vec<Node>,
    /// Partition group of each node; nodes talk only within a group.
    group: Vec<usize>,
    ops: Vec<OpRecord>,
    pending: Vec<Pending>,
    messages: u64,
}

impl Sim {
    /// A cluster at time 0 with every node empty; `seed` drives every message delay.
    pub fn new(config: Config, seed: u64) -> Result<Sim, ConfigError> {
        config.validate()?;
        let nodes = vec![Node::default(); config.nodes];
        let group = vec![0; config.nodes];
        let mut sim = Sim {
            rng: StdRng::seed_from_u64(seed),
            now: 0,
            seq: 0,
            queue: BTreeMap::new(),
            nodes,
            group,
            ops: Vec::new(),
            pending: Vec::new(),
            messages: 0,
            config,
        };
        if let Some(period) = sim.config.anti_entropy {
            sim.schedule(period, Event::AntiEntropy);
        }
        if sim.config.sloppy {
            let every = sim.config.handoff_every.max(1);
            sim.schedule(every, Event::Handoff);
        }
        Ok(sim)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The simulation's present, in ms.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Messages sent so far (lost ones included).
    pub fn messages(&self) -> u64 {
        self.messages
    }

    /// Every operation submitted, in submission order.
    pub fn ops(&self) -> &[OpRecord] {
        &self.ops
    }

    /// One operation's record.
    ///
    /// # Panics
    ///
    /// If `id` was not returned by [`Sim::read`] or [`Sim::write`] of this simulation.
    pub fn op(&self, id: OpId) -> &OpRecord {
        &self.ops[id]
    }

    /// What `node` stores for `key` (hints it holds for others excluded).
    pub fn stored(&self, node: NodeId, key: &str) -> Option<Versioned> {
        self.nodes.get(node)?.store.get(key).copied()
    }

    /// Hints `node` holds for other nodes.
    pub fn hints_held(&self, node: NodeId) -> usize {
        self.nodes.get(node).map_or(0, |n| n.hints.len())
    }

    /// Cuts the network now: each slice is one side, and nodes not named form one more side.
    /// A message sent across sides, or arriving across them, is lost.
    pub fn partition(&mut self, sides: &[&[NodeId]]) {
        let rest = sides.len();
        self.group = vec![rest; self.config.nodes];
        for (side, nodes) in sides.iter().enumerate() {
            for &node in *nodes {
                if let Some(slot) = self.group.get_mut(node) {
                    *slot = side;
                }
            }
        }
    }

    /// Heals every partition now.
    pub fn heal(&mut self) {
        self.group = vec![0; self.config.nodes];
    }

    /// Whether `a` and `b` can exchange messages now.
    pub fn reachable(&self, a: NodeId, b: NodeId) -> bool {
        match (self.group.get(a), self.group.get(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    /// A client at `node` writes `value` under `key` at time `at`.
    pub fn write(
        &mut self,
        at: Time,
        node: NodeId,
        key: &str,
        value: i64,
    ) -> Result<OpId, SubmitError> {
        self.submit(at, node, key, Request::Write(value))
    }

    /// A client at `node` reads `key` at time `at`.
    pub fn read(&mut self, at: Time, node: NodeId, key: &str) -> Result<OpId, SubmitError> {
        self.submit(at, node, key, Request::Read)
    }

    fn submit(
        &mut self,
        at: Time,
        node: NodeId,
        key: &str,
        request: Request,
    ) -> Result<OpId, SubmitError> {
        if at < self.now {
            return Err(SubmitError::InThePast { at, now: self.now });
        }
        if node >= self.config.nodes {
            return Err(SubmitError::NoSuchNode {
                node,
                nodes: self.config.nodes,
            });
        }
        let id = self.ops.len();
        self.ops.push(OpRecord {
            id,
            node,
            key: key.to_string(),
            request,
            invoked: at,
            completed: None,
            outcome: None,
        });
        self.pending.push(Pending::default());
        self.schedule(at, Event::Invoke(id));
        Ok(id)
    }

    /// Processes every event up to and including time `until`, then sets the present to it.
    pub fn run_until(&mut self, until: Time) {
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > until {
                break;
            }
            let ((at, _), event) = entry.remove_entry();
            self.now = at;
            self.handle(event);
        }
        self.now = self.now.max(until);
    }

    fn schedule(&mut self, at: Time, event: Event) {
        self.seq += 1;
        self.queue.insert((at, self.seq), event);
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: Msg) {
        self.messages += 1;
        if !self.reachable(from, to) {
            return; // lost in the partition
        }
        let delay = self
            .rng
            .random_range(self.config.delay_min..=self.config.delay_max);
        self.schedule(
            self.now.saturating_add(delay),
            Event::Deliver { from, to, msg },
        );
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Invoke(op) => self.invoke(op),
            Event::Deliver { from, to, msg } => {
                if self.reachable(from, to) {
                    self.deliver(from, to, msg);
                }
            }
            Event::Timeout(op) => {
                let p = &self.pending[op];
                if !p.done {
                    let got = p.acks.max(p.replies.len());
                    let needed = p.needed;
                    self.finish(op, Outcome::TimedOut { got, needed });
                }
            }
            Event::AntiEntropy => {
                for from in 0..self.config.nodes {
                    let entries: Vec<(String, Versioned)> = self.nodes[from]
                        .store
                        .iter()
                        .map(|(k, v)| (k.clone(), *v))
                        .collect();
                    if entries.is_empty() {
                        continue;
                    }
                    for to in 0..self.config.nodes {
                        if to != from {
                            let entries = entries.clone();
                            self.send(from, to, Msg::Merge { entries });
                        }
                    }
                }
                let period = self.config.anti_entropy.unwrap_or(1);
                self.schedule(self.now.saturating_add(period), Event::AntiEntropy);
            }
            Event::Handoff => {
                for from in 0..self.config.nodes {
                    let hints = std::mem::take(&mut self.nodes[from].hints);
                    let (ready, waiting): (Vec<_>, Vec<_>) = hints
                        .into_iter()
                        .partition(|(home, _, _)| self.reachable(from, *home));
                    self.nodes[from].hints = waiting;
                    for (home, key, version) in ready {
                        let entries = vec![(key, version)];
                        self.send(from, home, Msg::Merge { entries });
                    }
                }
                let every = self.config.handoff_every.max(1);
                self.schedule(self.now.saturating_add(every), Event::Handoff);
            }
        }
    }

    /// The nodes an operation goes to, each with the home it stands in for (sloppy quorums).
    fn targets(&self, coordinator: NodeId) -> Vec<(NodeId, Option<NodeId>)> {
        let homes = 0..self.config.replicas;
        if !self.config.sloppy {
            return homes.map(|n| (n, None)).collect();
        }
        let mut targets: Vec<(NodeId, Option<NodeId>)> = Vec::new();
        let mut missing: Vec<NodeId> = Vec::new();
        for home in homes {
            if self.reachable(coordinator, home) {
                targets.push((home, None));
            } else {
                missing.push(home);
            }
        }
        let stand_ins =
            (self.config.replicas..self.config.nodes).filter(|&n| self.reachable(coordinator, n));
        for (stand_in, home) in stand_ins.zip(missing) {
            targets.push((stand_in, Some(home)));
        }
        targets
    }

    // ANCHOR: invoke
    fn invoke(&mut self, op: OpId) {
        let record = &self.ops[op];
        let (coordinator, key, request) = (record.node, record.key.clone(), record.request);
        let targets = self.targets(coordinator);
        let needed = match request {
            Request::Read => self.config.read_quorum,
            Request::Write(_) => self.config.write_quorum,
        };
        let reachable = targets
            .iter()
            .filter(|&&(n, _)| self.reachable(coordinator, n))
            .count();
        self.pending[op].needed = needed;
        if reachable < needed {
            self.finish(op, Outcome::Unavailable { reachable, needed });
            return;
        }
        let deadline = self.now.saturating_add(self.config.timeout);
        self.schedule(deadline, Event::Timeout(op));
        match request {
            Request::Write(value) => {
                let offset = self.config.clock_offsets[coordinator];
                let stamp = Stamp {
                    clock: i64::try_from(self.now)
                        .unwrap_or(i64::MAX)
                        .saturating_add(offset),
                    node: coordinator,
                };
                self.pending[op].stamp = Some(stamp);
                let version = Versioned { value, stamp };
                for (target, hint) in targets {
                    if target == coordinator {
                        self.apply(target, &key, version, hint);
                        self.pending[op].acks += 1;
                    } else {
                        let key = key.clone();
                        let msg = Msg::Write {
                            op,
                            key,
                            version,
                            hint,
                        };
                        self.send(coordinator, target, msg);
                    }
                }
            }
            Request::Read => {
                for (target, _) in targets {
                    if target == coordinator {
                        let version = self.stored(target, &key);
                        self.pending[op].replies.push((target, version));
                    } else {
                        let key = key.clone();
                        self.send(coordinator, target, Msg::Read { op, key });
                    }
                }
            }
        }
        self.check_quorum(op);
    }
    // ANCHOR_END: invoke

    fn apply(&mut self, node: NodeId, key: &str, version: Versioned, hint: Option<NodeId>) {
        match hint {
            Some(home) if home != node => {
                self.nodes[node]
                    .hints
                    .push((home, key.to_string(), version));
            }
            _ => {
                let store = &mut self.nodes[node].store;
                let newer = store.get(key).is_none_or(|old| old.stamp < version.stamp);
                if newer {
                    store.insert(key.to_string(), version);
                }
            }
        }
    }

    fn deliver(&mut self, from: NodeId, to: NodeId, msg: Msg) {
        match msg {
            Msg::Write {
                op,
                key,
                version,
                hint,
            } => {
                self.apply(to, &key, version, hint);
                self.send(to, from, Msg::WriteAck { op });
            }
            Msg::WriteAck { op } => {
                self.pending[op].acks += 1;
                self.check_quorum(op);
            }
            Msg::Read { op, key } => {
                let version = self.stored(to, &key);
                self.send(to, from, Msg::ReadReply { op, version });
            }
            Msg::ReadReply { op, version } => {
                self.pending[op].replies.push((from, version));
                if self.pending[op].done {
                    self.repair(op); // a late reply can still be repaired
                } else {
                    self.check_quorum(op);
                }
            }
            Msg::Merge { entries } => {
                for (key, version) in entries {
                    self.apply(to, &key, version, None);
                }
            }
        }
    }

    fn check_quorum(&mut self, op: OpId) {
        let p = &self.pending[op];
        if p.done {
            return;
        }
        match self.ops[op].request {
            Request::Write(_) if p.acks >= p.needed => {
                let stamp = p.stamp.expect("a write in flight has its stamp");
                self.finish(op, Outcome::Written(stamp));
            }
            Request::Read if p.replies.len() >= p.needed => {
                let newest = newest(&p.replies);
                self.finish(op, Outcome::Read(newest));
                self.repair(op);
            }
            _ => {}
        }
    }

    /// Read repair: every replier that answered with an older version gets the newest one.
    fn repair(&mut self, op: OpId) {
        if !self.config.read_repair {
            return;
        }
        let replies = &self.pending[op].replies;
        let Some(best) = newest(replies) else {
            return;
        };
        let behind: Vec<NodeId> = replies
            .iter()
            .filter(|(_, v)| v.is_none_or(|v| v.stamp < best.stamp))
            .map(|&(n, _)| n)
            .collect();
        let coordinator = self.ops[op].node;
        let key = self.ops[op].key.clone();
        for node in behind {
            if node == coordinator {
                self.apply(node, &key, best, None);
            } else {
                let entries = vec![(key.clone(), best)];
                self.send(coordinator, node, Msg::Merge { entries });
            }
        }
        // Each replier is repaired at most once.
        self.pending[op]
            .replies
            .iter_mut()
            .for_each(|r| r.1 = Some(best));
    }

    fn finish(&mut self, op: OpId, outcome: Outcome) {
        self.pending[op].done = true;
        self.ops[op].completed = Some(self.now);
        self.ops[op].outcome = Some(outcome);
    }
}

fn newest(replies: &[(NodeId, Option<Versioned>)]) -> Option<Versioned> {
    replies
        .iter()
        .filter_map(|&(_, v)| v)
        .max_by_key(|v| v.stamp)
}
