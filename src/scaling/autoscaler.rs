//! A target-tracking autoscaler on a simulated clock: it measures load, and adds or removes
//! instances to bring the average utilisation back to a target.
//!
//! The clock is whole seconds, passed in as the index of the traffic series; nothing reads a
//! real clock. Every `interval` seconds the autoscaler averages the utilisation of the
//! instances in service over the last `window` seconds and computes, as Kubernetes' Horizontal
//! Pod Autoscaler does, `desired = ceil(in_service × utilisation / target)`, clamped to
//! `[min, max]`. A new instance serves only after `provisioning_delay`; after any scaling
//! action, a scale-out waits `scale_out_cooldown` and a scale-in waits `scale_in_cooldown`.
//! Utilisation is CPU-like: it cannot exceed 100 %, so a controller that sees a saturated
//! fleet underestimates how far behind it is, and needs several rounds to catch up.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};
use std::fmt;

/// How the autoscaler decides; times are in seconds of the simulated clock.
///
/// ```
/// use sysdesign::scaling::AutoscalerConfig;
/// let config = AutoscalerConfig::default();
/// assert!(config.check().is_ok());
/// assert_eq!(config.min, 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AutoscalerConfig {
    /// The fewest instances, even with no load.
    pub min: u32,
    /// The most instances, whatever the load.
    pub max: u32,
    /// Requests a second one instance serves at 100 % utilisation.
    pub capacity_per_instance: f64,
    /// The utilisation to hold, in (0, 1].
    pub target_utilization: f64,
    /// Seconds between two decisions.
    pub interval: u64,
    /// Seconds of utilisation averaged for one decision.
    pub window: u64,
    /// Seconds from launching an instance to its first request served.
    pub provisioning_delay: u64,
    /// Seconds after any scaling action before the next scale-out.
    pub scale_out_cooldown: u64,
    /// Seconds after any scaling action before the next scale-in.
    pub scale_in_cooldown: u64,
}

// ANCHOR: default
impl Default for AutoscalerConfig {
    /// 2 to 40 instances of 100 requests a second, a 60 % target, a decision a minute on the
    /// last minute, two minutes to provision, and a five-minute scale-in cooldown.
    fn default() -> Self {
        AutoscalerConfig {
            min: 2,
            max: 40,
            capacity_per_instance: 100.0,
            target_utilization: 0.6,
            interval: 60,
            window: 60,
            provisioning_delay: 120,
            scale_out_cooldown: 0,
            scale_in_cooldown: 300,
        }
    }
}
// ANCHOR_END: default

/// A configuration the autoscaler cannot run: the field and why.
///
/// ```
/// use sysdesign::scaling::AutoscalerConfig;
/// let bad = AutoscalerConfig { min: 0, ..AutoscalerConfig::default() };
/// assert_eq!(bad.check().unwrap_err().to_string(), "autoscaler: min must be at least 1, got 0");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// What is wrong, naming the field and its value.
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "autoscaler: {}", self.reason)
    }
}

impl std::error::Error for ConfigError {}

impl AutoscalerConfig {
    /// Checks every field; the error names the first bad one.
    ///
    /// ```
    /// use sysdesign::scaling::AutoscalerConfig;
    /// let bad = AutoscalerConfig { min: 5, max: 3, ..AutoscalerConfig::default() };
    /// assert!(bad.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), ConfigError> {
        let fail = |reason: String| Err(ConfigError { reason });
        if self.min < 1 {
            return fail(format!("min must be at least 1, got {}", self.min));
        }
        if self.max < self.min {
            return fail(format!("max ({}) is below min ({})", self.max, self.min));
        }
        if !(self.capacity_per_instance > 0.0 && self.capacity_per_instance.is_finite()) {
            return fail(format!(
                "capacity_per_instance must be positive, got {}",
                self.capacity_per_instance
            ));
        }
        if !(self.target_utilization > 0.0 && self.target_utilization <= 1.0) {
            return fail(format!(
                "target_utilization must be in (0, 1], got {}",
                self.target_utilization
            ));
        }
        if self.interval == 0 || self.window == 0 {
            return fail(format!(
                "interval and window must be at least 1 s, got {} and {}",
                self.interval, self.window
            ));
        }
        Ok(())
    }
}

/// One second of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// Requests a second offered in this second.
    pub load: f64,
    /// Instances serving.
    pub in_service: u32,
    /// Instances launched and not yet serving.
    pub pending: u32,
    /// Requests a second served: the load, or the fleet's capacity if that is less.
    pub served: f64,
}

/// What a run did, second by second, and its totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// One sample per second of the traffic.
    pub timeline: Vec<Sample>,
    /// Requests that found the fleet full (offered minus served).
    pub dropped: f64,
    /// Seconds in which some request was dropped.
    pub overloaded_seconds: u64,
    /// Instance-seconds paid for, pending ones included (they are billed while they boot).
    pub instance_seconds: u64,
    /// Scaling actions taken (launches and terminations, each round counted once).
    pub actions: u32,
}

impl Run {
    /// The most instances, in service and pending, at any second.
    ///
    /// ```
    /// use sysdesign::scaling::{AutoscalerConfig, simulate};
    /// let run = simulate(&AutoscalerConfig::default(), &[50.0; 600]).unwrap();
    /// assert_eq!(run.peak_instances(), 2); // min; 50 req/s needs one instance
    /// ```
    pub fn peak_instances(&self) -> u32 {
        self.timeline
            .iter()
            .map(|s| s.in_service + s.pending)
            .max()
            .unwrap_or(0)
    }
}

