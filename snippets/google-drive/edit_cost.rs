//! What one small edit costs to sync: a 4 MiB file is uploaded, then edited 6 times, each edit
//! an insertion of 1 to 64 bytes, and saved after each. Fixed-size chunks against
//! content-defined chunks of the same mean size, from 1 KiB to 1 MiB; the cost is the chunks
//! uploaded plus the manifest (32 bytes a chunk). Seeded, so the same on every run.

use sysdesign::chart::LineChart;
use sysdesign::google_drive::{EditAt, EditCost, cdc, edit_cost};
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::Chunking;

const FILE: usize = 4 << 20;
const EDITS: usize = 6;
const SEED: u64 = 21;

fn kib(bytes: f64) -> String {
    format!("{:.1}", bytes / 1024.0)
}

struct Row {
    avg: usize,
    fixed: EditCost,
    start: EditCost,
    anywhere: EditCost,
}

fn rows() -> Vec<Row> {
    // ANCHOR: sweep
    (10..=20)
        .map(|shift| {
            let avg = 1usize << shift;
            let fixed = Chunking::fixed(avg).expect("a positive size");
            Row {
                avg,
                fixed: edit_cost(FILE, fixed, EditAt::Start, EDITS, SEED),
                start: edit_cost(FILE, cdc(avg), EditAt::Start, EDITS, SEED),
                anywhere: edit_cost(FILE, cdc(avg), EditAt::Anywhere, EDITS, SEED),
            }
        })
        .collect()
    // ANCHOR_END: sweep
}

fn main() {
    let rows = rows();
    let mut table = Table::new([
        "mean chunk (KiB)",
        "fixed, insert at start (KiB)",
        "content-defined, insert at start (KiB)",
        "chunks sent",
        "of which manifest (KiB)",
        "content-defined, insert anywhere (KiB)",
    ]);
    for r in &rows {
        table.push([
            (r.avg / 1024).to_string(),
            kib(r.fixed.total()),
            kib(r.start.total()),
            format!("{:.1}", r.start.chunks_sent),
            kib(r.start.manifest_bytes),
            kib(r.anywhere.total()),
        ]);
    }
    show::table(&table.caption(
        "Bytes sent per save after one small insertion into a 4 MiB file (mean of 6 edits, seed 21)",
    ));

    // A block: the values below borrow `rows`, which a notebook cell cannot keep.
    {
        let best = rows
            .iter()
            .min_by(|a, b| a.start.total().total_cmp(&b.start.total()))
            .expect("eleven sizes");
        let at = |avg: usize| {
            rows.iter()
                .find(|r| r.avg == avg)
                .expect("a size of the sweep")
        };
        let dropbox = at(1 << 20);
        show::value("best_avg_kib", best.avg / 1024);
        show::value("best_total_kib", kib(best.start.total()));
        show::value("best_fixed_kib", kib(best.fixed.total()));
        show::value(
            "fixed_over_cdc",
            format!("{:.0}", best.fixed.total() / best.start.total()),
        );
        show::value("cdc_1k_manifest_kib", kib(at(1024).start.manifest_bytes));
        show::value("cdc_1k_total_kib", kib(at(1024).start.total()));
        show::value("cdc_1m_total_kib", kib(dropbox.start.total()));
        show::value("fixed_1m_total_kib", kib(dropbox.fixed.total()));

        let points = |f: fn(&EditCost) -> f64| -> Vec<(f64, f64)> {
            rows.iter()
                .map(|r| (r.avg as f64 / 1024.0, f(&r.start) / 1024.0))
                .collect()
        };
        let chart = LineChart::new("What one small edit costs to sync, content-defined chunks")
            .x_label("mean chunk size (KiB, log scale)")
            .y_label("KiB sent per save")
            .log_x()
            .series("chunks uploaded", points(|c| c.chunk_bytes))
            .series("manifest", points(|c| c.manifest_bytes))
            .series("total", points(EditCost::total));
        show::svg(
            "drive-edit-cost",
            "Smaller chunks send less data and a longer manifest; the total is lowest in between",
            chart.to_svg().expect("every point is finite"),
        );
    }
}
