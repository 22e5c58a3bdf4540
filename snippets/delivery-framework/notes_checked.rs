//! The notes' own estimates, recomputed with units in the types: what they claim, what the
//! arithmetic gives, and whether the two agree.

use sysdesign::delivery_framework::{Bytes, BytesPerSecond, Count, Seconds, requests_per_second};
use sysdesign::show::{self, Table};

/// "agrees" when `computed` is within 5 % of `claimed`, the precision the notes round to.
fn verdict(claimed: f64, computed: f64) -> &'static str {
    if (computed / claimed - 1.0).abs() <= 0.05 {
        "agrees"
    } else {
        "does not agree"
    }
}

fn main() {
    let mut table = Table::new(["note", "claim", "computed", "verdict"]);

    // ANCHOR: checks
    // 002:486, Twitter: 200 M DAU × 100 tweet reads a day × 1 MB = "20 PB".
    let twitter = Count::new(200e6) * Count::new(100.0) * Bytes::mega(1.0);
    table.push([
        "002:486".to_string(),
        "200 M users × 100 reads × 1 MB = 20 PB".to_string(),
        format!("{twitter} a day"),
        verdict(20e15, twitter.get()).to_string(),
    ]);

    // 002:537, YouTube: 1 B DAU × 5 views a day, reads:writes = 100:1 → "50 M uploads a day".
    let views = Count::new(1e9) * Count::new(5.0);
    let uploads = views * Count::new(1.0 / 100.0);
    let upload_rate = requests_per_second(Count::new(1e9), Count::new(5.0 / 100.0));
    table.push([
        "002:537".to_string(),
        "1 B users × 5 views ÷ 100 = 50 M uploads a day".to_string(),
        format!("{uploads} a day = {upload_rate}"),
        verdict(50e6, uploads.get()).to_string(),
    ]);

    // 001:2465-2470, peer-to-peer: 1,000 copies of 5 GB at 5 GB/s take "1,000 s, 17 minutes".
    let link = BytesPerSecond::new(Bytes::giga(5.0).get());
    let transfer = Count::new(1_000.0) * Bytes::giga(5.0) / link;
    table.push([
        "001:2469".to_string(),
        "1,000 × 5 GB at 5 GB/s = 1,000 s ≈ 17 min".to_string(),
        format!("{} = {:.1} min", transfer, transfer / Seconds::MINUTE),
        verdict(17.0, transfer / Seconds::MINUTE).to_string(),
    ]);

    // 001:2465: 5 GB/s is "40 gigabits" a second.
    table.push([
        "001:2465".to_string(),
        "5 GB/s = 40 Gbit/s".to_string(),
        link.in_bits(),
        verdict(40e9, link.bits_per_second()).to_string(),
    ]);
    // ANCHOR_END: checks

    show::table(&table.caption("The notes' arithmetic, recomputed"));
    show::value("twitter_per_day", twitter);
    show::value("youtube_uploads_per_day", uploads);
    show::value("youtube_uploads_per_second", upload_rate);
    show::value("p2p_minutes", format!("{:.1}", transfer / Seconds::MINUTE));
}
