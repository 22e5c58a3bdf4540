//! The discrete-event simulation of lease-based election: nodes, a lease store, a fenced
//! storage service, drifting clocks, message delays, pauses, crashes and cut links.

use super::{ElectionConfig, Fault, NodeId, Time};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;

/// A node's clock: `local(t) = t + floor(t · ppm / 10⁶)`, running `ppm` parts per million fast
/// (slow when negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// The drift, in parts per million.
    pub ppm: i64,
}

impl Clock {
    /// The reading at true time `t`.
    ///
    /// ```
    /// use sysdesign::leader_election::Clock;
    ///
    /// assert_eq!(Clock { ppm: 10_000 }.local(1_000), 1_010); // 1% fast
    /// assert_eq!(Clock { ppm: -10_000 }.local(1_000), 990);
    /// ```
    pub fn local(&self, t: Time) -> i64 {
        let t = t as i128;
        (t + (t * self.ppm as i128).div_euclid(1_000_000)) as i64
    }

    /// The first true time at which the clock reads `reading` or more.
    pub fn when(&self, reading: i64) -> Time {
        if reading <= 0 {
            return 0;
        }
        let rate = 1_000_000 + self.ppm as i128;
        let mut t = ((reading as i128 * 1_000_000) / rate.max(1)) as Time;
        while self.local(t) < reading {
            t += 1;
        }
        while t > 0 && self.local(t - 1) >= reading {
            t -= 1;
        }
        t
    }
}

/// A span of true time during which one node believed it held the lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The node.
    pub node: NodeId,
    /// The lease's fencing token.
    pub token: u64,
    /// When it learned it holds the lease.
    pub from: Time,
    /// When its own clock told it the lease was over (or it crashed), exclusive.
    pub until: Time,
}

/// A write as the storage service saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteRecord {
    /// When it reached the storage.
    pub at: Time,
    /// The node that sent it.
    pub node: NodeId,
    /// The fencing token it carried.
    pub token: u64,
    /// The value written (the node's count of its writes).
    pub value: u64,
    /// Whether the storage applied it.
    pub accepted: bool,
    /// Whether the lease store still held a lease with this token when the write arrived.
    pub lease_current: bool,
}

/// A lease granted by the lease store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    /// When the store granted it.
    pub at: Time,
    /// To whom.
    pub node: NodeId,
    /// Its fencing token: one more than the previous lease's.
    pub token: u64,
}

#[derive(Clone, Copy, Debug)]
enum Msg {
    Acquire {
        node: NodeId,
        sent_local: i64,
    },
    Reply {
        node: NodeId,
        token: Option<u64>,
        sent_local: i64,
    },
    Write {
        node: NodeId,
        token: u64,
        value: u64,
    },
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Tick(NodeId),
    Issue { node: NodeId, token: u64 },
    Deliver(Msg),
}

#[derive(Clone, Copy, Debug)]
struct Held {
    token: u64,
    end_local: i64,
}

#[derive(Clone, Debug, Default)]
struct Node {
    lease: Option<Held>,
    writes: u64,
}

/// A finished (or running) election: what the store granted, who believed it led, and what the
/// storage accepted.
#[derive(Debug)]
pub struct Election {
    config: ElectionConfig,
    faults: Vec<Fault>,
    rng: StdRng,
    now: Time,
    seq: u64,
    queue: BTreeMap<(Time, u64), Event>,
    nodes: Vec<Node>,
    /// (holder, token, expires at) at the lease store.
    lease: Option<(NodeId, u64, Time)>,
    next_token: u64,
    gate: super::FencingGate,
    grants: Vec<Grant>,
    terms: Vec<Term>,
    writes: Vec<WriteRecord>,
}

