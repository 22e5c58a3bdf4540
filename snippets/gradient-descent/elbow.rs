//! The k-means objective against k, on well-separated and on overlapping blobs around the same
//! four centers: the "elbow" at k = 4, and how it fades when the groups overlap.

use sysdesign::chart::LineChart;
use sysdesign::gradient_descent::{blobs, kmeans};
use sysdesign::show::{self, Table};

const TRUE_CENTERS: [[f64; 2]; 4] = [[0.0, 0.0], [6.0, 1.0], [1.0, 6.0], [7.0, 7.0]];
const SPREADS: [f64; 2] = [1.0, 2.5];
const MAX_K: usize = 10;

fn main() {
    let mut table = Table::new([
        "k",
        "objective, sd 1.0",
        "drop",
        "objective, sd 2.5",
        "drop",
    ]);
    let mut rows = vec![vec![String::new(); 5]; MAX_K];
    let mut chart = LineChart::new("k-means objective against k (as a share of k = 1)")
        .x_label("k")
        .y_label("objective / objective at k = 1")
        .y_range(0.0..1.05);
    for (column, spread) in SPREADS.into_iter().enumerate() {
        let (points, _) = blobs(&TRUE_CENTERS, 100, spread, 7);
        let objectives: Vec<f64> = (1..=MAX_K)
            .map(|k| kmeans(&points, k, 10, 1).expect("k <= 400").objective())
            .collect();
        for (k, &o) in objectives.iter().enumerate() {
            rows[k][0] = (k + 1).to_string();
            rows[k][1 + 2 * column] = format!("{o:.0}");
            rows[k][2 + 2 * column] = match k {
                0 => String::new(),
                _ => format!("{:.0} %", 100.0 * (1.0 - o / objectives[k - 1])),
            };
        }
        let name = ["separated", "overlapping"][column];
        let drop = |k: usize| 100.0 * (1.0 - objectives[k - 1] / objectives[k - 2]);
        show::value(&format!("drop_at_4_{name}"), format!("{:.0} %", drop(4)));
        show::value(&format!("drop_at_5_{name}"), format!("{:.0} %", drop(5)));
        let share = objectives
            .iter()
            .enumerate()
            .map(|(k, o)| ((k + 1) as f64, o / objectives[0]));
        chart = chart.series(format!("sd {spread}"), share.collect::<Vec<_>>());
    }
    for row in rows {
        table.push(row);
    }
    show::table(&table.caption(
        "400 points around 4 centers; best of 10 k-means++ restarts per k; drop = fall from k - 1",
    ));
    show::svg(
        "kmeans_elbow",
        "The k-means objective against k, for well-separated (sd 1.0) and overlapping (sd 2.5) blobs",
        chart.to_svg().expect("finite points"),
    );
}
