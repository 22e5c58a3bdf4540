//! Chat: the order in which a conversation's members see its messages, when senders' clocks
//! disagree.
//!
//! A message that answers another must be shown after it. Ordering by the sender's wall-clock
//! timestamp fails that as soon as two members' clocks differ by more than the time between a
//! message and its answer. A **Lamport clock** (each client's counter, moved past every
//! counter it receives) and a **sequence number** the server assigns per conversation on
//! arrival both respect it; the sequence number also gives every member the same order and
//! shows a gap when a message is missing.
//!
//! # The design
//!
//! [`simulate`] plays a seeded conversation on a millisecond clock: members with clock offsets,
//! messages at random times, each travelling to the server and from it to every member with a
//! random delay. A message's causal past is every message its sender had received (or sent)
//! before sending it; [`Run::violations`] counts the messages shown before something in their
//! causal past.
//!
//! ```
//! use sysdesign::chat::{Conversation, Order, simulate};
//!
//! let skewed = Conversation { members: 5, messages: 500, mean_gap_ms: 200, max_delay_ms: 50, max_skew_ms: 1_000, seed: 3 };
//! let run = simulate(&skewed);
//! assert!(run.violations(Order::SenderClock) > 0);
//! assert_eq!(run.violations(Order::Lamport), 0);
//! assert_eq!(run.violations(Order::ServerSequence), 0);
//! ```

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A conversation to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Members, each of whom sends and receives.
    pub members: u32,
    /// Messages sent in all.
    pub messages: usize,
    /// The mean real time between two messages (exponential gaps), in milliseconds.
    pub mean_gap_ms: u64,
    /// Each hop (sender to server, server to member) takes 1 to this many milliseconds.
    pub max_delay_ms: u64,
    /// Each member's clock is off by a uniform draw from `-max_skew_ms..=max_skew_ms`.
    pub max_skew_ms: i64,
    /// The seed of every draw.
    pub seed: u64,
}

// ANCHOR: message
/// One message as the simulation saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Who sent it.
    pub sender: u32,
    /// The real time it was sent, in milliseconds.
    pub sent_ms: i64,
    /// The sender's wall clock when it sent it: real time plus the sender's offset.
    pub sender_clock_ms: i64,
    /// The sender's Lamport clock when it sent it.
    pub lamport: u64,
    /// The number the server gave it on arrival: 0, 1, 2, ... in arrival order.
    pub sequence: u64,
    /// The real time it reached the server.
    pub at_server_ms: i64,
    /// The indices (in sending order) of the messages in its causal past.
    pub causal_past: Vec<usize>,
}
// ANCHOR_END: message

/// A way to sort a conversation for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// By the sender's wall-clock timestamp (ties by sender).
    SenderClock,
    /// By Lamport clock (ties by sender).
    Lamport,
    /// By the server's per-conversation sequence number.
    ServerSequence,
}

/// A simulated conversation: its messages in the real order they were sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The messages, by real sending time.
    pub messages: Vec<Message>,
}

