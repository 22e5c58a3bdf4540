//! Where a user's session lives decides whether a fleet can grow and shrink freely.
//!
//! With the session in the memory of the server that logged the user in, the load balancer
//! must send the user back there every time (a *sticky session*): the user is pinned. Servers
//! added later get only users who log in later, and a server removed takes its users' sessions
//! with it. With the session in a shared store, every server can serve every request: the
//! servers are *stateless*, and the load balancer spreads requests round robin.
//!
//! The simulation counts requests per server each tick, users logged out by a removal, and
//! reads of the shared store; the random churn of users (log out, a new one logs in) is seeded.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Where sessions are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStore {
    /// In the memory of the server that created it; the user is pinned to that server.
    InServer,
    /// In a store every server reads (Redis, a database); any server serves any request.
    Shared,
}

/// A change to the fleet at some tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FleetChange {
    /// Start this many new servers.
    Add(usize),
    /// Stop the server that was started in this position (0 for the first).
    Remove(usize),
}

/// What happened in a session simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionReport {
    /// Per tick, the busiest server's requests over the mean per live server (1 is even).
    pub imbalance: Vec<f64>,
    /// Users whose session was lost because their server was stopped.
    pub sessions_lost: u64,
    /// Reads of the shared session store (one per request when sessions are shared, else 0).
    pub store_reads: u64,
}

impl SessionReport {
    /// The mean of [`imbalance`](SessionReport::imbalance) over ticks `from..to`.
    ///
    /// ```
    /// use sysdesign::scaling::SessionReport;
    /// let r = SessionReport { imbalance: vec![1.0, 2.0, 3.0], sessions_lost: 0, store_reads: 0 };
    /// assert_eq!(r.mean_imbalance(1, 3), 2.5);
    /// ```
    pub fn mean_imbalance(&self, from: usize, to: usize) -> f64 {
        let to = to.min(self.imbalance.len());
        let slice = &self.imbalance[from.min(to)..to];
        if slice.is_empty() {
            return 0.0;
        }
        slice.iter().sum::<f64>() / slice.len() as f64
    }
}

// ANCHOR: sessions
/// `users` users each send one request a tick for `ticks` ticks to a fleet that starts with
/// `servers` servers and changes as `changes` says (tick, change); each tick, each user logs
/// out with probability `churn` and a new user takes their place.
///
/// ```
/// use sysdesign::scaling::{FleetChange, SessionStore, simulate_sessions};
///
/// let changes = [(10, FleetChange::Remove(0))];
/// let sticky = simulate_sessions(SessionStore::InServer, 400, 4, &changes, 20, 0.0, 1);
/// let shared = simulate_sessions(SessionStore::Shared, 400, 4, &changes, 20, 0.0, 1);
/// assert_eq!(sticky.sessions_lost, 100); // a quarter of the users were on server 0
/// assert_eq!(shared.sessions_lost, 0);
/// assert_eq!(shared.store_reads, 400 * 20);
/// ```
pub fn simulate_sessions(
    store: SessionStore,
    users: usize,
    servers: usize,
    changes: &[(u64, FleetChange)],
    ticks: u64,
    churn: f64,
    seed: u64,
) -> SessionReport {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut live: Vec<bool> = vec![true; servers.max(1)];
    // For each user, the server holding their session (sticky only).
    let mut pinned: Vec<Option<usize>> = vec![None; users];
    let mut next = 0usize; // the load balancer's round-robin position
    let mut report = SessionReport {
        imbalance: Vec::new(),
        sessions_lost: 0,
        store_reads: 0,
    };
    for tick in 0..ticks {
        for &(_, change) in changes.iter().filter(|(at, _)| *at == tick) {
            match change {
                FleetChange::Add(n) => live.extend(std::iter::repeat_n(true, n)),
                FleetChange::Remove(i) => {
                    // Never stop the last server: the fleet keeps at least one.
                    if live.get(i) == Some(&true) && live.iter().filter(|&&l| l).count() > 1 {
                        live[i] = false;
                        for pin in pinned.iter_mut().filter(|p| **p == Some(i)) {
                            *pin = None;
                            report.sessions_lost += 1;
                        }
                    }
                }
            }
        }
        let mut round_robin = || loop {
            next = (next + 1) % live.len();
            if live[next] {
                return next;
            }
        };
        let mut requests = vec![0u64; live.len()];
        for pin in pinned.iter_mut() {
            if churn > 0.0 && rng.random_bool(churn.min(1.0)) {
                *pin = None; // this user left; a new one logs in with no session yet
            }
            let server = match store {
                SessionStore::InServer => *pin.get_or_insert_with(&mut round_robin),
                SessionStore::Shared => {
                    report.store_reads += 1;
                    round_robin()
                }
            };
            requests[server] += 1;
        }
        let alive = live.iter().filter(|&&l| l).count() as f64;
        let max = requests.iter().copied().max().unwrap_or(0) as f64;
        let mean = users as f64 / alive;
        report
            .imbalance
            .push(if mean > 0.0 { max / mean } else { 1.0 });
    }
    report
}
// ANCHOR_END: sessions
