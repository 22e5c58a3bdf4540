//! An alert rule with hysteresis: fire above one threshold, resolve below a lower one, and in
//! both directions only once the condition has held for a while. The clock is passed in.

use std::fmt;
use std::time::Duration;

/// Why a rule cannot be built.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleError {
    /// The fire threshold given.
    pub fire_above: f64,
    /// The resolve threshold given.
    pub resolve_below: f64,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "resolve threshold {} must not be above fire threshold {} (and neither NaN)",
            self.resolve_below, self.fire_above
        )
    }
}

impl std::error::Error for RuleError {}

// ANCHOR: rule
/// When to fire and when to resolve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlertRule {
    fire_above: f64,
    resolve_below: f64,
    hold: Duration,
}

/// Where an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertState {
    /// All is well.
    Inactive,
    /// Above the fire threshold since `since`, not yet for long enough.
    Pending {
        /// When the value first went above.
        since: Duration,
    },
    /// Firing: someone has been told.
    Firing,
    /// Firing, and below the resolve threshold since `since`, not yet for long enough.
    Resolving {
        /// When the value first went below.
        since: Duration,
    },
}

/// A change someone is notified of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The alert started firing.
    Fired,
    /// The alert stopped firing.
    Resolved,
}

impl AlertRule {
    /// Fire once the value has stayed above `fire_above` for `hold`; resolve once it has
    /// stayed below `resolve_below` for `hold`.
    pub fn new(fire_above: f64, resolve_below: f64, hold: Duration) -> Result<Self, RuleError> {
        // `!(a <= b)` rather than `a > b`, so that NaN is refused too.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        if !(resolve_below <= fire_above) {
            return Err(RuleError {
                fire_above,
                resolve_below,
            });
        }
        Ok(AlertRule {
            fire_above,
            resolve_below,
            hold,
        })
    }

    /// The naive rule: fire when above `threshold`, resolve when not, at once.
    pub fn single_threshold(threshold: f64) -> Result<Self, RuleError> {
        Self::new(threshold, threshold, Duration::ZERO)
    }
}

/// One rule and its state, evaluated on each new value of the signal.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::monitoring::{Alert, AlertRule, Transition};
///
/// let rule = AlertRule::new(0.05, 0.02, Duration::from_secs(60))?;
/// let mut alert = Alert::new(rule);
/// let at = |s| Duration::from_secs(s);
/// assert_eq!(alert.evaluate(at(0), 0.09), None); // pending
/// assert_eq!(alert.evaluate(at(60), 0.09), Some(Transition::Fired));
/// assert_eq!(alert.evaluate(at(90), 0.03), None); // below 5%, not below 2%: still firing
/// assert_eq!(alert.evaluate(at(120), 0.01), None); // resolving
/// assert_eq!(alert.evaluate(at(180), 0.01), Some(Transition::Resolved));
/// # Ok::<(), sysdesign::monitoring::RuleError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    rule: AlertRule,
    state: AlertState,
}

impl Alert {
    /// An inactive alert.
    pub fn new(rule: AlertRule) -> Self {
        Alert {
            rule,
            state: AlertState::Inactive,
        }
    }

    /// The current state.
    pub fn state(&self) -> AlertState {
        self.state
    }

    /// Takes the signal's value at `now` (times must not go backwards) and returns the
    /// transition it causes, if any.
    pub fn evaluate(&mut self, now: Duration, value: f64) -> Option<Transition> {
        let AlertRule {
            fire_above,
            resolve_below,
            hold,
        } = self.rule;
        let held = |since: Duration| now.saturating_sub(since) >= hold;
        let (next, transition) = match self.state {
            AlertState::Inactive | AlertState::Pending { .. } if value <= fire_above => {
                (AlertState::Inactive, None)
            }
            AlertState::Inactive => match hold.is_zero() {
                true => (AlertState::Firing, Some(Transition::Fired)),
                false => (AlertState::Pending { since: now }, None),
            },
            AlertState::Pending { since } if held(since) => {
                (AlertState::Firing, Some(Transition::Fired))
            }
            pending @ AlertState::Pending { .. } => (pending, None),
            AlertState::Firing | AlertState::Resolving { .. } if value >= resolve_below => {
                (AlertState::Firing, None)
            }
            AlertState::Firing => match hold.is_zero() {
                true => (AlertState::Inactive, Some(Transition::Resolved)),
                false => (AlertState::Resolving { since: now }, None),
            },
            AlertState::Resolving { since } if held(since) => {
                (AlertState::Inactive, Some(Transition::Resolved))
            }
            resolving @ AlertState::Resolving { .. } => (resolving, None),
        };
        self.state = next;
        transition
    }
}
// ANCHOR_END: rule
