//! Three messages, two consumers and a 30-tick visibility timeout: A takes message 0 and goes
//! silent, B works through the rest, message 0 comes back when A's lease runs out, and A's
//! late delete is refused. Every call and its answer, in order.

use sysdesign::distributed_queue::{LeasedQueue, Received};
use sysdesign::show::{self, Table};

fn got(r: &Option<Received<&str>>) -> String {
    match r {
        Some(r) => format!(
            "{} (delivery {}, receive #{})",
            r.envelope.body, r.receipt.delivery, r.envelope.attempts
        ),
        None => "nothing visible".to_string(),
    }
}

/// The story, in a function of its own: its `log` closure borrows the table.
fn story() -> (Table, Vec<&'static str>, usize) {
    let mut table = Table::new(["tick", "who", "call", "answer"]);
    let mut log = |tick: u64, who: &str, call: &str, answer: String| {
        table.push([tick.to_string(), who.to_string(), call.to_string(), answer]);
    };
    let mut done = Vec::new();
    // ANCHOR: story
    let mut q = LeasedQueue::new(30, 5);
    for body in ["order-0", "order-1", "order-2"] {
        q.send(body, 0);
    }
    let a = q.receive(0); // A takes order-0, then stalls (a long GC pause, a dead machine)
    log(0, "A", "receive", got(&a));
    let b1 = q.receive(1).expect("order-1 is visible");
    log(1, "B", "receive", got(&Some(b1.clone())));
    log(5, "B", "delete", format!("{:?}", q.delete(b1.receipt)));
    done.push(b1.envelope.body);
    let b2 = q.receive(6).expect("order-2 is visible");
    log(6, "B", "receive", got(&Some(b2.clone())));
    log(10, "B", "delete", format!("{:?}", q.delete(b2.receipt)));
    done.push(b2.envelope.body);
    log(20, "B", "receive", got(&q.receive(20)));
    let b3 = q.receive(30).expect("order-0 is back: A's lease ran out");
    log(30, "B", "receive", got(&Some(b3.clone())));
    let a = a.expect("A got order-0");
    log(
        31,
        "A",
        "delete (wakes up)",
        format!("{:?}", q.delete(a.receipt)),
    );
    log(34, "B", "delete", format!("{:?}", q.delete(b3.receipt)));
    done.push(b3.envelope.body);
    // ANCHOR_END: story
    let left = q.len();
    (table, done, left)
}

fn main() {
    let (table, done, left) = story();
    show::table(&table.caption("visibility timeout 30 ticks, messages sent at tick 0"));
    println!("order of completion: {}", done.join(", "));
    println!("messages left: {left}");
}