impl Election {
    /// A cluster at time 0 with no lease granted; node `i` first runs its loop at
    /// `i · (delay_max + 1)` ms.
    pub fn new(config: ElectionConfig, faults: Vec<Fault>, seed: u64) -> Election {
        let mut election = Election {
            nodes: vec![Node::default(); config.nodes],
            config,
            faults,
            rng: StdRng::seed_from_u64(seed),
            now: 0,
            seq: 0,
            queue: BTreeMap::new(),
            lease: None,
            next_token: 1,
            gate: super::FencingGate::default(),
            grants: Vec::new(),
            terms: Vec::new(),
            writes: Vec::new(),
        };
        // Staggered starts, one longest delay apart, so node 0 asks first and is heard first.
        let stagger = election.config.delay_max + 1;
        for node in 0..election.config.nodes {
            election.schedule(node as Time * stagger, Event::Tick(node));
        }
        election
    }

    // ANCHOR: paused_leader
    /// The fencing scenario: two nodes, 1 s leases, node 0 the leader. At 1,005 ms, just after
    /// node 0 checked its lease and before its write goes out, node 0 freezes (a long
    /// garbage-collection pause) until `wakes`; node 1 takes over when the lease expires, and
    /// node 0 wakes and sends the write it had prepared, with its old token. Seed 1.
    pub fn paused_leader(fencing: bool, wakes: Time) -> Election {
        let config = ElectionConfig {
            fencing,
            ..ElectionConfig::new(2, 1_000)
        };
        let pause = Fault::Pause {
            node: 0,
            from: 1_005,
            until: wakes,
        };
        Election::new(config, vec![pause], 1)
    }
    // ANCHOR_END: paused_leader

    /// Runs every event up to time `until`.
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

    /// Leases the store granted, in order.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// Every span during which a node believed it led, cut at its crash.
    pub fn terms(&self) -> Vec<Term> {
        self.terms
            .iter()
            .filter_map(|term| {
                let until = term
                    .until
                    .min(self.crash_time(term.node).unwrap_or(Time::MAX));
                (until > term.from).then_some(Term { until, ..*term })
            })
            .collect()
    }

    /// Every write that reached the storage, in arrival order.
    pub fn writes(&self) -> &[WriteRecord] {
        &self.writes
    }

    fn crash_time(&self, node: NodeId) -> Option<Time> {
        self.faults.iter().find_map(|f| match *f {
            Fault::Crash { node: n, at } if n == node => Some(at),
            _ => None,
        })
    }

    /// The end of the pause `node` is in at `t`, if any.
    fn paused_until(&self, node: NodeId, t: Time) -> Option<Time> {
        self.faults.iter().find_map(|f| match *f {
            Fault::Pause {
                node: n,
                from,
                until,
            } if n == node && from <= t && t < until => Some(until),
            _ => None,
        })
    }

    fn cut(&self, node: NodeId, t: Time) -> bool {
        self.faults.iter().any(|f| {
            matches!(*f, Fault::Cut { node: n, from, until } if n == node && from <= t && t < until)
        })
    }

    fn clock(&self, node: NodeId) -> Clock {
        Clock {
            ppm: self.config.clock_ppm.get(node).copied().unwrap_or(0),
        }
    }

    fn schedule(&mut self, at: Time, event: Event) {
        self.seq += 1;
        self.queue.insert((at, self.seq), event);
    }

    /// Sends a message over `node`'s link; lost when the link is cut.
    fn send(&mut self, node: NodeId, msg: Msg) {
        if self.cut(node, self.now) {
            return;
        }
        let (min, max) = (
            self.config.delay_min,
            self.config.delay_max.max(self.config.delay_min),
        );
        let delay = self.rng.random_range(min..=max);
        self.schedule(self.now + delay, Event::Deliver(msg));
    }

