//! Two connections to one SQLite file: what each saw, step by step, in WAL mode and in the
//! older rollback-journal mode. Neither connection waits for locks (`busy_timeout = 0`).

use sysdesign::relational_acid::sqlite::isolation_walkthrough;
use sysdesign::show::{self, Table};

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for mode in ["WAL", "DELETE"] {
        let path = dir.path().join(format!("{mode}.db"));
        let steps = isolation_walkthrough(&path, mode).expect("runs");
        let mut table = Table::new(["step", "connection", "runs", "sees"])
            .caption(format!("journal_mode = {mode}; alice starts at 100"));
        for (i, step) in steps.iter().enumerate() {
            table.push([
                (i + 1).to_string(),
                step.connection.to_string(),
                step.action.clone(),
                step.saw.clone(),
            ]);
        }
        show::table(&table);
    }
}
