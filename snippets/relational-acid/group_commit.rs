//! timing: measured on the machine that builds the book
//!
//! Commit throughput of our WAL store on a real file: one fsync per transaction, or one fsync
//! per group of N transactions (group commit), and, for scale, no fsync at all (not durable).

use std::path::Path;
use std::time::Instant;
use sysdesign::chart::LineChart;
use sysdesign::relational_acid::{FileLog, LogFile, Op, WalStore};
use sysdesign::show::{self, Table};

const TRANSACTIONS: usize = 128;
const RUNS: usize = 5;
const GROUPS: [usize; 6] = [1, 2, 4, 8, 16, 32];

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

/// Commits per second for `TRANSACTIONS` in groups of `group`, on a fresh file.
fn rate<L: LogFile>(
    path: &Path,
    group: usize,
    open: impl Fn(FileLog) -> L,
) -> Result<f64, Box<dyn std::error::Error>> {
    let mut store = WalStore::with_log(open(FileLog::open(path)?))?;
    let start = Instant::now();
    for first in (0..TRANSACTIONS).step_by(group) {
        let last = (first + group).min(TRANSACTIONS);
        store.commit_group((first..last).map(transfer).collect())?;
    }
    let rate = TRANSACTIONS as f64 / start.elapsed().as_secs_f64();
    drop(store);
    std::fs::remove_file(path)?;
    Ok(rate)
}

/// The median of each column of `runs` (one row per run, one column per group size).
fn medians(mut runs: Vec<Vec<f64>>) -> Vec<f64> {
    (0..GROUPS.len())
        .map(|g| {
            let mut column: Vec<f64> = runs.iter_mut().map(|run| run[g]).collect();
            column.sort_by(f64::total_cmp);
            column[column.len() / 2]
        })
        .collect()
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bench.wal");
    // Round-robin over the group sizes, so a disturbance on the machine hits them all alike.
    let (mut durable_runs, mut fast_runs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let mut durable = Vec::new();
        let mut fast = Vec::new();
        for group in GROUPS {
            durable.push(rate(&path, group, |file| file).expect("measures"));
            fast.push(rate(&path, group, NoSync).expect("measures"));
        }
        durable_runs.push(durable);
        fast_runs.push(fast);
    }
    let (durable, fast) = (medians(durable_runs), medians(fast_runs));
    let mut table = Table::new(["transactions per fsync", "fsyncs", "commits per second"]);
    for (g, group) in GROUPS.iter().enumerate() {
        let fsyncs = TRANSACTIONS.div_ceil(*group);
        table.push([
            group.to_string(),
            fsyncs.to_string(),
            format!("{:.0}", durable[g]),
        ]);
    }
    for g in [0, GROUPS.len() - 1] {
        let label = format!("{}, fsync skipped (not durable)", GROUPS[g]);
        table.push([label, "0".into(), format!("{:.0}", fast[g])]);
    }
    let synced: Vec<(f64, f64)> = GROUPS.iter().map(|&g| g as f64).zip(durable).collect();
    show::table(&table.caption(format!("{TRANSACTIONS} two-key transactions, real file")));
    let chart = LineChart::new("Group commit: WAL store throughput")
        .x_label("transactions per fsync")
        .y_label("commits per second")
        .log_x()
        .series("fsync per group (durable)", synced);
    show::svg(
        "group_commit",
        "Commits per second against transactions per fsync, measured on the build machine",
        chart.to_svg().expect("draws the chart"),
    );
}
