//! Durability on SQLite: close the file, open it again, and the committed transfer is there.

use sysdesign::relational_acid::sqlite::Bank;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bank.db");
    {
        let mut bank = Bank::open(&path).expect("opens");
        bank.open_account("alice", 100)
            .expect("creates the account");
        bank.open_account("bob", 50).expect("creates the account");
        bank.transfer("alice", "bob", 30).expect("transfers");
        println!(
            "before closing: {:?}",
            bank.balances().expect("reads the balances")
        );
    } // the connection closes here
    let bank = Bank::open(&path).expect("opens");
    println!(
        "after reopening: {:?}",
        bank.balances().expect("reads the balances")
    );
}
