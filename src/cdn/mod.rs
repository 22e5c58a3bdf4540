//! A content delivery network, simulated: edge caches placed around the world answer clients
//! from nearby, and go back to the origin only on a miss.
//!
//! A request's latency here is made of round trips, and a round trip of distance: light in
//! optical fibre covers about 200 km per millisecond ([`FIBRE_KM_PER_MS`]), so a client
//! 10,000 km from the origin waits at least 100 ms for any answer. An edge near the client
//! cuts that to a few milliseconds *when it has the object*; when it does not, the request
//! goes client → edge → origin and back, never shorter than going to the origin directly.
//!
//! # The design
//!
//! The world is a circle the length of the equator ([`EARTH_CIRCUMFERENCE_KM`]); origin, edges
//! and clients are positions on it, in km, and distance is the shorter way round. This keeps
//! the geometry to one number per place while keeping real distances and round trips; routes
//! in real fibre are longer than the shortest path, so the round trips here are lower bounds.
//! Each edge is an [`Lru`](crate::caching::Lru) of the caching chapter, and requests come from
//! its Zipf workload ([`zipf_trace`](crate::caching::zipf_trace)); a client uses the nearest
//! edge, as anycast or a geographic DNS answer would send it. Objects change at the origin
//! ([`Update`]); a **pull** CDN keeps a copy for a TTL and may be told to purge it, a **push**
//! CDN is sent every new version by the origin ([`Fill`]). The simulation counts, per request,
//! the latency and whether the copy served was stale.
//!
//! # Layout
//!
//! | module | idea |
//! | --- | --- |
//! | this one | the geometry: distances on the circle and round trips in fibre |
//! | [`edge`] | the edge network simulation: pull or push, TTL, purge, stale copies, latency |
//!
//! ```
//! use sysdesign::cdn::{Fill, CdnConfig, Request, simulate};
//!
//! // One edge at 5,000 km, the origin at 0, a client at 5,100 km asking twice for key 7.
//! let config = CdnConfig { edges: vec![5_000.0], ..CdnConfig::default() };
//! let requests = [
//!     Request { at_ms: 0, client_km: 5_100.0, key: 7 },
//!     Request { at_ms: 1_000, client_km: 5_100.0, key: 7 },
//! ];
//! let report = simulate(&config, &requests, &[]);
//! assert_eq!((report.hits, report.misses), (1, 1));
//! // The hit costs the 100 km to the edge and back: 1 ms.
//! assert!((report.latencies_ms[1] - 1.0).abs() < 1e-9);
//! assert!(matches!(config.fill, Fill::Pull { .. }));
//! ```

pub mod edge;

pub use edge::{CdnConfig, CdnReport, Fill, Request, Update, edge_positions, simulate, workload};

/// Kilometres light travels in optical fibre per millisecond, about two thirds of its speed in
/// vacuum (the glass's refractive index is about 1.5).
pub const FIBRE_KM_PER_MS: f64 = 200.0;

/// The length of the equator, in km: the circumference of the simulated world.
pub const EARTH_CIRCUMFERENCE_KM: f64 = 40_075.0;

/// The distance between two positions on the circle, the shorter way round, in km.
///
/// ```
/// use sysdesign::cdn::{EARTH_CIRCUMFERENCE_KM, distance_km};
/// assert_eq!(distance_km(100.0, 400.0), 300.0);
/// // Going the other way round is shorter.
/// assert!((distance_km(100.0, EARTH_CIRCUMFERENCE_KM - 100.0) - 200.0).abs() < 1e-9);
/// ```
pub fn distance_km(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(EARTH_CIRCUMFERENCE_KM);
    d.min(EARTH_CIRCUMFERENCE_KM - d)
}

// ANCHOR: rtt
/// The round trip over `distance` km of fibre: there and back at [`FIBRE_KM_PER_MS`].
///
/// ```
/// use sysdesign::cdn::rtt_ms;
/// assert_eq!(rtt_ms(1_000.0), 10.0);
/// ```
pub fn rtt_ms(distance: f64) -> f64 {
    2.0 * distance / FIBRE_KM_PER_MS
}
// ANCHOR_END: rtt
