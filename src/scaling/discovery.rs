//! Service discovery: a registry where instances announce themselves, and callers ask which
//! instances of a service they may call now.
//!
//! Two mechanisms keep the answer honest, and they catch different failures:
//!
//! - **TTL'd registration**: an instance registers with a time to live and renews it with a
//!   heartbeat; one that stops heartbeating (crashed, partitioned) expires `ttl` after its last
//!   heartbeat, with no one having to notice the crash.
//! - **Health checks**: the registry probes each instance; after `unhealthy_after` failed
//!   probes in a row it stops handing the instance out, and after `healthy_after` passes in a
//!   row it hands it out again. This catches an instance that is alive enough to heartbeat but
//!   cannot serve (a stuck worker pool, a lost database connection).
//!
//! Time is passed in (milliseconds of a simulated clock); the registry never reads a clock, and
//! the probe is a function the caller gives, so tests and the book decide what fails and when.

use std::collections::BTreeMap;
use std::fmt;

/// An instance as the registry knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The service it belongs to, such as `"checkout"`.
    pub service: String,
    /// Its unique id, such as `"checkout-3"`.
    pub id: String,
    /// Where to call it, such as `"10.0.0.3:8080"`.
    pub address: String,
    /// The time of its registration or latest heartbeat, in ms.
    pub renewed_at: u64,
    /// How long a heartbeat keeps it registered, in ms.
    pub ttl: u64,
    /// Whether the health checks currently pass.
    pub healthy: bool,
    consecutive_failures: u32,
    consecutive_passes: u32,
}

impl Instance {
    /// The first time at which this registration is expired: `renewed_at + ttl`.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(2, 2);
    /// registry.register("api", "api-1", "10.0.0.1:80", 30_000, 1_000);
    /// assert_eq!(registry.instance("api-1").unwrap().expires_at(), 31_000);
    /// ```
    pub fn expires_at(&self) -> u64 {
        self.renewed_at.saturating_add(self.ttl)
    }

    /// Whether the registration is still within its TTL at `now`.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(2, 2);
    /// registry.register("api", "api-1", "10.0.0.1:80", 30_000, 0);
    /// let instance = registry.instance("api-1").unwrap();
    /// assert!(instance.is_live(29_999));
    /// assert!(!instance.is_live(30_000));
    /// ```
    pub fn is_live(&self, now: u64) -> bool {
        now < self.expires_at()
    }
}

/// A heartbeat the registry refused.
///
/// ```
/// use sysdesign::scaling::{HeartbeatError, Registry};
/// let mut registry = Registry::new(2, 2);
/// registry.register("api", "api-1", "10.0.0.1:80", 10, 0);
/// assert_eq!(
///     registry.heartbeat("api-1", 15),
///     Err(HeartbeatError::Expired { id: "api-1".into(), expired_at: 10 })
/// );
/// assert_eq!(
///     registry.heartbeat("api-9", 15).unwrap_err().to_string(),
///     "no instance \"api-9\" is registered"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeartbeatError {
    /// No instance has this id.
    Unknown {
        /// The id given.
        id: String,
    },
    /// The instance's TTL lapsed before this heartbeat: it must register again.
    Expired {
        /// The id given.
        id: String,
        /// When its registration expired, in ms.
        expired_at: u64,
    },
}

impl fmt::Display for HeartbeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeartbeatError::Unknown { id } => write!(f, "no instance {id:?} is registered"),
            HeartbeatError::Expired { id, expired_at } => {
                write!(
                    f,
                    "instance {id:?} expired at {expired_at} ms; register it again"
                )
            }
        }
    }
}

impl std::error::Error for HeartbeatError {}

/// The registry: instances by id, with TTLs and health.
///
/// ```
/// use sysdesign::scaling::Registry;
///
/// let mut registry = Registry::new(2, 1);
/// registry.register("api", "api-1", "10.0.0.1:80", 30_000, 0);
/// registry.register("api", "api-2", "10.0.0.2:80", 30_000, 0);
/// registry.heartbeat("api-1", 20_000).unwrap();
/// // api-2 never heartbeats: 30 s after registering it is gone.
/// let ids: Vec<_> = registry.lookup("api", 30_000).iter().map(|i| i.id.clone()).collect();
/// assert_eq!(ids, ["api-1"]);
/// ```
#[derive(Clone, Debug)]
pub struct Registry {
    instances: BTreeMap<String, Instance>,
    unhealthy_after: u32,
    healthy_after: u32,
}

impl Registry {
    // ANCHOR: registry
    /// An empty registry that marks an instance unhealthy after `unhealthy_after` failed
    /// probes in a row and healthy again after `healthy_after` passes in a row (each at least 1).
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// assert!(Registry::new(3, 2).lookup("api", 0).is_empty());
    /// ```
    pub fn new(unhealthy_after: u32, healthy_after: u32) -> Registry {
        Registry {
            instances: BTreeMap::new(),
            unhealthy_after: unhealthy_after.max(1),
            healthy_after: healthy_after.max(1),
        }
    }

