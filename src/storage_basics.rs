//! Storage basics: say the idea in plain words here, in a sentence or two.
//!
//! Then the design decision: what this module builds, and why this way rather than another.
//! Then an example that asserts, like this one (replace it with one of the real thing):
//!
//! ```
//! use sysdesign::storage_basics::running_totals;
//!
//! assert_eq!(running_totals(&[3, 4, 5]), [3, 7, 12]);
//! ```

// ANCHOR: first_piece
/// A placeholder for the chapter's first piece, so that the page, the snippet and the tests
/// have something real to show: the running totals of `values`, saturating at `u64::MAX`.
///
/// ```
/// use sysdesign::storage_basics::running_totals;
///
/// assert_eq!(running_totals(&[120, 80, 200]), [120, 200, 400]);
/// assert!(running_totals(&[]).is_empty());
/// ```
pub fn running_totals(values: &[u64]) -> Vec<u64> {
    values
        .iter()
        .scan(0u64, |total, &value| {
            *total = total.saturating_add(value);
            Some(*total)
        })
        .collect()
}
// ANCHOR_END: first_piece
