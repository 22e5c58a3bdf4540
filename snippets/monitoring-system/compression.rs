//! Gorilla's compression measured on seeded series of five shapes: two-hour blocks of a point
//! every 10 s (720 points), with timestamps in seconds on time, then in milliseconds with each
//! scrape up to 50 ms early or late. Raw, a point is 16 bytes.

use sysdesign::monitoring_system::{Block, SeriesKind, series};
use sysdesign::show::{self, Table};

// ANCHOR: measure
fn bytes_per_point(kind: SeriesKind, millis: bool) -> f64 {
    let blocks = 12; // a day of two-hour blocks, each seeded differently
    let total: f64 = (0..blocks)
        .map(|b| {
            let points = if millis {
                series(kind, 720, 1_700_000_000_000, 10_000, 50, b)
            } else {
                series(kind, 720, 1_700_000_000, 10, 0, b)
            };
            Block::encode(&points).bytes_per_point()
        })
        .sum();
    total / blocks as f64
}
// ANCHOR_END: measure

fn main() {
    let mut table = Table::new([
        "series",
        "bytes/point, s on time",
        "ratio",
        "bytes/point, ms ± 50",
        "ratio",
    ]);
    let (mut sum_s, mut sum_ms) = (0.0, 0.0);
    for kind in SeriesKind::ALL {
        let (s, ms) = (bytes_per_point(kind, false), bytes_per_point(kind, true));
        sum_s += s;
        sum_ms += ms;
        table.push([
            kind.name().to_string(),
            format!("{s:.2}"),
            format!("{:.1}×", 16.0 / s),
            format!("{ms:.2}"),
            format!("{:.1}×", 16.0 / ms),
        ]);
        let key = format!("{kind:?}").to_lowercase();
        show::value(&format!("s_{key}"), format!("{s:.2}"));
        show::value(&format!("ms_{key}"), format!("{ms:.2}"));
    }
    let n = SeriesKind::ALL.len() as f64;
    table.push([
        "mean of the five".to_string(),
        format!("{:.2}", sum_s / n),
        format!("{:.1}×", 16.0 * n / sum_s),
        format!("{:.2}", sum_ms / n),
        format!("{:.1}×", 16.0 * n / sum_ms),
    ]);
    show::table(&table.caption("Gorilla blocks of 720 points, mean of 12 seeded blocks"));
    show::value("mean_s", format!("{:.2}", sum_s / n));
    show::value("mean_ms", format!("{:.2}", sum_ms / n));
}
