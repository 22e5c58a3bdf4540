//! ACID on a real engine: SQLite, embedded through `rusqlite`.
//!
//! A [`Bank`] keeps accounts in one table whose `CHECK (balance >= 0)` is the invariant that
//! consistency means here.
//! [`Bank::transfer`] credits one account and debits the other inside one transaction, so a
//! debit that would overdraw fails the constraint after the credit was already applied, and the
//! rollback takes the credit back too.
//! [`isolation_walkthrough`] drives two connections to one file step by step and records what
//! each saw.

use std::fmt;
use std::path::Path;

use rusqlite::{Connection, ErrorCode, ffi};

/// Why a bank operation failed.
#[derive(Debug)]
pub enum BankError {
    /// No account has this name.
    UnknownAccount(String),
    /// The debit would leave `account` below zero, so the `CHECK` constraint rejected it.
    Overdraft {
        /// The account that would go negative.
        account: String,
        /// The amount that was to be debited.
        amount: i64,
    },
    /// Any other SQLite error.
    Sqlite(rusqlite::Error),
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::UnknownAccount(name) => write!(f, "no account named {name:?}"),
            BankError::Overdraft { account, amount } => write!(
                f,
                "debiting {amount} from {account:?} violates CHECK (balance >= 0)"
            ),
            BankError::Sqlite(err) => write!(f, "SQLite: {err}"),
        }
    }
}

impl std::error::Error for BankError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BankError::Sqlite(err) => Some(err),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for BankError {
    fn from(err: rusqlite::Error) -> Self {
        BankError::Sqlite(err)
    }
}

/// Accounts in an SQLite file, in WAL mode with `synchronous = FULL`.
///
/// ```
/// use sysdesign::relational_acid::sqlite::{Bank, BankError};
///
/// let dir = tempfile::tempdir().expect("a temporary directory");
/// let mut bank = Bank::open(dir.path().join("bank.db"))?;
/// bank.open_account("alice", 100)?;
/// bank.open_account("bob", 50)?;
/// bank.transfer("alice", "bob", 30)?;
/// assert!(matches!(bank.transfer("bob", "alice", 500), Err(BankError::Overdraft { .. })));
/// assert_eq!(bank.balances()?, [("alice".to_string(), 70), ("bob".to_string(), 80)]);
/// # Ok::<(), BankError>(())
/// ```
#[derive(Debug)]
pub struct Bank {
    conn: Connection,
}

// ANCHOR: bank_open
impl Bank {
    /// Opens (or creates) the bank in the SQLite file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Bank, BankError> {
        let conn = Connection::open(path)?;
        // WAL: readers keep a snapshot while one writer appends. FULL: fsync the WAL at every
        // commit; WAL mode's NORMAL would survive an application crash but not a power cut.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS accounts (
                 name    TEXT PRIMARY KEY,
                 balance INTEGER NOT NULL CHECK (balance >= 0)
             );",
        )?;
        Ok(Bank { conn })
    }
    // ANCHOR_END: bank_open

    /// Creates an account with an opening balance.
    pub fn open_account(&self, name: &str, balance: i64) -> Result<(), BankError> {
        self.conn.execute(
            "INSERT INTO accounts (name, balance) VALUES (?1, ?2)",
            (name, balance),
        )?;
        Ok(())
    }

    /// Every account and its balance, by name.
    pub fn balances(&self) -> Result<Vec<(String, i64)>, BankError> {
        let mut statement = self
            .conn
            .prepare("SELECT name, balance FROM accounts ORDER BY name")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Moves `amount` from `from` to `to`, all or nothing.
    pub fn transfer(&mut self, from: &str, to: &str, amount: i64) -> Result<(), BankError> {
        self.transfer_traced(from, to, amount, &mut |_| {})
    }

    // ANCHOR: transfer
    /// [`Bank::transfer`], telling `trace` what the transaction sees after each statement.
    pub fn transfer_traced(
        &mut self,
        from: &str,
        to: &str,
        amount: i64,
        trace: &mut dyn FnMut(String),
    ) -> Result<(), BankError> {
        let tx = self.conn.transaction()?; // BEGIN
        // Credit first, so a failing debit happens after a write: the interesting case.
        let credited = tx.execute(
            "UPDATE accounts SET balance = balance + ?1 WHERE name = ?2",
            (amount, to),
        )?;
        if credited == 0 {
            return Err(BankError::UnknownAccount(to.into())); // drop(tx) rolls back
        }
        let seen: i64 =
            tx.query_row("SELECT balance FROM accounts WHERE name = ?1", [to], |r| {
                r.get(0)
            })?;
        trace(format!(
            "inside the transaction, after the credit: {to} = {seen}"
        ));
        let debited = tx.execute(
            "UPDATE accounts SET balance = balance - ?1 WHERE name = ?2",
            (amount, from),
        );
        match debited {
            Ok(1) => {}
            Ok(_) => return Err(BankError::UnknownAccount(from.into())),
            Err(err) if err.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                trace(format!("the debit failed: {err}; rolling back"));
                let account = from.to_string();
                return Err(BankError::Overdraft { account, amount }); // drop(tx) rolls back
            }
            Err(err) => return Err(err.into()),
        }
        tx.commit()?; // COMMIT: both updates, or (on any return above) neither
        trace("committed".into());
        Ok(())
    }
    // ANCHOR_END: transfer
}

