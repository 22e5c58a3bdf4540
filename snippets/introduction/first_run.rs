//! A first snippet: plain text, a table and a diagram, all printed by one run.
//!
//! `println!` output appears as text under the code. `sysdesign::show` turns a table or a
//! diagram into a real table or diagram in the book, an HTML table in a notebook, and aligned
//! text in a terminal.

use sysdesign::show::{self, Table};

fn main() {
    // Reads per second and how many a cache with this hit ratio sends on to the database.
    let reads_per_second = 10_000;
    let mut table = Table::new(["hit ratio", "database reads/s"]);
    for hit_ratio in [0.0, 0.5, 0.9, 0.99] {
        let misses = (reads_per_second as f64 * (1.0 - hit_ratio)).round();
        table.push([format!("{:.0}%", hit_ratio * 100.0), format!("{misses}")]);
    }
    println!("{reads_per_second} reads per second reach the cache.");
    show::table(&table.caption("each extra nine of hit ratio divides the database's load by ten"));

    show::mermaid(
        "flowchart LR\n  \
         app[application] -->|get| cache[(cache)]\n  \
         cache -->|miss| db[(database)]",
    );
}
