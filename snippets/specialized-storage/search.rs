//! 20,000 documents of 30 words each, drawn from a 5,000-word vocabulary with Zipf popularity
//! (word w1 the most common). Boolean queries answered from posting lists, each checked against
//! a scan of every document. Seeded.

use sysdesign::caching::zipf_trace;
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{InvertedIndex, Query, scan};

/// The brute-force answer over the documents as strings.
fn scan_all(docs: &[String], q: &Query) -> Vec<u32> {
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    scan(&refs, q)
}

fn main() {
    // ANCHOR: corpus
    let words = zipf_trace(5_000, 1.0, 20_000 * 30, 3).expect("valid Zipf parameters");
    let docs: Vec<String> = words
        .chunks(30)
        .map(|doc| {
            doc.iter()
                .map(|w| format!("w{}", w + 1))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut index = InvertedIndex::default();
    for d in &docs {
        index.add(d);
    }
    // ANCHOR_END: corpus
    let t = Query::term;
    let queries = [
        t("w1"),
        t("w500"),
        t("w1").and(t("w500")),
        t("w500").and(t("w2000")),
        t("w500").or(t("w2000")),
        t("w2").and(t("w3").or(t("w4000"))),
    ];
    let mut table = Table::new(["query", "matches", "postings read", "same as scan"]);
    for q in &queries {
        let hits = index.search(q);
        let same = hits.ids == scan_all(&docs, q);
        table.push([
            q.to_string(),
            hits.ids.len().to_string(),
            hits.postings_read.to_string(),
            if same { "yes" } else { "NO" }.to_string(),
        ]);
    }
    show::table(&table.caption(format!(
        "posting-list entries read per query; the scan reads all {} documents every time",
        index.len()
    )));
    show::value("postings_w1", index.postings("w1").len());
}
