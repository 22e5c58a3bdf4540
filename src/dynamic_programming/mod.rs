//! Dynamic programming, on edit distance: the fewest single-item insertions, deletions and
//! substitutions that turn one sequence into another (the Levenshtein distance).
//!
//! A problem is a dynamic program when it splits into subproblems that overlap: the plain
//! recursion solves the same subproblem again and again, exponentially often, and storing each
//! answer once makes the work polynomial.
//! The design decision: the same recurrence is written three times, as a plain recursion
//! ([`naive_edit_distance`]), a recursion with a table of answers ([`memoized_edit_distance`],
//! top-down) and a loop that fills the table in dependency order ([`edit_distance`],
//! bottom-up), and the first two count their calls, so that a run can measure what memoization
//! saves instead of asserting it.
//! The functions are generic over the items, so the same code compares words letter by letter
//! and files line by line, which is what a diff does.
//!
//! ```
//! use sysdesign::dynamic_programming::{edit_distance, memoized_edit_distance, naive_edit_distance};
//!
//! let (a, b) = (b"kitten", b"sitting");
//! assert_eq!(edit_distance(a, b), 3);
//! let naive = naive_edit_distance(a, b)?;
//! let memo = memoized_edit_distance(a, b)?;
//! assert_eq!((naive.distance, memo.distance), (3, 3));
//! // Of the 7 × 8 subproblems, top-down solves only the 50 that the original one reaches,
//! // each once; the plain recursion solves them again and again.
//! assert_eq!(memo.solved, 50);
//! assert_eq!(naive.calls, 3032);
//! assert!(10 * memo.calls < naive.calls);
//! # Ok::<(), sysdesign::dynamic_programming::TooLong>(())
//! ```
//!
//! Every function here that sizes memory or recursion from its inputs checks them first and
//! returns [`TooLong`], naming the measure and the limit: [`NAIVE_MAX_TOTAL`],
//! [`MEMOIZED_MAX_TOTAL`], [`TABLE_MAX_CELLS`].

mod edit_distance;
mod graph;

pub use edit_distance::{
    Counted, Edit, EditTable, MEMOIZED_MAX_TOTAL, NAIVE_MAX_TOTAL, TABLE_MAX_CELLS, TooLong, apply,
    edit_distance, memoized_edit_distance, naive_edit_distance,
};
pub use graph::{GRAPH_MAX_CELLS, subproblem_graph};
