//! How deep a quadtree (8 points per leaf) grows: the same number of points spread evenly,
//! and with two of them 1 mm apart. The depth follows how close points are, not log4 of how
//! many there are.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{Point, QuadTree};

fn main() {
    let mut table = Table::new(["points", "layout", "log4(n / 8)", "depth", "leaves"]);
    for n in [1_000usize, 100_000] {
        let mut rng = StdRng::seed_from_u64(4);
        let even: Vec<Point> = (0..n)
            .map(|_| Point {
                x: rng.random_range(0.0..20.0),
                y: rng.random_range(0.0..20.0),
            })
            .collect();
        // ANCHOR: close
        // The same points, then nine more within a millimetre (1e-6 km) of the first one.
        let mut close = even.clone();
        close.extend((1..=9).map(|i| Point {
            x: even[0].x + i as f64 * 1e-7,
            y: even[0].y,
        }));
        // ANCHOR_END: close
        for (layout, points) in [("uniform", &even), ("uniform + 9 within 1 mm", &close)] {
            let mut tree = QuadTree::new(20.0, 8, 64);
            for (id, p) in points.iter().enumerate() {
                tree.insert(*p, id as u32).expect("inside the square");
            }
            table.push([
                points.len().to_string(),
                layout.to_string(),
                format!("{:.1}", (points.len() as f64 / 8.0).log(4.0)),
                tree.depth().to_string(),
                tree.leaves().to_string(),
            ]);
        }
    }
    show::table(&table.caption("a 20 km square; depth 0 is the root"));
}
