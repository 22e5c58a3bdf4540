//! Load balancing: which server gets the next request.
//!
//! A **load balancer** sits between clients and a pool of servers and picks one server per
//! request (or per connection). The strategies differ in what they look at: nothing
//! ([`Strategy::Random`], [`Strategy::RoundRobin`]), a configured capacity
//! ([`Strategy::WeightedRoundRobin`]), the load the balancer itself has sent
//! ([`Strategy::LeastConnections`], [`Strategy::PowerOfTwoChoices`]), the response times it has
//! seen ([`Strategy::LeastResponseTime`]), or the client ([`Strategy::IpHash`]).
//!
//! The design decision: one [`Balancer`] holds the state every strategy needs and is driven by
//! two calls, [`Balancer::pick`] when a request arrives and [`Balancer::finished`] when it
//! completes, so the same object runs in a test, in the seeded discrete-event simulation of
//! [`Cluster`] (unequal servers, queues, outages, a health checker), or behind a real proxy.
//!
//! ```
//! use sysdesign::load_balancing::{Cluster, Server, Strategy};
//!
//! let cluster = Cluster {
//!     servers: vec![Server { rate: 300.0, weight: 3 }, Server { rate: 100.0, weight: 1 }],
//!     arrival_rate: 280.0, requests: 20_000, clients: 1_000,
//!     outages: vec![], health_check: None, seed: 1,
//! };
//! // Round robin sends the slow server half the requests, 140 a second, more than its 100.
//! let rr = cluster.simulate(Strategy::RoundRobin);
//! let lc = cluster.simulate(Strategy::LeastConnections);
//! assert!(rr.percentile(0.99).unwrap() > 10.0 * lc.percentile(0.99).unwrap());
//! ```

mod sim;
mod strategy;

pub use sim::{Cluster, HealthCheck, HealthEvent, Outage, Request, Run, Server, UNEQUAL};
pub use strategy::{Balancer, Strategy};
