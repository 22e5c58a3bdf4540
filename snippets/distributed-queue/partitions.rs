//! A log of 8 partitions read by one consumer group that grows from 1 to 12 members, with the
//! messaging chapter's `ConsumerGroup`: how the partitions are shared out, and who idles.
//! Then the records per partition when the key picks the partition, and when a seeded random
//! choice does (no key).

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::messaging::{ConsumerGroup, PartitionedLog};
use sysdesign::show::{self, Table};

fn main() {
    let mut log = PartitionedLog::new(8);
    for order in 0..800 {
        log.append(&format!("customer-{}", order % 97), "order placed");
    }
    let mut table = Table::new([
        "members",
        "partitions of the busiest",
        "records it must read",
        "idle members",
    ]);
    // ANCHOR: grow
    let mut group = ConsumerGroup::new(log.partitions());
    for members in 1..=12 {
        group
            .join(&format!("worker-{members:02}"))
            .expect("a new name");
        let assignments = group.assignments();
        let busiest = assignments.values().max_by_key(|p| p.len());
        let busiest_records: u64 = assignments
            .values()
            .map(|p| p.iter().map(|&q| log.end_offset(q)).sum())
            .max()
            .unwrap_or(0);
        let idle = assignments.values().filter(|p| p.is_empty()).count();
        // ANCHOR_END: grow
        table.push([
            members.to_string(),
            busiest.map_or(0, Vec::len).to_string(),
            busiest_records.to_string(),
            idle.to_string(),
        ]);
        if members == 12 {
            show::value("idle_at_12", idle);
        }
    }
    show::table(&table.caption("800 records keyed by 97 customers in 8 partitions, one group"));
    let sizes: Vec<String> = (0..log.partitions())
        .map(|p| log.end_offset(p).to_string())
        .collect();
    println!("records per partition, keyed:  {}", sizes.join(" "));
    let mut rng = StdRng::seed_from_u64(7);
    let mut random = [0u32; 8];
    for _ in 0..800 {
        random[rng.random_range(0..8)] += 1;
    }
    let random: Vec<String> = random.iter().map(u32::to_string).collect();
    println!("records per partition, random: {}", random.join(" "));
}
