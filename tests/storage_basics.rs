//! Tests of `sysdesign::storage_basics`. Name each test after the behaviour it checks; add a
//! model-based test (proptest) and a differential test against a well-known crate where one exists.

use sysdesign::storage_basics::running_totals;

#[test]
fn each_total_adds_its_value_to_the_total_before_it() {
    assert_eq!(running_totals(&[3, 4, 5]), [3, 7, 12]);
}
