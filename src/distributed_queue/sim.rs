//! Consumers that are slow or crash, against a visibility timeout: a seeded simulation.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, LogNormal};

use super::lease::{LeasedQueue, Receipt};

/// The workload and the lease policy of [`run_consumers`]. Time is in ticks (the book's runs
/// read a tick as 100 ms).
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerConfig {
    /// Messages sent, at a steady rate from tick 0.
    pub messages: u64,
    /// Messages sent per tick (may be fractional: 0.4 is two every five ticks).
    pub arrivals_per_tick: f64,
    /// Consumers polling the queue.
    pub consumers: usize,
    /// Median ticks of work per message; the work is log-normal around it.
    pub median_work: f64,
    /// The log-normal's σ: 1.0 puts the 99th percentile about 10 times the median.
    pub work_sigma: f64,
    /// The chance that a consumer crashes while working on a message (at a uniform point).
    pub crash_probability: f64,
    /// Ticks a crashed consumer takes to come back.
    pub restart_ticks: u64,
    /// The queue's visibility timeout, in ticks.
    pub visibility_timeout: u64,
    /// `Some(n)`: a working consumer extends its lease to a full timeout every `n` ticks.
    pub heartbeat_every: Option<u64>,
    /// Receives before a message is dead-lettered.
    pub max_receives: u32,
    /// The run stops here even if messages are left (an overloaded queue never drains).
    pub max_ticks: u64,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            messages: 10_000,
            arrivals_per_tick: 0.4,
            consumers: 20,
            median_work: 20.0,
            work_sigma: 1.0,
            crash_probability: 0.01,
            restart_ticks: 50,
            visibility_timeout: 300,
            heartbeat_every: None,
            max_receives: 5,
            max_ticks: 50_000,
        }
    }
}

/// What [`run_consumers`] observed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsumerReport {
    /// Messages whose work was done at least once.
    pub completed: u64,
    /// Completions beyond the first for a message: work done twice.
    pub duplicates: u64,
    /// Consumer ticks spent on those duplicate completions.
    pub wasted_ticks: u64,
    /// Consumer crashes.
    pub crashes: u64,
    /// Receives of a message that had been received before.
    pub redeliveries: u64,
    /// Lease extensions sent (heartbeats that the queue accepted).
    pub extensions: u64,
    /// Messages moved to the dead-letter queue (some of them completed all the same, by a
    /// consumer whose lease had run out).
    pub dead_lettered: u64,
    /// Messages neither completed nor dead-lettered when the run stopped.
    pub unfinished: u64,
    /// Median ticks from send to first completion.
    pub latency_p50: u64,
    /// 99th-percentile ticks from send to first completion.
    pub latency_p99: u64,
    /// Mean ticks from send to first completion of the messages whose first consumer crashed.
    pub crashed_latency_mean: f64,
}

#[derive(Clone, Copy, Debug)]
enum Consumer {
    Idle,
    Working {
        receipt: Receipt,
        started: u64,
        done_at: u64,
        crash_at: Option<u64>,
        next_beat: u64,
    },
    Restarting {
        until: u64,
    },
}

