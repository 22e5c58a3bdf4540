//! 10,000 unit vectors of 64 dimensions in 100 clusters, and 100 queries from the same clusters
//! that are not in the index. Two-stage search keeps the C vectors whose 64-bit sign codes are
//! nearest the query's, then ranks those C exactly; recall@10 against the exact top 10 for
//! several C. Seeded.

use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{Scored, VectorIndex, clustered_vectors, recall_at_k};

const DIM: usize = 64;

// ANCHOR: recall
/// Mean recall@10 over the queries when `candidates` vectors are re-ranked.
fn recall(
    index: &VectorIndex,
    queries: &[Vec<f32>],
    exact: &[Vec<Scored>],
    candidates: usize,
) -> f64 {
    let total: f64 = queries
        .iter()
        .zip(exact)
        .map(|(q, truth)| recall_at_k(&index.search(q, 10, candidates), truth))
        .sum();
    total / queries.len() as f64
}
// ANCHOR_END: recall

fn main() {
    // ANCHOR: setup
    let mut data = clustered_vectors(10_100, DIM, 100, 0.6, 11);
    let queries = data.split_off(10_000);
    let index = VectorIndex::new(data, 12);
    let exact: Vec<_> = queries.iter().map(|q| index.exact(q, 10)).collect();
    // ANCHOR_END: setup
    let brute_bytes = index.len() * DIM * 4;
    let mut table = Table::new([
        "candidates C",
        "recall@10",
        "bytes read per query",
        "share of brute force",
    ]);
    let mut curve = Vec::new();
    for c in [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000] {
        let r = recall(&index, &queries, &exact, c);
        let bytes = index.len() * 8 + c * DIM * 4;
        table.push([
            c.to_string(),
            format!("{r:.3}"),
            format!("{:.2} MB", bytes as f64 / 1e6),
            format!("{:.0}%", 100.0 * bytes as f64 / brute_bytes as f64),
        ]);
        curve.push((c as f64, r));
        if c == 100 {
            show::value("recall_at_100", format!("{r:.3}"));
        }
        if c == 1_000 {
            show::value("recall_at_1000", format!("{r:.3}"));
        }
    }
    show::table(&table.caption(format!(
        "100 queries; brute force reads {:.2} MB of vectors per query",
        brute_bytes as f64 / 1e6
    )));
    let chart = LineChart::new("Recall@10 against candidates re-ranked")
        .x_label("candidates C (log scale)")
        .y_label("recall@10")
        .log_x()
        .y_range(0.0..1.05)
        .series("64-bit sign codes, then exact", curve);
    show::svg(
        "recall",
        "recall@10 of two-stage search against the number of candidates re-ranked",
        chart.to_svg().expect("the chart draws"),
    );
}
