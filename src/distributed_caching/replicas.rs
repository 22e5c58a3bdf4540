//! Leader-follower replication with lag: the leader takes writes, followers apply them some
//! time later and serve reads, so a read from a follower can return an old value.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// A follower index that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoSuchFollower {
    /// The index asked for.
    pub follower: usize,
    /// How many followers there are.
    pub followers: usize,
}

impl fmt::Display for NoSuchFollower {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no follower {} (there are {} followers, numbered from 0)",
            self.follower, self.followers
        )
    }
}

impl std::error::Error for NoSuchFollower {}

/// A value as a replica holds it: the text and the write's version (1 for the first write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned {
    /// The value.
    pub value: String,
    /// The leader's version counter when it was written.
    pub version: u64,
}

/// What a read from a follower returned, and whether the leader had something newer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerRead {
    /// What the follower holds (`None` if the key has not reached it yet).
    pub value: Option<Versioned>,
    /// True when the leader holds a newer version than the one returned.
    pub stale: bool,
}

#[derive(Clone, Debug, Default)]
struct Follower {
    data: HashMap<String, Versioned>,
    /// How many entries of the leader's log this follower has applied.
    applied: usize,
}

// ANCHOR: leader_follower
/// One leader and its followers. Time is passed in as a [`Duration`] since the start of the
/// run; an entry written at `t` reaches follower `i` at `t + lag[i]` (asynchronous replication,
/// as Redis does by default).
///
/// ```
/// use std::time::Duration;
/// use sysdesign::distributed_caching::LeaderFollower;
///
/// let ms = Duration::from_millis;
/// let mut replicas = LeaderFollower::new(&[ms(10)]);
/// replicas.write("price", "100", ms(0));
/// replicas.write("price", "120", ms(5));
/// let early = replicas.read_follower(0, "price", ms(12))?;
/// assert_eq!(early.value.map(|v| v.value), Some("100".to_string()));
/// assert!(early.stale);
/// let later = replicas.read_follower(0, "price", ms(15))?;
/// assert!(!later.stale);
/// assert_eq!(replicas.read_leader("price").map(|v| v.value.as_str()), Some("120"));
/// # Ok::<(), sysdesign::distributed_caching::NoSuchFollower>(())
/// ```
#[derive(Clone, Debug)]
pub struct LeaderFollower {
    leader: HashMap<String, Versioned>,
    /// Every write, in order: when, which key, what value and version.
    log: Vec<(Duration, String, Versioned)>,
    followers: Vec<Follower>,
    lags: Vec<Duration>,
    version: u64,
}

impl LeaderFollower {
    /// A leader with one follower per entry of `lags`, each that far behind.
    ///
    /// ```
    /// use std::time::Duration;
    /// let replicas = sysdesign::distributed_caching::LeaderFollower::new(&[Duration::ZERO; 3]);
    /// assert_eq!(replicas.followers(), 3);
    /// ```
    pub fn new(lags: &[Duration]) -> Self {
        LeaderFollower {
            leader: HashMap::new(),
            log: Vec::new(),
            followers: vec![Follower::default(); lags.len()],
            lags: lags.to_vec(),
            version: 0,
        }
    }

    /// How many followers there are.
    ///
    /// ```
    /// let replicas = sysdesign::distributed_caching::LeaderFollower::new(&[]);
    /// assert_eq!(replicas.followers(), 0);
    /// ```
    pub fn followers(&self) -> usize {
        self.followers.len()
    }

    /// Writes `value` under `key` on the leader at time `now` (times must not go backwards);
    /// returns the new version.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut replicas = sysdesign::distributed_caching::LeaderFollower::new(&[]);
    /// assert_eq!(replicas.write("k", "a", Duration::ZERO), 1);
    /// assert_eq!(replicas.write("k", "b", Duration::ZERO), 2);
    /// ```
    pub fn write(&mut self, key: &str, value: &str, now: Duration) -> u64 {
        self.version += 1;
        let versioned = Versioned {
            value: value.to_string(),
            version: self.version,
        };
        self.leader.insert(key.to_string(), versioned.clone());
        self.log.push((now, key.to_string(), versioned));
        self.version
    }

    /// Reads from the leader: always the latest write.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut replicas = sysdesign::distributed_caching::LeaderFollower::new(&[]);
    /// replicas.write("k", "a", Duration::ZERO);
    /// assert_eq!(replicas.read_leader("k").map(|v| v.version), Some(1));
    /// ```
    pub fn read_leader(&self, key: &str) -> Option<&Versioned> {
        self.leader.get(key)
    }

    /// Reads from follower `follower` at time `now`, after it has applied every write that has
    /// reached it by then.
    ///
    /// # Errors
    ///
    /// [`NoSuchFollower`] when there is no such follower.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut replicas = sysdesign::distributed_caching::LeaderFollower::new(&[Duration::from_millis(5)]);
    /// replicas.write("k", "a", Duration::ZERO);
    /// assert_eq!(replicas.read_follower(0, "k", Duration::from_millis(4))?.value, None);
    /// assert!(replicas.read_follower(1, "k", Duration::ZERO).is_err());
    /// # Ok::<(), sysdesign::distributed_caching::NoSuchFollower>(())
    /// ```
    // ANCHOR: read_follower
    pub fn read_follower(
        &mut self,
        follower: usize,
        key: &str,
        now: Duration,
    ) -> Result<FollowerRead, NoSuchFollower> {
        let followers = self.followers.len();
        let (state, lag) = match (self.followers.get_mut(follower), self.lags.get(follower)) {
            (Some(state), Some(lag)) => (state, *lag),
            _ => {
                return Err(NoSuchFollower {
                    follower,
                    followers,
                });
            }
        };
        // Apply, in order, every log entry that has arrived by `now`.
        while let Some((written, k, v)) = self.log.get(state.applied) {
            if *written + lag > now {
                break;
            }
            state.data.insert(k.clone(), v.clone());
            state.applied += 1;
        }
        let value = state.data.get(key).cloned();
        let newest = self.leader.get(key).map(|v| v.version);
        let seen = value.as_ref().map(|v| v.version);
        Ok(FollowerRead {
            stale: newest > seen,
            value,
        })
    }
    // ANCHOR_END: read_follower
}
// ANCHOR_END: leader_follower
