//! Twitter feed: home timelines built by fan-out on write, fan-out on read, or a hybrid of both,
//! on a seeded follower graph whose follower counts are heavy-tailed.
//!
//! A home timeline shows the newest tweets of the accounts a user follows. There are two places
//! to do the work. **Fan-out on write** (push) copies each new tweet's id into the stored
//! timeline of every follower, so a read fetches one list; **fan-out on read** (pull) stores
//! nothing extra and, on every read, fetches the recent tweets of every followee and merges
//! them. The **hybrid** pushes for ordinary authors and pulls only the few above a follower
//! threshold, merging their tweets into the stored timeline at read time.
//!
//! # The design
//!
//! [`FollowGraph::generate`] draws who follows whom from a Zipf popularity, so a handful of
//! accounts have most users as followers and most have a few, the shape that makes push
//! expensive. A [`Feed`] runs one [`Strategy`] and counts its work in [`Work`]: timeline
//! entries written per tweet, lists fetched and entries merged per read, entries stored. Tweet
//! ids grow with time, so "newest" is "largest id" and every strategy must return the same
//! timeline: the tests check that, and the chapter compares only the cost.
//!
//! ```
//! use sysdesign::twitter_feed::{Feed, FollowGraph, Strategy};
//!
//! // Users 1 and 2 follow user 0; user 2 also follows user 1.
//! let graph = FollowGraph::from_edges(3, &[(1, 0), (2, 0), (2, 1)]).unwrap();
//! let mut push = Feed::new(&graph, Strategy::Push, 10);
//! let mut pull = Feed::new(&graph, Strategy::Pull, 10);
//! for feed in [&mut push, &mut pull] {
//!     feed.post(0);
//!     feed.post(1);
//! }
//! assert_eq!(push.read(2), vec![1, 0]); // newest first
//! assert_eq!(push.read(2), pull.read(2));
//! assert_eq!(push.work().timeline_writes, 3); // two followers of 0, one of 1
//! assert_eq!(pull.work().timeline_writes, 0);
//! ```

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Zipf};
use std::collections::VecDeque;
use std::fmt;

/// A follower graph that cannot be built: an edge names a user out of range, or a user follows
/// themselves, or the generator's parameters are out of range.
#[derive(Clone, Debug, PartialEq)]
pub enum GraphError {
    /// An edge `(follower, followee)` names a user `>= users`.
    UnknownUser {
        /// The edge's follower.
        follower: u32,
        /// The edge's followee.
        followee: u32,
        /// How many users the graph has.
        users: u32,
    },
    /// An edge in which a user follows themselves.
    SelfFollow(u32),
    /// Fewer than two users, or a Zipf exponent that is negative or not a number.
    BadParameters {
        /// The users asked for.
        users: u32,
        /// The Zipf exponent asked for.
        exponent: f64,
    },
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::UnknownUser {
                follower,
                followee,
                users,
            } => write!(
                f,
                "the edge {follower} -> {followee} names a user outside 0..{users}"
            ),
            GraphError::SelfFollow(u) => write!(f, "user {u} cannot follow themselves"),
            GraphError::BadParameters { users, exponent } => write!(
                f,
                "a generated graph needs at least 2 users and an exponent >= 0, got users = {users}, exponent = {exponent}"
            ),
        }
    }
}

impl std::error::Error for GraphError {}

// ANCHOR: graph
/// Who follows whom: for each user, their followers and the accounts they follow, each sorted
/// and without duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowGraph {
    followers: Vec<Vec<u32>>,
    following: Vec<Vec<u32>>,
}

