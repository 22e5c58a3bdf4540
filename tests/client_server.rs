//! Address classification checked against `std::net`, the port ranges, the DNS resolver's
//! cache, and the loopback echo servers.

use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use sysdesign::client_server::{
    BLOCKS, PortRange, Purpose, Resolver, block_of, classify, ipv6_over_ipv4, sequence_diagram,
};

/// An address inside a random block of the table (or anywhere), so small blocks are hit too.
fn address() -> impl Strategy<Value = IpAddr> {
    (0..BLOCKS.len() + 2, any::<u128>()).prop_map(|(i, bits)| match BLOCKS.get(i) {
        Some(block) => match block.network {
            IpAddr::V4(net) => {
                let host = 32 - u32::from(block.prefix);
                let mask = if host == 0 {
                    0
                } else {
                    u32::MAX >> (32 - host)
                };
                IpAddr::V4(Ipv4Addr::from_bits(net.to_bits() | (bits as u32 & mask)))
            }
            IpAddr::V6(net) => {
                let host = 128 - u32::from(block.prefix);
                let mask = if host == 0 {
                    0
                } else {
                    u128::MAX >> (128 - host)
                };
                IpAddr::V6(Ipv6Addr::from_bits(net.to_bits() | (bits & mask)))
            }
        },
        None if i == BLOCKS.len() => IpAddr::V4(Ipv4Addr::from_bits(bits as u32)),
        None => IpAddr::V6(Ipv6Addr::from_bits(bits)),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_096))]

    #[test]
    fn block_table_agrees_with_every_std_predicate(addr in address()) {
        let purpose = classify(addr);
        match addr {
            IpAddr::V4(a) => {
                prop_assert_eq!(a.is_loopback(), purpose == Purpose::Loopback);
                prop_assert_eq!(a.is_private(), purpose == Purpose::Private);
                prop_assert_eq!(a.is_link_local(), purpose == Purpose::LinkLocal);
                prop_assert_eq!(a.is_multicast(), purpose == Purpose::Multicast);
                prop_assert_eq!(a.is_broadcast(), purpose == Purpose::Broadcast);
                prop_assert_eq!(a.is_documentation(), purpose == Purpose::Documentation);
                if a.is_unspecified() {
                    prop_assert_eq!(purpose, Purpose::Unspecified);
                }
            }
            IpAddr::V6(a) => {
                if a.to_ipv4_mapped().is_some() {
                    prop_assert_eq!(purpose, Purpose::Ipv4Mapped);
                } else {
                    prop_assert_eq!(a.is_loopback(), purpose == Purpose::Loopback);
                    prop_assert_eq!(a.is_unspecified(), purpose == Purpose::Unspecified);
                }
                prop_assert_eq!(a.is_multicast(), purpose == Purpose::Multicast);
                prop_assert_eq!(a.is_unique_local(), purpose == Purpose::UniqueLocal);
                prop_assert_eq!(a.is_unicast_link_local(), purpose == Purpose::LinkLocal);
            }
        }
    }

    #[test]
    fn the_chosen_block_holds_the_address_and_no_longer_one_does(addr in address()) {
        if let Some(block) = block_of(addr) {
            prop_assert!(block.contains(addr));
            prop_assert!(BLOCKS.iter().filter(|b| b.contains(addr)).all(|b| b.prefix <= block.prefix));
        } else {
            prop_assert!(BLOCKS.iter().all(|b| !b.contains(addr)));
        }
    }
}

#[test]
fn longest_prefix_wins_for_the_broadcast_address() {
    let addr = IpAddr::V4(Ipv4Addr::BROADCAST);
    assert_eq!(classify(addr), Purpose::Broadcast); // not the enclosing 240/4 "reserved"
}

#[test]
fn all_of_127_slash_8_is_loopback_and_192_169_is_not_private() {
    assert_eq!(classify("127.255.0.1".parse().unwrap()), Purpose::Loopback);
    assert_eq!(classify("192.169.0.1".parse().unwrap()), Purpose::Global);
    assert_eq!(classify("10.1.2.3".parse().unwrap()), Purpose::Private);
    assert_eq!(classify("100.64.0.1".parse().unwrap()), Purpose::SharedNat);
}

