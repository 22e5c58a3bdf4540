//! Percentage rollouts by hashing users, and feature flags with a kill switch.

use crate::hashing::stable_hash;

/// The number of buckets a user can fall in: shares are set in basis points (1/100 of a percent).
pub const BUCKETS: u32 = 10_000;

// ANCHOR: bucket
/// The user's bucket for one rollout, 0 to 9,999: a stable hash of the rollout's name and the
/// user id. The same user gets the same bucket on every server and every request; another
/// rollout (another name) puts users in independent buckets, so the same 1% are not the guinea
/// pigs of every experiment.
///
/// ```
/// use sysdesign::deployment::bucket;
/// assert_eq!(bucket("checkout-v2", "user-42"), bucket("checkout-v2", "user-42"));
/// assert!(bucket("checkout-v2", "user-42") < 10_000);
/// ```
pub fn bucket(rollout: &str, user: &str) -> u32 {
    let key = format!("{rollout}\u{0}{user}");
    (stable_hash(key.as_bytes()) % u64::from(BUCKETS)) as u32
}

/// Whether `user` is in the first `share_bp` basis points of `rollout`. Raising the share only
/// adds users: whoever was in at 1% is still in at 5%.
pub fn in_rollout(rollout: &str, user: &str, share_bp: u32) -> bool {
    bucket(rollout, user) < share_bp
}
// ANCHOR_END: bucket

/// A feature flag: on for a share of users chosen by hash, for listed users always, and off for
/// everyone when killed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureFlag {
    /// The flag's name, which is also its hashing salt.
    pub name: String,
    /// The share of users it is on for, in basis points (10,000 = everyone).
    pub share_bp: u32,
    /// Users it is on for regardless of share (the team, beta testers).
    pub allow: Vec<String>,
    /// The kill switch: when set, the flag is off for everyone, allow list included.
    pub killed: bool,
}

// ANCHOR: flag
impl FeatureFlag {
    /// A flag off for everyone.
    pub fn new(name: &str) -> Self {
        FeatureFlag {
            name: name.to_string(),
            share_bp: 0,
            allow: Vec::new(),
            killed: false,
        }
    }

    /// Whether the feature is on for `user`.
    ///
    /// ```
    /// use sysdesign::deployment::FeatureFlag;
    /// let mut flag = FeatureFlag::new("new-search");
    /// flag.allow.push("alice".into());
    /// assert!(flag.is_on("alice") && !flag.is_on("bob"));
    /// flag.killed = true;
    /// assert!(!flag.is_on("alice"));
    /// ```
    pub fn is_on(&self, user: &str) -> bool {
        !self.killed
            && (self.allow.iter().any(|u| u == user) || in_rollout(&self.name, user, self.share_bp))
    }
}
// ANCHOR_END: flag
