//! One day of a CPU-usage metric, a point every 10 seconds (a seeded random walk with a busy
//! hour), kept at three resolutions: raw points for an hour, one-minute aggregates for a day,
//! one-hour aggregates for good. Then the last hours as a dashboard would read them.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{HOUR_MS, MINUTE_MS, Resolution, Retention, TimeSeries};

fn main() {
    // ANCHOR: setup
    let retention = Retention {
        raw_ms: HOUR_MS,
        minute_ms: 24 * HOUR_MS,
        hour_ms: u64::MAX,
    };
    let mut series = TimeSeries::new(retention);
    let mut rng = StdRng::seed_from_u64(5);
    let mut cpu: f64 = 30.0;
    let day_ms = 24 * HOUR_MS;
    for t in (0..day_ms).step_by(10_000) {
        let busy = (14 * HOUR_MS..15 * HOUR_MS).contains(&t);
        let pull = if busy { 85.0 } else { 30.0 };
        cpu = (cpu + 0.1 * (pull - cpu) + rng.random_range(-3.0..3.0)).clamp(0.0, 100.0);
        series.insert(t, cpu);
    }
    // ANCHOR_END: setup
    let before = series.sizes();
    series.apply_retention(day_ms);
    let after = series.sizes();
    let mut sizes = Table::new([
        "resolution",
        "kept for",
        "entries before retention",
        "entries after",
    ]);
    sizes.push([
        "raw (10 s)".to_string(),
        "1 hour".to_string(),
        before.0.to_string(),
        after.0.to_string(),
    ]);
    sizes.push([
        "1 minute".to_string(),
        "1 day".to_string(),
        before.1.to_string(),
        after.1.to_string(),
    ]);
    sizes.push([
        "1 hour".to_string(),
        "for good".to_string(),
        before.2.to_string(),
        after.2.to_string(),
    ]);
    show::table(&sizes.caption("one day of one series, retention applied at the end of the day"));

    let mut hours = Table::new(["hour", "count", "min", "max", "avg"]);
    for a in series.query(12 * HOUR_MS, 17 * HOUR_MS, Resolution::Hour) {
        hours.push([
            format!("{:02}:00", a.start_ms / HOUR_MS),
            a.count.to_string(),
            format!("{:.1}", a.min),
            format!("{:.1}", a.max),
            format!("{:.1}", a.mean()),
        ]);
    }
    show::table(&hours.caption("hours 12 to 16 from the hourly roll-up (CPU %)"));

    // The busy hour at one-minute resolution, still held; its raw points are gone.
    let minutes = series.query(14 * HOUR_MS, 15 * HOUR_MS, Resolution::Minute);
    let raw = series.query(14 * HOUR_MS, 15 * HOUR_MS, Resolution::Raw);
    show::value("busy_hour_minutes", minutes.len());
    show::value("busy_hour_raw", raw.len());
    let peak = minutes.iter().map(|a| a.max).fold(f64::MIN, f64::max);
    let peak_minute = minutes
        .iter()
        .find(|a| a.max == peak)
        .map(|a| (a.start_ms % HOUR_MS) / MINUTE_MS);
    show::value(
        "busy_peak",
        format!("{peak:.1}% at 14:{:02}", peak_minute.unwrap_or(0)),
    );
}
