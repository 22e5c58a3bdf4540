//! Edit distance and an optimal edit script, for two words and for two versions of a config
//! file compared line by line (what a diff does).

use sysdesign::dynamic_programming::{Edit, EditTable};
use sysdesign::show::{self, Table};

/// One row per step of an optimal script from `a` to `b`.
fn script_table<T: PartialEq + Clone + std::fmt::Display>(a: &[T], b: &[T]) -> (usize, Table) {
    let table = EditTable::new(a, b).expect("short words");
    let mut out = Table::new(["step", "edit", "cost"]);
    for (n, edit) in table.script(a, b).iter().enumerate() {
        let (what, cost) = match edit {
            Edit::Keep(item) => (format!("keep {item}"), 0),
            Edit::Substitute { from, to } => (format!("substitute {from} by {to}"), 1),
            Edit::Insert(item) => (format!("insert {item}"), 1),
            Edit::Delete(item) => (format!("delete {item}"), 1),
        };
        out.push([(n + 1).to_string(), what, cost.to_string()]);
    }
    (table.distance(), out)
}

fn main() {
    let a: Vec<char> = "kitten".chars().collect();
    let b: Vec<char> = "sitting".chars().collect();
    let (distance, table) = script_table(&a, &b);
    println!("kitten → sitting: edit distance {distance}");
    show::table(&table.caption("an optimal script, read back from the table"));

    let old = [
        "listen 127.0.0.1:8080",
        "workers 4",
        "cache lru 1000",
        "timeout 30s",
        "log info",
    ];
    let new = [
        "listen 127.0.0.1:8080",
        "workers 8",
        "cache lru 1000",
        "log info",
        "metrics on",
    ];
    let (distance, table) = script_table(&old, &new);
    println!("config v1 → v2, line by line: edit distance {distance}");
    show::table(&table.caption("the same code, with lines as the items: a diff"));
}
