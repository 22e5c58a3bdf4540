//! Special-purpose address blocks, looked up by longest prefix.
//!
//! `std::net` parses addresses and answers a few questions about them (`is_loopback`,
//! `is_private`, ...), but several of its predicates are still unstable (`is_global`,
//! `is_documentation` for IPv6, `is_shared`, `is_benchmarking`), so the registry's blocks are
//! kept here as data, each with the RFC that reserves it, and a test checks that the table
//! agrees with every predicate `std` does have.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a special-purpose block is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// "This network": 0.0.0.0/8, and the unspecified addresses 0.0.0.0 and `::`.
    Unspecified,
    /// The machine itself: 127.0.0.0/8 and `::1`.
    Loopback,
    /// Private networks (RFC 1918): 10/8, 172.16/12, 192.168/16.
    Private,
    /// Carrier-grade NAT's shared address space (RFC 6598): 100.64/10.
    SharedNat,
    /// Link-local (no router forwards it): 169.254/16 and fe80::/10.
    LinkLocal,
    /// Reserved for examples in documentation (RFC 5737, RFC 3849).
    Documentation,
    /// Reserved for benchmarking (RFC 2544, RFC 5180).
    Benchmarking,
    /// IPv6 unique local addresses (RFC 4193): fc00::/7, the IPv6 counterpart of RFC 1918.
    UniqueLocal,
    /// Multicast: 224/4 and ff00::/8.
    Multicast,
    /// The IPv4 limited broadcast address 255.255.255.255.
    Broadcast,
    /// Reserved for future use (240/4, "class E").
    Reserved,
    /// An IPv4 address carried in IPv6 (RFC 4291): ::ffff:0:0/96.
    Ipv4Mapped,
    /// None of the above: an address that may be routed on the public internet.
    Global,
}

impl Purpose {
    /// A short name for a table.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Unspecified => "this network / unspecified",
            Purpose::Loopback => "loopback",
            Purpose::Private => "private (RFC 1918)",
            Purpose::SharedNat => "shared, carrier-grade NAT",
            Purpose::LinkLocal => "link-local",
            Purpose::Documentation => "documentation",
            Purpose::Benchmarking => "benchmarking",
            Purpose::UniqueLocal => "unique local",
            Purpose::Multicast => "multicast",
            Purpose::Broadcast => "limited broadcast",
            Purpose::Reserved => "reserved",
            Purpose::Ipv4Mapped => "IPv4-mapped",
            Purpose::Global => "global (publicly routable)",
        }
    }
}

/// One block of the IANA special-purpose registries (RFC 6890 and its updates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// The block's first address.
    pub network: IpAddr,
    /// The prefix length in bits.
    pub prefix: u8,
    /// What it is for.
    pub purpose: Purpose,
    /// The RFC that reserves it.
    pub rfc: &'static str,
}

impl Block {
    /// Whether `addr` lies in this block (an address of the other family never does).
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr) {
            (IpAddr::V4(net), IpAddr::V4(a)) => prefix_eq(
                u128::from(net.to_bits()),
                u128::from(a.to_bits()),
                32,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                prefix_eq(net.to_bits(), a.to_bits(), 128, self.prefix)
            }
            _ => false,
        }
    }

    /// How many addresses the block holds: 2^(width − prefix).
    pub fn size(&self) -> u128 {
        let width: u32 = if self.network.is_ipv4() { 32 } else { 128 };
        let free = width - u32::from(self.prefix);
        if free >= 128 {
            u128::MAX
        } else {
            1u128 << free
        }
    }
}

/// Whether the first `prefix` of `width` bits of `a` and `b` agree.
fn prefix_eq(a: u128, b: u128, width: u32, prefix: u8) -> bool {
    let shift = width - u32::from(prefix);
    shift >= 128 || (a >> shift) == (b >> shift)
}

const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8, purpose: Purpose, rfc: &'static str) -> Block {
    Block {
        network: IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
        prefix,
        purpose,
        rfc,
    }
}

