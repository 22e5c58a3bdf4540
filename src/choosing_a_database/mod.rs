//! Choosing a database: the same data and the same three questions, asked of a relational
//! database and of a key-value store, with the reads each needs counted.
//!
//! A relational database stores rows in tables and answers any question SQL can phrase: it finds
//! rows through indexes it keeps itself and joins tables inside one request. A key-value store
//! answers one question, "what is stored under this key?", so every other question must be
//! turned into keys the application writes itself (an index kept by hand) and into several
//! requests it combines itself (a join done by the client).
//!
//! # The design
//!
//! [`Dataset`] generates a small social network (users, posts, follows) from a seed.
//! [`SqlModel`] loads it into SQLite (tables, primary keys, one composite index) and
//! [`KvModel`] into any [`KeyValueStore`](crate::key_value_stores::KeyValueStore) of the
//! [Key-value stores](crate::key_value_stores) chapter, with the extra index keys that the
//! questions need. Both answer the same [`Query`]s with the same [`Answer`]s; each answer comes
//! with the [`Work`] it took: requests sent to the database, and for SQLite the rows it stepped
//! through, for the key-value store the keys it read.
//!
//! | module | idea |
//! | --- | --- |
//! | [`dataset`] | users, posts and follows, seeded |
//! | [`sql`] | the data in SQLite, each query one statement |
//! | [`kv`] | the data in a key-value store, with index keys and client-side joins |
//!
//! ```
//! use sysdesign::choosing_a_database::{Dataset, KvModel, Query, SqlModel};
//! use sysdesign::key_value_stores::MemoryStore;
//!
//! let data = Dataset::generate(50, 4, 5, 7);
//! let sql = SqlModel::load(&data).unwrap();
//! let kv = KvModel::load(&data, MemoryStore::new()).unwrap();
//! let query = Query::FolloweesTopByLikes { user: 3, limit: 3 };
//! let (from_sql, sql_work) = sql.answer(&query).unwrap();
//! let (from_kv, kv_work) = kv.answer(&query).unwrap();
//! assert_eq!(from_sql, from_kv);
//! assert_eq!(sql_work.requests, 1); // one statement does the join
//! assert!(kv_work.requests > 5); // the follow list, each followee's posts, each post
//! ```

pub mod dataset;
pub mod kv;
#[cfg(feature = "sqlite")]
pub mod sql;

pub use dataset::{Dataset, Follow, Post, User};
pub use kv::{KvModel, KvModelError};
#[cfg(feature = "sqlite")]
pub use sql::SqlModel;

/// One of the three questions both models answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// A point lookup by primary key: the user's name.
    UserById(u32),
    /// A secondary-index range query: the posts `author` wrote in `from..to` (minutes), oldest
    /// first, with their likes.
    PostsByAuthorBetween {
        /// The author.
        author: u32,
        /// Start of the window, inclusive.
        from: u32,
        /// End of the window, exclusive.
        to: u32,
    },
    /// A join and an aggregate: among the users `user` follows, the `limit` with the most likes
    /// summed over their posts, most first (ties by id).
    FolloweesTopByLikes {
        /// The follower.
        user: u32,
        /// How many to return.
        limit: usize,
    },
}

/// What a query returns; both models return the same value for the same data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The user's name, if the user exists.
    Name(Option<String>),
    /// `(post id, likes)` oldest first.
    Posts(Vec<(u32, u32)>),
    /// `(followee, posts, total likes)`, most likes first.
    Ranking(Vec<(u32, u32, u64)>),
}

/// The work one answer took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Requests sent to the database: statements for SQLite, gets for the key-value store. Each
    /// is a network round trip when the database is a server.
    pub requests: u64,
    /// Records the database read: for SQLite the virtual-machine steps it ran (its own measure
    /// of the rows and index entries it visited), for the key-value store the keys it read.
    pub reads: u64,
    /// Bytes of values the client received from the key-value store (0 for SQLite, whose rows
    /// are small and already filtered).
    pub bytes: u64,
}

/// Sorts `(followee, posts, likes)` by likes, most first, then by id, and keeps `limit`: the
/// order both models promise for [`Query::FolloweesTopByLikes`].
///
/// ```
/// let mut rows = vec![(1, 2, 10), (2, 1, 30), (3, 5, 10)];
/// sysdesign::choosing_a_database::rank(&mut rows, 2);
/// assert_eq!(rows, [(2, 1, 30), (1, 2, 10)]);
/// ```
pub fn rank(rows: &mut Vec<(u32, u32, u64)>, limit: usize) {
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    rows.truncate(limit);
}