/// The instances the load needs at the target: `ceil(load / (capacity × target))`.
///
/// ```
/// use sysdesign::scaling::{AutoscalerConfig, needed};
/// assert_eq!(needed(&AutoscalerConfig::default(), 600.0), 10);
/// assert_eq!(needed(&AutoscalerConfig::default(), 601.0), 11);
/// ```
pub fn needed(config: &AutoscalerConfig, load: f64) -> u32 {
    (load / (config.capacity_per_instance * config.target_utilization)).ceil() as u32
}

// ANCHOR: simulate
/// Runs the autoscaler over `load` (requests a second, one value per simulated second),
/// starting with `min` instances in service.
///
/// ```
/// use sysdesign::scaling::{AutoscalerConfig, simulate};
/// // A step from 100 to 1,200 req/s: the fleet grows from 2 toward 20 and stays in bounds.
/// let load: Vec<f64> = (0..1800).map(|t| if t < 300 { 100.0 } else { 1200.0 }).collect();
/// let run = simulate(&AutoscalerConfig::default(), &load).unwrap();
/// let last = run.timeline.last().unwrap();
/// assert_eq!(last.in_service, 20);
/// assert!(run.dropped > 0.0); // the lag: the step arrives before the instances
/// ```
pub fn simulate(config: &AutoscalerConfig, load: &[f64]) -> Result<Run, ConfigError> {
    config.check()?;
    let mut in_service = config.min;
    let mut launches: Vec<u64> = Vec::new(); // the second each pending instance starts serving
    let mut utilization: Vec<f64> = Vec::with_capacity(load.len());
    let mut last_action: Option<u64> = None;
    let mut run = Run {
        timeline: Vec::with_capacity(load.len()),
        dropped: 0.0,
        overloaded_seconds: 0,
        instance_seconds: 0,
        actions: 0,
    };
    for (t, &offered) in load.iter().enumerate() {
        let t = t as u64;
        // Instances whose provisioning is over start serving now.
        let ready = launches.iter().filter(|&&at| at <= t).count() as u32;
        launches.retain(|&at| at > t);
        in_service += ready;

        let capacity = f64::from(in_service) * config.capacity_per_instance;
        let served = offered.min(capacity);
        utilization.push(if capacity > 0.0 {
            served / capacity
        } else {
            1.0
        });
        if offered > served {
            run.dropped += offered - served;
            run.overloaded_seconds += 1;
        }
        let pending = launches.len() as u32;
        run.instance_seconds += u64::from(in_service + pending);
        run.timeline.push(Sample {
            load: offered,
            in_service,
            pending,
            served,
        });

        if !(t + 1).is_multiple_of(config.interval) {
            continue;
        }
        // The decision: the recent mean utilisation of the instances in service.
        let from = utilization.len().saturating_sub(config.window as usize);
        let recent = &utilization[from..];
        let mean = recent.iter().sum::<f64>() / recent.len() as f64;
        // The small tolerance keeps 20 × 0.6 / 0.6 = 20.000000000000004 from asking for 21.
        let exact = f64::from(in_service) * mean / config.target_utilization;
        let desired = ((exact - 1e-9).ceil() as u32).clamp(config.min, config.max);
        let since = last_action.map_or(u64::MAX, |at| t - at);
        let total = in_service + pending;
        if desired > total && since >= config.scale_out_cooldown {
            let ready_at = t + 1 + config.provisioning_delay;
            launches.extend(std::iter::repeat_n(ready_at, (desired - total) as usize));
            last_action = Some(t);
            run.actions += 1;
        } else if desired < total && since >= config.scale_in_cooldown {
            // Cancel launches first (the newest), then stop instances in service.
            let mut surplus = total - desired;
            while surplus > 0 && launches.pop().is_some() {
                surplus -= 1;
            }
            in_service -= surplus;
            last_action = Some(t);
            run.actions += 1;
        }
    }
    Ok(run)
}
// ANCHOR_END: simulate

/// A day's shape compressed: a quiet start, a ramp, a plateau with a spike, and a fall, with
/// seeded noise of a few per cent; one value per second.
///
/// ```
/// use sysdesign::scaling::traffic;
/// let load = traffic(5_400, 7);
/// assert_eq!(load.len(), 5_400);
/// assert_eq!(load, traffic(5_400, 7));
/// assert!(load.iter().all(|&x| x >= 0.0));
/// ```
pub fn traffic(seconds: usize, seed: u64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let noise = Normal::new(1.0, 0.03).expect("a positive standard deviation");
    (0..seconds)
        .map(|t| {
            let minute = t as f64 / 60.0;
            let base = match minute {
                m if m < 10.0 => 200.0,
                m if m < 40.0 => 200.0 + (m - 10.0) / 30.0 * 800.0, // ramp to 1,000 req/s
                m if m < 75.0 => 1_000.0,
                m => (1_000.0 - (m - 75.0) / 15.0 * 700.0).max(300.0),
            };
            // A spike: double the load for five minutes, starting at minute 50.
            let spike = if (50.0..55.0).contains(&minute) {
                2.0
            } else {
                1.0
            };
            (base * spike * noise.sample(&mut rng)).max(0.0)
        })
        .collect()
}
