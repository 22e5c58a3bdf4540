//! Sizes fixed by the headers' field widths: how large an IP packet, a TCP segment's header or
//! a UDP datagram can be, computed from the bits each RFC gives the length fields.

/// One size limit and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// What is limited.
    pub what: &'static str,
    /// The limit in bytes.
    pub bytes: u64,
    /// How it follows from the header's fields.
    pub why: &'static str,
    /// The source.
    pub source: &'static str,
}

/// The largest value an unsigned field of `bits` bits holds.
const fn field_max(bits: u32) -> u64 {
    (1u64 << bits) - 1
}

/// IPv4's fixed header: 20 bytes.
pub const IPV4_MIN_HEADER: u64 = 20;
/// TCP's fixed header: 20 bytes.
pub const TCP_MIN_HEADER: u64 = 20;
/// UDP's header: 8 bytes.
pub const UDP_HEADER: u64 = 8;
/// IPv6's fixed header: 40 bytes.
pub const IPV6_HEADER: u64 = 40;
/// Ethernet's usual payload size (its MTU).
pub const ETHERNET_MTU: u64 = 1500;

// ANCHOR: limits
/// The limits, computed from the field widths.
///
/// ```
/// use sysdesign::protocols::limits;
///
/// let udp = limits().into_iter().find(|l| l.what.starts_with("UDP payload, IPv4")).unwrap();
/// assert_eq!(udp.bytes, 65_507);
/// ```
pub fn limits() -> Vec<Limit> {
    let ipv4_total = field_max(16); // Total Length, 16 bits, counts the header too
    let ihl_words = field_max(4); // Internet Header Length, in 32-bit words
    let data_offset_words = field_max(4); // TCP's Data Offset, in 32-bit words
    vec![
        Limit {
            what: "IPv4 header",
            bytes: ihl_words * 4,
            why: "IHL is 4 bits of 32-bit words: at most 15 × 4 (20 without options)",
            source: "RFC 791 §3.1",
        },
        Limit {
            what: "IPv4 packet, header included",
            bytes: ipv4_total,
            why: "Total Length is 16 bits and counts the header",
            source: "RFC 791 §3.1",
        },
        Limit {
            what: "IPv6 payload, header excluded",
            bytes: field_max(16),
            why: "Payload Length is 16 bits; the 40-byte header is extra (jumbograms go beyond)",
            source: "RFC 8200 §3, RFC 2675",
        },
        Limit {
            what: "TCP header",
            bytes: data_offset_words * 4,
            why: "Data Offset is 4 bits of 32-bit words: at most 60 (20 without options)",
            source: "RFC 9293 §3.1",
        },
        Limit {
            what: "UDP payload, IPv4",
            bytes: ipv4_total - IPV4_MIN_HEADER - UDP_HEADER,
            why: "65,535 − 20 (IPv4 header) − 8 (UDP header)",
            source: "RFC 768, RFC 791",
        },
        Limit {
            what: "TCP payload per segment on Ethernet, IPv4",
            bytes: ETHERNET_MTU - IPV4_MIN_HEADER - TCP_MIN_HEADER,
            why: "MTU 1,500 − 20 − 20: the usual MSS, before TCP options",
            source: "RFC 9293 §3.7.1, RFC 894",
        },
        Limit {
            what: "TCP payload per segment on Ethernet, IPv6",
            bytes: ETHERNET_MTU - IPV6_HEADER - TCP_MIN_HEADER,
            why: "MTU 1,500 − 40 − 20",
            source: "RFC 9293 §3.7.1, RFC 8200",
        },
    ]
}
// ANCHOR_END: limits
