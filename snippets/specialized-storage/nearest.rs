//! Restaurants in a 20 km × 20 km city: most around three centres, the rest anywhere. A
//! quadtree (a leaf splits past 8 restaurants) answers "the 5 nearest" for a diner; then the
//! work per query against the size of the city, and how deep the tree grows. Seeded.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{Point, QuadTree, nearest_by_scan};

const SIDE_KM: f64 = 20.0;

/// A standard normal draw (Box-Muller).
fn gaussian(rng: &mut StdRng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// `n` restaurants: 80% around three centres (1 km spread), 20% uniform.
fn restaurants(n: usize, seed: u64) -> Vec<Point> {
    let mut rng = StdRng::seed_from_u64(seed);
    let centres = [(6.0, 7.0), (13.0, 12.0), (9.0, 15.0)];
    (0..n)
        .map(|_| {
            if rng.random_bool(0.8) {
                let (cx, cy) = centres[rng.random_range(0..3)];
                let x: f64 = cx + gaussian(&mut rng);
                let y: f64 = cy + gaussian(&mut rng);
                Point {
                    x: x.clamp(0.0, SIDE_KM - 1e-9),
                    y: y.clamp(0.0, SIDE_KM - 1e-9),
                }
            } else {
                Point {
                    x: rng.random_range(0.0..SIDE_KM),
                    y: rng.random_range(0.0..SIDE_KM),
                }
            }
        })
        .collect()
}

fn tree_of(points: &[Point]) -> QuadTree {
    let mut tree = QuadTree::new(SIDE_KM, 8, 32);
    for (id, p) in points.iter().enumerate() {
        tree.insert(*p, id as u32)
            .expect("restaurants lie inside the city");
    }
    tree
}

fn main() {
    // ANCHOR: query
    let city = restaurants(10_000, 1);
    let tree = tree_of(&city);
    let diner = Point { x: 12.3, y: 11.1 };
    let answer = tree.nearest(diner, 5);
    // ANCHOR_END: query
    let mut table = Table::new(["restaurant", "x (km)", "y (km)", "distance (m)"]);
    for n in &answer.neighbours {
        let p = city[n.id as usize];
        table.push([
            format!("#{}", n.id),
            format!("{:.3}", p.x),
            format!("{:.3}", p.y),
            format!("{:.0}", n.distance * 1000.0),
        ]);
    }
    show::table(&table.caption(format!(
        "the 5 nearest of 10,000 to a diner at (12.3, 11.1): {} restaurants examined in {} nodes",
        answer.points_examined, answer.nodes_visited
    )));
    let brute = nearest_by_scan(&city, diner, 5);
    show::value(
        "same_as_scan",
        brute
            .iter()
            .zip(&answer.neighbours)
            .all(|(a, b)| a.distance == b.distance),
    );

    let mut cost = Table::new([
        "restaurants",
        "depth",
        "leaves",
        "mean examined (k = 5)",
        "mean nodes opened",
    ]);
    for n in [1_000, 10_000, 100_000] {
        let city = restaurants(n, 2);
        let tree = tree_of(&city);
        let mut rng = StdRng::seed_from_u64(9);
        let (mut examined, mut nodes) = (0, 0);
        let queries = 1_000;
        for _ in 0..queries {
            let q = Point {
                x: rng.random_range(0.0..SIDE_KM),
                y: rng.random_range(0.0..SIDE_KM),
            };
            let a = tree.nearest(q, 5);
            examined += a.points_examined;
            nodes += a.nodes_visited;
        }
        cost.push([
            n.to_string(),
            tree.depth().to_string(),
            tree.leaves().to_string(),
            format!("{:.1}", examined as f64 / queries as f64),
            format!("{:.1}", nodes as f64 / queries as f64),
        ]);
    }
    show::table(
        &cost.caption("1,000 random diners per city size; a scan examines every restaurant"),
    );
}
