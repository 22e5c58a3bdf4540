//! Proxies: a server in the middle of an HTTP exchange.
//!
//! A **forward proxy** works for clients: they send it their requests and it fetches from any
//! server, which sees the proxy's address. A **reverse proxy** works for servers: clients think
//! it is the server, and it passes each request to one of the real servers behind it, after
//! adding what those servers can no longer see for themselves, the client's address, in
//! `Forwarded` (RFC 7239), `X-Forwarded-For` and `Via` (RFC 9110). An **API gateway** is a
//! reverse proxy in front of many services that also authenticates, limits the rate, routes by
//! path and aggregates answers.
//!
//! The design: the header arithmetic ([`ForwardedElement`], [`parse_forwarded`],
//! [`append_to_list`]) and the route table ([`RouteTable`]) are plain functions in the light
//! core; the servers (`ReverseProxy`, `Gateway`, `echo_backend`) need tokio, axum and hyper
//! and sit behind the `http` feature. The proxy does not choose backends itself: it reuses the
//! [`crate::load_balancing`] balancer, and the gateway reuses the rate limiter middleware of
//! [`crate::rate_limiting`].
//!
//! ```
//! use sysdesign::proxies::{ForwardedElement, Node, append_to_list, parse_forwarded};
//!
//! // A second proxy appends its element to the one the first proxy wrote.
//! let first = "for=203.0.113.9;by=_edge1";
//! let mine = ForwardedElement { for_: Some(Node::Ip("10.0.0.5".parse().unwrap(), None)),
//!                               by: Some(Node::Obfuscated("_edge2".into())), ..Default::default() };
//! let header = append_to_list(Some(first), &mine.to_string());
//! assert_eq!(header, "for=203.0.113.9;by=_edge1, for=10.0.0.5;by=_edge2");
//! assert_eq!(parse_forwarded(&header).unwrap()[1], mine);
//! ```

mod headers;
mod routes;

pub use headers::{
    ForwardedElement, ForwardedError, Node, append_to_list, parse_forwarded, via_entry,
};
pub use routes::RouteTable;

#[cfg(feature = "http")]
mod gateway;
#[cfg(feature = "http")]
mod lab;
#[cfg(feature = "http")]
mod reverse;

#[cfg(feature = "http")]
pub use gateway::{API_KEY, Gateway};
#[cfg(feature = "http")]
pub use lab::{Lab, Reply};
#[cfg(feature = "http")]
pub use reverse::{
    ProxyError, ReverseProxy, Seen, X_BACKEND, X_FORWARDED_FOR, echo_backend, get, send,
};
