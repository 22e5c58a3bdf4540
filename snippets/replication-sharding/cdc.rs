//! Change data capture: a source store whose only file is a write-ahead log (the store of the
//! Relational databases and ACID chapter), a reader tailing that log, and a search index fed
//! only by what the reader hands out. The reader runs behind the writers; each poll reads at most
//! two records, so the index lags, then catches up.

use sysdesign::relational_acid::{SimulatedLog, WalStore};
use sysdesign::replication_sharding::{LogTail, SearchIndex};
use sysdesign::show::{self, Table};

fn keys(found: &[Vec<u8>]) -> String {
    let names: Vec<String> = found
        .iter()
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect();
    if names.is_empty() {
        "-".to_string()
    } else {
        names.join(", ")
    }
}

/// One write of a transaction: a key and its new value, or `None` to delete it.
type Write<'a> = (&'a str, Option<&'a str>);

fn main() {
    let mut source = WalStore::with_log(SimulatedLog::new()).expect("an empty log");
    let (mut tail, mut index) = (LogTail::new(), SearchIndex::default());
    let mut table = Table::new([
        "step",
        "source: \"apple\"",
        "index: \"apple\"",
        "log offset read",
    ]);
    let steps: [(&str, &[Write]); 5] = [
        (
            "put d1, d2",
            &[("d1", Some("red apple")), ("d2", Some("green pear"))],
        ),
        ("put d3", &[("d3", Some("apple pie"))]),
        (
            "delete d1; put d2",
            &[("d1", None), ("d2", Some("green apple"))],
        ),
        ("(no write)", &[]),
        ("(no write)", &[]),
    ];
    // ANCHOR: feed
    for (label, ops) in steps {
        if !ops.is_empty() {
            let mut tx = source.begin();
            for (key, value) in ops {
                match value {
                    Some(value) => tx.put(key, value),
                    None => tx.delete(key),
                };
            }
            tx.commit().expect("an in-memory log does not fail");
        }
        // The reader: at most two records per poll, applied to the index in log order.
        for change in tail.poll(source.log().disk(), 2) {
            index.apply(&change);
        }
        let truth = SearchIndex::rebuild(source.iter());
        table.push([
            label.to_string(),
            keys(&truth.search("apple")),
            keys(&index.search("apple")),
            format!("{} of {} bytes", tail.offset(), source.log().disk().len()),
        ]);
    }
    // ANCHOR_END: feed
    show::table(&table.caption("a search for \"apple\" on the source and on the index CDC feeds"));
    let converged = index == SearchIndex::rebuild(source.iter());
    show::value("converged", converged);
    show::value("last_tx", tail.last_tx());
}
