//! Does a query's cost grow with the table? The point lookup and the join, on data sets of
//! three sizes, counted in SQLite's virtual-machine steps and in key-value gets.

use sysdesign::choosing_a_database::{Dataset, KvModel, Query, SqlModel};
use sysdesign::key_value_stores::MemoryStore;
use sysdesign::show::{self, Table};

fn main() {
    let mut table = Table::new([
        "users",
        "posts",
        "point: SQLite VM steps",
        "point: KV gets",
        "join: SQLite VM steps",
        "join: KV gets",
    ]);
    for users in [1_000, 10_000, 50_000] {
        let data = Dataset::generate(users, 4, 10, 9);
        let sql = SqlModel::load(&data).expect("SQLite in memory loads");
        let kv = KvModel::load(&data, MemoryStore::new()).expect("a memory store cannot fail");
        let point = Query::UserById(users / 2);
        let join = Query::FolloweesTopByLikes {
            user: users / 2,
            limit: 3,
        };
        let (_, sql_point) = sql.answer(&point).expect("valid SQL");
        let (_, kv_point) = kv.answer(&point).expect("values decode");
        let (_, sql_join) = sql.answer(&join).expect("valid SQL");
        let (_, kv_join) = kv.answer(&join).expect("values decode");
        table.push([
            users.to_string(),
            data.posts.len().to_string(),
            sql_point.reads.to_string(),
            kv_point.requests.to_string(),
            sql_join.reads.to_string(),
            kv_join.requests.to_string(),
        ]);
    }
    show::table(&table);
}
