//! Peer-to-peer distribution and gossip.
//!
//! When one server must give a file to N machines, its upload link carries N copies and the
//! time grows with N. When the machines pass pieces on to each other, every new machine brings
//! upload capacity as well as demand, and the time levels off: the bound
//! max(F/u_s, F/d_min, N·F/(u_s + Σ u_i)) of Kurose and Ross. [`Distribution`] computes both
//! bounds in the units of [`crate::delivery_framework`]; [`SwarmConfig`] simulates a file cut
//! into chunks, in seeded discrete rounds, from a server alone or with the peers helping; and
//! [`push_gossip`] spreads one piece of news by random pushes, the way peers learn who holds
//! what without a central tracker.
//!
//! The design: time in the simulations is counted in rounds (one chunk upload at a peer's rate,
//! or one gossip exchange), never read from a clock, and every random choice comes from a
//! seeded generator, so each run is the same on every machine.
//!
//! ```
//! use sysdesign::peer_to_peer::{SwarmConfig, push_gossip};
//!
//! let swarm = SwarmConfig { peers: 32, chunks: 16, server_slots: 1,
//!                           peer_upload_slots: 1, peer_download_slots: 1 };
//! let alone = SwarmConfig { peer_upload_slots: 0, ..swarm };
//! assert!(swarm.simulate(1).unwrap().rounds * 4 < alone.simulate(1).unwrap().rounds);
//! assert!(push_gossip(32, 1, 1, 100).unwrap().rounds >= 5); // log2 32
//! ```

mod bounds;
mod gossip;
mod swarm;

pub use bounds::{Bottleneck, Bound, Distribution};
pub use gossip::{Spread, pittel_rounds, push_gossip, rounds_past_pittel};
pub use swarm::{MAX_CELLS, SwarmConfig, SwarmError, SwarmRun};
