//! Edit distance three ways: naive recursion, memoized recursion, bottom-up table.
//!
//! Subproblem `D(i, j)`: the edit distance between the prefixes `a[..i]` and `b[..j]`.

use std::fmt;

/// The longest total input, `a.len() + b.len()`, that [`naive_edit_distance`] accepts: 22.
/// Its calls grow about fivefold per item of each input when nothing matches (67,570,078 calls
/// for 11 and 11 items, 377,393,953 for 12 and 12), so a much longer input would run for hours.
pub const NAIVE_MAX_TOTAL: usize = 22;

/// The longest total input, `a.len() + b.len()`, that [`memoized_edit_distance`] accepts:
/// 4,096. The recursion goes that many calls deep, and a deeper one can overflow a thread's stack
/// (a test thread has 2 MiB); [`edit_distance`] has no recursion and no limit.
pub const MEMOIZED_MAX_TOTAL: usize = 4096;

/// The most cells an [`EditTable`] may have, `(a.len() + 1) · (b.len() + 1)`: 2^24, 128 MiB.
pub const TABLE_MAX_CELLS: usize = 1 << 24;

/// An input too long for the function it was given to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// What was measured (`"a.len() + b.len()"`, `"(a.len() + 1) * (b.len() + 1)"`).
    pub what: &'static str,
    /// Its value (saturated at `usize::MAX`).
    pub value: usize,
    /// The limit.
    pub limit: usize,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TooLong { what, value, limit } = self;
        write!(f, "{what} = {value} is over the limit of {limit}")
    }
}

impl std::error::Error for TooLong {}

fn check_total<T>(a: &[T], b: &[T], limit: usize) -> Result<(), TooLong> {
    let value = a.len().saturating_add(b.len());
    if value > limit {
        let what = "a.len() + b.len()";
        return Err(TooLong { what, value, limit });
    }
    Ok(())
}

/// A distance and what computing it cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// The edit distance.
    pub distance: usize,
    /// Calls of the recursive function, the first one included.
    pub calls: u64,
    /// Calls that evaluated the relation rather than returning a stored answer.
    pub solved: u64,
}

// ANCHOR: naive
/// The edit distance by the plain recursion, with its number of calls.
/// Exponential: use it only on short inputs, to see why the other two exist; inputs longer than
/// [`NAIVE_MAX_TOTAL`] items together are refused.
///
/// ```
/// use sysdesign::dynamic_programming::naive_edit_distance;
///
/// let run = naive_edit_distance(b"ab", b"ba")?;
/// assert_eq!(run.distance, 2);
/// assert_eq!(run.calls, run.solved); // nothing is remembered
/// assert!(naive_edit_distance(&[0u8; 20], &[1u8; 20]).is_err());
/// # Ok::<(), sysdesign::dynamic_programming::TooLong>(())
/// ```
pub fn naive_edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> Result<Counted, TooLong> {
    check_total(a, b, NAIVE_MAX_TOTAL)?;
    fn d<T: PartialEq>(a: &[T], b: &[T], i: usize, j: usize, calls: &mut u64) -> usize {
        *calls += 1;
        if i == 0 || j == 0 {
            return i + j; // insert all of b[..j], or delete all of a[..i]
        }
        if a[i - 1] == b[j - 1] {
            return d(a, b, i - 1, j - 1, calls); // equal last items: keep them
        }
        1 + d(a, b, i - 1, j, calls) // delete a[i-1]
            .min(d(a, b, i, j - 1, calls)) // insert b[j-1]
            .min(d(a, b, i - 1, j - 1, calls)) // substitute a[i-1] by b[j-1]
    }
    let mut calls = 0;
    let distance = d(a, b, a.len(), b.len(), &mut calls);
    Ok(Counted {
        distance,
        calls,
        solved: calls,
    })
}
// ANCHOR_END: naive