// ANCHOR: run_consumers
/// Runs `config.consumers` consumers against a [`LeasedQueue`] with a seeded generator. Each
/// tick: new messages arrive; each consumer that is working either crashes (and restarts
/// later, its lease left to expire), finishes (applies the message's effect, then deletes it,
/// which fails if its lease expired and someone else received it), or sends its heartbeat;
/// each idle consumer receives the next visible message and draws its work and its fate.
pub fn run_consumers(config: &ConsumerConfig, seed: u64) -> ConsumerReport {
    let mut rng = StdRng::seed_from_u64(seed);
    let work = LogNormal::new(config.median_work.max(1.0).ln(), config.work_sigma.max(0.0))
        .expect("a finite median and a non-negative sigma");
    let timeout = config.visibility_timeout;
    let mut queue: LeasedQueue<()> = LeasedQueue::new(timeout, config.max_receives);
    let mut consumers = vec![Consumer::Idle; config.consumers];
    let n = config.messages as usize;
    let (mut effects, mut first_crashed) = (vec![0u32; n], vec![false; n]);
    let (mut sent_at, mut latencies) = (vec![0u64; n], Vec::with_capacity(n));
    let mut crashed_latency = Vec::new();
    let mut report = ConsumerReport::default();
    let mut sent = 0u64;
    for tick in 0..config.max_ticks {
        let due = ((tick + 1) as f64 * config.arrivals_per_tick) as u64;
        while sent < due.min(config.messages) {
            let id = queue.send((), tick);
            sent_at[id as usize] = tick;
            sent += 1;
        }
        for consumer in &mut consumers {
            match *consumer {
                Consumer::Restarting { until } if tick >= until => *consumer = Consumer::Idle,
                Consumer::Working {
                    crash_at: Some(at), ..
                } if tick >= at => {
                    report.crashes += 1;
                    *consumer = Consumer::Restarting {
                        until: tick + config.restart_ticks,
                    };
                }
                Consumer::Working {
                    receipt,
                    started,
                    done_at,
                    ..
                } if tick >= done_at => {
                    let id = receipt.id as usize;
                    effects[id] += 1; // the effect happens whether or not the delete works
                    if effects[id] == 1 {
                        latencies.push(tick - sent_at[id]);
                        if first_crashed[id] {
                            crashed_latency.push(tick - sent_at[id]);
                        }
                    } else {
                        report.duplicates += 1;
                        report.wasted_ticks += done_at - started;
                    }
                    let _stale = queue.delete(receipt).is_err();
                    *consumer = Consumer::Idle;
                }
                Consumer::Working {
                    receipt, next_beat, ..
                } if config.heartbeat_every.is_some_and(|_| tick >= next_beat) => {
                    let every = config.heartbeat_every.unwrap_or(1).max(1);
                    if queue.extend(receipt, tick, timeout).is_ok() {
                        report.extensions += 1;
                    }
                    if let Consumer::Working { next_beat, .. } = consumer {
                        *next_beat = tick + every;
                    }
                }
                _ => {}
            }
            if let Consumer::Idle = consumer
                && let Some(received) = queue.receive(tick)
            {
                let id = received.envelope.id as usize;
                let attempts = received.envelope.attempts;
                report.redeliveries += u64::from(attempts > 1);
                let ticks = (work.sample(&mut rng).round() as u64).max(1);
                let crash_at = rng
                    .random_bool(config.crash_probability.clamp(0.0, 1.0))
                    .then(|| tick + rng.random_range(0..ticks));
                if attempts == 1 && crash_at.is_some() {
                    first_crashed[id] = true;
                }
                *consumer = Consumer::Working {
                    receipt: received.receipt,
                    started: tick,
                    done_at: tick + ticks,
                    crash_at,
                    next_beat: tick + config.heartbeat_every.unwrap_or(0).max(1),
                };
            }
        }
        let working = consumers
            .iter()
            .any(|c| matches!(c, Consumer::Working { .. }));
        if sent == config.messages && queue.is_empty() && !working {
            break;
        }
    }
    // ANCHOR_END: run_consumers
    report.completed = effects.iter().filter(|&&e| e > 0).count() as u64;
    report.dead_lettered = queue.dead_letters().len() as u64;
    let dead_undone = queue
        .dead_letters()
        .iter()
        .filter(|e| effects[e.id as usize] == 0)
        .count() as u64;
    report.unfinished = config.messages - report.completed - dead_undone;
    latencies.sort_unstable();
    report.latency_p50 = percentile(&latencies, 0.5);
    report.latency_p99 = percentile(&latencies, 0.99);
    report.crashed_latency_mean = if crashed_latency.is_empty() {
        0.0
    } else {
        crashed_latency.iter().sum::<u64>() as f64 / crashed_latency.len() as f64
    };
    report
}

fn percentile(sorted: &[u64], q: f64) -> u64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or(0)
}
