//! The notes' spam example, computed: 1,000 emails of which 100 are spam, and two filters that
//! never look at the email.

use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};
use sysdesign::show::{self, Table};

fn report(name: &str, truth: &[&str], predicted: &[&str]) {
    let m = ConfusionMatrix::new(truth, predicted).expect("as many predictions as emails");
    let mut table = Table::new(["", "predicted spam", "predicted ham"]);
    for actual in ["spam", "ham"] {
        table.push([
            format!("actually {actual}"),
            m.count(&actual, &"spam").to_string(),
            m.count(&actual, &"ham").to_string(),
        ]);
    }
    show::table(&table.caption(format!("confusion matrix of \"{name}\"")));
    println!("{name}: accuracy {:.1} %", 100.0 * m.accuracy());
    for zero in [ZeroDivision::Zero, ZeroDivision::One, ZeroDivision::Nan] {
        let spam = m
            .scores(&Average::Binary("spam"), 1.0, zero)
            .expect("two classes, spam among them");
        println!(
            "  spam positive, 0/0 as {zero:?}: \
             precision {:.3}, recall {:.3}, F1 {:.3}",
            spam.precision, spam.recall, spam.f
        );
    }
}

fn main() {
    let truth = [vec!["spam"; 100], vec!["ham"; 900]].concat();
    report("always ham", &truth, &vec!["ham"; truth.len()]);
    report("always spam", &truth, &vec!["spam"; truth.len()]);
}
