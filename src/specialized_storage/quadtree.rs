//! A point quadtree answering "the k nearest" by best-first search.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;

/// A point in the plane (kilometres east and north of a corner of the map, say).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// East.
    pub x: f64,
    /// North.
    pub y: f64,
}

impl Point {
    /// The Euclidean distance to `other`.
    pub fn distance(&self, other: &Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// An axis-aligned rectangle, `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// West edge.
    pub x0: f64,
    /// South edge.
    pub y0: f64,
    /// East edge (excluded).
    pub x1: f64,
    /// North edge (excluded).
    pub y1: f64,
}

impl Rect {
    fn contains(&self, p: &Point) -> bool {
        p.x >= self.x0 && p.x < self.x1 && p.y >= self.y0 && p.y < self.y1
    }

    /// The distance from `p` to the nearest point of the rectangle (0 inside).
    fn distance(&self, p: &Point) -> f64 {
        let dx = (self.x0 - p.x).max(0.0).max(p.x - self.x1);
        let dy = (self.y0 - p.y).max(0.0).max(p.y - self.y1);
        dx.hypot(dy)
    }

    fn quadrants(&self) -> [Rect; 4] {
        let (mx, my) = ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0);
        [
            Rect {
                x1: mx,
                y1: my,
                ..*self
            },
            Rect {
                x0: mx,
                y1: my,
                ..*self
            },
            Rect {
                x1: mx,
                y0: my,
                ..*self
            },
            Rect {
                x0: mx,
                y0: my,
                ..*self
            },
        ]
    }
}

/// A point outside the tree's bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutOfBounds(pub Point);

impl fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "point ({}, {}) lies outside the tree",
            self.0.x, self.0.y
        )
    }
}

impl std::error::Error for OutOfBounds {}

#[derive(Clone, Debug)]
enum Node {
    Leaf(Vec<(Point, u32)>),
    Inner([usize; 4]),
}

/// One answer of a nearest-neighbour query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    /// The point's id.
    pub id: u32,
    /// Its distance from the query.
    pub distance: f64,
}

/// The answer of [`QuadTree::nearest`] and the work it took.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Nearest {
    /// The k nearest, nearest first.
    pub neighbours: Vec<Neighbour>,
    /// Points whose distance was computed.
    pub points_examined: usize,
    /// Tree nodes opened.
    pub nodes_visited: usize,
}

// ANCHOR: quadtree
/// A region quadtree: a leaf holds up to `capacity` points; one more splits it into four
/// equal quadrants. Below `max_depth` no split happens, so many points at one spot cannot
/// recurse forever.
///
/// ```
/// use sysdesign::specialized_storage::{Point, QuadTree};
/// let mut tree = QuadTree::new(10.0, 2, 20);
/// for (id, (x, y)) in [(1.0, 1.0), (2.0, 2.0), (9.0, 9.0), (5.0, 5.0)].into_iter().enumerate() {
///     tree.insert(Point { x, y }, id as u32).unwrap();
/// }
/// let ids: Vec<u32> = tree.nearest(Point { x: 6.0, y: 6.0 }, 2).neighbours.iter().map(|n| n.id).collect();
/// assert_eq!(ids, vec![3, 2]); // (5, 5) at 1.4, then (9, 9) at 4.2
/// ```
#[derive(Clone, Debug)]
pub struct QuadTree {
    rects: Vec<Rect>,
    depths: Vec<u32>,
    nodes: Vec<Node>,
    capacity: usize,
    max_depth: u32,
    len: usize,
}

impl QuadTree {
    /// An empty tree over the square `[0, side)²`.
    pub fn new(side: f64, capacity: usize, max_depth: u32) -> QuadTree {
        QuadTree {
            rects: vec![Rect {
                x0: 0.0,
                y0: 0.0,
                x1: side,
                y1: side,
            }],
            depths: vec![0],
            nodes: vec![Node::Leaf(Vec::new())],
            capacity: capacity.max(1),
            max_depth,
            len: 0,
        }
    }

