//! timing: measured on the machine that builds the book
//!
//! gzip (flate2 with its pure-Rust backend) at levels 1, 6 and 9 on a 1,000-event JSON batch:
//! how small, and how fast to compress and decompress.

use std::time::Instant;
use sysdesign::protocols::{events, gunzip, gzip, to_json};
use sysdesign::show::{self, Table};

const REPEATS: usize = 20;

/// The median time of `REPEATS` calls of `f`, in seconds.
fn median_seconds(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..REPEATS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[REPEATS / 2]
}

fn main() {
    let json = to_json(&events(1_000, 42));
    let mb = json.len() as f64 / 1e6;
    let mut table = Table::new(["level", "bytes", "ratio", "compress", "decompress"]);
    for level in [1, 6, 9] {
        let packed = gzip(&json, level);
        let pack = median_seconds(|| {
            std::hint::black_box(gzip(&json, level));
        });
        let unpack = median_seconds(|| {
            std::hint::black_box(gunzip(&packed).expect("valid gzip"));
        });
        table.push([
            level.to_string(),
            packed.len().to_string(),
            format!("{:.1}×", json.len() as f64 / packed.len() as f64),
            format!("{:.2} ms ({:.0} MB/s)", pack * 1e3, mb / pack),
            format!("{:.2} ms ({:.0} MB/s)", unpack * 1e3, mb / unpack),
        ]);
        show::value(
            &format!("level{level}_compress_mbs"),
            format!("{:.0}", mb / pack),
        );
        show::value(
            &format!("level{level}_decompress_mbs"),
            format!("{:.0}", mb / unpack),
        );
    }
    show::table(&table.caption(format!(
        "{} bytes of JSON; median of {REPEATS} runs",
        json.len()
    )));
}
