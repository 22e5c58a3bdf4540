//! The chapter's checks run against the correct sentiment model and two deliberately broken
//! ones: held-out accuracy, the behavioural checks, and the training checks.

use sysdesign::show::{self, Table};
use sysdesign::testing_ml_code::{PlantedBug, Report, SentimentModel, Training, checks, reviews};

const TRAIN: usize = 2_000;
const LABEL_NOISE: f64 = 0.05;

fn cell(report: &Report) -> String {
    if report.passed() {
        format!("pass ({})", report.cases)
    } else {
        format!("FAIL {} of {}", report.failures.len(), report.cases)
    }
}

fn main() {
    let train = reviews(TRAIN, LABEL_NOISE, 1);
    let held_out = reviews(TRAIN, LABEL_NOISE, 2);
    let pipelines = [
        ("correct", None),
        ("keeps case", Some(PlantedBug::KeepsCase)),
        ("gradient ascent", Some(PlantedBug::GradientAscent)),
    ];
    let mut models = Vec::new();
    for (name, bug) in pipelines {
        let training = Training {
            bug,
            ..Training::default()
        };
        let model = SentimentModel::train(&train, training).expect("valid training");
        models.push((name, training, model));
    }
    println!(
        "{TRAIN} training and {TRAIN} held-out reviews (seeded), {:.0} % of labels flipped",
        100.0 * LABEL_NOISE
    );
    let mut table = Table::new(["check", "kind", "correct", "keeps case", "gradient ascent"]);
    let mut accuracy = vec!["held-out accuracy".to_string(), "-".to_string()];
    for (name, _, model) in &models {
        let a = model.accuracy(&held_out);
        accuracy.push(format!("{:.1} %", 100.0 * a));
        show::value(
            &format!("accuracy_{}", name.replace(' ', "_")),
            format!("{:.1} %", 100.0 * a),
        );
    }
    table.push(accuracy);
    // ANCHOR: run
    for check in checks::all() {
        let mut row = vec![check.name.clone(), check.kind.to_string()];
        row.extend(models.iter().map(|(_, _, model)| cell(&check.run(model))));
        table.push(row);
    }
    let batch = reviews(20, 0.0, 3);
    let mut one_step = vec![
        "loss falls after one step".to_string(),
        "training".to_string(),
    ];
    let mut overfit = vec!["overfits a small batch".to_string(), "training".to_string()];
    for (_, training, _) in &models {
        one_step.push(cell(&checks::loss_falls_after_one_step(&train, *training)));
        overfit.push(cell(&checks::overfits_a_small_batch(&batch, *training)));
    }
    // ANCHOR_END: run
    table.push(one_step);
    table.push(overfit);
    show::table(
        &table.caption("passing cases per check, for the correct pipeline and two planted bugs"),
    );

    // Blocks: a notebook cell cannot keep a variable that borrows `models`.
    {
        // ANCHOR: failing
        let (_, _, keeps_case) = &models[1];
        let report = checks::upper_case().run(keeps_case);
        println!("What the failing invariance test prints for the keeps-case model:\n{report}");
        // ANCHOR_END: failing
    }
    {
        let (_, _, correct) = &models[0];
        println!("\n{}", checks::negation().run(correct));
        show::value(
            "negation_p",
            format!("{:.2}", correct.probability("The film was not great.")),
        );
        for word in ["great", "not", "the", "alice"] {
            show::value(
                &format!("weight_{word}"),
                format!("{:+.2}", correct.weight(word).unwrap_or(0.0)),
            );
        }
    }
}
