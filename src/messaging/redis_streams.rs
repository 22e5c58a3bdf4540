//! Consumer groups on a real broker: Redis Streams (feature `redis`).
//!
//! The commands are sent one by one with `redis::cmd`, so each call here is one Redis
//! command a reader can look up: `XADD`, `XREADGROUP`, `XACK`, `XPENDING`, `XCLAIM`.

/// An entry read from a stream: its id and its `body` field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamEntry {
    /// The id Redis keeps it under (`<milliseconds>-<sequence>`).
    pub id: String,
    /// The value of its `body` field.
    pub body: String,
}

/// One entry of a group's pending entries list (PEL): delivered, not yet acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEntry {
    /// The entry's id.
    pub id: String,
    /// The consumer it was last delivered to.
    pub consumer: String,
    /// Milliseconds since it was last delivered.
    pub idle_ms: u64,
    /// How many times it has been delivered.
    pub deliveries: u64,
}

fn entries(raw: Vec<(String, Vec<String>)>) -> Vec<StreamEntry> {
    raw.into_iter()
        .map(|(id, fields)| {
            let body = fields
                .chunks(2)
                .find(|pair| pair[0] == "body")
                .and_then(|pair| pair.get(1).cloned())
                .unwrap_or_default();
            StreamEntry { id, body }
        })
        .collect()
}

// ANCHOR: stream_group
/// A stream and one consumer group on it, in Redis.
///
/// ```no_run
/// use sysdesign::messaging::redis_streams::StreamGroup;
/// use sysdesign::redis_server::RedisServer;
///
/// let server = RedisServer::start()?;
/// let mut conn = redis::Client::open(server.url())?.get_connection()?;
/// let group = StreamGroup::create(&mut conn, "orders", "billing")?;
/// group.add(&mut conn, "1-0", "order 1")?;
/// let got = group.read(&mut conn, "a", 10)?;
/// assert_eq!(got[0].body, "order 1");
/// assert_eq!(group.pending(&mut conn)?.len(), 1); // delivered, not acknowledged
/// group.ack(&mut conn, &got[0].id)?;
/// assert!(group.pending(&mut conn)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct StreamGroup {
    stream: String,
    group: String,
}

impl StreamGroup {
    /// Creates the group on `stream` (and the stream if missing), reading from the start:
    /// `XGROUP CREATE stream group 0 MKSTREAM`.
    ///
    /// # Errors
    /// Any Redis error, for example when the group exists already.
    pub fn create(
        conn: &mut redis::Connection,
        stream: &str,
        group: &str,
    ) -> redis::RedisResult<Self> {
        let () = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(stream)
            .arg(group)
            .arg("0")
            .arg("MKSTREAM")
            .query(conn)?;
        Ok(StreamGroup {
            stream: stream.to_string(),
            group: group.to_string(),
        })
    }

    /// Appends an entry with the given id and a `body` field: `XADD stream id body ...`.
    ///
    /// # Errors
    /// Any Redis error, for example an id not greater than the last one.
    pub fn add(
        &self,
        conn: &mut redis::Connection,
        id: &str,
        body: &str,
    ) -> redis::RedisResult<String> {
        redis::cmd("XADD")
            .arg(&self.stream)
            .arg(id)
            .arg("body")
            .arg(body)
            .query(conn)
    }

