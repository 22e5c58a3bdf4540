//! A bounded work queue: backpressure when full, redelivery on failure, a dead-letter queue.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A message in the queue, with how often it has been handed out and when it was accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope<T> {
    /// The id the queue gave the message when it accepted it.
    pub id: u64,
    /// How many times it has been handed to a consumer.
    pub attempts: u32,
    /// The tick at which the queue accepted it.
    pub enqueued_at: u64,
    /// What the producer sent.
    pub body: T,
}

/// Why the queue refused an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueError {
    /// The queue holds `capacity` messages (waiting or in flight): the producer must slow down.
    Full {
        /// The queue's capacity.
        capacity: usize,
    },
    /// No message with this id is in flight (never handed out, or already settled).
    NotInFlight {
        /// The id that was settled.
        id: u64,
    },
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::Full { capacity } => {
                write!(f, "queue full ({capacity} messages): try again later")
            }
            QueueError::NotInFlight { id } => write!(f, "message {id} is not in flight"),
        }
    }
}

impl std::error::Error for QueueError {}

/// What became of a message a consumer could not process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// Back at the end of the queue for another attempt.
    Requeued,
    /// Out of attempts: moved to the dead-letter queue.
    DeadLettered,
}

// ANCHOR: work_queue
/// A point-to-point queue: each message goes to one consumer, which acknowledges it ([`ack`])
/// or reports a failure ([`nack`]). A message stays counted against the capacity until it is
/// settled, so a slow consumer fills the queue and [`push`] starts refusing: backpressure.
/// After `max_attempts` failures a message moves to the dead-letter queue instead of going
/// round again.
///
/// [`ack`]: WorkQueue::ack
/// [`nack`]: WorkQueue::nack
/// [`push`]: WorkQueue::push
///
/// ```
/// use sysdesign::messaging::{QueueError, Settled, WorkQueue};
///
/// let mut q = WorkQueue::new(2, 2);
/// q.push("a", 0)?;
/// q.push("b", 0)?;
/// assert_eq!(q.push("c", 0), Err(QueueError::Full { capacity: 2 }));
/// let a = q.receive().expect("a waits");
/// assert_eq!(q.nack(a.id)?, Settled::Requeued);
/// let _b = q.receive().expect("b waits");
/// let a = q.receive().expect("a again");
/// assert_eq!(a.attempts, 2);
/// assert_eq!(q.nack(a.id)?, Settled::DeadLettered);
/// assert_eq!(q.dead_letters()[0].body, "a");
/// # Ok::<(), QueueError>(())
/// ```
#[derive(Clone, Debug)]
pub struct WorkQueue<T> {
    capacity: usize,
    max_attempts: u32,
    ready: VecDeque<Envelope<T>>,
    in_flight: BTreeMap<u64, Envelope<T>>,
    dead: Vec<Envelope<T>>,
    next_id: u64,
}

impl<T: Clone> WorkQueue<T> {
    /// A queue holding at most `capacity` unsettled messages, each tried at most
    /// `max_attempts` times (at least once).
    pub fn new(capacity: usize, max_attempts: u32) -> Self {
        WorkQueue {
            capacity,
            max_attempts: max_attempts.max(1),
            ready: VecDeque::new(),
            in_flight: BTreeMap::new(),
            dead: Vec::new(),
            next_id: 0,
        }
    }

    /// Accepts `body` at tick `now` and returns its id.
    ///
    /// # Errors
    /// [`QueueError::Full`] when `capacity` messages are waiting or in flight.
    pub fn push(&mut self, body: T, now: u64) -> Result<u64, QueueError> {
        if self.len() >= self.capacity {
            return Err(QueueError::Full {
                capacity: self.capacity,
            });
        }
        let id = self.next_id;
        self.next_id += 1;
        self.ready.push_back(Envelope {
            id,
            attempts: 0,
            enqueued_at: now,
            body,
        });
        Ok(id)
    }

    /// Hands the oldest waiting message to a consumer; it stays in flight until settled.
    pub fn receive(&mut self) -> Option<Envelope<T>> {
        let mut envelope = self.ready.pop_front()?;
        envelope.attempts += 1;
        self.in_flight.insert(envelope.id, envelope.clone());
        Some(envelope)
    }

    /// The consumer processed message `id`: it leaves the queue.
    ///
    /// # Errors
    /// [`QueueError::NotInFlight`] when `id` is not in flight.
    pub fn ack(&mut self, id: u64) -> Result<(), QueueError> {
        self.in_flight
            .remove(&id)
            .map(|_| ())
            .ok_or(QueueError::NotInFlight { id })
    }

