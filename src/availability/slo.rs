//! Service level objectives and error budgets: how much unreliability an objective allows, how
//! fast an incident spends it, and a month of traffic counted against it.

use super::nines::{Availability, AvailabilityError};
use crate::delivery_framework::Seconds;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};

// ANCHOR: slo
/// A service level objective on a ratio indicator (good events over all events), over a window.
///
/// ```
/// use sysdesign::availability::{MONTH_30_DAYS, Slo};
/// let slo = Slo::new(0.999, MONTH_30_DAYS).unwrap();
/// assert!((slo.budget_time().get() - 43.2 * 60.0).abs() < 1e-6); // 43.2 minutes
/// assert!((slo.burn_rate(0.01) - 10.0).abs() < 1e-9); // 1 % errors burn 10 times too fast
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slo {
    target: Availability,
    window: Seconds,
}

impl Slo {
    /// An objective: at least `target` of events good, over every `window`.
    pub fn new(target: f64, window: Seconds) -> Result<Self, AvailabilityError> {
        Ok(Slo {
            target: Availability::new(target)?,
            window,
        })
    }

    /// The target.
    pub fn target(&self) -> Availability {
        self.target
    }

    /// The window.
    pub fn window(&self) -> Seconds {
        self.window
    }

    /// The error budget as a share of events: 1 − target.
    pub fn budget(&self) -> f64 {
        self.target.unavailability()
    }

    /// The budget as time of total outage: (1 − target) × window.
    pub fn budget_time(&self) -> Seconds {
        self.target.downtime(self.window)
    }

    /// The budget in bad events, for a window that sees `events` events.
    pub fn budget_events(&self, events: f64) -> f64 {
        self.budget() * events
    }

    /// How many times faster than the budget allows an error ratio spends it: error ratio /
    /// (1 − target). At burn rate 1 the budget lasts exactly the window.
    pub fn burn_rate(&self, error_ratio: f64) -> f64 {
        error_ratio / self.budget()
    }

    /// How long a steady burn rate takes to spend the whole budget: window / burn rate.
    pub fn exhausted_after(&self, burn_rate: f64) -> Seconds {
        self.window * (1.0 / burn_rate)
    }

    /// The burn rate that spends `share` of the budget in `over`: share × window / over.
    /// (The SRE workbook pages at 2 % of a 30-day budget in one hour, 14.4.)
    pub fn burn_rate_spending(&self, share: f64, over: Seconds) -> f64 {
        share * (self.window / over)
    }
}
// ANCHOR_END: slo

/// One interval of traffic: how many events, how many of them bad.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// All events.
    pub total: u64,
    /// Bad events (errors, or too slow).
    pub bad: u64,
}

// ANCHOR: ledger
/// Intervals of traffic counted against an objective: the budget left, and the burn rate over
/// a trailing window, the two things an SLO alert looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetLedger {
    slo: Slo,
    /// Running totals (events, bad events) after each interval, starting with (0, 0).
    totals: Vec<(u64, u64)>,
}

impl BudgetLedger {
    /// An empty ledger.
    pub fn new(slo: Slo) -> Self {
        BudgetLedger {
            slo,
            totals: vec![(0, 0)],
        }
    }

    /// Records the next interval.
    pub fn record(&mut self, interval: Interval) {
        let (t, b) = *self.totals.last().expect("starts with (0, 0)");
        self.totals.push((t + interval.total, b + interval.bad));
    }

    /// The share of the budget left after everything recorded, relative to the events seen so
    /// far: 1 − bad / (budget × total). Negative once the objective is missed.
    pub fn budget_left(&self) -> f64 {
        let (total, bad) = self.totals(self.totals.len());
        if total == 0 {
            return 1.0;
        }
        1.0 - bad as f64 / self.slo.budget_events(total as f64)
    }

    /// The share of a whole window's budget left, for a window expected to see `window_events`
    /// events: 1 − bad so far / (budget × window events). It only falls as bad events come in,
    /// which is how a budget is read in the middle of its window.
    pub fn budget_left_of(&self, window_events: f64) -> f64 {
        let (_, bad) = self.totals(self.totals.len());
        1.0 - bad as f64 / self.slo.budget_events(window_events)
    }

    /// The burn rate over the last `intervals` intervals.
    pub fn burn_rate(&self, intervals: usize) -> f64 {
        let (total, bad) = self.totals(intervals);
        if total == 0 {
            return 0.0;
        }
        self.slo.burn_rate(bad as f64 / total as f64)
    }

    /// Events and bad events over the last `last` intervals.
    fn totals(&self, last: usize) -> (u64, u64) {
        let end = self.totals[self.totals.len() - 1];
        let start = self.totals[self.totals.len().saturating_sub(last + 1)];
        (end.0 - start.0, end.1 - start.1)
    }
}
// ANCHOR_END: ledger

/// Seeded traffic: `intervals` intervals of `per_interval` events each, every event bad with
/// probability `error_ratio(interval)` (a binomial draw per interval).
///
/// ```
/// use sysdesign::availability::traffic;
/// let month = traffic(100, 1_000, |_| 0.01, 4);
/// let bad: u64 = month.iter().map(|i| i.bad).sum();
/// assert!((800..1_200).contains(&bad)); // about 1 % of 100,000
/// ```
pub fn traffic(
    intervals: usize,
    per_interval: u64,
    error_ratio: impl Fn(usize) -> f64,
    seed: u64,
) -> Vec<Interval> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..intervals)
        .map(|i| {
            let p = error_ratio(i).clamp(0.0, 1.0);
            let bad = Binomial::new(per_interval, p)
                .expect("p is clamped to [0, 1]")
                .sample(&mut rng);
            Interval {
                total: per_interval,
                bad,
            }
        })
        .collect()
}
