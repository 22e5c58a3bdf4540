//! timing: measured on the machine that builds the book
//!
//! Latencies measured here and now: memory read in order and by dependent random hops over
//! buffers from 32 KiB to 1 GiB, a 1 MB file read again through the page cache, a 4 KiB append
//! made durable with fdatasync, and a 64-byte round trip over loopback TCP. Each is set beside
//! the published figure it is most often compared with.

use std::time::Instant;
use sysdesign::chart::LineChart;
use sysdesign::delivery_framework::{Bytes, Seconds};
use sysdesign::latency_throughput::{
    EchoServer, MemoryBuffer, PUBLISHED, append_durably, read_file, round_trip, scott,
};
use sysdesign::show::{self, Table};

const KIB: usize = 1024;
const SIZES: [usize; 6] = [
    32 * KIB,
    256 * KIB,
    2 * KIB * KIB,
    16 * KIB * KIB,
    128 * KIB * KIB,
    1024 * KIB * KIB,
];
const HOPS: usize = 1 << 20;

/// The median of some timings.
fn median(mut xs: Vec<Seconds>) -> Seconds {
    xs.sort_by(|a, b| a.get().total_cmp(&b.get()));
    xs[xs.len() / 2]
}

/// Times `f`, returning how long it took as `Seconds`.
fn time<T>(f: impl FnOnce() -> T) -> (T, Seconds) {
    let start = Instant::now();
    let out = f();
    (out, Seconds::from_duration(start.elapsed()))
}

/// Per-hop and per-MB times for each buffer size: (bytes, random hop, 1 MB in order).
fn memory() -> Vec<(usize, Seconds, Seconds)> {
    let mut rows = Vec::new();
    for (i, &bytes) in SIZES.iter().enumerate() {
        let buffer = MemoryBuffer::new(bytes, i as u64).expect("the sizes are whole lines");
        buffer.chase(HOPS / 8); // warm the caches and the page tables
        let (end, hops) = time(|| buffer.chase(HOPS));
        std::hint::black_box(end);
        let passes = (256 * KIB * KIB / bytes).max(2);
        let (sum, all) = time(|| (0..passes).map(|_| buffer.sum_in_order()).sum::<u64>());
        std::hint::black_box(sum);
        let per_mb = all * (1e6 / (passes * bytes) as f64);
        rows.push((bytes, hops * (1.0 / HOPS as f64), per_mb));
    }
    rows
}

/// The median of 32 reads of a 1 MB file that is already in the page cache, and the
/// median of 32 appends of 4 KiB each followed by fdatasync.
fn file() -> (Seconds, Seconds) {
    let dir = std::env::temp_dir().join(format!("sysdesign-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    let path = dir.join("one-megabyte");
    std::fs::write(&path, vec![b'x'; 1_000_000]).expect("the file is writable");
    let mut buf = Vec::with_capacity(1_000_000);
    read_file(&path, &mut buf).expect("the file was just written"); // now in the page cache
    let reads = (0..32)
        .map(|_| time(|| read_file(&path, &mut buf).expect("readable")).1)
        .collect();
    let mut log = std::fs::File::create(dir.join("log")).expect("the log is writable");
    let record = [b'.'; 4096];
    let syncs = (0..32)
        .map(|_| time(|| append_durably(&mut log, &record).expect("writable")).1)
        .collect();
    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
    (median(reads), median(syncs))
}

/// The median and 99th percentile of 2,000 round trips of 64 bytes over loopback TCP.
fn loopback() -> (Seconds, Seconds) {
    let server = EchoServer::start().expect("a loopback port is free");
    let mut client = server.connect().expect("the server listens");
    let mut reply = Vec::new();
    let mut trips: Vec<Seconds> = (0..2_000)
        .map(|_| time(|| round_trip(&mut client, &[7u8; 64], &mut reply).expect("echoed")).1)
        .collect();
    server.finish(client).expect("the server stops cleanly");
    trips.sort_by(|a, b| a.get().total_cmp(&b.get()));
    (trips[1_000], trips[1_980])
}

fn main() {
    let memory = memory();
    let (page_cache_read, durable_append) = file();
    let (rtt, rtt_p99) = loopback();
    let largest = *memory.last().expect("several sizes");
    let model = scott::for_published(2020);

    // ANCHOR: table
    let mut table = Table::new([
        "published operation",
        "published",
        "Scott 2020",
        "what this machine did",
        "measured",
    ]);
    let rows = [
        (0, "one random hop, 1 GiB buffer", largest.1.to_string()),
        (1, "1 MB in order, 1 GiB buffer", largest.2.to_string()),
        (
            3,
            "1 MB file, again, from the page cache",
            page_cache_read.to_string(),
        ),
        (2, "4 KiB append + fdatasync", durable_append.to_string()),
        (
            4,
            "64 B round trip, loopback TCP",
            format!("{rtt} (p99 {rtt_p99})"),
        ),
    ];
    for (i, what, measured) in rows {
        let p = &PUBLISHED[i];
        table.push([
            p.operation.to_string(),
            format!("{} ({})", p.latency, p.source.cite()),
            model[i].to_string(),
            what.to_string(),
            measured,
        ]);
    }
    show::table(&table.caption("Measured on the machine that built this page"));
    // ANCHOR_END: table

    let hops: Vec<(f64, f64)> = memory
        .iter()
        .map(|&(b, hop, _)| (b as f64 / KIB as f64, hop.as_nanos()))
        .collect();
    let words: Vec<(f64, f64)> = memory
        .iter()
        .map(|&(b, _, mb)| (b as f64 / KIB as f64, mb.as_nanos() * 8.0 / 1e6))
        .collect();
    let dean = [(32.0, 100.0), (1024.0 * 1024.0, 100.0)];
    let svg = LineChart::new("Nanoseconds per read against buffer size")
        .x_label("buffer size (KiB, log scale)")
        .y_label("ns per read")
        .series("random hop (dependent loads)", hops)
        .series("8-byte word, in order", words)
        .series("main memory reference, Dean 2009", dean)
        .log_x()
        .to_svg()
        .expect("every point is finite and positive");
    show::svg(
        "memory-latency-by-size",
        "Random hops cost a cache hit while the buffer fits in cache, and a trip to memory after (measured on the build machine)",
        svg,
    );

    show::value("hop_ns_1gib", format!("{:.0}", largest.1.as_nanos()));
    show::value("hop_ns_32kib", format!("{:.1}", memory[0].1.as_nanos()));
    show::value("seq_1mb_1gib", largest.2);
    show::value("seq_rate_1gib", Bytes::mega(1.0) / largest.2);
    show::value("page_cache_1mb", page_cache_read);
    show::value("fdatasync_4k", durable_append);
    show::value("loopback_rtt", rtt);
    show::value("loopback_rtt_p99", rtt_p99);
}
