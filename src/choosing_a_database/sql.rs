//! The data set in SQLite: three tables, their primary keys, one composite index, and each
//! question one statement.

use super::{Answer, Dataset, Query, Work};
use crate::indexes::sqlite::{SqlError, run_counted, sql_error};
use rusqlite::{Connection, params};

// ANCHOR: schema
/// The tables, and the one index the range query needs; `follows`' primary key serves the join.
pub const SCHEMA: &str = "
CREATE TABLE users   (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts   (id INTEGER PRIMARY KEY, author INTEGER NOT NULL REFERENCES users(id),
                      at INTEGER NOT NULL, likes INTEGER NOT NULL);
CREATE TABLE follows (follower INTEGER NOT NULL REFERENCES users(id),
                      followee INTEGER NOT NULL REFERENCES users(id),
                      PRIMARY KEY (follower, followee)) WITHOUT ROWID;
CREATE INDEX posts_author_at ON posts(author, at);
";
// ANCHOR_END: schema

// ANCHOR: queries
/// Point lookup by primary key.
pub const USER_BY_ID: &str = "SELECT name FROM users WHERE id = ?1";
/// Range on the composite index `(author, at)`.
pub const POSTS_BY_AUTHOR_BETWEEN: &str =
    "SELECT id, likes FROM posts WHERE author = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id";
/// Join and aggregate, in the database.
pub const FOLLOWEES_TOP_BY_LIKES: &str = "
SELECT p.author, count(*), sum(p.likes) AS total
FROM follows f JOIN posts p ON p.author = f.followee
WHERE f.follower = ?1
GROUP BY p.author ORDER BY total DESC, p.author LIMIT ?2";
// ANCHOR_END: queries

/// The data set in an in-memory SQLite database.
///
/// ```
/// use sysdesign::choosing_a_database::{Answer, Dataset, Query, SqlModel};
///
/// let sql = SqlModel::load(&Dataset::generate(20, 3, 4, 1)).unwrap();
/// let (answer, work) = sql.answer(&Query::UserById(7)).unwrap();
/// assert_eq!(answer, Answer::Name(Some("user0007".into())));
/// assert_eq!(work.requests, 1);
/// assert!(sql.plan(sysdesign::choosing_a_database::sql::POSTS_BY_AUTHOR_BETWEEN).unwrap()[0]
///     .contains("USING INDEX posts_author_at"));
/// ```
pub struct SqlModel {
    conn: Connection,
}

impl SqlModel {
    /// Creates the tables and inserts every record of `data`, in one transaction.
    pub fn load(data: &Dataset) -> Result<SqlModel, SqlError> {
        let mut conn = Connection::open_in_memory().map_err(sql_error(":memory:"))?;
        conn.execute_batch(SCHEMA).map_err(sql_error(SCHEMA))?;
        let tx = conn.transaction().map_err(sql_error("BEGIN"))?;
        {
            let insert = "INSERT INTO users (id, name) VALUES (?1, ?2)";
            let mut statement = tx.prepare(insert).map_err(sql_error(insert))?;
            for user in &data.users {
                statement
                    .execute(params![user.id, user.name])
                    .map_err(sql_error(insert))?;
            }
            let insert = "INSERT INTO posts (id, author, at, likes) VALUES (?1, ?2, ?3, ?4)";
            let mut statement = tx.prepare(insert).map_err(sql_error(insert))?;
            for post in &data.posts {
                statement
                    .execute(params![post.id, post.author, post.at, post.likes])
                    .map_err(sql_error(insert))?;
            }
            let insert = "INSERT INTO follows (follower, followee) VALUES (?1, ?2)";
            let mut statement = tx.prepare(insert).map_err(sql_error(insert))?;
            for follow in &data.follows {
                statement
                    .execute(params![follow.follower, follow.followee])
                    .map_err(sql_error(insert))?;
            }
        }
        tx.commit().map_err(sql_error("COMMIT"))?;
        Ok(SqlModel { conn })
    }

    /// How SQLite means to run `sql` (`EXPLAIN QUERY PLAN`), one line per step.
    pub fn plan(&self, sql: &str) -> Result<Vec<String>, SqlError> {
        crate::indexes::sqlite::plan(&self.conn, sql)
    }

    /// Answers `query` with one statement, and reports the virtual-machine steps SQLite ran.
    pub fn answer(&self, query: &Query) -> Result<(Answer, Work), SqlError> {
        let (answer, run) = match *query {
            Query::UserById(id) => {
                let (names, run) =
                    run_counted(&self.conn, USER_BY_ID, params![id], |row| row.get(0))?;
                (Answer::Name(names.into_iter().next()), run)
            }
            Query::PostsByAuthorBetween { author, from, to } => {
                let (posts, run) = run_counted(
                    &self.conn,
                    POSTS_BY_AUTHOR_BETWEEN,
                    params![author, from, to],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                (Answer::Posts(posts), run)
            }
            Query::FolloweesTopByLikes { user, limit } => {
                let limit = i64::try_from(limit).unwrap_or(i64::MAX);
                let (rows, run) = run_counted(
                    &self.conn,
                    FOLLOWEES_TOP_BY_LIKES,
                    params![user, limit],
                    |row| {
                        let likes: i64 = row.get(2)?;
                        Ok((row.get(0)?, row.get(1)?, u64::try_from(likes).unwrap_or(0)))
                    },
                )?;
                (Answer::Ranking(rows), run)
            }
        };
        let work = Work {
            requests: 1,
            reads: u64::try_from(run.vm_steps).unwrap_or(0),
            bytes: 0,
        };
        Ok((answer, work))
    }
}
