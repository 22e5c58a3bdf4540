//! Atomicity and consistency on SQLite: a transfer that commits, then one whose debit breaks the
//! `CHECK (balance >= 0)` constraint after its credit was already applied.

use sysdesign::relational_acid::sqlite::Bank;

/// The sum of all balances: the invariant a transfer must keep.
fn total(bank: &Bank) -> i64 {
    let balances = bank.balances().expect("reads the balances");
    balances.iter().map(|(_, balance)| balance).sum()
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut bank = Bank::open(dir.path().join("bank.db")).expect("opens");
    bank.open_account("alice", 100)
        .expect("creates the account");
    bank.open_account("bob", 50).expect("creates the account");
    println!(
        "before:        {:?}, total {}",
        bank.balances().expect("reads the balances"),
        total(&bank)
    );

    for (from, to, amount) in [("alice", "bob", 30), ("bob", "alice", 500)] {
        println!("\ntransfer {amount} from {from} to {to}");
        let outcome = bank.transfer_traced(from, to, amount, &mut |step| println!("  {step}"));
        match outcome {
            Ok(()) => println!("  result: ok"),
            Err(err) => println!("  result: {err}"),
        }
        println!(
            "  after:       {:?}, total {}",
            bank.balances().expect("reads the balances"),
            total(&bank)
        );
    }
}
