//! Notification system: events fanned out to users' channels, filtered by their preferences,
//! limited per user, and sent through providers that fail and time out, with retries.
//!
//! A notification is sent through a third-party provider (an email, SMS or push gateway). A
//! call can fail before the provider delivers anything, or deliver and then time out before the
//! answer reaches the sender. The sender cannot tell the two apart, so it retries: without
//! retries, the first kind is lost; with retries alone, the second kind is sent twice; with
//! retries and an **idempotency key** the provider remembers, neither happens.
//!
//! # The design
//!
//! Everything is a seeded simulation on a millisecond clock. [`Provider`] draws each call's
//! fate from a [`Faults`]; [`send`] calls it until it succeeds or [`MAX_ATTEMPTS`] are spent,
//! waiting between attempts with the [`Backoff`] of the Overload
//! chapter. [`Dispatcher`] turns an event into one notification per channel the user allows,
//! through a per-user [`TokenBucket`] from the Rate
//! limiting chapter.
//!
//! ```
//! use sysdesign::notification_system::{Faults, Policy, deliver_all};
//!
//! let faults = Faults { fail_before: 0.1, timeout_after: 0.1 };
//! let keyed = deliver_all(1_000, faults, Policy::RetryWithKey, 7);
//! let unkeyed = deliver_all(1_000, faults, Policy::RetryWithoutKey, 7);
//! assert_eq!((keyed.lost, keyed.duplicates), (0, 0));
//! assert!(unkeyed.duplicates > 50);
//! ```

use crate::overload::{Backoff, Jitter};
use crate::rate_limiting::{Quota, RateLimiter, TokenBucket};
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

// ANCHOR: provider
/// How often a provider call goes wrong, each a probability per call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Faults {
    /// The call fails and nothing is delivered (a refused connection, a 503).
    pub fail_before: f64,
    /// The provider delivers, but the answer is lost: the sender sees a timeout.
    pub timeout_after: f64,
}

/// What the sender sees of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Accepted (whether delivered now or recognised as already delivered).
    Ok,
    /// An error or a timeout: the sender does not know whether it was delivered.
    Unknown,
}

/// A provider that delivers messages to devices, with seeded faults. With a key, it delivers a
/// message at most once per key and answers a repeated key with `Ok`.
#[derive(Debug)]
pub struct Provider {
    faults: Faults,
    rng: StdRng,
    seen_keys: HashSet<u64>,
    delivered: HashMap<u64, u32>,
}

impl Provider {
    /// A provider with these faults, its draws seeded.
    pub fn new(faults: Faults, seed: u64) -> Provider {
        Provider {
            faults,
            rng: StdRng::seed_from_u64(seed),
            seen_keys: HashSet::new(),
            delivered: HashMap::new(),
        }
    }

    /// One call to send notification `id`, with `id` as idempotency key if `keyed`.
    ///
    /// ```
    /// use sysdesign::notification_system::{Faults, Provider, Reply};
    ///
    /// let lossy_acks = Faults { fail_before: 0.0, timeout_after: 1.0 };
    /// let mut p = Provider::new(lossy_acks, 1);
    /// assert_eq!(p.call(5, false), Reply::Unknown);
    /// assert_eq!(p.call(5, false), Reply::Unknown);
    /// assert_eq!(p.deliveries(5), 2); // delivered twice, acknowledged never
    /// ```
    pub fn call(&mut self, id: u64, keyed: bool) -> Reply {
        let draw: f64 = self.rng.random();
        if draw < self.faults.fail_before {
            return Reply::Unknown;
        }
        // With a key, only the first call that gets this far delivers.
        let first = !keyed || self.seen_keys.insert(id);
        if first {
            *self.delivered.entry(id).or_insert(0) += 1;
        }
        if draw < self.faults.fail_before + self.faults.timeout_after {
            Reply::Unknown
        } else {
            Reply::Ok
        }
    }

    /// How many times notification `id` reached the user's device.
    pub fn deliveries(&self, id: u64) -> u32 {
        self.delivered.get(&id).copied().unwrap_or(0)
    }
}
// ANCHOR_END: provider

// ANCHOR: send
/// How a sender handles a call whose outcome it does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// One attempt: at most once.
    NoRetry,
    /// Retry with backoff until `Ok`: at least once.
    RetryWithoutKey,
    /// Retry with backoff, sending the notification's id as idempotency key: exactly once
    /// as far as the user can tell, if the provider keeps its keys.
    RetryWithKey,
}

/// Attempts allowed per notification when the policy retries.
pub const MAX_ATTEMPTS: u32 = 6;

