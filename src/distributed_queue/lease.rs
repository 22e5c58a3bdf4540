//! A queue whose deliveries are leases: a received message is hidden for a visibility timeout,
//! and comes back on its own unless it is deleted first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::messaging::Envelope;

/// What a consumer gets from [`LeasedQueue::receive`]: the message, and the receipt that
/// deletes it or extends its lease. Each delivery gets a new receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received<T> {
    /// The receipt of this delivery.
    pub receipt: Receipt,
    /// The message, with how many times it has been received (this time included).
    pub envelope: Envelope<T>,
}

/// Names one delivery of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Receipt {
    /// The message's id.
    pub id: u64,
    /// Which delivery of it (unique over the queue).
    pub delivery: u64,
}

/// Why the queue refused a delete or an extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeaseError {
    /// The message was received again since this receipt was issued (or it is gone): the
    /// holder's lease is over, and another consumer may be working on it.
    Stale {
        /// The receipt that was refused.
        receipt: Receipt,
    },
}

impl fmt::Display for LeaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeaseError::Stale { receipt } => write!(
                f,
                "receipt {} of message {} is stale: the message was received again or deleted",
                receipt.delivery, receipt.id
            ),
        }
    }
}

impl std::error::Error for LeaseError {}

#[derive(Clone, Debug)]
struct Stored<T> {
    envelope: Envelope<T>,
    visible_at: u64,
    delivery: Option<u64>,
}

// ANCHOR: leased_queue
/// A work queue as Amazon SQS runs one: `receive` hands out the oldest visible message and
/// hides it for `visibility_timeout` ticks; `delete` with the receipt removes it; a consumer
/// that needs longer calls `extend` (SQS's `ChangeMessageVisibility`), and one that crashes
/// simply stops, so the message becomes visible again and another consumer receives it. A
/// message received `max_receives` times and still not deleted moves to the dead-letter
/// queue instead of being handed out again.
///
/// Unlike [`WorkQueue`](crate::messaging::WorkQueue), nobody has to report a failure: the
/// clock does. The price is that a consumer slower than the timeout is indistinguishable
/// from a dead one, and its message is handed to someone else while it still works on it.
///
/// ```
/// use sysdesign::distributed_queue::{LeaseError, LeasedQueue};
///
/// let mut q = LeasedQueue::new(30, 5);
/// q.send("resize photo 7", 0);
/// let first = q.receive(0).expect("visible at 0");
/// assert!(q.receive(10).is_none()); // hidden while the lease runs
/// let second = q.receive(30).expect("visible again at 30: nobody deleted it");
/// assert_eq!(second.envelope.attempts, 2);
/// assert_eq!(q.delete(first.receipt), Err(LeaseError::Stale { receipt: first.receipt }));
/// q.delete(second.receipt)?;
/// assert!(q.is_empty());
/// # Ok::<(), LeaseError>(())
/// ```
#[derive(Clone, Debug)]
pub struct LeasedQueue<T> {
    visibility_timeout: u64,
    max_receives: u32,
    messages: BTreeMap<u64, Stored<T>>,
    visible: BTreeSet<(u64, u64)>,
    dead: Vec<Envelope<T>>,
    next_id: u64,
    next_delivery: u64,
}

impl<T: Clone> LeasedQueue<T> {
    /// A queue that hides a received message for `visibility_timeout` ticks and dead-letters
    /// it after `max_receives` deliveries (at least one).
    pub fn new(visibility_timeout: u64, max_receives: u32) -> Self {
        LeasedQueue {
            visibility_timeout,
            max_receives: max_receives.max(1),
            messages: BTreeMap::new(),
            visible: BTreeSet::new(),
            dead: Vec::new(),
            next_id: 0,
            next_delivery: 0,
        }
    }

    /// Accepts `body` at tick `now`, visible at once; returns its id.
    pub fn send(&mut self, body: T, now: u64) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let envelope = Envelope {
            id,
            attempts: 0,
            enqueued_at: now,
            body,
        };
        self.messages.insert(
            id,
            Stored {
                envelope,
                visible_at: now,
                delivery: None,
            },
        );
        self.visible.insert((now, id));
        id
    }

    /// Hands out the message that has been visible longest at tick `now` (by the tick it
    /// became visible, then by id) and hides it until `now + visibility_timeout`.
    pub fn receive(&mut self, now: u64) -> Option<Received<T>> {
        loop {
            let &(visible_at, id) = self.visible.first()?;
            if visible_at > now {
                return None;
            }
            self.visible.remove(&(visible_at, id));
            let stored = self.messages.get_mut(&id).expect("indexed messages exist");
            if stored.envelope.attempts >= self.max_receives {
                let stored = self.messages.remove(&id).expect("just found");
                self.dead.push(stored.envelope);
                continue;
            }
            stored.envelope.attempts += 1;
            stored.visible_at = now + self.visibility_timeout;
            stored.delivery = Some(self.next_delivery);
            self.visible.insert((stored.visible_at, id));
            let receipt = Receipt {
                id,
                delivery: self.next_delivery,
            };
            self.next_delivery += 1;
            return Some(Received {
                receipt,
                envelope: stored.envelope.clone(),
            });
        }
    }

    /// Deletes the message of `receipt`: its work is done.
    ///
    /// # Errors
    /// [`LeaseError::Stale`] when the message was received again since, or is gone.
    pub fn delete(&mut self, receipt: Receipt) -> Result<(), LeaseError> {
        let stored = self.current(receipt)?;
        let key = (stored.visible_at, receipt.id);
        self.visible.remove(&key);
        self.messages.remove(&receipt.id);
        Ok(())
    }

    /// Hides the message of `receipt` until `now + timeout`: the holder is alive and needs
    /// longer (a heartbeat).
    ///
    /// # Errors
    /// [`LeaseError::Stale`] when the message was received again since, or is gone.
    pub fn extend(&mut self, receipt: Receipt, now: u64, timeout: u64) -> Result<(), LeaseError> {
        let stored = self.current(receipt)?;
        let old = (stored.visible_at, receipt.id);
        self.visible.remove(&old);
        let stored = self.messages.get_mut(&receipt.id).expect("just checked");
        stored.visible_at = now + timeout;
        self.visible.insert((stored.visible_at, receipt.id));
        Ok(())
    }
    // ANCHOR_END: leased_queue

    fn current(&self, receipt: Receipt) -> Result<&Stored<T>, LeaseError> {
        self.messages
            .get(&receipt.id)
            .filter(|s| s.delivery == Some(receipt.delivery))
            .ok_or(LeaseError::Stale { receipt })
    }

    /// Messages not yet deleted (visible or leased).
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether every message was deleted or dead-lettered.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Messages that ran out of receives, in the order they were set aside.
    pub fn dead_letters(&self) -> &[Envelope<T>] {
        &self.dead
    }

    /// The visibility timeout, in ticks.
    pub fn visibility_timeout(&self) -> u64 {
        self.visibility_timeout
    }
}
