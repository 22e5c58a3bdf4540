//! Calls made by the naive recursion and the memoized one, and cells filled bottom-up, as the
//! two strings grow: counted, so the numbers are the same on every machine.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::chart::LineChart;
use sysdesign::dynamic_programming::{memoized_edit_distance, naive_edit_distance};
use sysdesign::show::{self, Table};

const MAX_N: usize = 11;
const SEED: u64 = 4;
const PAIRS: usize = 8;

/// Two random DNA strings of length n: some letters match, which prunes the naive recursion.
fn dna(n: usize, rng: &mut StdRng) -> (Vec<u8>, Vec<u8>) {
    let mut word = || (0..n).map(|_| b"ACGT"[rng.random_range(0..4)]).collect();
    (word(), word())
}

/// `n` with a comma between each group of three digits, as the prose writes numbers.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut table = Table::new([
        "n",
        "naive calls (no match)",
        "growth",
        "naive calls (DNA, mean of 8)",
        "memoized calls",
        "memoized solves",
        "bottom-up cells",
    ]);
    let (mut naive_curve, mut dna_curve, mut memo_curve) = (Vec::new(), Vec::new(), Vec::new());
    let mut previous = None;
    // The figures the chapter's prose quotes, by name.
    let (mut first_growth, mut last_growth) = (None, 0.0);
    let mut last = (0, 0, 0, 0.0);
    for n in 1..=MAX_N {
        // Worst case: no letter of a appears in b, so every call branches three ways.
        let (a, b) = (vec![b'a'; n], vec![b'b'; n]);
        let naive = naive_edit_distance(&a, &b).expect("within NAIVE_MAX_TOTAL");
        let memo = memoized_edit_distance(&a, &b).expect("within MEMOIZED_MAX_TOTAL");
        assert_eq!(naive.distance, memo.distance);
        let mut dna_calls = 0;
        for _ in 0..PAIRS {
            let (x, y) = dna(n, &mut rng);
            let run = naive_edit_distance(&x, &y).expect("within NAIVE_MAX_TOTAL");
            assert_eq!(
                run.distance,
                memoized_edit_distance(&x, &y).expect("short").distance
            );
            dna_calls += run.calls;
        }
        let dna_calls = dna_calls as f64 / PAIRS as f64;
        let growth = previous.map_or(String::new(), |p: u64| {
            format!("×{:.2}", naive.calls as f64 / p as f64)
        });
        if let Some(p) = previous {
            let factor = naive.calls as f64 / p as f64;
            first_growth.get_or_insert(factor);
            last_growth = factor;
        }
        previous = Some(naive.calls);
        last = (n, naive.calls, memo.calls, dna_calls);
        table.push([
            n.to_string(),
            naive.calls.to_string(),
            growth,
            format!("{dna_calls:.0}"),
            memo.calls.to_string(),
            memo.solved.to_string(),
            ((n + 1) * (n + 1)).to_string(),
        ]);
        naive_curve.push((n as f64, (naive.calls as f64).log10()));
        dna_curve.push((n as f64, dna_calls.log10()));
        memo_curve.push((n as f64, (memo.calls as f64).log10()));
    }
    println!(
        "Edit distance of two strings of length n; {PAIRS} pairs of DNA strings per n, seed {SEED}."
    );
    show::table(&table.caption(
        "calls of the recursive function: exponential without a table, quadratic with one",
    ));
    let (n, naive, memo, dna_calls) = last;
    show::value("n", n);
    show::value("naive_calls", thousands(naive));
    show::value("memo_calls", thousands(memo));
    show::value("dna_calls", thousands(dna_calls.round() as u64));
    show::value(
        "naive_over_memo",
        thousands((naive as f64 / memo as f64).round() as u64),
    );
    show::value(
        "first_growth",
        format!("{:.2}", first_growth.unwrap_or(0.0)),
    );
    show::value("last_growth", format!("{last_growth:.2}"));
    let svg = LineChart::new("Calls to compute the edit distance of two strings of length n")
        .x_label("n")
        .y_label("log10 of calls")
        .series("naive, no letters match", naive_curve)
        .series("naive, random DNA", dna_curve)
        .series("memoized", memo_curve)
        .to_svg()
        .expect("every point is finite");
    show::svg(
        "dp_call_counts",
        "Calls of the naive and memoized recursions against input length (log scale)",
        svg,
    );
}