// ANCHOR: simulate
/// Plays `c`: draws each member's clock offset and the messages' senders, times and delays;
/// stamps each message with the sender's wall clock and Lamport clock; numbers it at the
/// server; and records which messages its sender had seen when sending it. Each member's
/// messages reach the server in the order sent, as on one connection.
///
/// ```
/// use sysdesign::chat::{Conversation, simulate};
///
/// let c = Conversation { members: 3, messages: 50, mean_gap_ms: 100, max_delay_ms: 20, max_skew_ms: 0, seed: 1 };
/// let run = simulate(&c);
/// assert_eq!(run.messages.len(), 50);
/// // With clocks in step, a sender's clock reads the real sending time.
/// assert!(run.messages.iter().all(|m| m.sender_clock_ms == m.sent_ms));
/// assert!(run.messages[0].causal_past.is_empty());
/// ```
pub fn simulate(c: &Conversation) -> Run {
    let mut rng = StdRng::seed_from_u64(c.seed);
    let members = c.members.max(1) as usize;
    let offsets: Vec<i64> = (0..members)
        .map(|_| rng.random_range(-c.max_skew_ms..=c.max_skew_ms))
        .collect();
    let delay = |rng: &mut StdRng| rng.random_range(1..=c.max_delay_ms.max(1)) as i64;
    let mut lamport = vec![0u64; members];
    let mut last_at_server = vec![i64::MIN; members];
    // For each message: when it reached each member.
    let mut arrives: Vec<Vec<i64>> = Vec::with_capacity(c.messages);
    let mut messages: Vec<Message> = Vec::with_capacity(c.messages);
    let mut now = 0i64;
    for _ in 0..c.messages {
        let gap: f64 = rng.random();
        now += (-(1.0 - gap).ln() * c.mean_gap_ms as f64).round() as i64 + 1;
        let sender = rng.random_range(0..members);
        // What the sender has seen: its own earlier messages and those delivered to it.
        let causal_past: Vec<usize> = (0..messages.len())
            .filter(|&i| arrives[i][sender] <= now)
            .collect();
        for &i in &causal_past {
            lamport[sender] = lamport[sender].max(messages[i].lamport);
        }
        lamport[sender] += 1;
        // One connection per member: its messages reach the server in the order it sent them.
        let at_server = (now + delay(&mut rng)).max(last_at_server[sender]);
        last_at_server[sender] = at_server;
        let to_members: Vec<i64> = (0..members)
            .map(|m| {
                if m == sender {
                    now
                } else {
                    at_server + delay(&mut rng)
                }
            })
            .collect();
        arrives.push(to_members);
        messages.push(Message {
            sender: sender as u32,
            sent_ms: now,
            sender_clock_ms: now + offsets[sender],
            lamport: lamport[sender],
            sequence: 0,
            at_server_ms: at_server,
            causal_past,
        });
    }
    // The server numbers messages in the order they reached it.
    let mut by_arrival: Vec<usize> = (0..messages.len()).collect();
    by_arrival.sort_by_key(|&i| (messages[i].at_server_ms, i));
    for (sequence, &i) in by_arrival.iter().enumerate() {
        messages[i].sequence = sequence as u64;
    }
    Run { messages }
}
// ANCHOR_END: simulate

impl Run {
    /// The messages' indices in display order under `order`.
    ///
    /// ```
    /// use sysdesign::chat::{Conversation, Order, simulate};
    ///
    /// let c = Conversation { members: 2, messages: 20, mean_gap_ms: 50, max_delay_ms: 10, max_skew_ms: 0, seed: 4 };
    /// let run = simulate(&c);
    /// let shown = run.display(Order::ServerSequence);
    /// let seqs: Vec<u64> = shown.iter().map(|&i| run.messages[i].sequence).collect();
    /// assert_eq!(seqs, (0..20).collect::<Vec<u64>>());
    /// ```
    pub fn display(&self, order: Order) -> Vec<usize> {
        let mut shown: Vec<usize> = (0..self.messages.len()).collect();
        let m = &self.messages;
        match order {
            Order::SenderClock => shown.sort_by_key(|&i| (m[i].sender_clock_ms, m[i].sender)),
            Order::Lamport => shown.sort_by_key(|&i| (m[i].lamport, m[i].sender)),
            Order::ServerSequence => shown.sort_by_key(|&i| m[i].sequence),
        }
        shown
    }

    // ANCHOR: violations
    /// Messages shown before at least one message in their causal past: a reply above the
    /// message it answers.
    pub fn violations(&self, order: Order) -> usize {
        let mut position = vec![0usize; self.messages.len()];
        for (at, i) in self.display(order).into_iter().enumerate() {
            position[i] = at;
        }
        self.messages
            .iter()
            .enumerate()
            .filter(|(i, m)| m.causal_past.iter().any(|&p| position[p] > position[*i]))
            .count()
    }
    // ANCHOR_END: violations
}
