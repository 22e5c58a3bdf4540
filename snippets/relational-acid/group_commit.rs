//! timing: measured on the machine that builds the book
//!
//! Commit throughput of our WAL store on a real file: one fsync per transaction, or one fsync
//! per group of N transactions (group commit), and, for scale, no fsync at all (not durable).

use std::path::Path;
use std::time::Instant;
use sysdesign::chart::LineChart;
use sysdesign::relational_acid::{FileLog, LogFile, Op, WalStore};
use sysdesign::show::{self, Table};

const TRANSACTIONS: usize = 256;
const RUNS: usize = 3;
const GROUPS: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];

/// One small transaction: a transfer that writes two keys.
fn transfer(i: usize) -> Vec<Op> {
    vec![
        Op::Put(
            format!("acct{}", i % 100).into_bytes(),
            i.to_le_bytes().to_vec(),
        ),
        Op::Put(
            format!("acct{}", (i + 1) % 100).into_bytes(),
            i.to_le_bytes().to_vec(),
        ),
    ]
}

/// A real file whose `sync` does nothing: fast, and not durable.
struct NoSync(FileLog);

impl LogFile for NoSync {
    fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        self.0.read_all()
    }
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.append(bytes)
    }
    fn sync(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.0.truncate(len)
    }
}

/// Commits per second for `TRANSACTIONS` in groups of `group` on a fresh file, median of `RUNS`.
fn rate<L: LogFile>(
    path: &Path,
    group: usize,
    open: impl Fn(FileLog) -> L,
) -> Result<f64, Box<dyn std::error::Error>> {
    let mut rates = Vec::new();
    for _ in 0..RUNS {
        let mut store = WalStore::with_log(open(FileLog::open(path)?))?;
        let start = Instant::now();
        for first in (0..TRANSACTIONS).step_by(group) {
            let last = (first + group).min(TRANSACTIONS);
            store.commit_group((first..last).map(transfer).collect())?;
        }
        rates.push(TRANSACTIONS as f64 / start.elapsed().as_secs_f64());
        drop(store);
        std::fs::remove_file(path)?;
    }
    rates.sort_by(f64::total_cmp);
    Ok(rates[RUNS / 2])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.wal");
    let mut table = Table::new(["transactions per fsync", "fsyncs", "commits per second"]);
    let (mut synced, mut unsynced) = (Vec::new(), Vec::new());
    for group in GROUPS {
        let durable = rate(&path, group, |file| file)?;
        let fast = rate(&path, group, NoSync)?;
        let fsyncs = TRANSACTIONS.div_ceil(group);
        table.push([
            group.to_string(),
            fsyncs.to_string(),
            format!("{durable:.0}"),
        ]);
        synced.push((group as f64, durable));
        unsynced.push((group as f64, fast));
    }
    for (group, fast) in [unsynced[0], unsynced[GROUPS.len() - 1]] {
        let label = format!("{group}, fsync skipped (not durable)");
        table.push([label, "0".into(), format!("{fast:.0}")]);
    }
    show::table(&table.caption(format!("{TRANSACTIONS} two-key transactions, real file")));
    let chart = LineChart::new("Group commit: WAL store throughput")
        .x_label("transactions per fsync")
        .y_label("commits per second")
        .log_x()
        .series("fsync per group (durable)", synced);
    show::svg(
        "group_commit",
        "Commits per second against transactions per fsync, measured on the build machine",
        chart.to_svg()?,
    );
    Ok(())
}