    /// The consumer failed on message `id`: requeue it, or dead-letter it when out of attempts.
    ///
    /// # Errors
    /// [`QueueError::NotInFlight`] when `id` is not in flight.
    pub fn nack(&mut self, id: u64) -> Result<Settled, QueueError> {
        let envelope = self
            .in_flight
            .remove(&id)
            .ok_or(QueueError::NotInFlight { id })?;
        if envelope.attempts >= self.max_attempts {
            self.dead.push(envelope);
            Ok(Settled::DeadLettered)
        } else {
            self.ready.push_back(envelope);
            Ok(Settled::Requeued)
        }
    }
    // ANCHOR_END: work_queue

    /// Messages waiting or in flight (what counts against the capacity).
    pub fn len(&self) -> usize {
        self.ready.len() + self.in_flight.len()
    }

    /// Whether no message is waiting or in flight.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Messages that ran out of attempts, oldest first.
    pub fn dead_letters(&self) -> &[Envelope<T>] {
        &self.dead
    }
}

/// The workload of [`run_backlog`]: a producer with a burst, one consumer of fixed speed,
/// some poison messages that always fail.
#[derive(Clone, Debug, PartialEq)]
pub struct BacklogConfig {
    /// Ticks simulated (the producer stops after them; the consumer gets as long again to drain).
    pub ticks: u64,
    /// Mean messages offered per tick outside the burst.
    pub base_rate: f64,
    /// Mean messages offered per tick during the burst.
    pub burst_rate: f64,
    /// The ticks of the burst, `[start, end)`.
    pub burst: (u64, u64),
    /// Delivery attempts the consumer makes per tick.
    pub service_per_tick: u32,
    /// The queue's capacity (`usize::MAX` for an unbounded queue).
    pub capacity: usize,
    /// The share of messages that can never be processed.
    pub poison_rate: f64,
    /// Attempts before a message is dead-lettered (`u32::MAX`: never).
    pub max_attempts: u32,
}

impl Default for BacklogConfig {
    fn default() -> Self {
        BacklogConfig {
            ticks: 400,
            base_rate: 8.0,
            burst_rate: 14.0,
            burst: (100, 200),
            service_per_tick: 10,
            capacity: 200,
            poison_rate: 0.01,
            max_attempts: 3,
        }
    }
}

/// What [`run_backlog`] observed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BacklogReport {
    /// Messages the producer tried to send.
    pub offered: u64,
    /// Messages refused because the queue was full.
    pub rejected: u64,
    /// Messages processed successfully.
    pub processed: u64,
    /// Messages moved to the dead-letter queue.
    pub dead_lettered: u64,
    /// Delivery attempts spent on poison messages.
    pub poison_attempts: u64,
    /// The most messages the queue held at once.
    pub max_depth: usize,
    /// Median ticks from acceptance to successful processing.
    pub wait_p50: u64,
    /// 99th-percentile ticks from acceptance to successful processing.
    pub wait_p99: u64,
    /// Messages still in the queue when the run ended.
    pub left_over: usize,
}

// ANCHOR: run_backlog
/// Simulates `config` with a seeded producer: each tick, offers about the tick's rate of
/// messages (refused ones are dropped, as a caller that got "try later" might), then the
/// consumer makes `service_per_tick` attempts; poison messages always fail.
pub fn run_backlog(config: &BacklogConfig, seed: u64) -> BacklogReport {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut queue: WorkQueue<bool> = WorkQueue::new(config.capacity, config.max_attempts);
    let mut report = BacklogReport::default();
    let mut waits = Vec::new();
    for tick in 0..config.ticks * 2 {
        if tick < config.ticks {
            let in_burst = (config.burst.0..config.burst.1).contains(&tick);
            let rate = if in_burst {
                config.burst_rate
            } else {
                config.base_rate
            };
            // Binomial(40, rate / 40): mean `rate`, some spread, no extra dependency.
            let offered = (0..40).filter(|_| rng.random_bool(rate / 40.0)).count();
            for _ in 0..offered {
                report.offered += 1;
                let poison = rng.random_bool(config.poison_rate);
                if queue.push(poison, tick).is_err() {
                    report.rejected += 1;
                }
            }
        }
        for _ in 0..config.service_per_tick {
            let Some(message) = queue.receive() else {
                break;
            };
            if message.body {
                report.poison_attempts += 1;
                if queue.nack(message.id) == Ok(Settled::DeadLettered) {
                    report.dead_lettered += 1;
                }
            } else {
                queue.ack(message.id).expect("it was just received");
                report.processed += 1;
                waits.push(tick - message.enqueued_at);
            }
        }
        report.max_depth = report.max_depth.max(queue.len());
    }
    // ANCHOR_END: run_backlog
    waits.sort_unstable();
    let pick = |q: f64| {
        waits
            .get(((waits.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    report.wait_p50 = pick(0.5);
    report.wait_p99 = pick(0.99);
    report.left_over = queue.len();
    report
}
