//! Retries with capped exponential backoff and three kinds of jitter, and a seeded simulation of
//! many clients retrying after a shared failure (the thundering herd).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};

// ANCHOR: backoff
/// How a retry delay is randomised around its exponential ceiling `min(cap, base * 2^attempt)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// No randomness: every client waits exactly the ceiling, so clients that failed together retry together.
    None,
    /// Half the ceiling, plus a uniform draw from the other half: `[c/2, c]`.
    Equal,
    /// A uniform draw from the whole range `[0, c]` (Brooker 2015's "full jitter").
    Full,
}

/// Capped exponential backoff: the delay before retry number `attempt` (0 for the first retry)
/// is at most `min(cap, base * 2^attempt)` milliseconds, randomised by a [`Jitter`].
///
/// ```
/// use sysdesign::overload::{Backoff, Jitter};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let backoff = Backoff::new(100, 1_000, Jitter::None)?;
/// let mut rng = StdRng::seed_from_u64(7);
/// let delays: Vec<u64> = (0..6).map(|attempt| backoff.delay(attempt, &mut rng)).collect();
/// assert_eq!(delays, [100, 200, 400, 800, 1_000, 1_000]);
/// # Ok::<(), sysdesign::overload::BackoffError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    base_ms: u64,
    cap_ms: u64,
    jitter: Jitter,
}

impl Backoff {
    /// A backoff policy; refuses a zero base and a cap below the base.
    ///
    /// ```
    /// use sysdesign::overload::{Backoff, BackoffError, Jitter};
    ///
    /// assert_eq!(Backoff::new(0, 10, Jitter::Full), Err(BackoffError::ZeroBase));
    /// assert_eq!(
    ///     Backoff::new(50, 10, Jitter::Full),
    ///     Err(BackoffError::CapBelowBase { base_ms: 50, cap_ms: 10 })
    /// );
    /// ```
    pub fn new(base_ms: u64, cap_ms: u64, jitter: Jitter) -> Result<Self, BackoffError> {
        if base_ms == 0 {
            return Err(BackoffError::ZeroBase);
        }
        if cap_ms < base_ms {
            return Err(BackoffError::CapBelowBase { base_ms, cap_ms });
        }
        Ok(Backoff {
            base_ms,
            cap_ms,
            jitter,
        })
    }

    /// The largest delay retry number `attempt` may wait: `min(cap, base * 2^attempt)`, without overflow.
    ///
    /// ```
    /// use sysdesign::overload::{Backoff, Jitter};
    ///
    /// let backoff = Backoff::new(10, 5_000, Jitter::Full)?;
    /// assert_eq!(backoff.ceiling(3), 80);
    /// assert_eq!(backoff.ceiling(200), 5_000);
    /// # Ok::<(), sysdesign::overload::BackoffError>(())
    /// ```
    pub fn ceiling(&self, attempt: u32) -> u64 {
        let doubled = 1u64
            .checked_shl(attempt)
            .and_then(|factor| self.base_ms.checked_mul(factor))
            .unwrap_or(u64::MAX);
        doubled.min(self.cap_ms)
    }

    /// The delay before retry number `attempt`, in milliseconds, drawn from `rng`.
    ///
    /// ```
    /// use sysdesign::overload::{Backoff, Jitter};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let backoff = Backoff::new(100, 1_000, Jitter::Equal)?;
    /// let mut rng = StdRng::seed_from_u64(1);
    /// let delay = backoff.delay(2, &mut rng);
    /// assert!((200..=400).contains(&delay));
    /// # Ok::<(), sysdesign::overload::BackoffError>(())
    /// ```
    pub fn delay<R: Rng + ?Sized>(&self, attempt: u32, rng: &mut R) -> u64 {
        let ceiling = self.ceiling(attempt);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Equal => ceiling / 2 + rng.random_range(0..=ceiling - ceiling / 2),
            Jitter::Full => rng.random_range(0..=ceiling),
        }
    }

    /// The jitter this policy applies.
    ///
    /// ```
    /// use sysdesign::overload::{Backoff, Jitter};
    ///
    /// assert_eq!(Backoff::new(1, 1, Jitter::Full)?.jitter(), Jitter::Full);
    /// # Ok::<(), sysdesign::overload::BackoffError>(())
    /// ```
    pub fn jitter(&self) -> Jitter {
        self.jitter
    }
}
// ANCHOR_END: backoff

/// Why a [`Backoff`] could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackoffError {
    /// A zero base would make every delay zero: retries would not back off at all.
    ZeroBase,
    /// The cap is below the base, so even the first delay would exceed it.
    CapBelowBase {
        /// The base that was asked for, in milliseconds.
        base_ms: u64,
        /// The cap that was asked for, in milliseconds.
        cap_ms: u64,
    },
}

