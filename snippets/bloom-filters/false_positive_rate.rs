//! Measured false-positive rate against the formula (1 - e^(-kn/m))^k as a filter sized for
//! 10 000 items at 1 % fills from 10 % to 200 % of its design load; and a count of false
//! negatives, which must be zero.

use sysdesign::bloom_filters::{BloomFilter, false_positive_rate};
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};

const DESIGN_ITEMS: usize = 10_000;
const TARGET: f64 = 0.01;
const PROBES: usize = 200_000;

fn key(i: usize) -> Vec<u8> {
    format!("member-{i}").into_bytes()
}

fn main() {
    let mut filter = BloomFilter::with_rate(DESIGN_ITEMS, TARGET).expect("valid parameters");
    let (bits, hashes) = (filter.bits(), filter.hashes());
    println!("m = {bits} bits, k = {hashes}, sized for n = {DESIGN_ITEMS} at {TARGET}");
    let probes: Vec<Vec<u8>> = (0..PROBES)
        .map(|i| format!("stranger-{i}").into_bytes())
        .collect();

    let mut table = Table::new([
        "items inserted",
        "% of design",
        "bits set",
        "formula",
        "measured",
        "measured / formula",
        "false negatives",
    ]);
    let (mut formula_curve, mut measured_curve) = (Vec::new(), Vec::new());
    let mut inserted = 0;
    // The figures the chapter's prose quotes, by name.
    let (mut off_at_design, mut worst_from_half, mut rate_at_twice) = (0.0_f64, 0.0_f64, 0.0);
    for percent in [10, 25, 50, 75, 100, 125, 150, 200] {
        let target = DESIGN_ITEMS * percent / 100;
        while inserted < target {
            filter.insert(&key(inserted));
            inserted += 1;
        }
        let formula = false_positive_rate(bits, hashes, inserted);
        let positives = probes.iter().filter(|p| filter.contains(p)).count();
        let measured = positives as f64 / PROBES as f64;
        let false_negatives = (0..inserted).filter(|&i| !filter.contains(&key(i))).count();
        table.push([
            inserted.to_string(),
            format!("{percent} %"),
            format!("{:.1} %", filter.fill_ratio() * 100.0),
            format!("{formula:.2e}"),
            format!("{measured:.2e}"),
            if positives == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", measured / formula)
            },
            false_negatives.to_string(),
        ]);
        formula_curve.push((inserted as f64, formula));
        measured_curve.push((inserted as f64, measured));
        if percent >= 50 {
            worst_from_half = worst_from_half.max((measured / formula - 1.0).abs() * 100.0);
        }
        if percent == 200 {
            rate_at_twice = measured * 100.0;
        }
        if percent == 100 {
            off_at_design = (measured / formula - 1.0).abs() * 100.0;
            println!(
                "at the design point: measured {measured:.5} ({positives} of {PROBES} probes), \
                 formula {formula:.5}, off by {:.1} % (bound 10 %); false negatives: {false_negatives}",
                (measured / formula - 1.0).abs() * 100.0
            );
        }
    }
    show::table(&table.caption(format!(
        "false positives among {PROBES} never-inserted keys, and inserted keys reported absent"
    )));
    show::value("off_at_design_percent", format!("{off_at_design:.1}"));
    show::value("worst_from_half_percent", format!("{worst_from_half:.1}"));
    show::value("rate_at_twice_percent", format!("{rate_at_twice:.1}"));

    let chart = LineChart::new(format!(
        "False-positive rate as the filter fills (m = {bits}, k = {hashes})"
    ))
    .x_label("items inserted (design load 10 000)")
    .y_label("false-positive rate")
    .series("formula (1 - e^(-kn/m))^k", formula_curve)
    .series("measured", measured_curve);
    show::svg(
        "false_positive_rate",
        "Measured false-positive rate against the formula as a Bloom filter fills",
        chart.to_svg().expect("every point is finite"),
    );
}
