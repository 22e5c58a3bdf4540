//! Client and server: how a client finds a server (an IP address, a port, a DNS name) and how
//! the server answers many clients at once.
//!
//! [`classify`] tells what an address is for from the special-purpose blocks of RFC 6890 and
//! its updates, kept as data in [`BLOCKS`]; [`PortRange`] names the three port ranges of
//! RFC 6335. [`Resolver`] is an iterative DNS resolver with a TTL cache, simulated on a clock the
//! caller passes in, whose lookups [`sequence_diagram`] draws. With the `http` feature,
//! [`echo_exchange`] runs a tokio echo server and client on 127.0.0.1, and [`LoadServer`] serves
//! the same echo with a thread per connection or one async runtime, for a program to time.
//!
//! The design decision: what the registries and RFCs fix (address blocks, port ranges) is data
//! with its source beside it, checked against `std::net` where `std` has the predicate; what
//! depends on the machine (how fast a server is) is measured by a program, never asserted.
//!
//! ```
//! use std::net::IpAddr;
//! use sysdesign::client_server::{Purpose, classify};
//!
//! let doc: IpAddr = "2001:db8::1".parse().unwrap();
//! assert_eq!(classify(doc), Purpose::Documentation);
//! let loopback: IpAddr = "127.8.8.8".parse().unwrap(); // all of 127/8, not only 127.0.0.1
//! assert_eq!(classify(loopback), Purpose::Loopback);
//! ```

mod address;
mod dns;
#[cfg(feature = "http")]
mod echo;
mod ports;

pub use address::{BLOCKS, Block, Purpose, block_of, classify, ipv6_over_ipv4};
pub use dns::{Lookup, Resolver, Step, sequence_diagram};
#[cfg(feature = "http")]
pub use echo::{LoadRun, LoadServer, ServerStyle, THREAD_STACK, echo_exchange};
pub use ports::{PortRange, SERVICES, Service};
