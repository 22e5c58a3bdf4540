//! The same 1,000 events sent one request each, as one batched request, and as one batched
//! request compressed with gzip at levels 1, 6 and 9: bytes on the wire, counted.

use sysdesign::protocols::{
    WireBytes, events, one_batch, one_gzipped_batch, one_request_each, to_json, wire_bytes,
};
use sysdesign::show::{self, Table};

const EVENTS: usize = 1_000;

fn main() {
    let ev = events(EVENTS, 42);
    println!(
        "one event as JSON: {}",
        String::from_utf8_lossy(&to_json(&ev[..1]))
    );
    // ANCHOR: count
    let ways: Vec<(String, WireBytes)> = vec![
        (
            "one request per event".to_string(),
            wire_bytes(&one_request_each(&ev)).expect("valid"),
        ),
        (
            "one batched request".to_string(),
            wire_bytes(&[one_batch(&ev)]).expect("valid"),
        ),
        (
            "batched, gzip level 1".to_string(),
            wire_bytes(&[one_gzipped_batch(&ev, 1)]).expect("valid"),
        ),
        (
            "batched, gzip level 6".to_string(),
            wire_bytes(&[one_gzipped_batch(&ev, 6)]).expect("valid"),
        ),
        (
            "batched, gzip level 9".to_string(),
            wire_bytes(&[one_gzipped_batch(&ev, 9)]).expect("valid"),
        ),
    ];
    // ANCHOR_END: count
    let base = ways[0].1.total() as f64;
    let mut table = Table::new([
        "how",
        "requests",
        "HTTP heads",
        "bodies",
        "TCP segments",
        "IPv4 + TCP headers",
        "total bytes",
        "share of the first",
    ]);
    for (how, w) in &ways {
        table.push([
            how.clone(),
            w.requests.to_string(),
            w.head.to_string(),
            w.body.to_string(),
            w.segments.to_string(),
            w.packet_headers.to_string(),
            w.total().to_string(),
            format!("{:.1} %", 100.0 * w.total() as f64 / base),
        ]);
    }
    show::table(&table.caption(format!(
        "{EVENTS} events, requests only (no responses, handshakes or acknowledgements)"
    )));
    show::value("each_total", ways[0].1.total());
    show::value("batch_total", ways[1].1.total());
    show::value("gzip6_total", ways[3].1.total());
    show::value(
        "batch_percent",
        format!("{:.1} %", 100.0 * ways[1].1.total() as f64 / base),
    );
    show::value(
        "gzip6_percent",
        format!("{:.1} %", 100.0 * ways[3].1.total() as f64 / base),
    );
    show::value(
        "gzip6_ratio",
        format!("{:.1}", ways[1].1.body as f64 / ways[3].1.body as f64),
    );
}