const fn v6(segments: [u16; 8], prefix: u8, purpose: Purpose, rfc: &'static str) -> Block {
    let [a, b, c, d, e, f, g, h] = segments;
    Block {
        network: IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h)),
        prefix,
        purpose,
        rfc,
    }
}

// ANCHOR: blocks
/// The special-purpose blocks this chapter classifies, with the RFC that reserves each.
pub const BLOCKS: &[Block] = &[
    v4(0, 0, 0, 0, 8, Purpose::Unspecified, "RFC 1122"),
    v4(10, 0, 0, 0, 8, Purpose::Private, "RFC 1918"),
    v4(100, 64, 0, 0, 10, Purpose::SharedNat, "RFC 6598"),
    v4(127, 0, 0, 0, 8, Purpose::Loopback, "RFC 1122"),
    v4(169, 254, 0, 0, 16, Purpose::LinkLocal, "RFC 3927"),
    v4(172, 16, 0, 0, 12, Purpose::Private, "RFC 1918"),
    v4(192, 0, 2, 0, 24, Purpose::Documentation, "RFC 5737"),
    v4(192, 168, 0, 0, 16, Purpose::Private, "RFC 1918"),
    v4(198, 18, 0, 0, 15, Purpose::Benchmarking, "RFC 2544"),
    v4(198, 51, 100, 0, 24, Purpose::Documentation, "RFC 5737"),
    v4(203, 0, 113, 0, 24, Purpose::Documentation, "RFC 5737"),
    v4(224, 0, 0, 0, 4, Purpose::Multicast, "RFC 5771"),
    v4(240, 0, 0, 0, 4, Purpose::Reserved, "RFC 1112"),
    v4(255, 255, 255, 255, 32, Purpose::Broadcast, "RFC 919"),
    v6([0; 8], 128, Purpose::Unspecified, "RFC 4291"),
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, Purpose::Loopback, "RFC 4291"),
    v6(
        [0, 0, 0, 0, 0, 0xffff, 0, 0],
        96,
        Purpose::Ipv4Mapped,
        "RFC 4291",
    ),
    v6(
        [0x2001, 0x2, 0, 0, 0, 0, 0, 0],
        48,
        Purpose::Benchmarking,
        "RFC 5180",
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        Purpose::Documentation,
        "RFC 3849",
    ),
    v6(
        [0xfc00, 0, 0, 0, 0, 0, 0, 0],
        7,
        Purpose::UniqueLocal,
        "RFC 4193",
    ),
    v6(
        [0xfe80, 0, 0, 0, 0, 0, 0, 0],
        10,
        Purpose::LinkLocal,
        "RFC 4291",
    ),
    v6(
        [0xff00, 0, 0, 0, 0, 0, 0, 0],
        8,
        Purpose::Multicast,
        "RFC 4291",
    ),
];

/// The most specific block that holds `addr` (longest prefix wins), if any.
///
/// ```
/// use std::net::IpAddr;
/// use sysdesign::client_server::{Purpose, block_of};
///
/// let addr: IpAddr = "172.20.1.9".parse().unwrap();
/// assert_eq!(block_of(addr).map(|b| b.purpose), Some(Purpose::Private));
/// let public: IpAddr = "172.32.0.1".parse().unwrap(); // just past 172.16/12
/// assert_eq!(block_of(public), None);
/// ```
pub fn block_of(addr: IpAddr) -> Option<&'static Block> {
    BLOCKS
        .iter()
        .filter(|b| b.contains(addr))
        .max_by_key(|b| b.prefix)
}

/// What `addr` is for: its block's purpose, or [`Purpose::Global`] outside every block.
pub fn classify(addr: IpAddr) -> Purpose {
    block_of(addr).map_or(Purpose::Global, |b| b.purpose)
}
// ANCHOR_END: blocks

/// How many times more IPv6 addresses there are than IPv4 addresses: 2^128 / 2^32 = 2^96.
///
/// ```
/// assert_eq!(sysdesign::client_server::ipv6_over_ipv4(), 1u128 << 96);
/// ```
pub fn ipv6_over_ipv4() -> u128 {
    1u128 << (128 - 32)
}
