//! The data set in a key-value store: one key per record, plus the index keys the questions need,
//! which the application writes and reads itself.

use super::{Answer, Dataset, Follow, Post, Query, User, Work, rank};
use crate::key_value_stores::{KeyValueStore, KvError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::fmt;

/// Why a key-value model operation failed.
#[derive(Debug)]
pub enum KvModelError {
    /// The store failed.
    Store(KvError),
    /// A value under `key` is not the JSON the model wrote there.
    Decode {
        /// The key.
        key: String,
        /// What the decoder said.
        source: serde_json::Error,
    },
}

impl fmt::Display for KvModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvModelError::Store(e) => write!(f, "key-value store: {e}"),
            KvModelError::Decode { key, source } => write!(f, "value under {key:?}: {source}"),
        }
    }
}

impl std::error::Error for KvModelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KvModelError::Store(e) => Some(e),
            KvModelError::Decode { source, .. } => Some(source),
        }
    }
}

impl From<KvError> for KvModelError {
    fn from(e: KvError) -> Self {
        KvModelError::Store(e)
    }
}

// ANCHOR: keys
/// The record of user `id`: its JSON.
fn user_key(id: u32) -> String {
    format!("user:{id}")
}
/// The record of post `id`.
fn post_key(id: u32) -> String {
    format!("post:{id}")
}
/// Index key kept by hand: `(at, post id)` of every post `author` wrote, sorted by time.
fn posts_by_key(author: u32) -> String {
    format!("posts_by:{author}")
}
/// Index key kept by hand: the ids `user` follows.
fn following_key(user: u32) -> String {
    format!("following:{user}")
}
// ANCHOR_END: keys

/// The data set in a key-value store `S`, counting every get and put it makes.
///
/// ```
/// use sysdesign::choosing_a_database::{Answer, Dataset, KvModel, Query};
/// use sysdesign::key_value_stores::MemoryStore;
///
/// let data = Dataset::generate(20, 3, 4, 1);
/// let kv = KvModel::load(&data, MemoryStore::new()).unwrap();
/// let (answer, work) = kv.answer(&Query::UserById(7)).unwrap();
/// assert_eq!(answer, Answer::Name(Some("user0007".into())));
/// assert_eq!((work.requests, work.reads), (1, 1));
/// ```
#[derive(Debug)]
pub struct KvModel<S> {
    store: S,
    gets: Cell<u64>,
    bytes: Cell<u64>,
    puts: u64,
}

impl<S: KeyValueStore> KvModel<S> {
    /// Loads every record of `data` into `store` through [`KvModel::add_user`],
    /// [`KvModel::add_post`] and [`KvModel::add_follow`], so the index keys are maintained as
    /// they would be by a live application.
    pub fn load(data: &Dataset, store: S) -> Result<Self, KvModelError> {
        let mut model = KvModel {
            store,
            gets: Cell::new(0),
            bytes: Cell::new(0),
            puts: 0,
        };
        for user in &data.users {
            model.add_user(user)?;
        }
        for post in &data.posts {
            model.add_post(post)?;
        }
        for follow in &data.follows {
            model.add_follow(*follow)?;
        }
        Ok(model)
    }

    /// Gets and puts made so far (loading included): `(gets, puts)`.
    ///
    /// ```
    /// use sysdesign::choosing_a_database::{Dataset, KvModel, Post};
    /// use sysdesign::key_value_stores::MemoryStore;
    ///
    /// let mut kv = KvModel::load(&Dataset::generate(2, 0, 0, 1), MemoryStore::new()).unwrap();
    /// let before = kv.operations();
    /// kv.add_post(&Post { id: 0, author: 1, at: 5, likes: 2 }).unwrap();
    /// let after = kv.operations();
    /// // One new post: the record, and a read-modify-write of its author's index key.
    /// assert_eq!((after.0 - before.0, after.1 - before.1), (1, 2));
    /// ```
    pub fn operations(&self) -> (u64, u64) {
        (self.gets.get(), self.puts)
    }