impl FollowGraph {
    /// `users` users, each following `follows_per_user` distinct others (fewer if there are not
    /// that many), each chosen with Zipf(`exponent`) popularity over a seeded shuffle of the
    /// users: the account of popularity rank `r` is picked with probability proportional to
    /// `1 / r^exponent`, so follower counts are heavy-tailed.
    ///
    /// ```
    /// use sysdesign::twitter_feed::FollowGraph;
    ///
    /// let g = FollowGraph::generate(1_000, 20, 1.0, 7).unwrap();
    /// assert_eq!(g.edges(), 20_000);
    /// let counts = g.follower_counts();
    /// let top = *counts.iter().max().unwrap();
    /// assert!(top > 500, "the most followed account has most users as followers: {top}");
    /// ```
    pub fn generate(
        users: u32,
        follows_per_user: u32,
        exponent: f64,
        seed: u64,
    ) -> Result<FollowGraph, GraphError> {
        let bad = GraphError::BadParameters { users, exponent };
        if users < 2 || exponent.is_nan() || exponent < 0.0 {
            return Err(bad);
        }
        let zipf = Zipf::new(users as f64, exponent).map_err(|_| bad)?;
        let mut rng = StdRng::seed_from_u64(seed);
        // Popularity rank r belongs to user rank_to_user[r], so user 0 is not always the star.
        let mut rank_to_user: Vec<u32> = (0..users).collect();
        for i in (1..rank_to_user.len()).rev() {
            rank_to_user.swap(i, rng.random_range(0..=i));
        }
        let want = follows_per_user.min(users - 1) as usize;
        let mut edges = Vec::with_capacity(users as usize * want);
        let mut chosen = Vec::with_capacity(want);
        for follower in 0..users {
            chosen.clear();
            while chosen.len() < want {
                let rank: f64 = zipf.sample(&mut rng);
                let followee = rank_to_user[(rank as usize).clamp(1, users as usize) - 1];
                if followee != follower && !chosen.contains(&followee) {
                    chosen.push(followee);
                }
            }
            edges.extend(chosen.iter().map(|&followee| (follower, followee)));
        }
        FollowGraph::from_edges(users, &edges)
    }

    /// A graph from `(follower, followee)` edges; a repeated edge counts once.
    ///
    /// ```
    /// use sysdesign::twitter_feed::{FollowGraph, GraphError};
    ///
    /// let g = FollowGraph::from_edges(3, &[(1, 0), (2, 0), (1, 0)]).unwrap();
    /// assert_eq!(g.followers(0), [1, 2]);
    /// assert_eq!(g.following(1), [0]);
    /// assert_eq!(FollowGraph::from_edges(2, &[(1, 1)]), Err(GraphError::SelfFollow(1)));
    /// ```
    pub fn from_edges(users: u32, edges: &[(u32, u32)]) -> Result<FollowGraph, GraphError> {
        let mut followers = vec![Vec::new(); users as usize];
        let mut following = vec![Vec::new(); users as usize];
        for &(follower, followee) in edges {
            if follower >= users || followee >= users {
                return Err(GraphError::UnknownUser {
                    follower,
                    followee,
                    users,
                });
            }
            if follower == followee {
                return Err(GraphError::SelfFollow(follower));
            }
            followers[followee as usize].push(follower);
            following[follower as usize].push(followee);
        }
        for list in followers.iter_mut().chain(following.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        Ok(FollowGraph {
            followers,
            following,
        })
    }

    /// How many users the graph has.
    pub fn users(&self) -> u32 {
        self.followers.len() as u32
    }

    /// How many follow edges it has.
    pub fn edges(&self) -> usize {
        self.following.iter().map(Vec::len).sum()
    }

    /// The followers of `user`, sorted.
    pub fn followers(&self, user: u32) -> &[u32] {
        &self.followers[user as usize]
    }

    /// The accounts `user` follows, sorted.
    pub fn following(&self, user: u32) -> &[u32] {
        &self.following[user as usize]
    }

    /// Every user's follower count, by user id.
    pub fn follower_counts(&self) -> Vec<usize> {
        self.followers.iter().map(Vec::len).collect()
    }
}
// ANCHOR_END: graph

// ANCHOR: strategy
/// Where a feed does the work of putting a tweet in front of its author's followers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Fan-out on write: every tweet is copied into every follower's stored timeline.
    Push,
    /// Fan-out on read: nothing is stored; a read merges the recent tweets of every followee.
    Pull,
    /// Push for authors with at most `threshold` followers; the tweets of authors above it
    /// are pulled and merged at read time.
    Hybrid {
        /// The largest follower count whose tweets are still pushed.
        threshold: usize,
    },
}

impl Strategy {
    /// Whether a tweet by an author with `followers` followers is pushed to their timelines.
    ///
    /// ```
    /// use sysdesign::twitter_feed::Strategy;
    /// let hybrid = Strategy::Hybrid { threshold: 1_000 };
    /// assert!(hybrid.pushes(1_000));
    /// assert!(!hybrid.pushes(1_001));
    /// assert!(Strategy::Push.pushes(usize::MAX) && !Strategy::Pull.pushes(1));
    /// ```
    pub fn pushes(self, followers: usize) -> bool {
        match self {
            Strategy::Push => true,
            Strategy::Pull => false,
            Strategy::Hybrid { threshold } => followers <= threshold,
        }
    }
}
// ANCHOR_END: strategy

