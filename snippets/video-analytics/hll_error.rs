//! Distinct viewers of one video, counted by HyperLogLog sketches of 16 to 65,536 registers:
//! the error measured over 20 seeded audiences of 100,000 viewers, against the theory
//! (1.04 / √m) and against the memory an exact set of 64-bit ids needs. Then a day of hourly
//! audiences that overlap: summing the hours' counts against merging their sketches.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};
use sysdesign::video_analytics::{HyperLogLog, error_at};

fn sweep() {
    let viewers = 100_000u64;
    let mut table = Table::new([
        "registers",
        "memory (6-bit registers)",
        "theory 1.04/√m",
        "mean error",
        "worst of 20",
    ]);
    let (mut measured, mut theory) = (Vec::new(), Vec::new());
    for precision in [4u8, 6, 8, 10, 12, 14, 16] {
        // ANCHOR: sweep
        let (mean, worst) = error_at(precision, viewers, 20);
        let sketch = HyperLogLog::new(precision).expect("4 to 16");
        // ANCHOR_END: sweep
        let bytes = sketch.packed_bytes();
        table.push([
            (1u32 << precision).to_string(),
            format!("{bytes} B"),
            format!("{:.2}%", 100.0 * sketch.standard_error()),
            format!("{:.2}%", 100.0 * mean),
            format!("{:.2}%", 100.0 * worst),
        ]);
        measured.push((bytes as f64, 100.0 * mean));
        theory.push((bytes as f64, 100.0 * sketch.standard_error() * 0.798));
        if precision == 14 {
            show::value("bytes_p14", format!("{bytes} B"));
            show::value("mean_p14", format!("{:.2}%", 100.0 * mean));
            show::value("worst_p14", format!("{:.2}%", 100.0 * worst));
            show::value(
                "theory_p14",
                format!("{:.2}%", 100.0 * sketch.standard_error()),
            );
        }
        if precision == 4 {
            show::value("mean_p4", format!("{:.1}%", 100.0 * mean));
        }
    }
    let exact = viewers * 8;
    show::table(&table.caption("100,000 distinct viewers, 20 seeded audiences per row"));
    println!("An exact set of 100,000 64-bit ids needs at least {exact} bytes.");
    show::value("exact_bytes", format!("{exact} B"));
    let chart = LineChart::new("HyperLogLog: error against memory")
        .x_label("bytes of registers (log scale)")
        .y_label("mean relative error (%)")
        .log_x()
        .series("measured", measured)
        .series("theory (mean |error| = 0.8 × 1.04/√m)", theory);
    show::svg(
        "hll_error",
        "Mean error of the distinct-viewer count against the sketch's memory",
        chart.to_svg().expect("finite points"),
    );
}

fn day_of_hours() {
    // ANCHOR: merge
    let mut rng = StdRng::seed_from_u64(21);
    let mut day = HyperLogLog::new(14).expect("4 to 16");
    let mut exact_day = HashSet::new();
    let mut sum_of_hours = 0.0;
    for _hour in 0..24 {
        let mut hour = HyperLogLog::new(14).expect("4 to 16");
        for _ in 0..20_000 {
            let viewer: u64 = rng.random_range(0..150_000); // regulars come back every hour
            hour.insert(&viewer.to_le_bytes());
            exact_day.insert(viewer);
        }
        sum_of_hours += hour.estimate();
        day.merge(&hour).expect("same precision");
    }
    // ANCHOR_END: merge
    let mut table = Table::new(["distinct viewers of the day", "value"]);
    table.push([
        "exact (a set of every id)".to_string(),
        exact_day.len().to_string(),
    ]);
    table.push([
        "sum of the 24 hourly counts".to_string(),
        format!("{sum_of_hours:.0}"),
    ]);
    table.push([
        "24 hourly sketches merged".to_string(),
        format!("{:.0}", day.estimate()),
    ]);
    show::table(&table.caption("24 hours of 20,000 views from a pool of 150,000 viewers"));
    show::value("day_exact", exact_day.len());
    show::value("day_sum", format!("{sum_of_hours:.0}"));
    show::value("day_merged", format!("{:.0}", day.estimate()));
}

fn main() {
    sweep();
    day_of_hours();
}