/// Sends notification `id` under `policy`; returns the attempts made and the milliseconds
/// spent waiting between them.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use sysdesign::notification_system::{Faults, MAX_ATTEMPTS, Policy, Provider, send};
/// use sysdesign::overload::{Backoff, Jitter};
///
/// let backoff = Backoff::new(100, 1_000, Jitter::None)?;
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut down = Provider::new(Faults { fail_before: 1.0, timeout_after: 0.0 }, 0);
/// let (attempts, waited) = send(&mut down, 1, Policy::RetryWithKey, &backoff, &mut rng);
/// assert_eq!(attempts, MAX_ATTEMPTS);
/// assert_eq!(waited, 100 + 200 + 400 + 800 + 1_000);
/// assert_eq!(down.deliveries(1), 0);
/// # Ok::<(), sysdesign::overload::BackoffError>(())
/// ```
pub fn send<R: Rng + ?Sized>(
    provider: &mut Provider,
    id: u64,
    policy: Policy,
    backoff: &Backoff,
    rng: &mut R,
) -> (u32, u64) {
    let attempts = if policy == Policy::NoRetry {
        1
    } else {
        MAX_ATTEMPTS
    };
    let keyed = policy == Policy::RetryWithKey;
    let mut waited = 0;
    for attempt in 0..attempts {
        if provider.call(id, keyed) == Reply::Ok {
            return (attempt + 1, waited);
        }
        if attempt + 1 < attempts {
            waited += backoff.delay(attempt, rng);
        }
    }
    (attempts, waited)
}
// ANCHOR_END: send

/// What the users saw of `sent` notifications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Notifications sent.
    pub sent: u64,
    /// Never delivered.
    pub lost: u64,
    /// Extra deliveries: a notification delivered three times counts two.
    pub duplicates: u64,
    /// Provider calls made.
    pub calls: u64,
    /// The longest wait in backoff for one notification, in milliseconds.
    pub max_wait_ms: u64,
}

/// Sends notifications `0..count` through one seeded provider under `policy` (backoff from
/// 100 ms, capped at 10 s, full jitter) and counts what the users saw.
pub fn deliver_all(count: u64, faults: Faults, policy: Policy, seed: u64) -> Tally {
    let backoff = Backoff::new(100, 10_000, Jitter::Full).expect("a valid policy");
    let mut provider = Provider::new(faults, seed);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let mut tally = Tally {
        sent: count,
        ..Tally::default()
    };
    for id in 0..count {
        let (attempts, waited) = send(&mut provider, id, policy, &backoff, &mut rng);
        tally.calls += u64::from(attempts);
        tally.max_wait_ms = tally.max_wait_ms.max(waited);
        match provider.deliveries(id) {
            0 => tally.lost += 1,
            n => tally.duplicates += u64::from(n - 1),
        }
    }
    tally
}

// ANCHOR: dispatch
/// A channel a notification can go out on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// A mobile push notification.
    Push,
    /// An email.
    Email,
    /// A text message.
    Sms,
}

/// Why the dispatcher did not send a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// The user turned this channel off.
    OptedOut,
    /// The user's per-channel rate limit was spent.
    RateLimited,
}

/// Turns events into notifications: one per channel the user has on, each through the user's
/// own token bucket for that channel.
#[derive(Debug)]
pub struct Dispatcher {
    quota: Quota,
    opted_out: HashSet<(u32, Channel)>,
    buckets: HashMap<(u32, Channel), TokenBucket>,
}

impl Dispatcher {
    /// A dispatcher allowing each user `quota` notifications per channel.
    pub fn new(quota: Quota) -> Dispatcher {
        Dispatcher {
            quota,
            opted_out: HashSet::new(),
            buckets: HashMap::new(),
        }
    }

    /// Records that `user` does not want notifications on `channel`.
    pub fn opt_out(&mut self, user: u32, channel: Channel) {
        self.opted_out.insert((user, channel));
    }

    /// Decides, at `now`, whether an event for `user` goes out on `channel`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::notification_system::{Channel, Dispatcher, Dropped};
    /// use sysdesign::rate_limiting::Quota;
    ///
    /// let mut d = Dispatcher::new(Quota::new(1, Duration::from_secs(60)).unwrap());
    /// assert_eq!(d.admit(7, Channel::Email, Duration::ZERO), Ok(()));
    /// assert_eq!(d.admit(7, Channel::Email, Duration::ZERO), Err(Dropped::RateLimited));
    /// d.opt_out(7, Channel::Sms);
    /// assert_eq!(d.admit(7, Channel::Sms, Duration::ZERO), Err(Dropped::OptedOut));
    /// ```
    pub fn admit(&mut self, user: u32, channel: Channel, now: Duration) -> Result<(), Dropped> {
        if self.opted_out.contains(&(user, channel)) {
            return Err(Dropped::OptedOut);
        }
        let quota = self.quota;
        let bucket = self
            .buckets
            .entry((user, channel))
            .or_insert_with(|| TokenBucket::new(quota));
        if bucket.check(now).is_admitted() {
            Ok(())
        } else {
            Err(Dropped::RateLimited)
        }
    }
}
// ANCHOR_END: dispatch