    /// Adds a point with its id.
    pub fn insert(&mut self, p: Point, id: u32) -> Result<(), OutOfBounds> {
        if !self.rects[0].contains(&p) {
            return Err(OutOfBounds(p));
        }
        let mut at = 0;
        while let Node::Inner(children) = &self.nodes[at] {
            at = *children
                .iter()
                .find(|&&c| self.rects[c].contains(&p))
                .expect("the quadrants tile their parent");
        }
        let Node::Leaf(points) = &mut self.nodes[at] else {
            unreachable!("the loop stops at a leaf")
        };
        points.push((p, id));
        self.len += 1;
        if points.len() > self.capacity && self.depths[at] < self.max_depth {
            self.split(at);
        }
        Ok(())
    }

    fn split(&mut self, at: usize) {
        let Node::Leaf(points) = std::mem::replace(&mut self.nodes[at], Node::Inner([0; 4])) else {
            unreachable!("only leaves split")
        };
        let depth = self.depths[at] + 1;
        let mut children = [0; 4];
        for (slot, rect) in children.iter_mut().zip(self.rects[at].quadrants()) {
            *slot = self.nodes.len();
            self.nodes.push(Node::Leaf(Vec::new()));
            self.rects.push(rect);
            self.depths.push(depth);
        }
        self.nodes[at] = Node::Inner(children);
        for (p, id) in points {
            let child = *children
                .iter()
                .find(|&&c| self.rects[c].contains(&p))
                .expect("the quadrants tile their parent");
            let Node::Leaf(list) = &mut self.nodes[child] else {
                unreachable!("new children are leaves")
            };
            list.push((p, id));
        }
        // All points may have landed in one quadrant: split it again.
        for child in children {
            if matches!(&self.nodes[child], Node::Leaf(l) if l.len() > self.capacity)
                && depth < self.max_depth
            {
                self.split(child);
            }
        }
    }

    /// The `k` points nearest to `q`, nearest first (ties in any order). Best-first: a heap
    /// ordered by distance holds nodes (keyed by the distance to their rectangle, a lower bound)
    /// and points (keyed by their own distance); a point that reaches the top is nearer than
    /// anything not yet opened.
    pub fn nearest(&self, q: Point, k: usize) -> Nearest {
        let mut out = Nearest::default();
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((Dist(self.rects[0].distance(&q)), Entry::Node(0))));
        while let Some(Reverse((Dist(d), entry))) = heap.pop() {
            if out.neighbours.len() == k {
                break;
            }
            match entry {
                Entry::Point(id) => out.neighbours.push(Neighbour { id, distance: d }),
                Entry::Node(n) => {
                    out.nodes_visited += 1;
                    match &self.nodes[n] {
                        Node::Leaf(points) => {
                            for (p, id) in points {
                                out.points_examined += 1;
                                heap.push(Reverse((Dist(p.distance(&q)), Entry::Point(*id))));
                            }
                        }
                        Node::Inner(children) => {
                            for &c in children {
                                heap.push(Reverse((
                                    Dist(self.rects[c].distance(&q)),
                                    Entry::Node(c),
                                )));
                            }
                        }
                    }
                }
            }
        }
        out
    }
    // ANCHOR_END: quadtree

    /// Points held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the tree holds no point.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The depth of the deepest leaf (the root alone is depth 0).
    pub fn depth(&self) -> u32 {
        self.depths.iter().copied().max().unwrap_or(0)
    }

    /// Leaves in the tree.
    pub fn leaves(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n, Node::Leaf(_)))
            .count()
    }
}

/// The brute-force answer: every point's distance, sorted.
///
/// ```
/// use sysdesign::specialized_storage::{Point, nearest_by_scan};
/// let points = [Point { x: 0.0, y: 0.0 }, Point { x: 3.0, y: 4.0 }];
/// assert_eq!(nearest_by_scan(&points, Point { x: 3.0, y: 3.0 }, 1)[0].id, 1);
/// ```
pub fn nearest_by_scan(points: &[Point], q: Point, k: usize) -> Vec<Neighbour> {
    let mut all: Vec<Neighbour> = points
        .iter()
        .enumerate()
        .map(|(i, p)| Neighbour {
            id: i as u32,
            distance: p.distance(&q),
        })
        .collect();
    all.sort_by(|a, b| a.distance.total_cmp(&b.distance).then(a.id.cmp(&b.id)));
    all.truncate(k);
    all
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Dist(f64);

impl Eq for Dist {}

impl PartialOrd for Dist {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Dist {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Points before nodes at equal distance, so a point on a node's edge is returned first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Entry {
    Point(u32),
    Node(usize),
}
