//! The subproblem graph of edit distance, as Mermaid, for the book's diagrams.

use super::{Edit, EditTable, TooLong};

/// The most subproblems a graph may draw, `(|a| + 1)(|b| + 1)`: 1,024 (a diagram of more nodes
/// cannot be read).
pub const GRAPH_MAX_CELLS: usize = 1024;

/// A Mermaid flowchart of the subproblems `D(i, j)` of `a` → `b`: one node per subproblem,
/// labelled with its prefixes and answer, and an arrow from each subproblem to every one that
/// needs it, so the arrows run in a topological order.
/// The cells on one optimal path from `D(0, 0)` to the original problem are highlighted.
/// Meant for short words: the graph has `(|a| + 1)(|b| + 1)` nodes.
///
/// ```
/// use sysdesign::dynamic_programming::subproblem_graph;
///
/// let diagram = subproblem_graph("a", "b")?;
/// assert!(diagram.starts_with("flowchart LR"));
/// // D(1,1) needs D(0,1), D(1,0) and D(0,0): "a" and "b" differ.
/// assert!(diagram.contains("d0_0 --> d1_1"));
/// assert!(diagram.contains("d1_1[\"D(1,1) = 1<br/>a → b\"]"));
/// assert!(subproblem_graph(&"a".repeat(40), &"b".repeat(40)).is_err());
/// # Ok::<(), sysdesign::dynamic_programming::TooLong>(())
/// ```
pub fn subproblem_graph(a: &str, b: &str) -> Result<String, TooLong> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let cells = (a.len() + 1).saturating_mul(b.len() + 1);
    if cells > GRAPH_MAX_CELLS {
        let (what, limit) = ("(|a| + 1) * (|b| + 1)", GRAPH_MAX_CELLS);
        return Err(TooLong {
            what,
            value: cells,
            limit,
        });
    }
    let table = EditTable::new(&a, &b)?;
    let d = |i: usize, j: usize| table.get(i, j).expect("inside the table");
    let prefix = |s: &[char], n: usize| -> String {
        if n == 0 {
            "ε".to_string()
        } else {
            s[..n].iter().collect()
        }
    };
    let mut out = String::from("flowchart LR\n");
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            out += &format!(
                "  d{i}_{j}[\"D({i},{j}) = {}<br/>{} → {}\"]\n",
                d(i, j),
                prefix(&a, i),
                prefix(&b, j)
            );
        }
    }
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
                out += &format!("  d{}_{} -->|keep| d{i}_{j}\n", i - 1, j - 1);
            } else {
                if i > 0 {
                    out += &format!("  d{}_{j} --> d{i}_{j}\n", i - 1);
                }
                if j > 0 {
                    out += &format!("  d{i}_{} --> d{i}_{j}\n", j - 1);
                }
                if i > 0 && j > 0 {
                    out += &format!("  d{}_{} --> d{i}_{j}\n", i - 1, j - 1);
                }
            }
        }
    }
    // The cells an optimal edit script passes through, from D(0, 0) to D(|a|, |b|).
    let (mut i, mut j) = (0, 0);
    let mut path = vec!["d0_0".to_string()];
    for step in table.script(&a, &b) {
        match step {
            Edit::Keep(_) | Edit::Substitute { .. } => (i, j) = (i + 1, j + 1),
            Edit::Delete(_) => i += 1,
            Edit::Insert(_) => j += 1,
        }
        path.push(format!("d{i}_{j}"));
    }
    out += "  classDef onPath fill:#fde2c8,stroke:#d55e00,stroke-width:2px\n";
    out += &format!("  class {} onPath\n", path.join(","));
    Ok(out)
}
