//! The delivery framework for a design question, and the back-of-the-envelope arithmetic
//! that sizes the answer.
//!
//! A design conversation goes requirements → core entities → API → data flow → high-level
//! design → deep dives; the numbers that decide the high-level design (requests per second,
//! storage per year, bandwidth) come from a few stated inputs. This module does that
//! arithmetic with the unit in every type ([`units`]), so a requests-per-second figure can
//! never be added to a byte count, and a [`Workload`] turns daily active users and sizes into
//! the rates and totals an interviewer asks for.
//!
//! ```
//! use sysdesign::delivery_framework::{Bytes, Count, Seconds, Workload};
//!
//! let feed = Workload {
//!     daily_active_users: Count::new(200e6),
//!     reads_per_user_per_day: Count::new(100.0),
//!     writes_per_user_per_day: Count::new(1.0),
//!     bytes_per_read: Bytes::mega(1.0),
//!     bytes_per_write: Bytes::mega(1.0),
//!     peak_to_average: 2.0,
//! };
//! // 200 M users × 100 reads of 1 MB is 20 PB read a day.
//! let close = |a: f64, b: f64| (a / b - 1.0).abs() < 1e-9;
//! assert!(close(feed.reads_per_day_bytes().get(), 20e15));
//! assert!(close((feed.reads() * Seconds::DAY).get(), 2e10));
//! ```

mod estimate;
pub mod units;

pub use estimate::{Workload, requests_per_second, rule_of_thumb_per_second};
pub use units::{Bytes, BytesPerSecond, Count, PerSecond, Seconds, three_figures};
