//! timing: measured on the machine that builds the book
//!
//! The notes' experiment, smaller: a SQLite table of 1,000,000 random numbers, in memory. The time
//! of three queries before and after CREATE INDEX (best of three runs each), and of building the
//! index itself, and of inserting 100,000 more rows without and with the index.

use std::time::{Duration, Instant};
use sysdesign::indexes::sqlite::NumbersTable;
use sysdesign::show::{self, Table};

const ROWS: usize = 1_000_000;
const MORE: usize = 100_000;
const RUNS: usize = 3;

/// The best of `RUNS` runs of `sql`.
fn best(table: &NumbersTable, sql: &str) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            table.run(sql).expect("valid SQL");
            start.elapsed()
        })
        .min()
        .expect("RUNS is not zero")
}

fn ms(time: Duration) -> String {
    format!("{:.3}", time.as_secs_f64() * 1e3)
}

fn main() {
    let start = Instant::now();
    let mut table = NumbersTable::create(ROWS, 5).expect("an in-memory database");
    let created = start.elapsed();
    let bound = ROWS as i64 * 1_000;
    let queries = [
        ("point", "SELECT id FROM numbers WHERE value = 123456789"),
        (
            "ten largest",
            "SELECT value FROM numbers ORDER BY value DESC LIMIT 10",
        ),
        (
            "range",
            "SELECT count(*) FROM numbers WHERE value BETWEEN 50000000 AND 51000000",
        ),
    ];
    let before: Vec<Duration> = queries.iter().map(|(_, sql)| best(&table, sql)).collect();
    let start = Instant::now();
    table
        .insert_random(MORE, bound, 6)
        .expect("bound is positive");
    let insert_before = start.elapsed();
    let start = Instant::now();
    table.create_index().expect("the index does not exist yet");
    let indexing = start.elapsed();
    let after: Vec<Duration> = queries.iter().map(|(_, sql)| best(&table, sql)).collect();
    let start = Instant::now();
    table
        .insert_random(MORE, bound, 7)
        .expect("bound is positive");
    let insert_after = start.elapsed();

    let mut results = Table::new(["query", "no index (ms)", "with index (ms)", "speed-up"]);
    for (((name, _), b), a) in queries.iter().zip(&before).zip(&after) {
        results.push([
            name.to_string(),
            ms(*b),
            ms(*a),
            format!("{:.0}x", b.as_secs_f64() / a.as_secs_f64()),
        ]);
    }
    println!(
        "Inserting {ROWS} rows took {} ms; CREATE INDEX took {} ms.",
        ms(created),
        ms(indexing)
    );
    show::table(
        &results.caption("best of three runs, measured on the machine that built this page"),
    );
    println!(
        "Inserting {MORE} more rows took {} ms without the index and {} ms with it ({:.1}x).",
        ms(insert_before),
        ms(insert_after),
        insert_after.as_secs_f64() / insert_before.as_secs_f64()
    );
}
