//! Back-of-the-envelope estimates: from daily active users to requests per second, storage per
//! day and per year, and bandwidth, every step in typed units.

use super::units::{Bytes, BytesPerSecond, Count, PerSecond, Seconds};

// ANCHOR: rates
/// The average rate of `per_user_per_day` actions by each of `daily_active_users`, spread
/// over the 86,400 seconds of a day.
///
/// ```
/// use sysdesign::delivery_framework::{Count, requests_per_second};
///
/// let qps = requests_per_second(Count::new(86_400.0), Count::new(10.0));
/// assert_eq!(qps.get(), 10.0);
/// ```
pub fn requests_per_second(daily_active_users: Count, per_user_per_day: Count) -> PerSecond {
    daily_active_users * per_user_per_day / Seconds::DAY
}

/// The interview shortcut: a day has "about 10⁵" seconds, so divide the daily total by 10⁵.
/// A day has 86,400 seconds, so the shortcut's answer is 13.6 % low.
///
/// ```
/// use sysdesign::delivery_framework::{Count, rule_of_thumb_per_second, requests_per_second};
///
/// let daily = Count::new(1e9);
/// let exact = requests_per_second(daily, Count::new(1.0));
/// let rough = rule_of_thumb_per_second(daily);
/// assert!((rough / exact - 0.864).abs() < 1e-12);
/// ```
pub fn rule_of_thumb_per_second(per_day: Count) -> PerSecond {
    PerSecond::new(per_day.get() / 1e5)
}
// ANCHOR_END: rates

// ANCHOR: workload
/// The numbers an estimate starts from: who uses the system, how often, and how big each
/// read and write is. Everything else is computed from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// Users active on an average day.
    pub daily_active_users: Count,
    /// Reads each of them makes a day (feed loads, views, redirects).
    pub reads_per_user_per_day: Count,
    /// Writes each of them makes a day (posts, uploads, new links).
    pub writes_per_user_per_day: Count,
    /// Bytes sent back for one read.
    pub bytes_per_read: Bytes,
    /// Bytes stored for one write.
    pub bytes_per_write: Bytes,
    /// How many times the average rate the busiest moment brings.
    pub peak_to_average: f64,
}

impl Workload {
    /// Reads per second, on average over the day.
    pub fn reads(&self) -> PerSecond {
        requests_per_second(self.daily_active_users, self.reads_per_user_per_day)
    }
    /// Writes per second, on average over the day.
    pub fn writes(&self) -> PerSecond {
        requests_per_second(self.daily_active_users, self.writes_per_user_per_day)
    }
    /// Reads per second at the peak.
    pub fn peak_reads(&self) -> PerSecond {
        self.reads() * self.peak_to_average
    }
    /// New data a day: writes a day times their size.
    pub fn storage_per_day(&self) -> Bytes {
        self.writes() * Seconds::DAY * self.bytes_per_write
    }
    /// New data in a 365-day year, before replication.
    pub fn storage_per_year(&self) -> Bytes {
        self.writes() * Seconds::YEAR * self.bytes_per_write
    }
    /// Data read a day.
    pub fn reads_per_day_bytes(&self) -> Bytes {
        self.reads() * Seconds::DAY * self.bytes_per_read
    }
    /// Outgoing bandwidth, on average.
    pub fn read_bandwidth(&self) -> BytesPerSecond {
        self.reads() * self.bytes_per_read
    }
    /// Incoming bandwidth, on average.
    pub fn write_bandwidth(&self) -> BytesPerSecond {
        self.writes() * self.bytes_per_write
    }
}
// ANCHOR_END: workload
