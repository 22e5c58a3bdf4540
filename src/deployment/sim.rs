//! Releases simulated minute by minute: blue-green, canary and rolling, with an automatic
//! rollback rule on the new version's error rate. Seeded, on a simulated clock.

use std::collections::{BTreeSet, VecDeque};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::rollout::{BUCKETS, in_rollout};

/// How a release moves traffic from the old version (v1) to the new one (v2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeployStrategy {
    /// A full second fleet (green) is started and checked, then all traffic switches at once; the
    /// old fleet (blue) is kept for `keep_blue_minutes` so switching back is instant.
    BlueGreen {
        /// Minutes to start and smoke-test green before the switch.
        warmup_minutes: u64,
        /// Minutes blue stays up after the switch.
        keep_blue_minutes: u64,
    },
    /// Users are moved by hash through growing shares (basis points), a few minutes each.
    Canary {
        /// The shares, ending at 10,000.
        steps_bp: Vec<u32>,
        /// Minutes at each step.
        step_minutes: u64,
    },
    /// Instances are replaced `batch` at a time; a batch is out of service for a minute while it
    /// restarts. Requests go to any instance, so a user meets both versions.
    Rolling {
        /// Instances replaced at once.
        batch: usize,
        /// Minutes between batches.
        step_minutes: u64,
    },
}

/// The release: how often each version fails a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Release {
    /// v1's error rate.
    pub v1_error_rate: f64,
    /// v2's error rate (a bad release fails more).
    pub v2_error_rate: f64,
}

/// Roll back when v2's error rate over the last `window_minutes` is above `max_error_rate`,
/// judged only once v2 has served `min_requests` in the window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollbackRule {
    /// The window, in minutes.
    pub window_minutes: u64,
    /// The fewest v2 requests in the window before the rule may fire.
    pub min_requests: u64,
    /// The highest acceptable error rate.
    pub max_error_rate: f64,
}

// ANCHOR: examples
impl RollbackRule {
    /// The chapter's rule: roll back above 1 % errors over 5 minutes, once v2 has served 100
    /// requests in them.
    pub const EXAMPLE: RollbackRule = RollbackRule {
        window_minutes: 5,
        min_requests: 100,
        max_error_rate: 0.01,
    };
}

impl Fleet {
    /// The chapter's fleet: 10 instances, 2,000 requests a minute from 20,000 users.
    pub const EXAMPLE: Fleet = Fleet {
        instances: 10,
        requests_per_minute: 2_000,
        users: 20_000,
    };
}
// ANCHOR_END: examples

/// The fleet and its traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fleet {
    /// Instances serving when no release is under way.
    pub instances: usize,
    /// Requests per minute.
    pub requests_per_minute: u64,
    /// Distinct users sending them.
    pub users: u64,
}

/// One simulated minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Minute {
    /// Minutes since the release started.
    pub minute: u64,
    /// v2's share of traffic, basis points.
    pub v2_share_bp: u32,
    /// Instances running (both versions).
    pub running: usize,
    /// Instances serving (running and not restarting).
    pub serving: usize,
    /// Requests v2 served and failed this minute.
    pub v2_requests: u64,
    /// Requests v2 failed this minute.
    pub v2_failures: u64,
}

/// What a release did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The minute the rule fired, if it did.
    pub rolled_back_at: Option<u64>,
    /// The minute v2 took all traffic with no way back but a new release, if it did.
    pub completed_at: Option<u64>,
    /// Requests that failed because v2 served them (beyond v1's rate, they are the release's cost).
    pub v2_failures: u64,
    /// Distinct users who saw at least one v2 failure.
    pub users_hurt: usize,
    /// Distinct users served by v2 at least once.
    pub users_on_v2: usize,
    /// The most instances running at once.
    pub peak_running: usize,
    /// The fewest instances serving at once.
    pub min_serving: usize,
    /// Minute by minute.
    pub minutes: Vec<Minute>,
}

