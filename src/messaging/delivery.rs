//! Delivery guarantees, shown by crashing a consumer: at-most-once, at-least-once and
//! effectively-once.

use std::fmt;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// When a consumer records its progress (its offset) relative to its side effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Delivery {
    /// Commit the offset, then apply the effect: a crash in between loses the message.
    AtMostOnce,
    /// Apply the effect, then commit the offset: a crash in between repeats the message.
    AtLeastOnce,
    /// Apply the effect and store the offset in one transaction of the sink: either both
    /// happen or neither, and a restart resumes from the sink's offset.
    EffectivelyOnce,
}

impl Delivery {
    /// The three, in order.
    pub const ALL: [Delivery; 3] = [
        Delivery::AtMostOnce,
        Delivery::AtLeastOnce,
        Delivery::EffectivelyOnce,
    ];
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Delivery::AtMostOnce => "at-most-once",
            Delivery::AtLeastOnce => "at-least-once",
            Delivery::EffectivelyOnce => "effectively-once",
        })
    }
}

/// A point in the handling of a message where the consumer may crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CrashPoint {
    /// The batch was received; nothing done yet.
    Received,
    /// After the first step: the commit (at-most-once), the effect (at-least-once), or
    /// halfway through the transaction (effectively-once, which rolls it back).
    AfterFirstStep,
    /// After both steps.
    AfterSecondStep,
}

impl CrashPoint {
    /// The three, in order.
    pub const ALL: [CrashPoint; 3] = [
        CrashPoint::Received,
        CrashPoint::AfterFirstStep,
        CrashPoint::AfterSecondStep,
    ];
}

/// How many times each message's effect was applied, and how many crashes it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRun {
    /// `effects[m]`: how many times message `m` took effect.
    pub effects: Vec<u32>,
    /// How many times the consumer crashed and restarted.
    pub crashes: u64,
}

impl DeliveryRun {
    /// Messages that never took effect.
    pub fn lost(&self) -> usize {
        self.effects.iter().filter(|&&n| n == 0).count()
    }

    /// Messages that took effect more than once.
    pub fn duplicated(&self) -> usize {
        self.effects.iter().filter(|&&n| n > 1).count()
    }

    /// Extra applications over all messages (a message applied three times counts two).
    pub fn extra_effects(&self) -> u64 {
        self.effects
            .iter()
            .map(|&n| u64::from(n.saturating_sub(1)))
            .sum()
    }
}

// ANCHOR: consume
/// Consumes messages `0..messages` from a partition in batches of `batch`, with `crash`
/// asked at each [`CrashPoint`] whether the consumer dies there. After a crash it restarts
/// from the offset committed to the broker, or, for [`Delivery::EffectivelyOnce`], from the
/// offset the sink stored with its effects. (After `10 * messages + 100` crashes no more
/// are injected, so every run ends.)
///
/// ```
/// use sysdesign::messaging::{CrashPoint, Delivery, consume};
///
/// // Crash once, right after the first step of message 2.
/// let at = |m: u64, p: CrashPoint| m == 2 && p == CrashPoint::AfterFirstStep;
/// let mut once = true;
/// let mut crash = |m, p| at(m, p) && std::mem::take(&mut once);
/// assert_eq!(consume(Delivery::AtMostOnce, 4, 1, &mut crash).effects, [1, 1, 0, 1]);
/// ```
pub fn consume(
    delivery: Delivery,
    messages: u64,
    batch: u64,
    crash: &mut dyn FnMut(u64, CrashPoint) -> bool,
) -> DeliveryRun {
    let batch = batch.max(1);
    let mut effects = vec![0u32; messages as usize];
    let mut broker_offset = 0; // committed to the broker (at-most/at-least-once)
    let mut sink_offset = 0; // stored with the effects (effectively-once)
    let mut crashes = 0;
    let limit = 10 * messages + 100;
    let mut dies = |m: u64, p: CrashPoint, crashes: &mut u64| {
        let dead = *crashes < limit && crash(m, p);
        *crashes += u64::from(dead);
        dead
    };
    'restart: loop {
        let start = match delivery {
            Delivery::EffectivelyOnce => sink_offset,
            _ => broker_offset,
        };
        if start >= messages {
            break;
        }
        let end = (start + batch).min(messages);
        if dies(start, CrashPoint::Received, &mut crashes) {
            continue 'restart;
        }
        match delivery {
            Delivery::AtMostOnce => {
                broker_offset = end;
                if dies(start, CrashPoint::AfterFirstStep, &mut crashes) {
                    continue 'restart;
                }
                for m in start..end {
                    effects[m as usize] += 1;
                    if dies(m, CrashPoint::AfterSecondStep, &mut crashes) {
                        continue 'restart;
                    }
                }
            }
            Delivery::AtLeastOnce => {
                for m in start..end {
                    effects[m as usize] += 1;
                    if dies(m, CrashPoint::AfterFirstStep, &mut crashes) {
                        continue 'restart;
                    }
                }
                broker_offset = end;
                if dies(end - 1, CrashPoint::AfterSecondStep, &mut crashes) {
                    continue 'restart;
                }
            }
            Delivery::EffectivelyOnce => {
                for m in start..end {
                    // Halfway through the transaction: nothing is durable until it commits.
                    if dies(m, CrashPoint::AfterFirstStep, &mut crashes) {
                        continue 'restart;
                    }
                    effects[m as usize] += 1; // committed together with...
                    sink_offset = m + 1; // ...the offset, in one transaction
                    if dies(m, CrashPoint::AfterSecondStep, &mut crashes) {
                        continue 'restart;
                    }
                }
            }
        }
    }
    DeliveryRun { effects, crashes }
}
// ANCHOR_END: consume

/// [`consume`] with one crash, at `point` of message `message` (no crash if the consumer
/// never reaches that point, as for a message in the middle of a batch at `Received`).
pub fn crash_once(
    delivery: Delivery,
    messages: u64,
    batch: u64,
    message: u64,
    point: CrashPoint,
) -> DeliveryRun {
    let mut armed = true;
    let mut crash = |m: u64, p: CrashPoint| {
        let hit = armed && m == message && p == point;
        armed &= !hit;
        hit
    };
    consume(delivery, messages, batch, &mut crash)
}

/// [`consume`] where the consumer crashes at each crash point with probability
/// `crash_probability`, drawn from a generator seeded with `seed`.
pub fn random_crashes(
    delivery: Delivery,
    messages: u64,
    batch: u64,
    crash_probability: f64,
    seed: u64,
) -> DeliveryRun {
    let mut rng = StdRng::seed_from_u64(seed);
    let p = crash_probability.clamp(0.0, 1.0);
    let mut crash = |_: u64, _: CrashPoint| rng.random_bool(p);
    consume(delivery, messages, batch, &mut crash)
}
