//! A social graph and the friends-of-friends query, by breadth-first search to depth 2.

use std::collections::VecDeque;
use std::fmt;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A person's number in the graph.
pub type UserId = u32;

/// A friendship the graph cannot hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// A user id at or past the graph's size.
    NoSuchUser(UserId),
    /// A person cannot befriend themself.
    SelfLoop(UserId),
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::NoSuchUser(u) => write!(f, "no user {u}"),
            GraphError::SelfLoop(u) => write!(f, "user {u} cannot befriend themself"),
        }
    }
}

impl std::error::Error for GraphError {}

/// A suggested friend and how many friends they share with the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The friend of a friend.
    pub user: UserId,
    /// Friends in common.
    pub mutual: u32,
}

// ANCHOR: graph
/// An undirected graph as adjacency lists (a graph database's "index-free adjacency": each
/// node points at its neighbours, so a hop costs the node's degree, not a join over a table).
///
/// ```
/// use sysdesign::specialized_storage::{SocialGraph, Suggestion};
/// let mut g = SocialGraph::new(5);
/// for (a, b) in [(0, 1), (0, 2), (1, 3), (2, 3), (2, 4)] {
///     g.befriend(a, b).unwrap();
/// }
/// assert_eq!(
///     g.friends_of_friends(0).unwrap(),
///     vec![Suggestion { user: 3, mutual: 2 }, Suggestion { user: 4, mutual: 1 }],
/// );
/// ```
#[derive(Clone, Debug)]
pub struct SocialGraph {
    friends: Vec<Vec<UserId>>,
}

impl SocialGraph {
    /// `users` people with no friendship yet.
    pub fn new(users: usize) -> SocialGraph {
        SocialGraph {
            friends: vec![Vec::new(); users],
        }
    }

    fn check(&self, u: UserId) -> Result<(), GraphError> {
        if (u as usize) < self.friends.len() {
            Ok(())
        } else {
            Err(GraphError::NoSuchUser(u))
        }
    }

    /// Records that `a` and `b` are friends (again is a no-op).
    pub fn befriend(&mut self, a: UserId, b: UserId) -> Result<(), GraphError> {
        self.check(a)?;
        self.check(b)?;
        if a == b {
            return Err(GraphError::SelfLoop(a));
        }
        for (x, y) in [(a, b), (b, a)] {
            let list = &mut self.friends[x as usize];
            if let Err(at) = list.binary_search(&y) {
                list.insert(at, y);
            }
        }
        Ok(())
    }

    /// The friends of `u`, in id order.
    pub fn friends(&self, u: UserId) -> Result<&[UserId], GraphError> {
        self.check(u)?;
        Ok(&self.friends[u as usize])
    }

    /// People in the graph.
    pub fn len(&self) -> usize {
        self.friends.len()
    }

    /// Whether the graph has no one.
    pub fn is_empty(&self) -> bool {
        self.friends.is_empty()
    }

    /// How many people lie at each distance 0..=`max_depth` from `start` (breadth-first).
    pub fn reach(&self, start: UserId, max_depth: u32) -> Result<Vec<usize>, GraphError> {
        self.check(start)?;
        let mut depth = vec![u32::MAX; self.friends.len()];
        let mut counts = vec![0; max_depth as usize + 1];
        let mut queue = VecDeque::from([start]);
        depth[start as usize] = 0;
        while let Some(u) = queue.pop_front() {
            let d = depth[u as usize];
            counts[d as usize] += 1;
            if d == max_depth {
                continue;
            }
            for &v in &self.friends[u as usize] {
                if depth[v as usize] == u32::MAX {
                    depth[v as usize] = d + 1;
                    queue.push_back(v);
                }
            }
        }
        Ok(counts)
    }

    /// People two hops from `u` who are not already friends, with the number of mutual
    /// friends, most mutual first (ties by id). One pass over each friend's list: the work is
    /// the sum of the friends' degrees.
    pub fn friends_of_friends(&self, u: UserId) -> Result<Vec<Suggestion>, GraphError> {
        self.check(u)?;
        let mut mutual: std::collections::HashMap<UserId, u32> = std::collections::HashMap::new();
        let direct = &self.friends[u as usize];
        for &f in direct {
            for &fof in &self.friends[f as usize] {
                if fof != u && direct.binary_search(&fof).is_err() {
                    *mutual.entry(fof).or_default() += 1;
                }
            }
        }
        let mut out: Vec<Suggestion> = mutual
            .into_iter()
            .map(|(user, mutual)| Suggestion { user, mutual })
            .collect();
        out.sort_by(|a, b| b.mutual.cmp(&a.mutual).then(a.user.cmp(&b.user)));
        Ok(out)
    }
}
// ANCHOR_END: graph

/// A seeded social graph grown by preferential attachment (Barabási–Albert): each newcomer
/// befriends `m` people, picked with probability proportional to the friends they have, which
/// gives a few hubs and many people with few friends, as real social networks have.
///
/// ```
/// use sysdesign::specialized_storage::preferential_attachment;
/// let g = preferential_attachment(1_000, 3, 7);
/// let edges: usize = (0..1_000).map(|u| g.friends(u).unwrap().len()).sum::<usize>() / 2;
/// assert!(edges > 2_900 && edges <= 3_000);
/// ```
pub fn preferential_attachment(users: usize, m: usize, seed: u64) -> SocialGraph {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut g = SocialGraph::new(users);
    // Every endpoint of every edge, so a uniform pick from it is a pick by degree.
    let mut ends: Vec<UserId> = Vec::new();
    for u in 1..users.min(m + 1) {
        g.befriend(u as UserId, 0)
            .expect("ids are in range and distinct");
        ends.extend([u as UserId, 0]);
    }
    for u in (m + 1)..users {
        for _ in 0..m {
            let v = ends[rng.random_range(0..ends.len())];
            // `ends` holds u itself once u has a friend; skip it and repeats.
            if v as usize != u && g.friends[u].binary_search(&v).is_err() {
                g.befriend(u as UserId, v)
                    .expect("ids are in range and distinct");
                ends.extend([u as UserId, v]);
            }
        }
    }
    g
}
