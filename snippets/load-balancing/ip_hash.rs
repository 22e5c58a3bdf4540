//! IP hash keeps a client on one server while the set of servers stays the same, and moves most
//! clients when a server is added; a consistent-hash ring moves about one in five.

use sysdesign::hashing::{HashRing, ModuloPlacement, Placement, remapped_fraction};
use sysdesign::load_balancing::{Balancer, Strategy};
use sysdesign::show::{self, Table};

fn main() {
    // The same client, ten requests, with other clients' requests in between.
    let mut lb = Balancer::new(Strategy::IpHash, &[1, 1, 1, 1], 0);
    let client: u32 = u32::from_be_bytes([203, 0, 113, 7]);
    let picks: Vec<usize> = (0..10)
        .map(|i| {
            lb.pick(i * 7_919).expect("a healthy server");
            lb.pick(client).expect("a healthy server")
        })
        .collect();
    println!("203.0.113.7 went to servers {picks:?}");

    // ANCHOR: remap
    let clients: Vec<Vec<u8>> = (0..10_000u32)
        .map(|i| (0x0a00_0000 + i).to_be_bytes().to_vec())
        .collect();
    let names = ["s0", "s1", "s2", "s3", "s4"];
    let (mut modulo4, mut ring4) = (ModuloPlacement::new(), HashRing::new(100));
    for n in &names[..4] {
        modulo4.add_node(n);
        ring4.add_node(n);
    }
    let (mut modulo5, mut ring5) = (modulo4.clone(), ring4.clone());
    modulo5.add_node("s4");
    ring5.add_node("s4");
    let moved_modulo = remapped_fraction(&modulo4, &modulo5, &clients);
    let moved_ring = remapped_fraction(&ring4, &ring5, &clients);
    // ANCHOR_END: remap
    let table = Table::new(["placement", "clients moved, 4 → 5 servers"])
        .row([
            "hash modulo the server count (IP hash)".to_string(),
            format!("{:.1} %", moved_modulo * 100.0),
        ])
        .row([
            "consistent-hash ring, 100 virtual nodes each".to_string(),
            format!("{:.1} %", moved_ring * 100.0),
        ])
        .row([
            "the least any placement can move (1/5)".to_string(),
            format!("{:.1} %", 100.0 / 5.0),
        ]);
    show::table(&table.caption("10,000 client addresses"));
    show::value("moved_modulo", format!("{:.1} %", moved_modulo * 100.0));
    show::value("moved_ring", format!("{:.1} %", moved_ring * 100.0));
}
