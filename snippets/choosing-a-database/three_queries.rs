//! One data set (users, posts, follows) in SQLite and in a key-value store; the same three
//! questions asked of both, with the work each took. Seeded: the same on every machine.

use sysdesign::choosing_a_database::sql::{
    FOLLOWEES_TOP_BY_LIKES, POSTS_BY_AUTHOR_BETWEEN, USER_BY_ID,
};
use sysdesign::choosing_a_database::{Answer, Dataset, KvModel, Query, SqlModel};
use sysdesign::key_value_stores::MemoryStore;
use sysdesign::show::{self, Table};

const USERS: u32 = 2_000;
const POSTS_PER_USER: u32 = 10;
const FOLLOWS_PER_USER: u32 = 30;

fn summary(answer: &Answer) -> String {
    match answer {
        Answer::Name(name) => format!("{name:?}"),
        Answer::Posts(posts) => format!("{} posts", posts.len()),
        Answer::Ranking(rows) => {
            let top: Vec<String> = rows
                .iter()
                .map(|(user, posts, likes)| format!("{user} ({posts} posts, {likes} likes)"))
                .collect();
            top.join(", ")
        }
    }
}

fn main() {
    let data = Dataset::generate(USERS, POSTS_PER_USER, FOLLOWS_PER_USER, 2026);
    let sql = SqlModel::load(&data).expect("SQLite in memory loads");
    let kv = KvModel::load(&data, MemoryStore::new()).expect("a memory store cannot fail");
    let (gets, puts) = kv.operations();
    show::value("users", data.users.len());
    show::value("posts", data.posts.len());
    show::value("follows", data.follows.len());
    show::value("kv_load_gets", gets);
    show::value("kv_load_puts", puts);

    // ANCHOR: queries
    let queries = [
        ("point lookup", Query::UserById(1_234)),
        (
            "range on a secondary index",
            Query::PostsByAuthorBetween {
                author: 1_234,
                from: 0,
                to: 3 * 24 * 60,
            },
        ),
        (
            "join + aggregate",
            Query::FolloweesTopByLikes {
                user: 1_234,
                limit: 3,
            },
        ),
    ];
    // ANCHOR_END: queries
    let mut table = Table::new([
        "query",
        "answer",
        "SQLite statements",
        "SQLite VM steps",
        "KV gets",
        "KV bytes read",
        "same answer",
    ]);
    for (name, query) in queries {
        let (from_sql, sql_work) = sql.answer(&query).expect("valid SQL");
        let (from_kv, kv_work) = kv.answer(&query).expect("values decode");
        table.push([
            name.to_string(),
            summary(&from_sql),
            sql_work.requests.to_string(),
            sql_work.reads.to_string(),
            kv_work.requests.to_string(),
            kv_work.bytes.to_string(),
            (from_sql == from_kv).to_string(),
        ]);
        if let Query::FolloweesTopByLikes { .. } = query {
            show::value("join_kv_gets", kv_work.requests);
        }
    }
    show::table(&table);

    let mut plans = Table::new(["query", "SQLite's plan"]);
    for (name, text) in [
        ("point lookup", USER_BY_ID),
        ("range on a secondary index", POSTS_BY_AUTHOR_BETWEEN),
        ("join + aggregate", FOLLOWEES_TOP_BY_LIKES),
    ] {
        let plan = sql.plan(text).expect("valid SQL");
        plans.push([name.to_string(), plan.join("; ")]);
    }
    show::table(&plans);
}
