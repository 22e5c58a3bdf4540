//! Keys that count their comparisons, so the work of a lookup can be measured without a clock.

use std::cell::Cell;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

thread_local! {
    static COMPARISONS: Cell<u64> = const { Cell::new(0) };
}

// ANCHOR: counted
/// A key whose every comparison (`==`, `<`, `cmp`) adds one to this thread's counter.
/// Hashing is not counted: it is done once per lookup, whatever the table's size.
///
/// ```
/// use sysdesign::indexes::{Counted, comparisons};
///
/// let ((), n) = comparisons(|| {
///     assert!(Counted(1) < Counted(2));
///     assert!(Counted(3) != Counted(4));
/// });
/// assert_eq!(n, 2);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Counted<K>(pub K);

fn count() {
    COMPARISONS.with(|c| c.set(c.get() + 1));
}

impl<K: PartialEq> PartialEq for Counted<K> {
    fn eq(&self, other: &Self) -> bool {
        count();
        self.0 == other.0
    }
}

impl<K: Eq> Eq for Counted<K> {}

impl<K: Ord> PartialOrd for Counted<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: Ord> Ord for Counted<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        count();
        self.0.cmp(&other.0)
    }
}

impl<K: Hash> Hash for Counted<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
// ANCHOR_END: counted

/// Runs `f` and returns its result with the number of [`Counted`] comparisons it made on this thread.
///
/// ```
/// use sysdesign::indexes::{Counted, comparisons};
///
/// let keys: Vec<Counted<u32>> = (0..10).map(Counted).collect();
/// let (found, n) = comparisons(|| keys.binary_search(&Counted(7)).is_ok());
/// assert!(found);
/// assert!(n <= 5); // about log2(10), plus a final equality check
/// ```
pub fn comparisons<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = COMPARISONS.with(Cell::get);
    let result = f();
    let after = COMPARISONS.with(Cell::get);
    (result, after - before)
}
