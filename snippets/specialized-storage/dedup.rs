//! Ten versions of a 4 MiB file, each made from the one before with five small edits of one
//! kind, stored in a chunk store that keeps each distinct chunk once. Fixed-size chunks against
//! content-defined chunks of the same mean size. Seeded, so the same on every run.

use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{Chunking, Edit, dedup, edited_versions};

fn mib(bytes: usize) -> String {
    format!("{:.2}", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    // ANCHOR: setup
    let chunkings = [
        Chunking::fixed(8 * 1024).expect("a positive size"),
        Chunking::content_defined(2 * 1024, 8 * 1024, 64 * 1024).expect("min < avg < max"),
    ];
    let edits = [
        ("overwrite", Edit::Overwrite),
        ("insert", Edit::Insert),
        ("delete", Edit::Delete),
    ];
    // ANCHOR_END: setup
    let mut table = Table::new([
        "edits",
        "chunking",
        "all versions (MiB)",
        "stored (MiB)",
        "saved",
        "distinct chunks",
        "mean chunk (KiB)",
    ]);
    for (name, kind) in edits {
        let versions = edited_versions(4 << 20, 10, 5, kind, 17);
        for chunking in chunkings {
            let r = dedup(&versions, chunking);
            let saved = 100.0 * (1.0 - r.stored_bytes as f64 / r.logical_bytes as f64);
            table.push([
                name.to_string(),
                chunking.label(),
                mib(r.logical_bytes),
                mib(r.stored_bytes),
                format!("{saved:.0}%"),
                r.distinct_chunks.to_string(),
                format!("{:.1}", r.mean_chunk / 1024.0),
            ]);
            if kind == Edit::Insert {
                let key = match chunking {
                    Chunking::Fixed { .. } => "stored_fixed_insert",
                    Chunking::ContentDefined { .. } => "stored_cdc_insert",
                };
                show::value(key, format!("{} MiB", mib(r.stored_bytes)));
            }
        }
    }
    show::table(&table.caption(
        "10 versions of a 4 MiB file, 5 edits of 1 to 64 bytes between versions (seed 17)",
    ));
}