#[test]
fn ipv6_has_two_to_the_96_times_as_many_addresses() {
    assert_eq!(ipv6_over_ipv4(), 79_228_162_514_264_337_593_543_950_336);
}

#[test]
fn port_ranges_cover_every_port_exactly_once() {
    let mut counts = [0u32; 3];
    for port in 0..=u16::MAX {
        let range = PortRange::of(port);
        let (lo, hi) = range.bounds();
        assert!((lo..=hi).contains(&port), "{port} outside {range:?}");
        counts[range as usize] += 1;
    }
    assert_eq!(counts, [1024, 48_128, 16_384]);
}

fn resolver() -> Resolver {
    let s = Duration::from_secs;
    Resolver::new(s(60))
        .delegate("com", s(172_800))
        .delegate("example.com", s(86_400))
        .record("www.example.com", Ipv4Addr::new(203, 0, 113, 10), s(300))
        .record("api.example.com", Ipv4Addr::new(203, 0, 113, 20), s(60))
}

#[test]
fn a_cold_lookup_walks_root_tld_and_authoritative() {
    let lookup = resolver().resolve("www.example.com", Duration::ZERO);
    let asked: Vec<&str> = lookup
        .steps
        .iter()
        .filter(|s| s.from == "resolver" && s.to != "client")
        .map(|s| s.to.as_str())
        .collect();
    assert_eq!(asked, ["root", "com TLD", "example.com NS"]);
    assert_eq!(lookup.answer, Some(Ipv4Addr::new(203, 0, 113, 10)));
}

#[test]
fn answers_are_cached_until_their_ttl_ends_and_then_asked_of_the_authority() {
    let mut r = resolver();
    let s = Duration::from_secs;
    assert_eq!(r.resolve("www.example.com", s(0)).upstream_queries, 3);
    assert_eq!(r.resolve("WWW.example.com.", s(299)).upstream_queries, 0);
    assert_eq!(r.resolve("www.example.com", s(300)).upstream_queries, 1);
    // A sibling name starts at the cached delegation of example.com.
    assert_eq!(r.resolve("api.example.com", s(301)).upstream_queries, 1);
    // After the zone's own delegation expires, the TLD is asked again, not the root.
    assert_eq!(r.resolve("api.example.com", s(86_401)).upstream_queries, 2);
}

#[test]
fn a_missing_name_is_cached_negatively() {
    let mut r = resolver();
    let first = r.resolve("nope.example.com", Duration::ZERO);
    assert_eq!(first.answer, None);
    assert_eq!(
        r.resolve("nope.example.com", Duration::from_secs(59))
            .upstream_queries,
        0
    );
    assert_eq!(
        r.resolve("nope.example.com", Duration::from_secs(60))
            .upstream_queries,
        1
    );
}

#[test]
fn the_diagram_has_one_arrow_per_step() {
    let mut r = resolver();
    let a = r.resolve("www.example.com", Duration::ZERO);
    let b = r.resolve("www.example.com", Duration::from_secs(5));
    let arrows = a.steps.len() + b.steps.len();
    let diagram = sequence_diagram(&[(Duration::ZERO, a), (Duration::from_secs(5), b)]);
    assert_eq!(diagram.matches(">>").count(), arrows);
}

#[cfg(feature = "http")]
mod loopback {
    use std::time::Duration;
    use sysdesign::client_server::{LoadServer, ServerStyle, echo_exchange};

    #[test]
    fn the_echo_server_sends_back_every_line_in_order() {
        let messages = ["one", "two", "", "three"];
        let (replies, addr) = echo_exchange(&messages).unwrap();
        assert_eq!(replies, messages);
        assert!(addr.ip().is_loopback());
    }

    #[test]
    fn both_server_styles_complete_every_round_trip() {
        for style in [ServerStyle::ThreadPerConnection, ServerStyle::AsyncRuntime] {
            let server = LoadServer::start(style).unwrap();
            let run = server.drive(20, 5, Duration::from_secs(20));
            assert_eq!((run.connections, run.round_trips, run.failed), (20, 100, 0));
            assert_eq!(server.refused(), 0);
            server.stop();
        }
    }
}
