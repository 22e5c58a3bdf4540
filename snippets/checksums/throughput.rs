//! timing: measured on the machine that builds the book
//! Throughput of CRC32 (crc32fast) and SHA-256 (sha2) over a 64 MiB buffer, best of five runs.

use std::time::Instant;
use sysdesign::checksums::Algorithm;
use sysdesign::show::{self, Table};

fn main() {
    let data: Vec<u8> = (0..64u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let mut table = Table::new(["checksum", "best of 5 (ms)", "GB/s"]);
    let mut rates = Vec::new();
    for algorithm in [Algorithm::Crc32, Algorithm::Sha256] {
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let start = Instant::now();
            std::hint::black_box(algorithm.sum(std::hint::black_box(&data)));
            best = best.min(start.elapsed().as_secs_f64());
        }
        let rate = data.len() as f64 / best / 1e9;
        rates.push(rate);
        table.push([
            algorithm.name().to_string(),
            format!("{:.1}", best * 1e3),
            format!("{rate:.2}"),
        ]);
    }
    show::table(&table.caption("64 MiB, on the build machine"));
    show::value("crc_over_sha", format!("{:.0}", rates[0] / rates[1]));
}
