//! One ticket router, three averages: a rare class that the router gets wrong moves the macro
//! average a lot and the micro average hardly at all.

use sysdesign::classification_metrics::{Average, ConfusionMatrix, ZeroDivision};
use sysdesign::show::{self, Table};

/// 800 billing tickets, 150 bug reports, 50 security reports; the router is good on billing,
/// fair on bugs and misses most security reports, sending them to "bug".
fn tickets() -> (Vec<&'static str>, Vec<&'static str>) {
    let mut truth = Vec::new();
    let mut predicted = Vec::new();
    let mut add = |actual: &'static str, routed: &'static str, n: usize| {
        truth.extend(std::iter::repeat_n(actual, n));
        predicted.extend(std::iter::repeat_n(routed, n));
    };
    add("billing", "billing", 780);
    add("billing", "bug", 20);
    add("bug", "bug", 120);
    add("bug", "billing", 30);
    add("security", "security", 10);
    add("security", "bug", 40);
    (truth, predicted)
}

fn main() {
    let (truth, predicted) = tickets();
    let m = ConfusionMatrix::new(&truth, &predicted).expect("one route per ticket");
    let per_class = m
        .per_class(1.0, ZeroDivision::Zero)
        .expect("beta 1 is valid");
    let mut table = Table::new(["class", "support", "precision", "recall", "F1"]);
    for (label, s) in m.labels().iter().zip(&per_class) {
        let support: u64 = m.labels().iter().map(|p| m.count(label, p)).sum();
        table.push([
            label.to_string(),
            support.to_string(),
            format!("{:.3}", s.precision),
            format!("{:.3}", s.recall),
            format!("{:.3}", s.f),
        ]);
    }
    let mut macro_f1 = f64::NAN;
    for (name, average) in [
        ("macro", Average::Macro),
        ("weighted", Average::Weighted),
        ("micro", Average::Micro),
    ] {
        let s = m
            .scores(&average, 1.0, ZeroDivision::Zero)
            .expect("beta 1 is valid");
        if name == "macro" {
            macro_f1 = s.f;
        }
        table.push([
            format!("{name} average"),
            m.total().to_string(),
            format!("{:.3}", s.precision),
            format!("{:.3}", s.recall),
            format!("{:.3}", s.f),
        ]);
    }
    show::table(&table.caption("per-class scores of the ticket router, then three averages"));
    println!("accuracy {:.3} (the micro average again)", m.accuracy());
    show::value("macro_f1", format!("{macro_f1:.3}"));
}