/// The work a feed has done, counted in timeline entries and lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Tweets posted.
    pub tweets: u64,
    /// Timeline entries written by fan-out on write, over all tweets.
    pub timeline_writes: u64,
    /// The most entries a single tweet wrote.
    pub max_writes_one_tweet: u64,
    /// Timelines read.
    pub reads: u64,
    /// Lists fetched by reads: the stored timeline, and each pulled author's recent tweets.
    pub lists_fetched: u64,
    /// Entries those lists held, all of which a read merges.
    pub entries_merged: u64,
    /// The most lists a single read fetched.
    pub max_lists_one_read: u64,
}

impl Work {
    /// Timeline entries written per tweet, on average.
    ///
    /// ```
    /// use sysdesign::twitter_feed::Work;
    /// let w = Work { tweets: 4, timeline_writes: 10, ..Work::default() };
    /// assert_eq!(w.writes_per_tweet(), 2.5);
    /// assert_eq!(Work::default().lists_per_read(), 0.0);
    /// ```
    pub fn writes_per_tweet(&self) -> f64 {
        self.timeline_writes as f64 / self.tweets.max(1) as f64
    }
    /// Lists fetched per read, on average.
    pub fn lists_per_read(&self) -> f64 {
        self.lists_fetched as f64 / self.reads.max(1) as f64
    }
    /// Entries merged per read, on average.
    pub fn entries_per_read(&self) -> f64 {
        self.entries_merged as f64 / self.reads.max(1) as f64
    }
}

// ANCHOR: feed
/// Home timelines over a follower graph, kept by one [`Strategy`].
///
/// Tweet ids are handed out in posting order (0, 1, 2, ...), so a larger id is a newer tweet.
/// Stored timelines and each author's list keep only the newest `timeline_len` ids, the most a
/// read returns (Twitter's stored timelines are trimmed the same way).
#[derive(Clone, Debug)]
pub struct Feed<'g> {
    graph: &'g FollowGraph,
    strategy: Strategy,
    timeline_len: usize,
    /// Each author's newest tweets, oldest first.
    by_author: Vec<VecDeque<u64>>,
    /// Each user's stored home timeline (pushed tweets only), oldest first.
    timelines: Vec<VecDeque<u64>>,
    next_id: u64,
    work: Work,
}

impl<'g> Feed<'g> {
    /// An empty feed whose reads return at most `timeline_len` tweets (at least one).
    pub fn new(graph: &'g FollowGraph, strategy: Strategy, timeline_len: usize) -> Feed<'g> {
        let users = graph.users() as usize;
        Feed {
            graph,
            strategy,
            timeline_len: timeline_len.max(1),
            by_author: vec![VecDeque::new(); users],
            timelines: vec![VecDeque::new(); users],
            next_id: 0,
            work: Work::default(),
        }
    }

    /// `author` posts a tweet; returns its id. Under push (or hybrid, below the threshold) the
    /// id is appended to every follower's stored timeline, trimmed to `timeline_len`.
    ///
    /// ```
    /// use sysdesign::twitter_feed::{Feed, FollowGraph, Strategy};
    ///
    /// let g = FollowGraph::from_edges(3, &[(1, 0), (2, 0)]).unwrap();
    /// let mut feed = Feed::new(&g, Strategy::Push, 5);
    /// assert_eq!(feed.post(0), 0);
    /// assert_eq!(feed.post(0), 1);
    /// assert_eq!(feed.work().timeline_writes, 4);
    /// assert_eq!(feed.stored_entries(), 4);
    /// ```
    pub fn post(&mut self, author: u32) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        push_trimmed(&mut self.by_author[author as usize], id, self.timeline_len);
        let followers = self.graph.followers(author);
        if self.strategy.pushes(followers.len()) {
            for &f in followers {
                push_trimmed(&mut self.timelines[f as usize], id, self.timeline_len);
            }
            self.work.timeline_writes += followers.len() as u64;
            self.work.max_writes_one_tweet =
                self.work.max_writes_one_tweet.max(followers.len() as u64);
        }
        self.work.tweets += 1;
        id
    }

