//! Three things Redis is for, on a private redis-server bound to 127.0.0.1: a leaderboard in a
//! sorted set, a fixed-window rate limit with INCR and EXPIRE (the window number comes from a
//! clock passed in, so the run is the same every time), and a lock taken with SET NX PX and
//! released only by the client whose token it holds.

use sysdesign::redis_server::RedisServer;
use sysdesign::show::{self, Table};

const RELEASE: &str = r#"if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
else
  return 0
end"#;

fn leaderboard(con: &mut redis::Connection) -> Table {
    // ANCHOR: leaderboard
    let games = [
        ("ada", 30),
        ("bo", 45),
        ("cy", 20),
        ("ada", 25),
        ("di", 50),
        ("cy", 40),
    ];
    for (player, points) in games {
        redis::cmd("ZINCRBY")
            .arg("board")
            .arg(points)
            .arg(player)
            .query::<f64>(con)
            .expect("ZINCRBY on a sorted set");
    }
    let top: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg("board")
        .arg(0)
        .arg(2)
        .arg("REV")
        .arg("WITHSCORES")
        .query(con)
        .expect("ZRANGE ... REV WITHSCORES");
    // ANCHOR_END: leaderboard
    let mut table = Table::new(["rank", "player", "points"]);
    for (i, (player, points)) in top.iter().enumerate() {
        table.push([(i + 1).to_string(), player.clone(), points.to_string()]);
    }
    table.caption("The top 3 of a sorted set, after six ZINCRBY")
}

fn limiter(con: &mut redis::Connection) -> Table {
    // ANCHOR: limiter
    const LIMIT: i64 = 3;
    const WINDOW_S: u64 = 60;
    let mut table = Table::new(["request at (s)", "key", "count", "answer"]);
    for now_s in [0u64, 10, 20, 30, 59, 60, 61] {
        let key = format!("rate:alice:{}", now_s / WINDOW_S);
        let count: i64 = redis::cmd("INCR").arg(&key).query(con).expect("INCR");
        if count == 1 {
            // The first request of a window sets its expiry; the key outlives it a little.
            redis::cmd("EXPIRE")
                .arg(&key)
                .arg(2 * WINDOW_S)
                .query::<i64>(con)
                .expect("EXPIRE");
        }
        let answer = if count <= LIMIT { "allowed" } else { "429" };
        table.push([now_s.to_string(), key, count.to_string(), answer.into()]);
    }
    // ANCHOR_END: limiter
    table.caption("A fixed window of 3 requests a minute: INCR, then EXPIRE on the first")
}

fn lock(con: &mut redis::Connection) -> Table {
    // ANCHOR: lock
    let mut table = Table::new(["step", "command", "reply"]);
    for (who, token) in [("A", "token-a"), ("B", "token-b")] {
        let reply: Option<String> = redis::cmd("SET")
            .arg("lock:seat-12A")
            .arg(token)
            .arg("NX")
            .arg("PX")
            .arg(30_000)
            .query(con)
            .expect("SET NX PX");
        table.push([
            format!("{who} locks"),
            format!("SET lock:seat-12A {token} NX PX 30000"),
            reply.unwrap_or_else(|| "(nil): not acquired".into()),
        ]);
    }
    for (who, token) in [("B", "token-b"), ("A", "token-a")] {
        let deleted: i64 = redis::Script::new(RELEASE)
            .key("lock:seat-12A")
            .arg(token)
            .invoke(con)
            .expect("the release script runs");
        table.push([
            format!("{who} releases"),
            format!("release script with {token}"),
            format!("{deleted} key(s) deleted"),
        ]);
    }
    // ANCHOR_END: lock
    table.caption("A lock with a token: only its holder's release deletes it")
}

fn main() {
    let server = RedisServer::start().expect("redis-server is installed (the book's CI has it)");
    let mut con = redis::Client::open(server.url())
        .and_then(|c| c.get_connection())
        .expect("the private server accepts connections");
    show::table(&leaderboard(&mut con));
    show::table(&limiter(&mut con));
    show::table(&lock(&mut con));
}
