//! Protocols: what IP, TCP, UDP and HTTP/1.1 put on the wire, and what a connection costs.
//!
//! [`limits`] computes the size limits that the headers' field widths fix. [`Request`] and
//! [`Response`] build HTTP/1.1 messages as bytes and [`parse_request`] and [`parse_response`]
//! read them back with `httparse`, never panicking on any input. [`HttpServer`] serves them on
//! 127.0.0.1, to a client that opens a connection per request ([`send_on_new_connection`]) or
//! keeps one open ([`KeepAlive`]). [`one_request_each`], [`one_batch`] and (with the
//! `compression` feature) [`one_gzipped_batch`] send the same events three ways, and
//! [`wire_bytes`] counts what each costs.
//!
//! The design decision: sizes are computed from the RFCs' field widths and counted from the
//! bytes the code builds, so they are exact and checked by tests; speeds are timed by programs.
//!
//! ```
//! use sysdesign::protocols::{Parsed, Response, parse_response};
//!
//! let bytes = Response::new(404).body("no such payment").to_bytes().unwrap();
//! assert!(bytes.starts_with(b"HTTP/1.1 404 Not Found\r\n"));
//! let Ok(Parsed::Complete(back, _)) = parse_response(&bytes) else { panic!() };
//! assert_eq!(back, Response::new(404).body("no such payment"));
//! ```

mod batching;
mod http;
mod limits;
mod server;

pub use batching::{Event, WireBytes, events, one_batch, one_request_each, to_json, wire_bytes};
#[cfg(feature = "compression")]
pub use batching::{gunzip, gzip, one_gzipped_batch};
pub use http::{
    BuildError, Headers, MAX_HEADERS, ParseError, Parsed, Request, Response, parse_request,
    parse_response, reason,
};
pub use limits::{
    ETHERNET_MTU, IPV4_MIN_HEADER, IPV6_HEADER, Limit, TCP_MIN_HEADER, UDP_HEADER, limits,
};
pub use server::{HttpServer, KeepAlive, send_on_new_connection};
