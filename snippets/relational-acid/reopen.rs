//! Durability on SQLite: close the file, open it again, and the committed transfer is there.

use sysdesign::relational_acid::sqlite::Bank;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bank.db");
    {
        let mut bank = Bank::open(&path)?;
        bank.open_account("alice", 100)?;
        bank.open_account("bob", 50)?;
        bank.transfer("alice", "bob", 30)?;
        println!("before closing: {:?}", bank.balances()?);
    } // the connection closes here
    let bank = Bank::open(&path)?;
    println!("after reopening: {:?}", bank.balances()?);
    Ok(())
}
