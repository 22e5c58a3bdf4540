//! Event sourcing: the state is a fold over an append-only log of events; snapshots make
//! loading it cheap without changing what it is.

use std::collections::BTreeMap;
use std::fmt;

/// Something that happened to an account. Events are facts: they are never edited or removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountEvent {
    /// The account was opened.
    Opened {
        /// The account.
        account: String,
    },
    /// Money came in.
    Deposited {
        /// The account.
        account: String,
        /// How much, in cents.
        amount: u64,
    },
    /// Money went out.
    Withdrew {
        /// The account.
        account: String,
        /// How much, in cents.
        amount: u64,
    },
}

/// A request to change an account, checked against the current state before it becomes an
/// event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open an account.
    Open(String),
    /// Deposit cents into an account.
    Deposit(String, u64),
    /// Withdraw cents from an account.
    Withdraw(String, u64),
}

/// Why a command was refused (no event is recorded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The account is already open.
    AlreadyOpen(String),
    /// No such account.
    NoAccount(String),
    /// The balance does not cover the withdrawal.
    InsufficientFunds {
        /// The account.
        account: String,
        /// Its balance, in cents.
        balance: u64,
        /// The amount asked for, in cents.
        amount: u64,
    },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::AlreadyOpen(a) => write!(f, "account {a:?} is already open"),
            Refused::NoAccount(a) => write!(f, "no account {a:?}"),
            Refused::InsufficientFunds {
                account,
                balance,
                amount,
            } => write!(
                f,
                "account {account:?} holds {balance} cents, cannot withdraw {amount}"
            ),
        }
    }
}

impl std::error::Error for Refused {}

/// The state the events build: each open account's balance in cents.
pub type Balances = BTreeMap<String, u64>;

// ANCHOR: apply
/// Applies one event to the state. It never fails: an event is a fact that was checked when
/// it was recorded, so replaying it must reproduce the same state.
pub fn apply(state: &mut Balances, event: &AccountEvent) {
    match event {
        AccountEvent::Opened { account } => {
            state.entry(account.clone()).or_insert(0);
        }
        AccountEvent::Deposited { account, amount } => {
            *state.entry(account.clone()).or_insert(0) += amount;
        }
        AccountEvent::Withdrew { account, amount } => {
            let balance = state.entry(account.clone()).or_insert(0);
            *balance = balance.saturating_sub(*amount);
        }
    }
}

/// The state after `events`, from nothing.
pub fn replay(events: &[AccountEvent]) -> Balances {
    let mut state = Balances::new();
    for event in events {
        apply(&mut state, event);
    }
    state
}
// ANCHOR_END: apply

/// A copy of the state after the first `version` events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// How many events it includes.
    pub version: usize,
    /// The state after them.
    pub state: Balances,
}

// ANCHOR: store
/// An event store for accounts: commands are checked against the current state and become
/// events appended to the log; every `snapshot_every` events a snapshot is taken, so loading
/// the state replays only the events after the latest one.
///
/// ```
/// use sysdesign::event_streams::{Command, EventStore, replay};
///
/// let mut store = EventStore::new(2);
/// store.handle(Command::Open("ada".into()))?;
/// store.handle(Command::Deposit("ada".into(), 500))?;
/// store.handle(Command::Withdraw("ada".into(), 200))?;
/// assert!(store.handle(Command::Withdraw("ada".into(), 999)).is_err()); // no event
/// let (state, replayed) = store.load();
/// assert_eq!(state["ada"], 300);
/// assert_eq!(replayed, 1); // from the snapshot at version 2
/// assert_eq!(state, replay(store.events()));
/// # Ok::<(), sysdesign::event_streams::Refused>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct EventStore {
    events: Vec<AccountEvent>,
    snapshots: Vec<Snapshot>,
    current: Balances,
    snapshot_every: usize,
}

impl EventStore {
    /// An empty store that snapshots every `snapshot_every` events (0: never).
    pub fn new(snapshot_every: usize) -> Self {
        EventStore {
            snapshot_every,
            ..EventStore::default()
        }
    }

    /// Checks `command` against the current state and records its event.
    ///
    /// # Errors
    /// [`Refused`] when the command is not valid now; nothing is recorded.
    pub fn handle(&mut self, command: Command) -> Result<&AccountEvent, Refused> {
        let event = match command {
            Command::Open(account) if self.current.contains_key(&account) => {
                return Err(Refused::AlreadyOpen(account));
            }
            Command::Open(account) => AccountEvent::Opened { account },
            Command::Deposit(account, _) | Command::Withdraw(account, _)
                if !self.current.contains_key(&account) =>
            {
                return Err(Refused::NoAccount(account));
            }
            Command::Deposit(account, amount) => AccountEvent::Deposited { account, amount },
            Command::Withdraw(account, amount) => {
                let balance = self.current[&account];
                if amount > balance {
                    return Err(Refused::InsufficientFunds {
                        account,
                        balance,
                        amount,
                    });
                }
                AccountEvent::Withdrew { account, amount }
            }
        };
        apply(&mut self.current, &event);
        self.events.push(event);
        if self.snapshot_every > 0 && self.events.len().is_multiple_of(self.snapshot_every) {
            self.snapshots.push(Snapshot {
                version: self.events.len(),
                state: self.current.clone(),
            });
        }
        Ok(self.events.last().expect("just pushed"))
    }

    /// Rebuilds the state as a restarted process would: the latest snapshot, then the events
    /// after it. Returns the state and how many events were replayed.
    pub fn load(&self) -> (Balances, usize) {
        let (mut state, from) = match self.snapshots.last() {
            Some(s) => (s.state.clone(), s.version),
            None => (Balances::new(), 0),
        };
        let tail = &self.events[from..];
        for event in tail {
            apply(&mut state, event);
        }
        (state, tail.len())
    }
    // ANCHOR_END: store

    /// The state as it was after the first `version` events (time travel).
    pub fn as_of(&self, version: usize) -> Balances {
        replay(&self.events[..version.min(self.events.len())])
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[AccountEvent] {
        &self.events
    }

    /// Every snapshot taken, oldest first.
    pub fn snapshots(&self) -> &[Snapshot] {
        &self.snapshots
    }
}
