//! A SQLite table of 100,000 random numbers: the plan SQLite chooses for three queries, and the
//! rows it scanned and instructions it ran, before and after CREATE INDEX. These are counts, not
//! timings, so they are the same on every machine.

use sysdesign::indexes::sqlite::{INDEX_SQL, NumbersTable};
use sysdesign::show::{self, Table};

const ROWS: usize = 100_000;
const SEED: u64 = 5;

/// The three queries: a point lookup of a value known to be there, the notes' "ten largest", and
/// a range holding about 0.1% of the values.
fn queries(table: &NumbersTable) -> [(&'static str, String); 3] {
    let present = table
        .run("SELECT value FROM numbers WHERE id = 31337")
        .expect("row 31337 exists")
        .rows[0];
    [
        (
            "point",
            format!("SELECT id FROM numbers WHERE value = {present}"),
        ),
        (
            "ten largest",
            "SELECT value FROM numbers ORDER BY value DESC LIMIT 10".to_string(),
        ),
        (
            "range",
            "SELECT count(*) FROM numbers WHERE value BETWEEN 5000000 AND 5100000".to_string(),
        ),
    ]
}

fn main() {
    let table = NumbersTable::create(ROWS, SEED).expect("an in-memory database");
    let queries = queries(&table);
    let mut results = Table::new([
        "query",
        "index",
        "plan",
        "rows scanned",
        "VM steps",
        "first result",
    ]);
    let pages_before = table.pages().expect("page_count");
    for with_index in [false, true] {
        if with_index {
            table.create_index().expect("the index does not exist yet");
        }
        for (name, sql) in &queries {
            let plan = table.plan(sql).expect("valid SQL").join("; ");
            let run = table.run(sql).expect("valid SQL");
            results.push([
                name.to_string(),
                if with_index { "yes" } else { "no" }.to_string(),
                plan,
                run.fullscan_steps.to_string(),
                run.vm_steps.to_string(),
                run.rows.first().map_or("none".into(), i64::to_string),
            ]);
        }
    }
    let pages_after = table.pages().expect("page_count");
    for (name, sql) in &queries {
        println!("{name}: {sql}");
    }
    show::table(&results.caption(format!("{ROWS} rows, before and after `{INDEX_SQL}`")));
    println!(
        "The database grew from {pages_before} to {pages_after} pages: the index is a second B-tree \
         holding every value and its row id."
    );
}
