//! The fan-out side of the Twitter estimate. The delivery-framework chapter estimated reads,
//! bandwidth and storage for the notes' feed (200 million daily users, 100 reads and one tweet
//! each a day); this run adds what fan-out costs: timeline writes under push, lists fetched
//! under pull, one celebrity's tweet, and the memory the stored timelines take.
//! Follower figures are Twitter's as Kleppmann reports them; the timeline's length and entry
//! are those of Twitter's 2012 talk.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, requests_per_second};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: inputs
    let users = Count::new(200e6); // the notes' daily active users
    let tweets = requests_per_second(users, Count::new(1.0)); // one tweet a user a day
    let reads = requests_per_second(users, Count::new(100.0)); // the notes' 100 reads
    let mean_followers = 75.0; // Kleppmann: a tweet reaches about 75 followers on average
    let celebrity = Count::new(30e6); // "some users have over 30 million followers"
    let timeline_len = Count::new(800.0); // entries kept per home timeline
    let entry = Bytes::new(8.0 + 8.0 + 4.0); // tweet id, author id, flags
    let replicas = 3.0;
    let peak = 2.0; // our assumption, as in the delivery-framework chapter
    // ANCHOR_END: inputs

    // ANCHOR: fanout
    let push_writes = tweets * mean_followers; // one timeline insert per follower
    let pull_fetches = reads * mean_followers; // one list per followee, per read
    let celebrity_at_peak_fleet: Seconds = celebrity / (push_writes * peak);
    let timelines = users * timeline_len * entry * replicas;
    // ANCHOR_END: fanout

    let mut table = Table::new(["quantity", "how", "value"]);
    table.push([
        "tweets per second".to_string(),
        "200 M users × 1 ÷ 86,400 s".to_string(),
        tweets.to_string(),
    ]);
    table.push([
        "push: timeline writes per second".to_string(),
        "tweets per second × 75 followers".to_string(),
        push_writes.to_string(),
    ]);
    table.push([
        "pull: lists fetched per second".to_string(),
        "reads per second × 75 followees".to_string(),
        pull_fetches.to_string(),
    ]);
    table.push([
        "one celebrity tweet, push".to_string(),
        "30 M followers".to_string(),
        format!("{celebrity} writes"),
    ]);
    table.push([
        "its delivery, whole fleet at peak".to_string(),
        "30 M ÷ (2 × push writes per second)".to_string(),
        celebrity_at_peak_fleet.to_string(),
    ]);
    table.push([
        "stored timelines, push".to_string(),
        "200 M × 800 entries × 20 B × 3 replicas".to_string(),
        timelines.to_string(),
    ]);
    show::table(&table.caption("Fan-out for the notes' feed, with units in the types"));

    show::value("tweets_per_second", tweets);
    show::value("push_writes_per_second", push_writes);
    show::value("pull_fetches_per_second", pull_fetches);
    show::value(
        "pull_over_push",
        format!("{:.0}", pull_fetches / push_writes),
    );
    show::value("celebrity_delivery", celebrity_at_peak_fleet);
    show::value("timeline_memory", timelines);
}
