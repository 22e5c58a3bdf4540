//! Availability: the share of time, or of requests, a service does its job.
//!
//! Availability is measured in **nines** (99.9 % is three), and each nine divides the allowed
//! downtime by ten: [`Availability::downtime`] turns a fraction into hours a year, minutes a
//! month or seconds a week. Designs raise it with redundancy: parts in series multiply their
//! availabilities (every part must be up), parts in parallel multiply their *un*availabilities
//! (one part up is enough). [`Block`] computes both, and [`Block::simulate`] checks the
//! arithmetic on a seeded clock, where units fail and are repaired at random.
//!
//! Redundancy only helps once a failure is noticed and worked around: [`Failover`] simulates
//! active-passive and active-active pairs with a heartbeat detector, and counts what is lost
//! while the failure goes unnoticed, while a standby is promoted, and when the survivors lack
//! capacity. [`Slo`] and [`BudgetLedger`] turn a target into an error budget and a burn rate.
//!
//! The design decision: every figure is computed, from a fraction, a period, or a seeded
//! simulation on a simulated clock; nothing reads the real clock and no table is typed.
//!
//! ```
//! use sysdesign::availability::{Availability, Block, MONTH_30_DAYS, Slo, Unit};
//! use sysdesign::delivery_framework::Seconds;
//!
//! // Three nines allow 43.2 minutes down in a 30-day month.
//! let three = Availability::from_nines(3);
//! assert!((three.downtime(MONTH_30_DAYS).get() - 2_592.0).abs() < 1e-6);
//! let budget = Slo::new(0.999, MONTH_30_DAYS).unwrap().budget_time();
//! assert!((budget.get() - three.downtime(MONTH_30_DAYS).get()).abs() < 1e-6);
//!
//! // Two 99 % servers in parallel: 99.99 %, and a long simulation agrees.
//! let server = Block::Unit(Unit { mtbf: Seconds::HOUR * 99.0, mttr: Seconds::HOUR });
//! let pair = Block::parallel(vec![server.clone(), server]);
//! let run = pair.simulate(Seconds::YEAR * 300.0, 7);
//! assert!((run.availability.get() - pair.availability().get()).abs() < 5e-5);
//! ```

mod failover;
mod nines;
mod redundancy;
mod slo;

pub use failover::{Failover, FailoverRun, Losses, Mode};
pub use nines::{Availability, AvailabilityError, MONTH_30_DAYS, WEEK, YEAR, human};
pub use redundancy::{Block, SimulatedAvailability, Unit};
pub use slo::{BudgetLedger, Interval, Slo, traffic};
