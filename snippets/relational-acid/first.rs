//! The first program of the Relational acid chapter: replace it with one that shows the idea at work.

use sysdesign::relational_acid::running_totals;

fn main() {
    let requests_per_second = [120, 80, 200];
    let totals = running_totals(&requests_per_second);
    println!("requests per second: {requests_per_second:?}");
    println!("running totals:      {totals:?}");
}
