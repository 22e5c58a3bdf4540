//! Fan-out on write, fan-out on read and the hybrid, run on one seeded follower graph with
//! heavy-tailed follower counts and one seeded workload of 100 reads per tweet; then the
//! hybrid's celebrity threshold swept from pushing almost nobody to pushing everybody.

use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};
use sysdesign::twitter_feed::{FollowGraph, Outcome, Strategy, run, workload};

const USERS: u32 = 10_000;
const FOLLOWS: u32 = 50;
const TWEETS: usize = 2_000;
const READS_PER_TWEET: usize = 100;
const TIMELINE: usize = 50;

/// The graph's shape: how skewed its follower counts are.
fn describe(graph: &FollowGraph) {
    let mut counts = graph.follower_counts();
    counts.sort_unstable();
    let n = counts.len();
    let top_1pc: usize = counts[n - n / 100..].iter().sum();
    let mut table = Table::new([
        "users",
        "follows each",
        "median followers",
        "mean",
        "max",
        "edges to the top 1 %",
    ]);
    table.push([
        n.to_string(),
        FOLLOWS.to_string(),
        counts[n / 2].to_string(),
        format!("{:.0}", graph.edges() as f64 / n as f64),
        counts[n - 1].to_string(),
        format!("{:.0} %", 100.0 * top_1pc as f64 / graph.edges() as f64),
    ]);
    show::table(&table.caption("The follower graph (Zipf popularity, exponent 1, seed 21)"));
    show::value("median_followers", counts[n / 2]);
    show::value("max_followers", counts[n - 1]);
    show::value(
        "top_1pc_share",
        format!("{:.0} %", 100.0 * top_1pc as f64 / graph.edges() as f64),
    );
}

fn name(strategy: Strategy) -> String {
    match strategy {
        Strategy::Push => "push (fan-out on write)".into(),
        Strategy::Pull => "pull (fan-out on read)".into(),
        Strategy::Hybrid { threshold } => format!("hybrid, pull above {threshold}"),
    }
}

/// Cache operations for the whole workload: one per timeline write, one per list fetched.
fn operations(o: &Outcome) -> u64 {
    o.work.timeline_writes + o.work.lists_fetched
}

/// The values the page quotes, from the three strategies' outcomes (push, pull, hybrid).
fn report(outcomes: &[Outcome]) {
    let [push, pull, hybrid] = [&outcomes[0], &outcomes[1], &outcomes[2]];
    show::value(
        "push_writes_per_tweet",
        format!("{:.1}", push.work.writes_per_tweet()),
    );
    show::value("push_max_one_tweet", push.work.max_writes_one_tweet);
    show::value(
        "pull_lists_per_read",
        format!("{:.1}", pull.work.lists_per_read()),
    );
    show::value(
        "hybrid_writes_per_tweet",
        format!("{:.1}", hybrid.work.writes_per_tweet()),
    );
    show::value("hybrid_max_one_tweet", hybrid.work.max_writes_one_tweet);
    show::value(
        "hybrid_lists_per_read",
        format!("{:.2}", hybrid.work.lists_per_read()),
    );
    show::value(
        "pull_over_push_ops",
        format!("{:.0}", operations(pull) as f64 / operations(push) as f64),
    );
    show::value(
        "hybrid_over_push_ops",
        format!("{:.1}", operations(hybrid) as f64 / operations(push) as f64),
    );
    show::value(
        "push_over_hybrid_burst",
        format!(
            "{:.1}",
            push.work.max_writes_one_tweet as f64 / hybrid.work.max_writes_one_tweet as f64
        ),
    );
    show::value(
        "hybrid_stored_vs_push",
        format!(
            "{:.0} %",
            100.0 * hybrid.stored_entries as f64 / push.stored_entries as f64
        ),
    );
}

fn main() {
    let graph = FollowGraph::generate(USERS, FOLLOWS, 1.0, 21).expect("valid parameters");
    describe(&graph);
    let events = workload(USERS, TWEETS, READS_PER_TWEET, 22);

    // ANCHOR: three
    let strategies = [
        Strategy::Push,
        Strategy::Pull,
        Strategy::Hybrid { threshold: 1_000 },
    ];
    let outcomes: Vec<Outcome> = strategies
        .iter()
        .map(|&s| run(&graph, s, TIMELINE, &events))
        .collect();
    // ANCHOR_END: three
    let mut table = Table::new([
        "strategy",
        "writes per tweet",
        "most for one tweet",
        "lists per read",
        "most for one read",
        "entries stored",
        "operations in all",
    ]);
    for o in &outcomes {
        table.push([
            name(o.strategy),
            format!("{:.1}", o.work.writes_per_tweet()),
            o.work.max_writes_one_tweet.to_string(),
            format!("{:.2}", o.work.lists_per_read()),
            o.work.max_lists_one_read.to_string(),
            o.stored_entries.to_string(),
            operations(o).to_string(),
        ]);
    }
    show::table(&table.caption(format!(
        "{TWEETS} tweets and {} timeline reads on {USERS} users, timelines of {TIMELINE}",
        TWEETS * READS_PER_TWEET
    )));
    report(&outcomes);

    // ANCHOR: sweep
    let thresholds = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];
    let counts = graph.follower_counts();
    let mut sweep = Table::new([
        "threshold",
        "accounts pulled",
        "writes per tweet",
        "most for one tweet",
        "lists per read",
        "operations per tweet",
    ]);
    let (mut burst, mut ops) = (Vec::new(), Vec::new());
    for threshold in thresholds {
        let o = run(&graph, Strategy::Hybrid { threshold }, TIMELINE, &events);
        let pulled = counts.iter().filter(|&&c| c > threshold).count();
        let per_tweet = operations(&o) as f64 / TWEETS as f64;
        sweep.push([
            threshold.to_string(),
            pulled.to_string(),
            format!("{:.1}", o.work.writes_per_tweet()),
            o.work.max_writes_one_tweet.to_string(),
            format!("{:.2}", o.work.lists_per_read()),
            format!("{per_tweet:.0}"),
        ]);
        let x = threshold as f64;
        burst.push((x, o.work.max_writes_one_tweet as f64));
        ops.push((x, per_tweet));
    }
    // ANCHOR_END: sweep
    show::table(
        &sweep.caption("The hybrid's threshold swept: authors with more followers are pulled"),
    );
    let chart = LineChart::new("Hybrid fan-out: the worst burst against the total work")
        .x_label("threshold (followers; authors above it are pulled)")
        .y_label("cache operations")
        .log_x()
        .series("largest burst: writes for one tweet", burst)
        .series("work: operations per tweet, its 100 reads included", ops);
    show::svg(
        "twitter-feed-threshold",
        "A lower threshold caps the burst one tweet causes, and costs more work in all: every read fetches the pulled accounts",
        chart.to_svg().expect("finite points"),
    );
}
