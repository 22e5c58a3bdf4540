//! An hour of seeded traffic: 200 requests a minute at a median of 20 ms, except minutes 40 to
//! 49, which take 2,000 a minute at a median of 60 ms. Each minute is rolled up (two counts and
//! an HDR histogram); then the hour's p99 is computed twice, the wrong way and the right way.

use std::time::Duration;
use sysdesign::monitoring::{Rollups, Workload};
use sysdesign::show::{self, Table};

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn main() {
    // ANCHOR: compare
    let mut per_minute = Rollups::new(Duration::from_secs(60));
    for obs in Workload::default().generate() {
        per_minute.record(&obs);
    }
    let averaged = per_minute.average_of_percentiles(0.99);
    let worst_minute = per_minute
        .windows()
        .map(|(_, w)| w.latency.percentile(0.99))
        .max()
        .unwrap_or_default();
    let hour = per_minute.total();
    let true_p99 = hour.latency.percentile(0.99);
    // ANCHOR_END: compare

    let mut minutes = Table::new(["minute", "requests", "errors", "p50 (ms)", "p99 (ms)"]);
    for (start, w) in per_minute.windows() {
        let m = start.as_secs() / 60;
        if [0, 1, 38, 39, 40, 41, 48, 49, 50, 59].contains(&m) {
            minutes.push([
                m.to_string(),
                w.requests.to_string(),
                w.errors.to_string(),
                ms(w.latency.percentile(0.5)),
                ms(w.latency.percentile(0.99)),
            ]);
        }
    }
    show::table(&minutes.caption("per-minute roll-ups, a few of the 60 minutes"));

    let mut table = Table::new(["the hour's p99, computed as", "ms"]);
    table.push(["mean of the 60 per-minute p99s", &ms(averaged)]);
    table.push(["p99 of the merged histogram (true)", &ms(true_p99)]);
    table.push(["largest per-minute p99", &ms(worst_minute)]);
    show::table(&table.caption(format!("{} requests in the hour", hour.requests)));

    let mut coarse = Table::new(["window", "requests", "p99 (ms)"]);
    for (start, w) in per_minute.coarsen(15).windows() {
        let from = start.as_secs() / 60;
        coarse.push([
            format!("{from}-{}", from + 15),
            w.requests.to_string(),
            ms(w.latency.percentile(0.99)),
        ]);
    }
    show::table(&coarse.caption("the same minutes rolled up into 15-minute windows by merging"));

    for (name, minute) in [("quiet_p99_ms", 0), ("busy_p99_ms", 40)] {
        let w = per_minute
            .windows()
            .nth(minute)
            .map(|(_, w)| w.latency.percentile(0.99));
        show::value(name, ms(w.unwrap_or_default()));
    }
    show::value("averaged_p99_ms", ms(averaged));
    show::value("true_p99_ms", ms(true_p99));
    show::value(
        "understated_by",
        format!(
            "{:.0}%",
            100.0 * (1.0 - averaged.as_secs_f64() / true_p99.as_secs_f64())
        ),
    );
}
