//! A lock on a private redis-server: taken with SET NX PX, released by a compare-and-delete
//! script, and a holder paused past its lease. The lease is ended with PEXPIRE 0 rather than
//! waited for, so the run is the same every time.

use sysdesign::leader_election::FencingGate;
use sysdesign::locking::redis_lock::RedisLock;
use sysdesign::redis_server::RedisServer;
use sysdesign::show::{self, Table};

fn run(conn: &mut redis::Connection) -> redis::RedisResult<Table> {
    let mut table = Table::new(["step", "command", "result"]);
    let mut step = |what: &str, command: &str, result: String| {
        let n = (table.rows().len() + 1).to_string();
        table.push([n, format!("{what}: {command}"), result]);
    };
    // ANCHOR: story
    let lock = RedisLock::new("lock:seat-12A");
    let mut storage = FencingGate::default();
    let a = lock.acquire(conn, "A-5f1c", 10_000)?;
    step(
        "A acquires",
        "SET lock:seat-12A A-5f1c NX PX 10000",
        format!("fence {a:?}"),
    );
    let b = lock.try_set(conn, "B-9d2e", 10_000)?;
    step(
        "B tries",
        "SET lock:seat-12A B-9d2e NX PX 10000",
        format!("acquired: {b}"),
    );
    let released = lock.release(conn, "B-9d2e")?;
    step(
        "B releases A's lock?",
        "EVAL compare-and-delete B-9d2e",
        format!("deleted: {released}"),
    );
    // A pauses; its lease runs out (forced here with PEXPIRE 0).
    lock.expire_now(conn)?;
    step(
        "A's lease ends",
        "PEXPIRE lock:seat-12A 0",
        format!("holder: {:?}", lock.holder(conn)?),
    );
    let b = lock.acquire(conn, "B-9d2e", 10_000)?;
    step(
        "B acquires",
        "SET lock:seat-12A B-9d2e NX PX 10000",
        format!("fence {b:?}"),
    );
    let b_write = storage.admit(b.unwrap_or(0));
    step(
        "B writes seat := B",
        "storage checks fence",
        format!("accepted: {b_write}"),
    );
    // A wakes up, still believing it holds the lock.
    let a_write = storage.admit(a.unwrap_or(0));
    step(
        "A writes seat := A",
        "storage checks fence",
        format!("accepted: {a_write}"),
    );
    let released = lock.release(conn, "A-5f1c")?;
    step(
        "A releases",
        "EVAL compare-and-delete A-5f1c",
        format!("deleted: {released}"),
    );
    step(
        "who holds it?",
        "GET lock:seat-12A",
        format!("{:?}", lock.holder(conn)?),
    );
    // ANCHOR_END: story
    Ok(table)
}

fn main() {
    let server = RedisServer::start().expect("redis-server is installed (the book's CI has it)");
    let client = redis::Client::open(server.url()).expect("a valid URL");
    let mut conn = client.get_connection().expect("the private server answers");
    show::table(&run(&mut conn).expect("Redis commands succeed"));
}
