//! Addresses parsed with `std::net` and classified by the special-purpose blocks of RFC 6890
//! and its updates; the columns on the right are what `std`'s own predicates say.

use std::net::IpAddr;
use sysdesign::client_server::{block_of, classify, ipv6_over_ipv4};
use sysdesign::show::{self, Table};

const ADDRESSES: [&str; 16] = [
    "127.0.0.1",
    "127.42.0.7",
    "10.20.30.40",
    "172.31.255.1",
    "172.32.0.1",
    "192.168.1.20",
    "100.64.12.1",
    "169.254.169.254",
    "192.0.2.15",
    "8.8.8.8",
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fd12:3456::9",
    "2001:db8::42",
    "::ffff:192.168.1.20",
];

/// `std`'s answer to the questions it can answer on stable Rust, for either family.
fn std_says(addr: IpAddr) -> String {
    let mut yes = Vec::new();
    if addr.is_loopback() {
        yes.push("is_loopback");
    }
    if addr.is_multicast() {
        yes.push("is_multicast");
    }
    match addr {
        IpAddr::V4(a) => {
            for (flag, name) in [
                (a.is_private(), "is_private"),
                (a.is_link_local(), "is_link_local"),
                (a.is_documentation(), "is_documentation"),
                (a.is_broadcast(), "is_broadcast"),
            ] {
                if flag {
                    yes.push(name);
                }
            }
        }
        IpAddr::V6(a) => {
            if a.is_unique_local() {
                yes.push("is_unique_local");
            }
            if a.is_unicast_link_local() {
                yes.push("is_unicast_link_local");
            }
            if a.to_ipv4_mapped().is_some() {
                yes.push("to_ipv4_mapped");
            }
        }
    }
    if yes.is_empty() {
        "(none)".to_string()
    } else {
        yes.join(", ")
    }
}

fn main() {
    // ANCHOR: classify
    let mut table = Table::new([
        "address",
        "family",
        "what it is for",
        "block",
        "reserved by",
        "std::net says",
    ]);
    for text in ADDRESSES {
        let addr: IpAddr = text.parse().expect("the list holds valid addresses");
        let (block, rfc) = block_of(addr).map_or(("none".to_string(), "—"), |b| {
            (format!("{}/{}", b.network, b.prefix), b.rfc)
        });
        let family = if addr.is_ipv4() { "IPv4" } else { "IPv6" };
        table.push([
            text.to_string(),
            family.to_string(),
            classify(addr).name().to_string(),
            block,
            rfc.to_string(),
            std_says(addr),
        ]);
    }
    show::table(&table.caption("Addresses and the special-purpose block that holds each"));
    // ANCHOR_END: classify

    let ratio = ipv6_over_ipv4();
    println!(
        "IPv6 addresses per IPv4 address: 2^96 = {ratio} (about {:.1e})",
        ratio as f64
    );
    show::value("ipv6_ratio", format!("{:.1e}", ratio as f64));
    show::value("ipv6_ratio_exact", ratio);
}