    /// `user`'s home timeline: the newest `timeline_len` tweets of the accounts they follow,
    /// newest first. Fetches the stored timeline (unless the strategy is pull) and the recent
    /// tweets of every followee whose tweets are not pushed, and merges them.
    ///
    /// ```
    /// use sysdesign::twitter_feed::{Feed, FollowGraph, Strategy};
    ///
    /// // User 2 follows 0 (two followers) and 1 (one follower).
    /// let g = FollowGraph::from_edges(3, &[(1, 0), (2, 0), (2, 1)]).unwrap();
    /// let mut feed = Feed::new(&g, Strategy::Hybrid { threshold: 1 }, 5);
    /// feed.post(1); // pushed
    /// feed.post(0); // pulled: 2 followers > 1
    /// assert_eq!(feed.read(2), vec![1, 0]);
    /// assert_eq!(feed.work().lists_fetched, 2); // the stored timeline and user 0's tweets
    /// ```
    pub fn read(&mut self, user: u32) -> Vec<u64> {
        let mut merged: Vec<u64> = Vec::new();
        let mut lists = 0u64;
        if self.strategy != Strategy::Pull {
            merged.extend(&self.timelines[user as usize]);
            lists += 1;
        }
        for &followee in self.graph.following(user) {
            if !self.strategy.pushes(self.graph.followers(followee).len()) {
                merged.extend(&self.by_author[followee as usize]);
                lists += 1;
            }
        }
        self.work.reads += 1;
        self.work.lists_fetched += lists;
        self.work.entries_merged += merged.len() as u64;
        self.work.max_lists_one_read = self.work.max_lists_one_read.max(lists);
        merged.sort_unstable_by(|a, b| b.cmp(a));
        merged.truncate(self.timeline_len);
        merged
    }

    /// Timeline entries held in stored timelines: the extra storage push pays for.
    pub fn stored_entries(&self) -> usize {
        self.timelines.iter().map(VecDeque::len).sum()
    }

    /// The work done so far.
    pub fn work(&self) -> Work {
        self.work
    }
}

fn push_trimmed(list: &mut VecDeque<u64>, id: u64, cap: usize) {
    list.push_back(id);
    if list.len() > cap {
        list.pop_front();
    }
}
// ANCHOR_END: feed

// ANCHOR: workload
/// One step of a workload: a user posts, or a user reads their home timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// This user posts a tweet.
    Post(u32),
    /// This user reads their home timeline.
    Read(u32),
}

/// A seeded workload over `users` users: `tweets` posts and `reads_per_tweet` reads for each
/// one, interleaved at random; every user is equally likely to post or to read.
///
/// ```
/// use sysdesign::twitter_feed::{Event, workload};
/// let events = workload(100, 50, 10, 3);
/// assert_eq!(events.len(), 550);
/// assert_eq!(events.iter().filter(|e| matches!(e, Event::Post(_))).count(), 50);
/// ```
pub fn workload(users: u32, tweets: usize, reads_per_tweet: usize, seed: u64) -> Vec<Event> {
    let mut rng = StdRng::seed_from_u64(seed);
    let reads = tweets * reads_per_tweet;
    let (mut posts_left, mut reads_left) = (tweets, reads);
    let mut events = Vec::with_capacity(tweets + reads);
    while posts_left + reads_left > 0 {
        let user = rng.random_range(0..users.max(1));
        if rng.random_range(0..posts_left + reads_left) < posts_left {
            posts_left -= 1;
            events.push(Event::Post(user));
        } else {
            reads_left -= 1;
            events.push(Event::Read(user));
        }
    }
    events
}

/// What one strategy did on a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The strategy run.
    pub strategy: Strategy,
    /// Its work.
    pub work: Work,
    /// Entries in stored timelines at the end.
    pub stored_entries: usize,
}

/// Runs `events` on a fresh feed with `strategy`.
///
/// ```
/// use sysdesign::twitter_feed::{FollowGraph, Strategy, run, workload};
///
/// let g = FollowGraph::generate(100, 5, 1.0, 1).unwrap();
/// let events = workload(100, 20, 10, 2);
/// let push = run(&g, Strategy::Push, 10, &events);
/// let pull = run(&g, Strategy::Pull, 10, &events);
/// assert_eq!(push.work.lists_fetched, 200); // one list per read
/// assert_eq!(pull.work.lists_fetched, 200 * 5); // one per followee
/// assert_eq!(pull.stored_entries, 0);
/// ```
pub fn run(
    graph: &FollowGraph,
    strategy: Strategy,
    timeline_len: usize,
    events: &[Event],
) -> Outcome {
    let mut feed = Feed::new(graph, strategy, timeline_len);
    for &event in events {
        match event {
            Event::Post(author) => {
                feed.post(author);
            }
            Event::Read(user) => {
                feed.read(user);
            }
        }
    }
    Outcome {
        strategy,
        work: feed.work(),
        stored_entries: feed.stored_entries(),
    }
}
// ANCHOR_END: workload
