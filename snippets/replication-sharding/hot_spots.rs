//! Eight shards, 100,000 keys `user:00000000` to `user:00099999`, and 200,000 requests whose key
//! popularity follows a Zipf law. The hottest shard's load over the mean, for range partitioning
//! (cut at equal key counts), `hash % 8` and a consistent-hash ring (100 virtual nodes per shard),
//! when the popular keys are scattered over the key space and when they are neighbours. Seeded.

use sysdesign::chart::LineChart;
use sysdesign::replication_sharding::{
    Popularity, Scheme, hottest_over_mean, key_name, shard_load, skewed_requests,
};
use sysdesign::show::{self, Table};

// ANCHOR: setup
const KEYS: u64 = 100_000;
const REQUESTS: usize = 200_000;
const SHARDS: usize = 8;

fn schemes() -> [(&'static str, Scheme); 3] {
    let keys: Vec<Vec<u8>> = (0..KEYS).map(key_name).collect();
    [
        (
            "range",
            Scheme::range(&keys, SHARDS).expect("8 ranges of 100,000 keys"),
        ),
        ("hash % 8", Scheme::hash_modulo(SHARDS)),
        ("hash ring", Scheme::hash_ring(SHARDS, 100)),
    ]
}

fn hot_spot(scheme: &Scheme, exponent: f64, popularity: Popularity) -> f64 {
    let requests: Vec<Vec<u8>> = skewed_requests(KEYS, exponent, REQUESTS, popularity, 42)
        .expect("a valid Zipf workload")
        .into_iter()
        .map(key_name)
        .collect();
    hottest_over_mean(&shard_load(scheme, &requests))
}
// ANCHOR_END: setup

fn main() {
    let schemes = schemes();
    let mut table = Table::new(["workload", "range", "hash % 8", "hash ring"]);
    let workloads = [
        ("uniform (s = 0)", 0.0, Popularity::Scattered),
        ("Zipf s = 1, hot keys scattered", 1.0, Popularity::Scattered),
        (
            "Zipf s = 1, hot keys neighbours",
            1.0,
            Popularity::Clustered,
        ),
    ];
    for (name, exponent, popularity) in workloads {
        let mut row = vec![name.to_string()];
        for (scheme_name, scheme) in &schemes {
            let hot = hot_spot(scheme, exponent, popularity);
            row.push(format!("{hot:.2}"));
            if exponent == 1.0 {
                let tag = match popularity {
                    Popularity::Scattered => "scattered",
                    Popularity::Clustered => "clustered",
                };
                let scheme_tag = match *scheme_name {
                    "range" => "range",
                    "hash % 8" => "modulo",
                    _ => "ring",
                };
                show::value(&format!("{scheme_tag}_{tag}_s1"), format!("{hot:.2}"));
            }
        }
        table.push(row);
    }
    show::table(&table.caption(
        "hottest shard's requests over the mean per shard (1.00 is even, 8.00 is one shard taking all)",
    ));

    let exponents: Vec<f64> = (0..=7).map(|i| f64::from(i) * 0.2).collect();
    let mut chart = LineChart::new("Hottest shard over the mean, 8 shards, Zipf popularity")
        .x_label("Zipf exponent s (0 is uniform)")
        .y_label("hottest shard / mean");
    for (label, scheme, popularity) in [
        (
            "range, hot keys neighbours",
            &schemes[0].1,
            Popularity::Clustered,
        ),
        (
            "range, hot keys scattered",
            &schemes[0].1,
            Popularity::Scattered,
        ),
        ("hash % 8, either", &schemes[1].1, Popularity::Scattered),
    ] {
        let curve: Vec<(f64, f64)> = exponents
            .iter()
            .map(|&s| (s, hot_spot(scheme, s, popularity)))
            .collect();
        chart = chart.series(label, curve);
    }
    show::svg(
        "shard-hot-spots",
        "Hashing evens out many warm keys; range partitioning concentrates neighbouring hot keys; neither splits the hottest key",
        chart.to_svg().expect("every point is finite"),
    );
}