impl fmt::Display for BackoffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackoffError::ZeroBase => write!(f, "a backoff base of 0 ms never backs off"),
            BackoffError::CapBelowBase { base_ms, cap_ms } => {
                write!(f, "backoff cap {cap_ms} ms is below its base {base_ms} ms")
            }
        }
    }
}

impl std::error::Error for BackoffError {}

/// The shared failure that [`simulate_herd`] replays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Herd {
    /// Clients whose first call fails at time 0.
    pub clients: usize,
    /// The dependency fails every call made before this time, in milliseconds.
    pub outage_ms: u64,
    /// The width of one time slot, in milliseconds.
    pub slot_ms: u64,
    /// Calls the recovered dependency serves per slot; the rest of the slot's calls fail.
    pub capacity_per_slot: usize,
    /// Calls a client makes in all (the first one included) before it gives up.
    pub max_calls: u32,
    /// Seed of the jitter's random draws.
    pub seed: u64,
}

/// What happened in one run of [`simulate_herd`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HerdOutcome {
    /// Calls that arrived at the dependency in each slot, from slot 0.
    pub calls_per_slot: Vec<usize>,
    /// Every call made, first calls and retries.
    pub total_calls: usize,
    /// Clients that eventually succeeded.
    pub succeeded: usize,
    /// Clients that gave up after `max_calls` failed calls.
    pub gave_up: usize,
    /// The time of the last successful call, in milliseconds.
    pub last_success_ms: u64,
}

impl HerdOutcome {
    /// The busiest slot's call count.
    ///
    /// ```
    /// use sysdesign::overload::HerdOutcome;
    ///
    /// let outcome = HerdOutcome {
    ///     calls_per_slot: vec![3, 9, 1],
    ///     total_calls: 13,
    ///     succeeded: 3,
    ///     gave_up: 0,
    ///     last_success_ms: 20,
    /// };
    /// assert_eq!(outcome.peak(), 9);
    /// ```
    pub fn peak(&self) -> usize {
        self.calls_per_slot.iter().copied().max().unwrap_or(0)
    }
}

// ANCHOR: herd
/// Replays a shared failure: every client calls at time 0 and fails; each failed call is retried
/// after `backoff.delay(retry number)`; a call succeeds once the outage is over and fewer than
/// `capacity_per_slot` calls have succeeded in its slot (calls in a slot are served in time order).
///
/// ```
/// use sysdesign::overload::{simulate_herd, Backoff, Herd, Jitter};
///
/// let herd = Herd { clients: 50, outage_ms: 1, slot_ms: 10, capacity_per_slot: 5, max_calls: 10, seed: 1 };
/// let plain = simulate_herd(&Backoff::new(20, 2_000, Jitter::None)?, &herd);
/// let full = simulate_herd(&Backoff::new(20, 2_000, Jitter::Full)?, &herd);
/// assert_eq!(plain.calls_per_slot[2], 50); // without jitter, everyone retries at 20 ms
/// assert!(full.total_calls < plain.total_calls);
/// assert_eq!(plain.succeeded + plain.gave_up, 50);
/// # Ok::<(), sysdesign::overload::BackoffError>(())
/// ```
pub fn simulate_herd(backoff: &Backoff, herd: &Herd) -> HerdOutcome {
    let mut rng = StdRng::seed_from_u64(herd.seed);
    let slot_ms = herd.slot_ms.max(1);
    // (time of the call, client, calls the client has made before this one)
    let mut pending: BinaryHeap<Reverse<(u64, usize, u32)>> = (0..herd.clients)
        .map(|client| Reverse((0, client, 0)))
        .collect();
    let mut outcome = HerdOutcome {
        calls_per_slot: Vec::new(),
        total_calls: 0,
        succeeded: 0,
        gave_up: 0,
        last_success_ms: 0,
    };
    let mut served_per_slot: Vec<usize> = Vec::new();
    while let Some(Reverse((at_ms, client, earlier_calls))) = pending.pop() {
        let slot = usize::try_from(at_ms / slot_ms).expect("slot index fits in usize");
        if outcome.calls_per_slot.len() <= slot {
            outcome.calls_per_slot.resize(slot + 1, 0);
            served_per_slot.resize(slot + 1, 0);
        }
        outcome.calls_per_slot[slot] += 1;
        outcome.total_calls += 1;
        if at_ms >= herd.outage_ms && served_per_slot[slot] < herd.capacity_per_slot {
            served_per_slot[slot] += 1;
            outcome.succeeded += 1;
            outcome.last_success_ms = outcome.last_success_ms.max(at_ms);
        } else if earlier_calls + 1 >= herd.max_calls {
            outcome.gave_up += 1;
        } else {
            let retry_at = at_ms.saturating_add(backoff.delay(earlier_calls, &mut rng));
            pending.push(Reverse((retry_at, client, earlier_calls + 1)));
        }
    }
    outcome
}
// ANCHOR_END: herd
