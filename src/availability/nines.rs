//! Availability as a fraction, its "nines", and the downtime a fraction allows in a period.

use crate::delivery_framework::Seconds;
use std::fmt;

/// A Julian year, 365.25 days: the year the usual tables of nines use (99 % is "87.7 hours").
pub const YEAR: Seconds = Seconds::new(365.25 * 86_400.0);
/// A 30-day month, the window most cloud SLAs and SLO examples count over.
pub const MONTH_30_DAYS: Seconds = Seconds::new(30.0 * 86_400.0);
/// A week of seven days.
pub const WEEK: Seconds = Seconds::new(7.0 * 86_400.0);

/// A fraction that is not between 0 and 1, or not a number at all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AvailabilityError(pub f64);

impl fmt::Display for AvailabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an availability is a fraction from 0 to 1, got {}",
            self.0
        )
    }
}

impl std::error::Error for AvailabilityError {}

// ANCHOR: availability
/// The share of time (or of requests) a service is up, from 0 to 1.
///
/// ```
/// use sysdesign::availability::{Availability, YEAR};
/// let five_nines = Availability::from_nines(5);
/// assert!((five_nines.get() - 0.99999).abs() < 1e-12);
/// // 0.001 % of a 365.25-day year is 315.576 seconds, 5.26 minutes.
/// assert!((five_nines.downtime(YEAR).get() - 315.576).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Availability(f64);

impl Availability {
    /// A fraction from 0 to 1.
    pub fn new(fraction: f64) -> Result<Self, AvailabilityError> {
        if (0.0..=1.0).contains(&fraction) {
            Ok(Availability(fraction))
        } else {
            Err(AvailabilityError(fraction))
        }
    }

    /// `n` nines: 1 − 10⁻ⁿ (two nines is 99 %, five nines 99.999 %).
    pub fn from_nines(n: u32) -> Self {
        Availability(1.0 - 10f64.powi(-(n as i32)))
    }

    /// The steady-state availability of something that runs MTBF on average between failures
    /// and takes MTTR on average to repair: MTBF / (MTBF + MTTR).
    pub fn from_mtbf_mttr(mtbf: Seconds, mttr: Seconds) -> Self {
        Availability(mtbf.get() / (mtbf.get() + mttr.get()))
    }

    /// The fraction, from 0 to 1.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The fraction down, 1 − A.
    pub fn unavailability(self) -> f64 {
        1.0 - self.0
    }

    /// How many nines, −log₁₀(1 − A): 3.0 for 99.9 %, 2.7 for 99.8 %.
    pub fn nines(self) -> f64 {
        -self.unavailability().log10()
    }

    /// The downtime this availability allows in `period`: (1 − A) × period.
    pub fn downtime(self, period: Seconds) -> Seconds {
        self.unavailability() * period
    }
}
// ANCHOR_END: availability

impl fmt::Display for Availability {
    /// As a percentage with as many decimals as it needs (99.999 %, not 99.99900 %).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = format!("{:.10}", self.0 * 100.0);
        let percent = percent.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{percent} %")
    }
}

/// A duration in the unit a person would say: `8.77 h`, `52.6 min`, `31.6 ms`, three figures.
///
/// ```
/// use sysdesign::availability::human;
/// use sysdesign::delivery_framework::Seconds;
/// assert_eq!(human(Seconds::new(315.576)), "5.26 min");
/// assert_eq!(human(Seconds::new(3.0 * 3600.0)), "3 h");
/// ```
pub fn human(duration: Seconds) -> String {
    let s = duration.get();
    let (value, unit) = match s.abs() {
        a if a >= 7.0 * 86_400.0 => (s / 86_400.0, "days"),
        a if a >= 3_600.0 => (s / 3_600.0, "h"),
        a if a >= 60.0 => (s / 60.0, "min"),
        a if a >= 1.0 || a == 0.0 => (s, "s"),
        a if a >= 1e-3 => (s * 1e3, "ms"),
        _ => (s * 1e6, "µs"),
    };
    format!("{} {unit}", crate::delivery_framework::three_figures(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_fractions_outside_zero_to_one() {
        assert_eq!(Availability::new(1.5), Err(AvailabilityError(1.5)));
        assert!(Availability::new(f64::NAN).is_err());
    }

    #[test]
    fn prints_percent_without_trailing_zeros() {
        assert_eq!(Availability::from_nines(3).to_string(), "99.9 %");
        assert_eq!(Availability::new(0.5).unwrap().to_string(), "50 %");
    }
}
