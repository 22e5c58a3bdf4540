//! Deployment: shipping a new version without an outage, and taking it back when it misbehaves.
//!
//! A release replaces v1 with v2 on a live fleet. The strategies differ in what they put at risk
//! and what they cost: **blue-green** runs a second full fleet and switches all traffic at once
//! (double capacity for a while, instant rollback); a **canary** release moves a small, growing
//! share of users chosen by hash (few users hurt by a bad release, more steps); a **rolling
//! update** replaces instances batch by batch (no extra capacity, a capacity dip, slow
//! rollback, and every user meets both versions).
//!
//! | piece | the idea |
//! | --- | --- |
//! | [`rollout`] | a stable bucket per user from a hash, percentage rollouts, feature flags with a kill switch |
//! | [`sim`] | the three strategies simulated minute by minute on seeded requests, with an automatic rollback rule on v2's error rate |
//!
//! The design decision: users are assigned by a stable hash of the rollout's name and the user id
//! ([`crate::hashing::stable_hash`]), not by a random draw per request, so a user sees one version
//! for the whole canary, and a share raised from 1% to 5% keeps the first 1%.
//!
//! ```
//! use sysdesign::deployment::{Fleet, Release, RollbackRule, DeployStrategy, simulate};
//! let canary = DeployStrategy::Canary { steps_bp: vec![100, 1_000, 10_000], step_minutes: 10 };
//! let bad = Release { v1_error_rate: 0.001, v2_error_rate: 0.05 };
//! let rule = RollbackRule { window_minutes: 5, min_requests: 50, max_error_rate: 0.01 };
//! let fleet = Fleet { instances: 10, requests_per_minute: 2_000, users: 5_000 };
//! let run = simulate(&canary, bad, rule, fleet, 60, 1);
//! assert!(run.rolled_back_at.is_some() && run.completed_at.is_none());
//! ```

pub mod rollout;
pub mod sim;

pub use rollout::{BUCKETS, FeatureFlag, bucket, in_rollout};
pub use sim::{DeployStrategy, Fleet, Minute, Outcome, Release, RollbackRule, simulate};
