//! Batching and compression: the same events sent as one request each, as one batched
//! request, and as one batched request compressed with gzip, counted in bytes.

use super::http::{BuildError, Request};
use super::limits::{ETHERNET_MTU, IPV4_MIN_HEADER, TCP_MIN_HEADER};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

/// A small analytics event, like the ones a client batches before sending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Who did it.
    pub user: u32,
    /// What they did.
    pub action: &'static str,
    /// Which video.
    pub video: u32,
    /// When, in milliseconds since the start of the session.
    pub at_ms: u64,
}

const ACTIONS: [&str; 4] = ["play", "pause", "seek", "like"];

/// `n` events drawn from a seeded generator: few users, a few hundred videos, times that grow.
///
/// ```
/// let a = sysdesign::protocols::events(5, 7);
/// assert_eq!(a, sysdesign::protocols::events(5, 7));
/// assert!(a.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
/// ```
pub fn events(n: usize, seed: u64) -> Vec<Event> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut at_ms = 0;
    (0..n)
        .map(|_| {
            at_ms += rng.random_range(1..2_000);
            Event {
                user: rng.random_range(1_000..1_050),
                action: ACTIONS[rng.random_range(0..ACTIONS.len())],
                video: rng.random_range(0..300),
                at_ms,
            }
        })
        .collect()
}

fn post(body: Vec<u8>) -> Request {
    Request::new("POST", "/v1/events")
        .header("Host", "analytics.example.com")
        .header("User-Agent", "sysdesign-book/0.1")
        .header("Content-Type", "application/json")
        .body(body)
}

// ANCHOR: batching
/// One POST per event, each with its own head.
pub fn one_request_each(events: &[Event]) -> Vec<Request> {
    events
        .iter()
        .map(|e| post(serde_json::to_vec(e).expect("an event always serializes")))
        .collect()
}

/// The events as a JSON array.
pub fn to_json(events: &[Event]) -> Vec<u8> {
    serde_json::to_vec(events).expect("events always serialize")
}

/// One POST carrying every event as a JSON array.
pub fn one_batch(events: &[Event]) -> Request {
    post(to_json(events))
}

/// The batch with its body compressed by gzip at `level` (0 to 9), labelled with
/// `Content-Encoding: gzip` (RFC 9110 section 8.4).
#[cfg(feature = "compression")]
pub fn one_gzipped_batch(events: &[Event], level: u32) -> Request {
    post(gzip(&to_json(events), level)).header("Content-Encoding", "gzip")
}
// ANCHOR_END: batching

/// Compresses `bytes` with gzip at `level` (clamped to 0..=9).
///
/// ```
/// use sysdesign::protocols::{gunzip, gzip};
///
/// let text = b"play play play play play play play play".repeat(10);
/// let packed = gzip(&text, 6);
/// assert!(packed.len() < text.len() / 4);
/// assert_eq!(gunzip(&packed).unwrap(), text);
/// ```
#[cfg(feature = "compression")]
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level.min(9)));
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .expect("writing to a Vec cannot fail")
}

/// Decompresses gzip data; an error when it is not valid gzip.
#[cfg(feature = "compression")]
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Bytes a set of requests puts on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WireBytes {
    /// Requests sent.
    pub requests: usize,
    /// Bytes of request lines and header fields.
    pub head: usize,
    /// Bytes of bodies.
    pub body: usize,
    /// TCP segments needed at one Ethernet MSS each, at least one per request.
    pub segments: usize,
    /// IPv4 and TCP headers of those segments, at their 40-byte minimum.
    pub packet_headers: usize,
}

impl WireBytes {
    /// Everything: heads, bodies and packet headers.
    pub fn total(&self) -> usize {
        self.head + self.body + self.packet_headers
    }
}

/// Counts what `requests` cost on the wire (requests only, not the responses, handshakes or
/// acknowledgements).
///
/// ```
/// use sysdesign::protocols::{Request, wire_bytes};
///
/// let r = Request::new("POST", "/").body(vec![b'x'; 3_000]);
/// let w = wire_bytes(&[r]).unwrap();
/// assert_eq!((w.body, w.segments, w.packet_headers), (3_000, 3, 120));
/// ```
pub fn wire_bytes(requests: &[Request]) -> Result<WireBytes, BuildError> {
    let mss = (ETHERNET_MTU - IPV4_MIN_HEADER - TCP_MIN_HEADER) as usize;
    let per_segment = (IPV4_MIN_HEADER + TCP_MIN_HEADER) as usize;
    let mut w = WireBytes::default();
    for r in requests {
        let bytes = r.to_bytes()?.len();
        let segments = bytes.div_ceil(mss).max(1);
        w.requests += 1;
        w.body += r.body.len();
        w.head += bytes - r.body.len();
        w.segments += segments;
        w.packet_headers += segments * per_segment;
    }
    Ok(w)
}