    /// Stores a user record.
    pub fn add_user(&mut self, user: &User) -> Result<(), KvModelError> {
        self.put_json(&user_key(user.id), user)
    }

    // ANCHOR: add_post
    /// Stores a post, and appends it to its author's `posts_by` index key: a get and a put the
    /// application must make, in the same breath, or the index is wrong. Two keys, two writes,
    /// and most key-value stores have no transaction to make them one.
    pub fn add_post(&mut self, post: &Post) -> Result<(), KvModelError> {
        self.put_json(&post_key(post.id), post)?;
        let index = posts_by_key(post.author);
        let mut entries: Vec<(u32, u32)> = self.get_json(&index)?.unwrap_or_default();
        let at = entries.partition_point(|&(t, id)| (t, id) < (post.at, post.id));
        entries.insert(at, (post.at, post.id));
        self.put_json(&index, &entries)
    }
    // ANCHOR_END: add_post

    /// Records that `follow.follower` follows `follow.followee`, in the follower's index key.
    pub fn add_follow(&mut self, follow: Follow) -> Result<(), KvModelError> {
        let index = following_key(follow.follower);
        let mut ids: Vec<u32> = self.get_json(&index)?.unwrap_or_default();
        ids.push(follow.followee);
        self.put_json(&index, &ids)
    }

    // ANCHOR: answer
    /// Answers `query` with gets alone, and reports the gets and bytes it took.
    pub fn answer(&self, query: &Query) -> Result<(Answer, Work), KvModelError> {
        let (gets, bytes) = (self.gets.get(), self.bytes.get());
        let answer = match *query {
            // One key holds the answer.
            Query::UserById(id) => {
                let user: Option<User> = self.get_json(&user_key(id))?;
                Answer::Name(user.map(|u| u.name))
            }
            // The index key gives the post ids in the window; each post's likes is another get.
            Query::PostsByAuthorBetween { author, from, to } => {
                let entries: Vec<(u32, u32)> =
                    self.get_json(&posts_by_key(author))?.unwrap_or_default();
                let mut posts = Vec::new();
                for (_, id) in entries.into_iter().filter(|&(t, _)| from <= t && t < to) {
                    if let Some(post) = self.get_json::<Post>(&post_key(id))? {
                        posts.push((post.id, post.likes));
                    }
                }
                Answer::Posts(posts)
            }
            // The join, done by the client: follow list, then each followee's index key, then
            // each post; the sums and the sort happen here too.
            Query::FolloweesTopByLikes { user, limit } => {
                let followees: Vec<u32> = self.get_json(&following_key(user))?.unwrap_or_default();
                let mut rows = Vec::new();
                for followee in followees {
                    let entries: Vec<(u32, u32)> =
                        self.get_json(&posts_by_key(followee))?.unwrap_or_default();
                    if entries.is_empty() {
                        continue;
                    }
                    let mut likes = 0u64;
                    for (_, id) in &entries {
                        if let Some(post) = self.get_json::<Post>(&post_key(*id))? {
                            likes += u64::from(post.likes);
                        }
                    }
                    rows.push((followee, entries.len() as u32, likes));
                }
                rank(&mut rows, limit);
                Answer::Ranking(rows)
            }
        };
        let gets = self.gets.get() - gets;
        let work = Work {
            requests: gets,
            reads: gets,
            bytes: self.bytes.get() - bytes,
        };
        Ok((answer, work))
    }
    // ANCHOR_END: answer

    fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, KvModelError> {
        self.gets.set(self.gets.get() + 1);
        let Some(bytes) = self.store.get(key.as_bytes())? else {
            return Ok(None);
        };
        self.bytes.set(self.bytes.get() + bytes.len() as u64);
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| KvModelError::Decode {
                key: key.to_string(),
                source,
            })
    }

    fn put_json<T: Serialize>(&mut self, key: &str, value: &T) -> Result<(), KvModelError> {
        self.puts += 1;
        let bytes = serde_json::to_vec(value).expect("plain structs and vectors serialize");
        self.store.put(key.as_bytes(), &bytes)?;
        Ok(())
    }
}
