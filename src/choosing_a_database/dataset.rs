//! A small social network, generated from a seed: users, their posts, who follows whom.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

/// A user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Primary key, from 0.
    pub id: u32,
    /// Display name.
    pub name: String,
}

/// A post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Primary key, from 0.
    pub id: u32,
    /// The user who wrote it.
    pub author: u32,
    /// When, in minutes since the start of the data set.
    pub at: u32,
    /// How many likes it has.
    pub likes: u32,
}

/// `follower` follows `followee`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follow {
    /// Who follows.
    pub follower: u32,
    /// Whom.
    pub followee: u32,
}

/// Users, posts and follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// Every user; `users[i].id == i`.
    pub users: Vec<User>,
    /// Every post; `posts[i].id == i`.
    pub posts: Vec<Post>,
    /// Every follow edge, no duplicates, nobody follows themselves.
    pub follows: Vec<Follow>,
}

/// The span of the posts' times: one week, in minutes.
pub const WEEK_MINUTES: u32 = 7 * 24 * 60;

impl Dataset {
    // ANCHOR: generate
    /// `users` users; each writes between 0 and `2 · posts_per_user` posts (uniformly, so
    /// `posts_per_user` on average) at random minutes of one week, with 0 to 99 likes each; each
    /// follows `follows_per_user` distinct others (fewer if there are not that many).
    ///
    /// ```
    /// let data = sysdesign::choosing_a_database::Dataset::generate(10, 3, 4, 1);
    /// assert_eq!(data.users.len(), 10);
    /// assert_eq!(data.follows.len(), 40);
    /// assert!(data.follows.iter().all(|f| f.follower != f.followee));
    /// ```
    pub fn generate(users: u32, posts_per_user: u32, follows_per_user: u32, seed: u64) -> Dataset {
        let mut rng = StdRng::seed_from_u64(seed);
        let users_list: Vec<User> = (0..users)
            .map(|id| User {
                id,
                name: format!("user{id:04}"),
            })
            .collect();
        let mut posts = Vec::new();
        for author in 0..users {
            for _ in 0..rng.random_range(0..=2 * posts_per_user) {
                posts.push(Post {
                    id: posts.len() as u32,
                    author,
                    at: rng.random_range(0..WEEK_MINUTES),
                    likes: rng.random_range(0..100),
                });
            }
        }
        let mut follows = Vec::new();
        let want = follows_per_user.min(users.saturating_sub(1));
        for follower in 0..users {
            let mut chosen: Vec<u32> = Vec::new();
            while (chosen.len() as u32) < want {
                let followee = rng.random_range(0..users);
                if followee != follower && !chosen.contains(&followee) {
                    chosen.push(followee);
                }
            }
            follows.extend(
                chosen
                    .into_iter()
                    .map(|followee| Follow { follower, followee }),
            );
        }
        Dataset {
            users: users_list,
            posts,
            follows,
        }
    }
    // ANCHOR_END: generate
}
