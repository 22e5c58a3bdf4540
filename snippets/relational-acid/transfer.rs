//! Atomicity and consistency on SQLite: a transfer that commits, then one whose debit breaks the
//! `CHECK (balance >= 0)` constraint after its credit was already applied.

use sysdesign::relational_acid::sqlite::Bank;

/// The sum of all balances: the invariant a transfer must keep.
fn total(bank: &Bank) -> Result<i64, Box<dyn std::error::Error>> {
    Ok(bank.balances()?.iter().map(|(_, balance)| balance).sum())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut bank = Bank::open(dir.path().join("bank.db"))?;
    bank.open_account("alice", 100)?;
    bank.open_account("bob", 50)?;
    println!(
        "before:        {:?}, total {}",
        bank.balances()?,
        total(&bank)?
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
            bank.balances()?,
            total(&bank)?
        );
    }
    Ok(())
}
