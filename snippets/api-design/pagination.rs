//! Paging through a listing of 20 items, 5 a page, while another client changes it: first a
//! scripted run (one insert ahead of the reader, then two deletes behind it), then 1,000 seeded
//! readers with random inserts and deletes between their page reads.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::api_design::{Change, Listing, Paging, scan};
use sysdesign::show::{self, Table};

// ANCHOR: script
fn script() -> Vec<Vec<Change>> {
    vec![
        vec![Change::Insert(5)], // after page 1: a new item ahead of the reader
        vec![Change::Delete(10), Change::Delete(20)], // after page 2: two items already read go
    ]
}
// ANCHOR_END: script

fn join(keys: &[u64]) -> String {
    keys.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn scripted() {
    let listing = Listing::new((1..=20).map(|i| i * 10));
    let by_offset = scan(listing.clone(), Paging::Offset, 5, &script());
    let by_cursor = scan(listing, Paging::Cursor, 5, &script());
    let mut table = Table::new(["page", "offset pagination", "cursor pagination"]);
    for i in 0..by_offset.pages.len().max(by_cursor.pages.len()) {
        let page =
            |s: &sysdesign::api_design::Scan| s.pages.get(i).map(|p| join(p)).unwrap_or_default();
        table.push([(i + 1).to_string(), page(&by_offset), page(&by_cursor)]);
    }
    show::table(&table.caption("keys each page returned (items 10, 20, ..., 200)"));
    show::value("offset_repeated", join(&by_offset.repeated));
    show::value("offset_skipped", join(&by_offset.skipped));
    show::value("cursor_repeated", by_cursor.repeated.len());
    show::value("cursor_skipped", by_cursor.skipped.len());
}

// ANCHOR: random
/// Between any two page reads, each of 3 other clients inserts (60%) or deletes (40%) a random
/// key; the reader pages 10 at a time through 200 items.
fn random_changes(rng: &mut StdRng, pages: usize) -> Vec<Vec<Change>> {
    (0..pages)
        .map(|_| {
            (0..3)
                .map(|_| {
                    let key = rng.random_range(0..4_000);
                    if rng.random_bool(0.6) {
                        Change::Insert(key)
                    } else {
                        Change::Delete(key)
                    }
                })
                .collect()
        })
        .collect()
}
// ANCHOR_END: random

fn seeded() {
    let mut rng = StdRng::seed_from_u64(20);
    let readers = 1_000;
    let mut table = Table::new([
        "paging",
        "scans with a repeat",
        "scans with a skip",
        "items repeated",
        "items skipped",
    ]);
    let mut counts = [[0usize; 4]; 2];
    for _ in 0..readers {
        let listing = Listing::new((0..200).map(|i| i * 20));
        let changes = random_changes(&mut rng, 40);
        for (row, paging) in [Paging::Offset, Paging::Cursor].into_iter().enumerate() {
            let s = scan(listing.clone(), paging, 10, &changes);
            let c = &mut counts[row];
            c[0] += usize::from(!s.repeated.is_empty());
            c[1] += usize::from(!s.skipped.is_empty());
            c[2] += s.repeated.len();
            c[3] += s.skipped.len();
        }
    }
    for (name, c) in ["offset", "cursor"].iter().zip(counts) {
        let pct = |n: usize| format!("{:.1}%", 100.0 * n as f64 / readers as f64);
        table.push([
            name.to_string(),
            pct(c[0]),
            pct(c[1]),
            c[2].to_string(),
            c[3].to_string(),
        ]);
    }
    show::table(
        &table.caption("1,000 seeded readers, 200 items, 10 a page, 3 changes between pages"),
    );
    show::value(
        "offset_scans_with_repeat",
        format!("{:.1}%", 100.0 * counts[0][0] as f64 / readers as f64),
    );
    show::value(
        "offset_scans_with_skip",
        format!("{:.1}%", 100.0 * counts[0][1] as f64 / readers as f64),
    );
}

fn main() {
    scripted();
    seeded();
}