    // ANCHOR: handle
    fn handle(&mut self, event: Event) {
        // A node's own events wait out its pauses and vanish after its crash.
        let owner = match event {
            Event::Tick(node) | Event::Issue { node, .. } => Some(node),
            Event::Deliver(Msg::Reply { node, .. }) => Some(node),
            Event::Deliver(_) => None,
        };
        if let Some(node) = owner {
            if self.crash_time(node).is_some_and(|at| at <= self.now) {
                return;
            }
            if let Some(until) = self.paused_until(node, self.now) {
                self.schedule(until, event);
                return;
            }
        }
        match event {
            Event::Tick(node) => self.tick(node),
            Event::Issue { node, token } => {
                // The write goes out with the token checked `work` ms ago: no second look.
                self.nodes[node].writes += 1;
                let value = self.nodes[node].writes;
                self.send(node, Msg::Write { node, token, value });
            }
            Event::Deliver(Msg::Acquire { node, sent_local }) => self.acquire(node, sent_local),
            Event::Deliver(Msg::Reply {
                node,
                token,
                sent_local,
            }) => self.reply(node, token, sent_local),
            Event::Deliver(Msg::Write { node, token, value }) => self.store(node, token, value),
        }
    }

    /// A node's loop: renew or try to take the lease; if it holds one, start a write.
    fn tick(&mut self, node: NodeId) {
        let clock = self.clock(node);
        let local = clock.local(self.now);
        if let Some(held) = self.nodes[node].lease
            && local < held.end_local
        {
            let at = clock.when(local + self.config.work as i64);
            let token = held.token;
            self.schedule(at, Event::Issue { node, token });
        }
        self.send(
            node,
            Msg::Acquire {
                node,
                sent_local: local,
            },
        );
        let next = clock.when(local + self.config.tick.max(1) as i64);
        self.schedule(next, Event::Tick(node));
    }

    /// The lease store: compare-and-set on one record, judged by the store's own clock.
    fn acquire(&mut self, node: NodeId, sent_local: i64) {
        let now = self.now;
        let token = match self.lease {
            Some((holder, token, expires)) if now < expires => {
                if holder == node {
                    self.lease = Some((node, token, now + self.config.ttl));
                    Some(token)
                } else {
                    None
                }
            }
            _ => {
                let token = self.next_token;
                self.next_token += 1;
                self.lease = Some((node, token, now + self.config.ttl));
                self.grants.push(Grant {
                    at: now,
                    node,
                    token,
                });
                Some(token)
            }
        };
        self.send(
            node,
            Msg::Reply {
                node,
                token,
                sent_local,
            },
        );
    }

    /// A node hears back. It counts its lease from when it *sent* the request, shortened by
    /// the drift bound, so that its own clock ends the lease no later than the store's does.
    fn reply(&mut self, node: NodeId, token: Option<u64>, sent_local: i64) {
        let Some(token) = token else { return };
        if self.nodes[node]
            .lease
            .is_some_and(|held| held.token > token)
        {
            return; // a late reply about an older lease
        }
        let end_local = sent_local + self.config.safe_lease_ms();
        let clock = self.clock(node);
        let until = clock.when(end_local);
        if until <= self.now {
            return; // the reply came too late to be of use
        }
        let held = self.nodes[node].lease.filter(|h| h.token == token);
        let end_local = held.map_or(end_local, |h| h.end_local.max(end_local));
        self.nodes[node].lease = Some(Held { token, end_local });
        let until = clock.when(end_local);
        let now = self.now;
        let open = self
            .terms
            .iter_mut()
            .rev()
            .find(|term| term.node == node && term.token == token && now <= term.until);
        match open {
            Some(term) => term.until = until,
            None => self.terms.push(Term {
                node,
                token,
                from: self.now,
                until,
            }),
        }
    }

    /// The storage service: with fencing on, it refuses a token older than one it has seen.
    fn store(&mut self, node: NodeId, token: u64, value: u64) {
        let accepted = !self.config.fencing || self.gate.admit(token);
        let lease_current = self
            .lease
            .is_some_and(|(_, t, expires)| t == token && self.now < expires);
        self.writes.push(WriteRecord {
            at: self.now,
            node,
            token,
            value,
            accepted,
            lease_current,
        });
    }
    // ANCHOR_END: handle
}
