//! Tests of the SQLite half of `sysdesign::relational_acid`: the bank's transfers and the
//! two-connection isolation walkthrough, on real SQLite files in temporary directories.

use sysdesign::relational_acid::sqlite::{Bank, BankError, isolation_walkthrough};

fn bank() -> (tempfile::TempDir, Bank) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bank = Bank::open(dir.path().join("bank.db")).expect("the bank opens");
    bank.open_account("alice", 100).expect("account");
    bank.open_account("bob", 50).expect("account");
    (dir, bank)
}

#[test]
fn an_overdraft_rolls_back_the_credit_already_applied() {
    let (_dir, mut bank) = bank();
    let mut trace = Vec::new();
    let err = bank
        .transfer_traced("bob", "alice", 500, &mut |step| trace.push(step))
        .expect_err("the CHECK constraint rejects the debit");
    assert!(matches!(err, BankError::Overdraft { ref account, amount: 500 } if account == "bob"));
    assert_eq!(
        trace[0],
        "inside the transaction, after the credit: alice = 600"
    );
    let balances = bank.balances().expect("balances");
    assert_eq!(
        balances,
        [("alice".to_string(), 100), ("bob".to_string(), 50)]
    );
}

#[test]
fn a_transfer_to_an_unknown_account_changes_nothing() {
    let (_dir, mut bank) = bank();
    let err = bank.transfer("alice", "carol", 10).expect_err("no carol");
    assert!(matches!(err, BankError::UnknownAccount(ref name) if name == "carol"));
    let err = bank.transfer("carol", "alice", 10).expect_err("no carol");
    assert!(matches!(err, BankError::UnknownAccount(ref name) if name == "carol"));
    let total: i64 = bank
        .balances()
        .expect("balances")
        .iter()
        .map(|(_, b)| b)
        .sum();
    assert_eq!(total, 150, "the credit to alice was rolled back");
}

#[test]
fn committed_transfers_survive_reopening_the_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bank.db");
    {
        let mut bank = Bank::open(&path).expect("opens");
        bank.open_account("alice", 100).expect("account");
        bank.open_account("bob", 50).expect("account");
        bank.transfer("alice", "bob", 30).expect("transfer");
    }
    let bank = Bank::open(&path).expect("reopens");
    let balances = bank.balances().expect("balances");
    assert_eq!(
        balances,
        [("alice".to_string(), 70), ("bob".to_string(), 80)]
    );
}

#[test]
fn in_wal_mode_a_reader_keeps_its_snapshot_and_cannot_write_from_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let steps = isolation_walkthrough(&dir.path().join("wal.db"), "WAL").expect("runs");
    let saw: Vec<&str> = steps.iter().map(|s| s.saw.as_str()).collect();
    assert_eq!(
        saw,
        [
            "ok",
            "alice = 70",
            "alice = 100",
            "SQLITE_BUSY (database is locked)",
            "ok",
            "alice = 100",
            "ok",
            "alice = 100",
            "SQLITE_BUSY_SNAPSHOT (snapshot is stale)",
            "ok",
            "alice = 70",
        ]
    );
}

#[test]
fn in_rollback_journal_mode_a_reader_blocks_the_writers_commit() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let steps = isolation_walkthrough(&dir.path().join("delete.db"), "DELETE").expect("runs");
    let commit = &steps[6];
    assert_eq!((commit.connection, commit.action.as_str()), ("A", "COMMIT"));
    assert_eq!(commit.saw, "SQLITE_BUSY (database is locked)");
    assert_eq!(steps[2].saw, "alice = 100", "no dirty read");
    let last = steps.last().expect("steps");
    assert_eq!((last.connection, last.saw.as_str()), ("B", "alice = 70"));
}
