//! Three placement schemes on the same four nodes, and what happens to each key when one node
//! leaves: on the ring, a removed node's keys go to the next node clockwise (its successor).

use sysdesign::hashing::{HashRing, ModuloPlacement, Placement, Rendezvous, stable_hash};
use sysdesign::show::{self, Table};

const NODES: [&str; 4] = ["cache-a", "cache-b", "cache-c", "cache-d"];
const LEAVING: &str = "cache-c";

/// A ring position as a percentage of the way round the circle.
fn percent(position: u64) -> String {
    format!("{:.1} %", position as f64 / u64::MAX as f64 * 100.0)
}

fn with_nodes(mut placement: Box<dyn Placement>) -> Box<dyn Placement> {
    for node in NODES {
        placement.add_node(node);
    }
    placement
}

/// The ring's points as a table and as a diagram whose arrows point clockwise, to the node
/// that inherits the arc if the node at the arrow's tail leaves.
fn show_ring(ring: &HashRing) {
    let points = ring.virtual_nodes();
    let mut table = Table::new(["node", "ring position"]);
    let mut diagram = String::from("flowchart TD\n");
    for (i, point) in points.iter().enumerate() {
        table.push([point.node.to_string(), percent(point.position)]);
        let next = &points[(i + 1) % points.len()];
        diagram += &format!(
            "  {}[\"{} at {}\"] -->|clockwise| {}\n",
            point.node.replace('-', "_"),
            point.node,
            percent(point.position),
            next.node.replace('-', "_")
        );
    }
    show::table(&table.caption("the ring with one point per node, clockwise from 0"));
    show::mermaid(&diagram);
}

fn show_keys(ring: &HashRing, after: &HashRing, keys: &[String]) {
    let schemes = [
        with_nodes(Box::new(ModuloPlacement::new())),
        with_nodes(Box::new(Rendezvous::new())),
    ];
    let mut table = Table::new([
        "key",
        "key position",
        "modulo",
        "rendezvous",
        "ring",
        "ring after cache-c leaves",
    ]);
    for key in keys {
        let bytes = key.as_bytes();
        let mut row = vec![key.clone(), percent(stable_hash(bytes))];
        for placement in &schemes {
            row.push(placement.node_for(bytes).unwrap_or("-").to_string());
        }
        let (owner, new_owner) = (ring.node_for(bytes), after.node_for(bytes));
        row.push(owner.unwrap_or("-").to_string());
        let moved = if owner == new_owner { "" } else { " (moved)" };
        row.push(format!("{}{moved}", new_owner.unwrap_or("-")));
        table.push(row);
    }
    show::table(&table.caption("where each key lives"));
}

fn report_successor(ring: &HashRing, after: &HashRing, keys: &[String]) {
    let points = ring.virtual_nodes();
    let index = points
        .iter()
        .position(|p| p.node == LEAVING)
        .expect("cache-c is on the ring");
    let successor = points[(index + 1) % points.len()].node;
    let predecessor = points[(index + points.len() - 1) % points.len()].node;
    let destinations: Vec<&str> = keys
        .iter()
        .filter(|k| ring.node_for(k.as_bytes()) == Some(LEAVING))
        .filter_map(|k| after.node_for(k.as_bytes()))
        .collect();
    println!("{LEAVING}'s predecessor on the ring is {predecessor}, its successor {successor}.");
    println!(
        "{} of the {} keys lived on {LEAVING}; after it left they went to {destinations:?}: \
         all to the successor? {}",
        destinations.len(),
        keys.len(),
        destinations.iter().all(|d| *d == successor)
    );
}

fn main() {
    // One point per node, so the ring is small enough to read.
    let mut ring = HashRing::new(1);
    for node in NODES {
        ring.add_node(node);
    }
    let mut after = ring.clone();
    after.remove_node(LEAVING);
    let keys: Vec<String> = (1..=12).map(|i| format!("user:{i}")).collect();

    show_ring(&ring);
    show_keys(&ring, &after, &keys);
    report_successor(&ring, &after, &keys);
}
