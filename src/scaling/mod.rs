//! Scaling: serving more load with a bigger machine (vertical) or with more machines
//! (horizontal), and the machinery horizontal scaling needs.
//!
//! A bigger machine is simple and has a ceiling; more machines have no ceiling in principle,
//! but they pay for coordination, so N machines give less than N times the throughput of one
//! ([`Usl`], Gunther's Universal Scalability Law, with Amdahl's law as its special case). More
//! machines also need the servers to be **stateless**, so that any of them can serve any
//! request ([`simulate_sessions`]); an **autoscaler** that adds and removes them as load moves
//! ([`simulate`]); and a **registry** that tells callers which of them exist and are healthy
//! right now ([`Registry`]).
//!
//! # The design
//!
//! Every simulation here runs on a clock that is passed in: the autoscaler's is the index of a
//! traffic series in seconds, the registry's is the `now` argument of each call, in ms. Random
//! choices (traffic noise, user churn) take a seed. So every run is the same on every machine,
//! and the property tests can drive thousands of schedules in a second.
//!
//! # Layout
//!
//! | module | idea |
//! | --- | --- |
//! | [`laws`] | Amdahl's law and the Universal Scalability Law: relative capacity, its peak, nodes for a target |
//! | [`sessions`] | sticky sessions against a shared session store, when the fleet grows and shrinks |
//! | [`autoscaler`] | a target-tracking autoscaler with provisioning delay and cooldowns, on a traffic ramp and spike |
//! | [`discovery`] | a service registry with TTL'd registrations, heartbeats and health checks |
//!
//! ```
//! use sysdesign::scaling::{AutoscalerConfig, Usl, needed, simulate, traffic};
//!
//! // Coordination costs: 32 nodes give far less than 32 nodes' throughput.
//! let usl = Usl::new(0.03, 0.0005).unwrap();
//! assert!(usl.capacity(32) < 14.0);
//!
//! // The autoscaler keeps the fleet within its bounds, and lags the load: some requests drop.
//! let config = AutoscalerConfig::default();
//! let load = traffic(5_400, 1);
//! let run = simulate(&config, &load).unwrap();
//! assert!(run.timeline.iter().all(|s| (config.min..=config.max).contains(&(s.in_service + s.pending))));
//! assert!(run.dropped > 0.0);
//! assert!(run.peak_instances() >= needed(&config, 1_000.0));
//! ```

pub mod autoscaler;
pub mod discovery;
pub mod laws;
pub mod sessions;

pub use autoscaler::{AutoscalerConfig, ConfigError, Run, Sample, needed, simulate, traffic};
pub use discovery::{HeartbeatError, Instance, Registry};
pub use laws::{Usl, UslError};
pub use sessions::{FleetChange, SessionReport, SessionStore, simulate_sessions};
