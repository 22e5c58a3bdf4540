//! A spam score for 2,000 emails (10 % spam, seeded), and every threshold tried: the
//! precision-recall and ROC curves, the areas under them, and the threshold with the best F1.

use sysdesign::chart::LineChart;
use sysdesign::classification_metrics::{
    ThresholdPoint, average_precision, best_f1, roc_auc, scored_samples, threshold_sweep,
};
use sysdesign::show::{self, Table};

const EMAILS: usize = 2_000;
const SPAM_RATE: f64 = 0.1;
const SEPARATION: f64 = 2.0;
const SEED: u64 = 11;

fn row(p: &ThresholdPoint) -> [String; 6] {
    [
        format!("{:.2}", p.threshold),
        p.tp.to_string(),
        p.fp.to_string(),
        format!("{:.3}", p.precision()),
        format!("{:.3}", p.recall()),
        format!("{:.3}", p.f1()),
    ]
}

fn main() {
    let samples = scored_samples(EMAILS, SPAM_RATE, SEPARATION, SEED);
    let spam = samples.truth.iter().filter(|&&t| t).count();
    println!(
        "{EMAILS} emails, {spam} spam; spam scores ~ N({SEPARATION}, 1), ham scores ~ N(0, 1)"
    );
    let points =
        threshold_sweep(&samples.scores, &samples.truth).expect("finite scores, both classes");
    println!("{} distinct thresholds", points.len());

    let best = best_f1(&points).expect("at least one threshold");
    let mut table = Table::new(["threshold", "tp", "fp", "precision", "recall", "F1"]);
    for target in [3.0, 2.0, 1.5, 1.0, 0.5, 0.0] {
        // The lowest threshold at or above the target: what "flag if score >= target" does.
        if let Some(p) = points.iter().rev().find(|p| p.threshold >= target) {
            table.push(row(p));
        }
    }
    table.push(row(&best));
    // The point the chapter's prose quotes: flag every email scoring 1.0 or more.
    // A copy, not a borrow of `points`: a notebook cell keeps no borrowed value between cells.
    let at_one = points
        .iter()
        .rev()
        .find(|p| p.threshold >= 1.0)
        .copied()
        .expect("some threshold is at least 1.0");
    show::table(&table.caption("a few thresholds, and (last row) the one with the best F1"));
    println!(
        "best F1 {:.3} at threshold {:.3}: precision {:.3}, recall {:.3}",
        best.f1(),
        best.threshold,
        best.precision(),
        best.recall()
    );
    let auc = roc_auc(&points).expect("a sweep");
    println!(
        "ROC AUC {:.3}, average precision {:.3}; a random ranking scores 0.5 and {:.3}",
        auc,
        average_precision(&points).expect("a sweep"),
        spam as f64 / EMAILS as f64
    );

    show::value("roc_auc", format!("{auc:.3}"));
    show::value("recall_at_1", format!("{:.2}", at_one.recall()));
    show::value("precision_at_1", format!("{:.2}", at_one.precision()));

    let pr: Vec<(f64, f64)> = points.iter().map(|p| (p.recall(), p.precision())).collect();
    let chart = LineChart::new("Precision against recall, one point per threshold")
        .x_label("recall")
        .y_label("precision")
        .y_range(0.0..1.05)
        .series("spam filter", pr)
        .series("random ranking", [(0.0, SPAM_RATE), (1.0, SPAM_RATE)]);
    show::svg(
        "precision_recall",
        "The precision-recall curve of the spam score",
        chart.to_svg().expect("finite points"),
    );

    let mut roc = vec![(0.0, 0.0)];
    roc.extend(points.iter().map(|p| (p.false_positive_rate(), p.recall())));
    let chart = LineChart::new("ROC: true-positive rate against false-positive rate")
        .x_label("false-positive rate (ham flagged)")
        .y_label("true-positive rate (recall)")
        .y_range(0.0..1.05)
        .series("spam filter", roc)
        .series("random ranking", [(0.0, 0.0), (1.0, 1.0)]);
    show::svg(
        "roc",
        "The ROC curve of the same score",
        chart.to_svg().expect("finite points"),
    );
}
