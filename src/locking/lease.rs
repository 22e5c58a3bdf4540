//! A lock that expires: a lease, granted for a time, with time passed in.

use std::fmt;

/// Milliseconds on the caller's clock.
pub type Millis = u64;

/// A lease the lock granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// Who holds it.
    pub owner: String,
    /// Its fencing token: one more than the previous lease's.
    pub token: u64,
    /// When it runs out, unless renewed.
    pub expires_at: Millis,
}

/// Why the lock refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeaseError {
    /// Someone else holds an unexpired lease.
    Held {
        /// The holder.
        owner: String,
        /// Until when.
        until: Millis,
    },
    /// The caller's lease has run out or was replaced: it no longer holds the lock.
    Lost {
        /// The token the caller presented.
        token: u64,
    },
}

impl fmt::Display for LeaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeaseError::Held { owner, until } => write!(f, "held by {owner} until {until} ms"),
            LeaseError::Lost { token } => write!(f, "lease with token {token} no longer held"),
        }
    }
}

impl std::error::Error for LeaseError {}

// ANCHOR: lease_lock
/// A lock whose holder must renew it within `ttl`, or it passes to the next caller: a crashed
/// holder cannot keep it forever.
///
/// ```
/// use sysdesign::locking::LeaseLock;
///
/// let mut lock = LeaseLock::new(1_000);
/// let a = lock.acquire("a", 0).unwrap();
/// assert!(lock.acquire("b", 500).is_err()); // held until 1,000 ms
/// let b = lock.acquire("b", 1_000).unwrap(); // a's lease ran out
/// assert!(b.token > a.token);
/// assert!(lock.release(&a, 1_001).is_err()); // a cannot release b's lock
/// ```
#[derive(Clone, Debug)]
pub struct LeaseLock {
    ttl: Millis,
    current: Option<Lease>,
    last_token: u64,
}

impl LeaseLock {
    /// A free lock whose leases last `ttl` ms.
    pub fn new(ttl: Millis) -> LeaseLock {
        LeaseLock {
            ttl,
            current: None,
            last_token: 0,
        }
    }

    /// The unexpired lease at `now`, if any.
    pub fn holder(&self, now: Millis) -> Option<&Lease> {
        self.current.as_ref().filter(|l| now < l.expires_at)
    }

    /// Grants `owner` a lease from `now` if nobody holds an unexpired one.
    pub fn acquire(&mut self, owner: &str, now: Millis) -> Result<Lease, LeaseError> {
        if let Some(held) = self.holder(now) {
            return Err(LeaseError::Held {
                owner: held.owner.clone(),
                until: held.expires_at,
            });
        }
        self.last_token += 1;
        let lease = Lease {
            owner: owner.to_string(),
            token: self.last_token,
            expires_at: now + self.ttl,
        };
        self.current = Some(lease.clone());
        Ok(lease)
    }

    /// Extends `lease` to `now + ttl`, if it is still the one held.
    pub fn renew(&mut self, lease: &Lease, now: Millis) -> Result<Lease, LeaseError> {
        let ttl = self.ttl;
        match self
            .current
            .as_mut()
            .filter(|l| l.token == lease.token && now < l.expires_at)
        {
            Some(held) => {
                held.expires_at = now + ttl;
                Ok(held.clone())
            }
            None => Err(LeaseError::Lost { token: lease.token }),
        }
    }

    /// Gives the lock back, if `lease` is still the one held (compare, then delete).
    pub fn release(&mut self, lease: &Lease, now: Millis) -> Result<(), LeaseError> {
        if self.holder(now).is_some_and(|l| l.token == lease.token) {
            self.current = None;
            Ok(())
        } else {
            Err(LeaseError::Lost { token: lease.token })
        }
    }
}
// ANCHOR_END: lease_lock