    /// Up to `count` entries never delivered to anyone in the group, now delivered to
    /// `consumer` and pending until acknowledged: `XREADGROUP GROUP g c COUNT n STREAMS s >`.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn read(
        &self,
        conn: &mut redis::Connection,
        consumer: &str,
        count: usize,
    ) -> redis::RedisResult<Vec<StreamEntry>> {
        type Reply = Option<Vec<(String, Vec<(String, Vec<String>)>)>>;
        let reply: Reply = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(&self.group)
            .arg(consumer)
            .arg("COUNT")
            .arg(count)
            .arg("STREAMS")
            .arg(&self.stream)
            .arg(">")
            .query(conn)?;
        Ok(reply
            .unwrap_or_default()
            .into_iter()
            .flat_map(|(_, raw)| entries(raw))
            .collect())
    }

    /// Acknowledges `id`, removing it from the pending list: `XACK stream group id`.
    /// Returns whether it was pending.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn ack(&self, conn: &mut redis::Connection, id: &str) -> redis::RedisResult<bool> {
        let removed: u64 = redis::cmd("XACK")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(id)
            .query(conn)?;
        Ok(removed == 1)
    }

    /// The group's pending entries, oldest first: `XPENDING stream group - + 100`.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn pending(&self, conn: &mut redis::Connection) -> redis::RedisResult<Vec<PendingEntry>> {
        let raw: Vec<(String, String, u64, u64)> = redis::cmd("XPENDING")
            .arg(&self.stream)
            .arg(&self.group)
            .arg("-")
            .arg("+")
            .arg(100)
            .query(conn)?;
        Ok(raw
            .into_iter()
            .map(|(id, consumer, idle_ms, deliveries)| PendingEntry {
                id,
                consumer,
                idle_ms,
                deliveries,
            })
            .collect())
    }

    /// Takes over the pending entries `ids` that have been idle at least `min_idle_ms`:
    /// `XCLAIM stream group consumer min-idle-time id...`. Claiming resets an entry's idle
    /// time and counts a delivery, so a second claimer with the same threshold finds nothing.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn claim(
        &self,
        conn: &mut redis::Connection,
        consumer: &str,
        min_idle_ms: u64,
        ids: &[String],
    ) -> redis::RedisResult<Vec<StreamEntry>> {
        let raw: Vec<(String, Vec<String>)> = redis::cmd("XCLAIM")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(consumer)
            .arg(min_idle_ms)
            .arg(ids)
            .query(conn)?;
        Ok(entries(raw))
    }

    /// Applies `entry`'s effect and acknowledges it in one `MULTI`/`EXEC` transaction:
    /// `HINCRBY effects body 1`, `RPUSH processed "consumer body"`, `XACK`. A crash before
    /// `EXEC` leaves neither, so the entry stays pending and is processed once by whoever
    /// claims it.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn process(
        &self,
        conn: &mut redis::Connection,
        consumer: &str,
        entry: &StreamEntry,
    ) -> redis::RedisResult<()> {
        redis::pipe()
            .atomic()
            .cmd("HINCRBY")
            .arg(self.effects_key())
            .arg(&entry.body)
            .arg(1)
            .ignore()
            .cmd("RPUSH")
            .arg(self.processed_key())
            .arg(format!("{consumer} {}", entry.body))
            .ignore()
            .cmd("XACK")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(&entry.id)
            .ignore()
            .query(conn)
    }
    // ANCHOR_END: stream_group

    /// Makes the pending entry `id`, owned by `owner`, look idle for `idle_ms` without waiting
    /// that long: `XCLAIM stream group owner 0 id IDLE idle_ms JUSTID` (same owner, delivery
    /// count unchanged). Programs and tests use it in place of the real clock.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn age(
        &self,
        conn: &mut redis::Connection,
        owner: &str,
        id: &str,
        idle_ms: u64,
    ) -> redis::RedisResult<()> {
        let _ids: Vec<String> = redis::cmd("XCLAIM")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(owner)
            .arg(0)
            .arg(id)
            .arg("IDLE")
            .arg(idle_ms)
            .arg("JUSTID")
            .query(conn)?;
        Ok(())
    }

    /// How many times each body took effect (`HGETALL effects`), sorted by body.
    ///
    /// # Errors
    /// Any Redis error.
    pub fn effects(&self, conn: &mut redis::Connection) -> redis::RedisResult<Vec<(String, u64)>> {
        let mut all: Vec<(String, u64)> =
            redis::cmd("HGETALL").arg(self.effects_key()).query(conn)?;
        all.sort();
        Ok(all)
    }

    /// Who processed what, in order (`LRANGE processed 0 -1`).
    ///
    /// # Errors
    /// Any Redis error.
    pub fn processed(&self, conn: &mut redis::Connection) -> redis::RedisResult<Vec<String>> {
        redis::cmd("LRANGE")
            .arg(self.processed_key())
            .arg(0)
            .arg(-1)
            .query(conn)
    }

    fn effects_key(&self) -> String {
        format!("{}:{}:effects", self.stream, self.group)
    }

    fn processed_key(&self) -> String {
        format!("{}:{}:processed", self.stream, self.group)
    }
}
