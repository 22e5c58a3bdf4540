//! The consumer-group story on a real broker: a private redis-server, a stream of five
//! orders, consumer A crashing with one order read but not acknowledged, and B and C both
//! trying to claim it. The idle time a real claimer waits for (30 s here) is granted with
//! XCLAIM's IDLE option rather than waited for, so the run is the same every time.

use sysdesign::messaging::redis_streams::{PendingEntry, StreamGroup};
use sysdesign::redis_server::RedisServer;
use sysdesign::show::{self, Table};

const MIN_IDLE_MS: u64 = 30_000;

fn pending_cell(pending: &[PendingEntry]) -> String {
    if pending.is_empty() {
        return "(empty)".to_string();
    }
    let cells: Vec<String> = pending
        .iter()
        .map(|p| {
            let idle = if p.idle_ms >= MIN_IDLE_MS {
                "idle >= 30 s"
            } else {
                "idle < 30 s"
            };
            format!(
                "{} owner {} deliveries {} {idle}",
                p.id, p.consumer, p.deliveries
            )
        })
        .collect();
    cells.join("; ")
}

fn ids(entries: &[sysdesign::messaging::redis_streams::StreamEntry]) -> String {
    if entries.is_empty() {
        return "nothing".to_string();
    }
    let all: Vec<String> = entries
        .iter()
        .map(|e| format!("{} {}", e.id, e.body))
        .collect();
    all.join(", ")
}

/// Adds a row: the step, the command, its result, and the pending entries after it.
fn step(
    steps: &mut Table,
    n: &str,
    command: &str,
    result: String,
    conn: &mut redis::Connection,
    group: &StreamGroup,
) -> redis::RedisResult<()> {
    let pending = group.pending(conn)?;
    steps.push([n, command, &result, &pending_cell(&pending)]);
    Ok(())
}

fn run(conn: &mut redis::Connection) -> redis::RedisResult<(Table, Table)> {
    let mut steps = Table::new(["step", "command", "result", "pending entries (XPENDING)"]);
    // ANCHOR: story
    let group = StreamGroup::create(conn, "orders", "billing")?;
    for i in 1..=5 {
        group.add(conn, &format!("{i}-0"), &format!("order-{i}"))?;
    }
    step(
        &mut steps,
        "1",
        "XADD orders 1-0 .. 5-0",
        "5 entries".into(),
        conn,
        &group,
    )?;
    let a = group.read(conn, "A", 2)?;
    step(
        &mut steps,
        "2",
        "XREADGROUP A COUNT 2",
        ids(&a),
        conn,
        &group,
    )?;
    group.process(conn, "A", &a[0])?; // effect + XACK in one MULTI/EXEC
    step(
        &mut steps,
        "3",
        "A: MULTI effect, XACK EXEC",
        a[0].id.clone(),
        conn,
        &group,
    )?;
    // A crashes here, holding a[1], read but never acknowledged.
    let b = group.read(conn, "B", 10)?;
    step(
        &mut steps,
        "4",
        "A crashed; XREADGROUP B",
        ids(&b),
        conn,
        &group,
    )?;
    for entry in &b {
        group.process(conn, "B", entry)?;
    }
    step(
        &mut steps,
        "5",
        "B: MULTI effect, XACK EXEC",
        format!("{} entries", b.len()),
        conn,
        &group,
    )?;
    group.age(conn, "A", &a[1].id, 60_000)?; // stands in for a minute passing
    step(
        &mut steps,
        "6",
        "(a minute passes)",
        String::new(),
        conn,
        &group,
    )?;
    let claimed_by_b = group.claim(conn, "B", MIN_IDLE_MS, std::slice::from_ref(&a[1].id))?;
    step(
        &mut steps,
        "7",
        "XCLAIM B min-idle 30000",
        ids(&claimed_by_b),
        conn,
        &group,
    )?;
    let claimed_by_c = group.claim(conn, "C", MIN_IDLE_MS, std::slice::from_ref(&a[1].id))?;
    step(
        &mut steps,
        "8",
        "XCLAIM C min-idle 30000",
        ids(&claimed_by_c),
        conn,
        &group,
    )?;
    for entry in &claimed_by_b {
        group.process(conn, "B", entry)?;
    }
    step(
        &mut steps,
        "9",
        "B: MULTI effect, XACK EXEC",
        ids(&claimed_by_b),
        conn,
        &group,
    )?;
    // ANCHOR_END: story
    let mut effects = Table::new(["order", "times it took effect", "processed by"]);
    let processed = group.processed(conn)?;
    for (body, times) in group.effects(conn)? {
        let by: Vec<&str> = processed
            .iter()
            .filter_map(|line| line.strip_suffix(&format!(" {body}")))
            .collect();
        effects.push([body.clone(), times.to_string(), by.join(", ")]);
    }
    show::value("claims_by_c", claimed_by_c.len());
    Ok((
        steps.caption("one stream, one group, a private redis-server"),
        effects,
    ))
}

fn main() {
    let server = RedisServer::start().expect("redis-server is installed (the book's CI has it)");
    let client = redis::Client::open(server.url()).expect("a valid URL");
    let mut conn = client.get_connection().expect("the private server answers");
    let (steps, effects) = run(&mut conn).expect("Redis commands succeed");
    show::table(&steps);
    show::table(&effects);
}