    /// Registers (or re-registers) an instance at `now`, healthy, for `ttl` ms.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(1, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 5_000, 0);
    /// assert_eq!(registry.lookup("api", 4_999).len(), 1);
    /// ```
    pub fn register(&mut self, service: &str, id: &str, address: &str, ttl: u64, now: u64) {
        self.instances.insert(
            id.to_string(),
            Instance {
                service: service.to_string(),
                id: id.to_string(),
                address: address.to_string(),
                renewed_at: now,
                ttl,
                healthy: true,
                consecutive_failures: 0,
                consecutive_passes: 0,
            },
        );
    }

    /// Renews an instance's TTL from `now`; an expired one must register again.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(1, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 1_000, 0);
    /// registry.heartbeat("api-1", 900).unwrap();
    /// assert_eq!(registry.instance("api-1").unwrap().expires_at(), 1_900);
    /// ```
    pub fn heartbeat(&mut self, id: &str, now: u64) -> Result<(), HeartbeatError> {
        let instance = self
            .instances
            .get_mut(id)
            .ok_or_else(|| HeartbeatError::Unknown { id: id.to_string() })?;
        if !instance.is_live(now) {
            return Err(HeartbeatError::Expired {
                id: id.to_string(),
                expired_at: instance.expires_at(),
            });
        }
        instance.renewed_at = now;
        Ok(())
    }

    /// Removes an instance (a clean shutdown deregisters); whether it was there.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(1, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 1_000, 0);
    /// assert!(registry.deregister("api-1"));
    /// assert!(registry.lookup("api", 1).is_empty());
    /// ```
    pub fn deregister(&mut self, id: &str) -> bool {
        self.instances.remove(id).is_some()
    }

    /// The instances of `service` a caller may use at `now`: within their TTL and healthy,
    /// in id order.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(1, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 1_000, 0);
    /// registry.register("db", "db-1", "10.0.0.9:5432", 1_000, 0);
    /// assert_eq!(registry.lookup("api", 10).len(), 1);
    /// assert!(registry.lookup("api", 1_000).is_empty());
    /// ```
    pub fn lookup(&self, service: &str, now: u64) -> Vec<&Instance> {
        self.instances
            .values()
            .filter(|i| i.service == service && i.is_live(now) && i.healthy)
            .collect()
    }

    /// Probes every live instance once at `now` with `probe` (true: it answered correctly),
    /// and updates its health; returns the ids whose health changed.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(2, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 60_000, 0);
    /// assert!(registry.check_health(1_000, |_| false).is_empty()); // one failure: not yet
    /// assert_eq!(registry.check_health(2_000, |_| false), ["api-1"]);
    /// assert!(registry.lookup("api", 2_000).is_empty());
    /// assert_eq!(registry.check_health(3_000, |_| true), ["api-1"]);
    /// ```
    pub fn check_health(
        &mut self,
        now: u64,
        mut probe: impl FnMut(&Instance) -> bool,
    ) -> Vec<String> {
        let mut changed = Vec::new();
        for instance in self.instances.values_mut().filter(|i| i.is_live(now)) {
            if probe(instance) {
                instance.consecutive_failures = 0;
                instance.consecutive_passes += 1;
                if !instance.healthy && instance.consecutive_passes >= self.healthy_after {
                    instance.healthy = true;
                    changed.push(instance.id.clone());
                }
            } else {
                instance.consecutive_passes = 0;
                instance.consecutive_failures += 1;
                if instance.healthy && instance.consecutive_failures >= self.unhealthy_after {
                    instance.healthy = false;
                    changed.push(instance.id.clone());
                }
            }
        }
        changed
    }
    // ANCHOR_END: registry

    /// Removes every registration expired at `now` and returns their ids (lookups already
    /// skip them; this only frees the memory).
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// let mut registry = Registry::new(1, 1);
    /// registry.register("api", "api-1", "10.0.0.1:80", 1_000, 0);
    /// assert_eq!(registry.purge(999), Vec::<String>::new());
    /// assert_eq!(registry.purge(1_000), ["api-1"]);
    /// ```
    pub fn purge(&mut self, now: u64) -> Vec<String> {
        let expired: Vec<String> = self
            .instances
            .values()
            .filter(|i| !i.is_live(now))
            .map(|i| i.id.clone())
            .collect();
        for id in &expired {
            self.instances.remove(id);
        }
        expired
    }

    /// The instance with this id, live or not, if registered.
    ///
    /// ```
    /// use sysdesign::scaling::Registry;
    /// assert!(Registry::new(1, 1).instance("api-1").is_none());
    /// ```
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.get(id)
    }
}
