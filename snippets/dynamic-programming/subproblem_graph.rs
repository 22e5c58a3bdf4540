//! The subproblem graph of edit distance for "cat" → "at", drawn as Mermaid by a run.

use sysdesign::dynamic_programming::{EditTable, subproblem_graph};
use sysdesign::show;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn main() {
    let (a, b) = ("cat", "at");
    println!(
        "D(i, j) = edit distance of the first i letters of {a:?} and the first j of {b:?}; \
         D(3, 2) = {}.",
        EditTable::new(&chars(a), &chars(b))
            .expect("short words")
            .distance()
    );
    show::mermaid(&subproblem_graph(a, b).expect("short words"));
}
