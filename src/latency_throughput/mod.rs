//! Latency and throughput: how long one operation takes, how many a system completes per
//! second, and how the two meet under load.
//!
//! Three pieces. [`PUBLISHED`] holds the famous latency figures with who published them and
//! when, and [`scott`] carries them forward with Colin Scott's trend model. The [`probe`]
//! workloads (memory in order and out of order, a file read and a durable write, a loopback
//! round trip) are what a program times on the reader's machine; they never read a clock
//! themselves. [`Queue`] is a seeded single-server queue on a simulated clock, whose mean
//! wait the tests check against the M/M/1 and M/D/1 formulas, and whose queue length checks
//! Little's law, L = λW.
//!
//! The design decision: figures that depend on the machine are measured by a program and
//! never asserted, while the queue, which depends only on its seed, is checked exactly.
//!
//! ```
//! use sysdesign::delivery_framework::PerSecond;
//! use sysdesign::latency_throughput::{Queue, Service, md1_mean_wait};
//!
//! let queue = Queue {
//!     arrival_rate: PerSecond::new(800.0),
//!     service_rate: PerSecond::new(1_000.0),
//!     service: Service::Deterministic,
//!     customers: 100_000,
//!     seed: 3,
//! };
//! let run = queue.run().unwrap();
//! // The wait matches the Pollaczek–Khinchine formula within a few per cent,
//! let theory = md1_mean_wait(queue.arrival_rate, queue.service_rate).unwrap();
//! assert!((run.mean_wait / theory - 1.0).abs() < 0.05);
//! // and the queue's time-average length matches λ·W (Little's law).
//! assert!((run.mean_number.get() / (run.arrivals * run.mean_in_system).get() - 1.0).abs() < 0.01);
//! ```

mod numbers;
pub mod probe;
mod queue;

pub use numbers::{MORE_PUBLISHED, PUBLISHED, Published, Source, all_published, scott};
pub use probe::{BadSize, EchoServer, LINE, MemoryBuffer, append_durably, read_file, round_trip};
pub use queue::{Queue, QueueError, QueueRun, Service, md1_mean_wait, mm1_mean_wait, utilisation};