// ANCHOR: memoized
/// The edit distance by the same recursion, top-down, storing each subproblem's answer the
/// first time it is solved.
/// The recursion goes `a.len() + b.len()` calls deep, so inputs longer than
/// [`MEMOIZED_MAX_TOTAL`] items together are refused: they need the bottom-up [`edit_distance`].
///
/// ```
/// use sysdesign::dynamic_programming::memoized_edit_distance;
///
/// let run = memoized_edit_distance(b"intention", b"execution")?;
/// assert_eq!(run.distance, 5);
/// assert!(run.solved <= 10 * 10); // at most one solve per subproblem
/// # Ok::<(), sysdesign::dynamic_programming::TooLong>(())
/// ```
pub fn memoized_edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> Result<Counted, TooLong> {
    check_total(a, b, MEMOIZED_MAX_TOTAL)?;
    struct Memo<'s, T> {
        a: &'s [T],
        b: &'s [T],
        table: Vec<Option<usize>>, // D(i, j) at i * (b.len() + 1) + j
        calls: u64,
        solved: u64,
    }
    impl<T: PartialEq> Memo<'_, T> {
        fn d(&mut self, i: usize, j: usize) -> usize {
            self.calls += 1;
            let cell = i * (self.b.len() + 1) + j;
            if let Some(known) = self.table[cell] {
                return known;
            }
            self.solved += 1;
            let answer = if i == 0 || j == 0 {
                i + j
            } else if self.a[i - 1] == self.b[j - 1] {
                self.d(i - 1, j - 1)
            } else {
                1 + self
                    .d(i - 1, j)
                    .min(self.d(i, j - 1))
                    .min(self.d(i - 1, j - 1))
            };
            self.table[cell] = Some(answer);
            answer
        }
    }
    let mut memo = Memo {
        a,
        b,
        table: vec![None; (a.len() + 1) * (b.len() + 1)],
        calls: 0,
        solved: 0,
    };
    let distance = memo.d(a.len(), b.len());
    Ok(Counted {
        distance,
        calls: memo.calls,
        solved: memo.solved,
    })
}
// ANCHOR_END: memoized

// ANCHOR: bottom_up
/// The edit distance bottom-up, row by row. Row `i` of the table needs only row `i - 1`, so one
/// row of `b.len() + 1` cells is overwritten in place, left to right, with the one cell about to
/// be lost (the diagonal) kept aside. O(|a|·|b|) time, O(|b|) memory, no recursion.
///
/// ```
/// use sysdesign::dynamic_programming::edit_distance;
///
/// assert_eq!(edit_distance(b"", b"abc"), 3);
/// assert_eq!(edit_distance(b"flaw", b"lawn"), 2);
/// // Items can be anything comparable: here, lines of two files.
/// assert_eq!(edit_distance(&["a", "b", "c"], &["a", "c", "d"]), 2);
/// ```
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect(); // row 0: D(0, j) = j
    for (i, x) in a.iter().enumerate() {
        // Entering row i + 1: row[j] still holds D(i, j), the cell above.
        let mut diagonal = row[0]; // D(i, 0)
        let mut left = i + 1; // D(i + 1, 0)
        row[0] = left;
        for (cell, y) in row[1..].iter_mut().zip(b) {
            let up = *cell;
            // The relation without a branch: keeping equal items costs 0 and substituting costs
            // 1, and D(i, j) never exceeds a neighbour + 1, so the minimum is the same as the
            // two-case form. Random data would mispredict the branch about once a cell.
            left = (diagonal + usize::from(x != y)).min(up + 1).min(left + 1);
            diagonal = up;
            *cell = left;
        }
    }
    row[b.len()]
}
// ANCHOR_END: bottom_up

/// One step of an edit script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit<T> {
    /// The item is in both sequences.
    Keep(T),
    /// Replace `from` by `to`.
    Substitute {
        /// The item of the first sequence.
        from: T,
        /// The item of the second sequence.
        to: T,
    },
    /// Insert an item of the second sequence.
    Insert(T),
    /// Delete an item of the first sequence.
    Delete(T),
}

/// The whole table `D(i, j)` for `0 <= i <= |a|`, `0 <= j <= |b|`, kept so that an optimal edit
/// script can be read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditTable {
    columns: usize,
    cells: Vec<usize>,
}