// ANCHOR: plan
/// Where the release stands at minute `t` if nothing goes wrong: v2's share (basis points), the
/// instances running, the instances serving.
fn planned(strategy: &DeployStrategy, n: usize, t: u64) -> (u32, usize, usize) {
    match strategy {
        DeployStrategy::BlueGreen {
            warmup_minutes: w,
            keep_blue_minutes: k,
        } => match t {
            t if t < *w => (0, 2 * n, n),
            t if t < w + k => (BUCKETS, 2 * n, n),
            _ => (BUCKETS, n, n),
        },
        DeployStrategy::Canary {
            steps_bp,
            step_minutes,
        } => {
            let step = (t / step_minutes.max(&1)) as usize;
            let share = steps_bp.get(step).or(steps_bp.last()).copied().unwrap_or(0);
            // Canary instances sized to their share, beside the full v1 fleet until 100%.
            let canary = (n * share as usize).div_ceil(BUCKETS as usize);
            let running = if share >= BUCKETS { n } else { n + canary };
            (share, running, running)
        }
        DeployStrategy::Rolling {
            batch,
            step_minutes,
        } => {
            let batch = (*batch).clamp(1, n.max(1));
            let step = t / step_minutes.max(&1);
            let v2 = (batch * step as usize).min(n);
            let restarting = t.is_multiple_of(*step_minutes.max(&1)) && v2 < n;
            let started = if restarting { (v2 + batch).min(n) } else { v2 };
            let serving = n - (started - v2);
            let share = (v2 * BUCKETS as usize / serving.max(1)) as u32;
            (share, n, serving)
        }
    }
}
// ANCHOR_END: plan

// ANCHOR: simulate
/// Runs a release for `minutes` minutes on a seeded stream of requests, checking `rule` at the
/// end of every minute; once it fires, traffic goes back to v1 from the next minute (for a
/// rolling update, batch by batch at the pace it went out).
pub fn simulate(
    strategy: &DeployStrategy,
    release: Release,
    rule: RollbackRule,
    fleet: Fleet,
    minutes: u64,
    seed: u64,
) -> Outcome {
    let mut rng = StdRng::seed_from_u64(seed);
    let (n, mut rolled_back_at, mut completed_at) = (fleet.instances, None, None);
    let (mut hurt, mut on_v2) = (BTreeSet::new(), BTreeSet::new());
    let mut window: VecDeque<(u64, u64)> = VecDeque::new();
    let mut out = Vec::new();
    for t in 0..minutes.min(10_000) {
        let (share, running, serving) = match rolled_back_at {
            None => planned(strategy, n, t),
            Some(at) => match strategy {
                // Walk back as fast as the update went out.
                DeployStrategy::Rolling { .. } if t <= 2 * at => {
                    planned(strategy, n, 2 * at + 1 - t)
                }
                _ => (0, n, n),
            },
        };
        if completed_at.is_none() && rolled_back_at.is_none() && share >= BUCKETS && running == n {
            completed_at = Some(t);
        }
        let (mut requests, mut failures) = (0, 0);
        for _ in 0..fleet.requests_per_minute {
            let user = format!("user-{}", rng.random_range(0..fleet.users.max(1)));
            let to_v2 = match strategy {
                DeployStrategy::Canary { .. } => in_rollout("release", &user, share),
                _ => rng.random_range(0..BUCKETS) < share,
            };
            let rate = if to_v2 {
                release.v2_error_rate
            } else {
                release.v1_error_rate
            };
            let failed = rng.random_bool(rate.clamp(0.0, 1.0));
            if to_v2 {
                requests += 1;
                on_v2.insert(user.clone());
                if failed {
                    failures += 1;
                    hurt.insert(user);
                }
            }
        }
        window.push_back((requests, failures));
        if window.len() as u64 > rule.window_minutes {
            window.pop_front();
        }
        let (wr, wf) = window.iter().fold((0, 0), |(r, f), &(a, b)| (r + a, f + b));
        if rolled_back_at.is_none()
            && completed_at.is_none()
            && wr >= rule.min_requests
            && (wf as f64) > rule.max_error_rate * (wr as f64)
        {
            rolled_back_at = Some(t);
        }
        out.push(Minute {
            minute: t,
            v2_share_bp: share,
            running,
            serving,
            v2_requests: requests,
            v2_failures: failures,
        });
    }
    Outcome {
        rolled_back_at,
        completed_at,
        v2_failures: out.iter().map(|m| m.v2_failures).sum(),
        users_hurt: hurt.len(),
        users_on_v2: on_v2.len(),
        peak_running: out.iter().map(|m| m.running).max().unwrap_or(n),
        min_serving: out.iter().map(|m| m.serving).min().unwrap_or(n),
        minutes: out,
    }
}
// ANCHOR_END: simulate