/// One step of [`isolation_walkthrough`]: who did what, and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// `"A"` or `"B"`.
    pub connection: &'static str,
    /// The SQL run.
    pub action: String,
    /// Its result: a balance, `ok`, or the error SQLite returned.
    pub saw: String,
}

/// Names SQLite's result codes the walkthrough meets.
fn describe(result: Result<String, rusqlite::Error>) -> String {
    match result {
        Ok(saw) => saw,
        Err(rusqlite::Error::SqliteFailure(err, _)) => match err.extended_code {
            ffi::SQLITE_BUSY => "SQLITE_BUSY (database is locked)".into(),
            ffi::SQLITE_BUSY_SNAPSHOT => "SQLITE_BUSY_SNAPSHOT (snapshot is stale)".into(),
            code => format!("error {code}: {err}"),
        },
        Err(err) => format!("error: {err}"),
    }
}

struct Script {
    a: Connection,
    b: Connection,
    seen: Vec<Observation>,
}

impl Script {
    fn run(&mut self, who: &'static str, sql: &str) {
        let conn = if who == "A" { &self.a } else { &self.b };
        let result = if sql.starts_with("SELECT") {
            conn.query_row(sql, [], |row| row.get::<_, i64>(0))
                .map(|v| format!("alice = {v}"))
        } else {
            conn.execute_batch(sql).map(|()| "ok".to_string())
        };
        self.seen.push(Observation {
            connection: who,
            action: sql.to_string(),
            saw: describe(result),
        });
    }
}

// ANCHOR: isolation
/// Two connections, A and B, to one SQLite file in `journal_mode` (`"WAL"` or `"DELETE"`,
/// the rollback journal), neither willing to wait for a lock (`busy_timeout = 0`).
/// A debits alice by 30 while B reads, tries to write, and reads again.
///
/// ```
/// use sysdesign::relational_acid::sqlite::isolation_walkthrough;
///
/// let dir = tempfile::tempdir().expect("a temporary directory");
/// let steps = isolation_walkthrough(&dir.path().join("iso.db"), "WAL")?;
/// // B never sees A's uncommitted debit.
/// assert_eq!(steps[2].saw, "alice = 100");
/// # Ok::<(), rusqlite::Error>(())
/// ```
pub fn isolation_walkthrough(
    path: &Path,
    journal_mode: &str,
) -> Result<Vec<Observation>, rusqlite::Error> {
    let a = Connection::open(path)?;
    a.pragma_update(None, "journal_mode", journal_mode)?;
    a.execute_batch(
        "CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER NOT NULL);
         INSERT INTO accounts VALUES ('alice', 100), ('bob', 50);",
    )?;
    let b = Connection::open(path)?;
    for conn in [&a, &b] {
        conn.busy_timeout(std::time::Duration::ZERO)?;
    }
    let mut s = Script {
        a,
        b,
        seen: Vec::new(),
    };
    let read = "SELECT balance FROM accounts WHERE name = 'alice'";
    s.run(
        "A",
        "BEGIN IMMEDIATE; UPDATE accounts SET balance = balance - 30 WHERE name = 'alice'",
    );
    s.run("A", read); // A sees its own write
    s.run("B", read); // no dirty read
    s.run("B", "BEGIN IMMEDIATE"); // a second writer
    s.run("B", "BEGIN"); // a read transaction...
    s.run("B", read); // ...whose first read fixes its snapshot (WAL)
    s.run("A", "COMMIT");
    let a_committed = s.seen.last().is_some_and(|o| o.saw == "ok");
    s.run("B", read); // the same snapshot, even after A committed
    s.run(
        "B",
        "UPDATE accounts SET balance = balance + 1 WHERE name = 'bob'",
    );
    s.run("B", "COMMIT");
    if !a_committed {
        s.run("A", "COMMIT"); // retried: a refused COMMIT leaves the transaction open
    }
    s.run("B", read); // a new transaction, a new snapshot
    Ok(s.seen)
}
// ANCHOR_END: isolation