impl EditTable {
    /// Fills the table row by row, which is a topological order: each cell needs only the cell
    /// above, the cell to the left and the cell above-left.
    ///
    /// ```
    /// use sysdesign::dynamic_programming::EditTable;
    ///
    /// let table = EditTable::new(b"ab", b"b")?;
    /// assert_eq!(table.distance(), 1);
    /// assert_eq!(table.get(1, 1), Some(1)); // "a" → "b"
    /// assert_eq!(table.get(3, 0), None);
    /// // Over TABLE_MAX_CELLS cells: refused, not allocated.
    /// assert!(EditTable::new(&vec![0u8; 5_000], &vec![1u8; 5_000]).is_err());
    /// # Ok::<(), sysdesign::dynamic_programming::TooLong>(())
    /// ```
    pub fn new<T: PartialEq>(a: &[T], b: &[T]) -> Result<Self, TooLong> {
        let columns = b.len().saturating_add(1);
        let size = a.len().saturating_add(1).saturating_mul(columns);
        if size > TABLE_MAX_CELLS {
            let (what, limit) = ("(a.len() + 1) * (b.len() + 1)", TABLE_MAX_CELLS);
            return Err(TooLong {
                what,
                value: size,
                limit,
            });
        }
        let mut cells = vec![0; size];
        for i in 0..=a.len() {
            for j in 0..=b.len() {
                cells[i * columns + j] = if i == 0 || j == 0 {
                    i + j
                } else if a[i - 1] == b[j - 1] {
                    cells[(i - 1) * columns + j - 1]
                } else {
                    1 + cells[(i - 1) * columns + j]
                        .min(cells[i * columns + j - 1])
                        .min(cells[(i - 1) * columns + j - 1])
                };
            }
        }
        Ok(EditTable { columns, cells })
    }

    /// `D(i, j)`, or `None` outside the table.
    ///
    /// ```
    /// use sysdesign::dynamic_programming::EditTable;
    ///
    /// assert_eq!(EditTable::new(b"abc", b"").expect("short").get(2, 0), Some(2));
    /// ```
    pub fn get(&self, i: usize, j: usize) -> Option<usize> {
        if j >= self.columns {
            return None;
        }
        self.cells.get(i * self.columns + j).copied()
    }

    /// The edit distance of the whole sequences, `D(|a|, |b|)`.
    ///
    /// ```
    /// use sysdesign::dynamic_programming::EditTable;
    ///
    /// assert_eq!(EditTable::new(b"sunday", b"saturday").expect("short").distance(), 3);
    /// ```
    pub fn distance(&self) -> usize {
        *self
            .cells
            .last()
            .expect("the table has at least the cell D(0, 0)")
    }

    /// An optimal edit script from `a` to `b`, read back from the end of the table by asking at
    /// each cell which choice produced its value.
    /// `a` and `b` must be the sequences the table was built from; the script is empty otherwise.
    ///
    /// ```
    /// use sysdesign::dynamic_programming::{Edit, EditTable, apply};
    ///
    /// let (a, b) = (b"cat".to_vec(), b"cut".to_vec());
    /// let script = EditTable::new(&a, &b).expect("short").script(&a, &b);
    /// assert_eq!(script[1], Edit::Substitute { from: b'a', to: b'u' });
    /// assert_eq!(apply(&script), b);
    /// ```
    pub fn script<T: PartialEq + Clone>(&self, a: &[T], b: &[T]) -> Vec<Edit<T>> {
        if self.columns != b.len() + 1 || self.cells.len() != (a.len() + 1) * self.columns {
            return Vec::new();
        }
        let d = |i: usize, j: usize| self.cells[i * self.columns + j];
        let (mut i, mut j) = (a.len(), b.len());
        let mut steps = Vec::with_capacity(i.max(j));
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && a[i - 1] == b[j - 1] && d(i, j) == d(i - 1, j - 1) {
                steps.push(Edit::Keep(a[i - 1].clone()));
                (i, j) = (i - 1, j - 1);
            } else if i > 0 && d(i, j) == d(i - 1, j) + 1 {
                // On a tie, prefer a deletion or an insertion to a substitution: a diff then
                // keeps more lines whole.
                steps.push(Edit::Delete(a[i - 1].clone()));
                i -= 1;
            } else if j > 0 && d(i, j) == d(i, j - 1) + 1 {
                steps.push(Edit::Insert(b[j - 1].clone()));
                j -= 1;
            } else {
                steps.push(Edit::Substitute {
                    from: a[i - 1].clone(),
                    to: b[j - 1].clone(),
                });
                (i, j) = (i - 1, j - 1);
            }
        }
        steps.reverse();
        steps
    }
}

/// The sequence an edit script produces: its kept, substituted-in and inserted items, in order.
///
/// ```
/// use sysdesign::dynamic_programming::{Edit, apply};
///
/// let script = [Edit::Keep('a'), Edit::Delete('b'), Edit::Insert('c')];
/// assert_eq!(apply(&script), ['a', 'c']);
/// ```
pub fn apply<T: Clone>(script: &[Edit<T>]) -> Vec<T> {
    script
        .iter()
        .filter_map(|step| match step {
            Edit::Keep(item) | Edit::Insert(item) | Edit::Substitute { to: item, .. } => {
                Some(item.clone())
            }
            Edit::Delete(_) => None,
        })
        .collect()
}
