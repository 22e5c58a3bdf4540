//! An iterative DNS resolver with a cache, simulated on a clock the caller passes in.
//!
//! The name space is a tree of zones: the root delegates `com.` to its top-level-domain
//! servers, which delegate `example.com.` to that domain's authoritative servers, which hold
//! the answer. A recursive resolver walks the tree from the deepest zone it already knows,
//! and caches every referral and answer for its time to live (TTL), so a repeated lookup
//! costs no query at all and a lookup after the answer expired starts from the cached
//! delegation, not from the root.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::time::Duration;

/// One hop of a lookup: who sent what to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The sender's name ("client", "resolver", or a zone's server).
    pub from: String,
    /// The receiver's name.
    pub to: String,
    /// What the message says.
    pub message: String,
}

/// The result of one lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The address, or `None` when the name does not exist (NXDOMAIN).
    pub answer: Option<Ipv4Addr>,
    /// The messages exchanged, in order, starting and ending with the client.
    pub steps: Vec<Step>,
    /// How many queries the resolver sent to name servers (0 when the cache answered).
    pub upstream_queries: usize,
}

/// What a cache entry holds: a delegation (the zone's servers are known) or an answer.
#[derive(Clone, Copy, Debug)]
enum Cached {
    Delegation,
    Answer(Option<Ipv4Addr>),
}

/// The zones of a small name space and a resolver's cache over them.
#[derive(Clone, Debug)]
pub struct Resolver {
    /// Zone name (with trailing dot) to the TTL of its NS records, as its parent hands them out.
    delegations: HashMap<String, Duration>,
    /// Fully qualified name to (address, TTL), held by the authoritative zone.
    records: HashMap<String, (Ipv4Addr, Duration)>,
    /// Negative answers are cached too (RFC 2308), for this long.
    negative_ttl: Duration,
    /// Name or zone to (what, expires at).
    cache: HashMap<String, (Cached, Duration)>,
}

/// A name with its trailing dot, in lower case.
fn fqdn(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name.ends_with('.') {
        name
    } else {
        format!("{name}.")
    }
}

/// The zones that hold `name`, from the root down: ".", "com.", "example.com.", ...
fn ancestors(name: &str) -> Vec<String> {
    let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
    let mut zones = vec![".".to_string()];
    for i in (0..labels.len()).rev() {
        zones.push(format!("{}.", labels[i..].join(".")));
    }
    zones
}

/// The display name of the server of `zone`.
fn server(zone: &str) -> String {
    match zone {
        "." => "root".to_string(),
        z if z.matches('.').count() == 1 => format!("{} TLD", z.trim_end_matches('.')),
        z => format!("{} NS", z.trim_end_matches('.')),
    }
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs())
}

impl Resolver {
    /// A resolver with an empty cache; `negative_ttl` is how long "no such name" is kept.
    pub fn new(negative_ttl: Duration) -> Self {
        Resolver {
            delegations: HashMap::new(),
            records: HashMap::new(),
            negative_ttl,
            cache: HashMap::new(),
        }
    }

    /// Adds a zone, delegated from its parent with NS records of this TTL.
    pub fn delegate(mut self, zone: &str, ns_ttl: Duration) -> Self {
        self.delegations.insert(fqdn(zone), ns_ttl);
        self
    }

    /// Adds an address record to the zone that holds `name`.
    pub fn record(mut self, name: &str, addr: Ipv4Addr, ttl: Duration) -> Self {
        self.records.insert(fqdn(name), (addr, ttl));
        self
    }

    fn cached(&self, key: &str, now: Duration) -> Option<(Cached, Duration)> {
        self.cache
            .get(key)
            .filter(|(_, expires)| *expires > now)
            .map(|&(what, expires)| (what, expires - now))
    }

    // ANCHOR: resolve
    /// Resolves `name` at time `now`, as a recursive resolver does for a stub client.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::client_server::Resolver;
    ///
    /// let s = Duration::from_secs;
    /// let mut r = Resolver::new(s(60))
    ///     .delegate("com", s(172_800))
    ///     .delegate("example.com", s(86_400))
    ///     .record("www.example.com", [203, 0, 113, 10].into(), s(300));
    /// assert_eq!(r.resolve("www.example.com", s(0)).upstream_queries, 3); // root, TLD, authoritative
    /// assert_eq!(r.resolve("www.example.com", s(10)).upstream_queries, 0); // cached
    /// assert_eq!(r.resolve("www.example.com", s(400)).upstream_queries, 1); // TTL expired
    /// ```
    pub fn resolve(&mut self, name: &str, now: Duration) -> Lookup {
        let name = fqdn(name);
        let ask = format!("A {name}?");
        let mut steps = vec![step("client", "resolver", &ask)];
        if let Some((Cached::Answer(answer), _)) = self.cached(&name, now) {
            let text = format!("{} (cached)", show(answer));
            steps.push(step("resolver", "client", &text));
            return Lookup {
                answer,
                steps,
                upstream_queries: 0,
            };
        }
        // Start at the deepest zone whose servers are cached; the root's are built in
        // ("root hints").
        let zones = ancestors(&name);
        let mut at = zones
            .iter()
            .rposition(|z| matches!(self.cached(z, now), Some((Cached::Delegation, _))))
            .unwrap_or(0);
        let mut queries = 0;
        let answer = loop {
            let zone = &zones[at];
            let to = server(zone);
            steps.push(step("resolver", &to, &ask));
            queries += 1;
            // The next zone cut below this one on the way to the name, if any.
            let child = (at + 1..zones.len()).find(|&i| self.delegations.contains_key(&zones[i]));
            if let Some(i) = child {
                let ttl = self.delegations[&zones[i]];
                let text = format!("{} NS, for {}", zones[i], seconds(ttl));
                steps.push(step(&to, "resolver", &text));
                self.cache
                    .insert(zones[i].clone(), (Cached::Delegation, now + ttl));
                at = i;
                continue;
            }
            let (answer, ttl) = match self.records.get(&name) {
                Some(&(addr, ttl)) => (Some(addr), ttl),
                None => (None, self.negative_ttl),
            };
            let text = format!("{}, for {}", show(answer), seconds(ttl));
            steps.push(step(&to, "resolver", &text));
            self.cache
                .insert(name.clone(), (Cached::Answer(answer), now + ttl));
            break answer;
        };
        steps.push(step("resolver", "client", &show(answer)));
        Lookup {
            answer,
            steps,
            upstream_queries: queries,
        }
    }
    // ANCHOR_END: resolve
}

fn step(from: &str, to: &str, message: &str) -> Step {
    Step {
        from: from.to_string(),
        to: to.to_string(),
        message: message.to_string(),
    }
}

fn show(answer: Option<Ipv4Addr>) -> String {
    answer.map_or_else(|| "NXDOMAIN".to_string(), |a| format!("A {a}"))
}

/// A Mermaid sequence diagram of several lookups, each headed by a note with its time.
///
/// ```
/// use std::time::Duration;
/// use sysdesign::client_server::{Resolver, sequence_diagram};
///
/// let mut r = Resolver::new(Duration::from_secs(60)).delegate("com", Duration::from_secs(10));
/// let lookup = r.resolve("nowhere.com", Duration::ZERO);
/// let diagram = sequence_diagram(&[(Duration::ZERO, lookup)]);
/// assert!(diagram.contains("\nsequenceDiagram\n"));
/// assert!(diagram.contains("NXDOMAIN"));
/// ```
pub fn sequence_diagram(lookups: &[(Duration, Lookup)]) -> String {
    let mut actors: Vec<&str> = vec!["client", "resolver"];
    for (_, lookup) in lookups {
        for s in &lookup.steps {
            for a in [s.from.as_str(), s.to.as_str()] {
                if !actors.contains(&a) {
                    actors.push(a);
                }
            }
        }
    }
    let id = |name: &str| {
        actors
            .iter()
            .position(|a| *a == name)
            .map_or_else(String::new, |i| format!("P{i}"))
    };
    // Five participants at Mermaid's default width (150 px each, 50 px apart) would be scaled
    // down on a page; narrower boxes keep the text legible.
    let mut out = String::from(
        "%%{init: {\"sequence\": {\"width\": 110, \"actorMargin\": 30}}}%%\nsequenceDiagram\n",
    );
    for (i, a) in actors.iter().enumerate() {
        let _ = writeln!(out, "  participant P{i} as {a}");
    }
    for (t, lookup) in lookups {
        let _ = writeln!(out, "  Note over P0,P1: t = {}", seconds(*t));
        for s in &lookup.steps {
            let arrow = if s.from == "client" || s.from == "resolver" {
                "->>"
            } else {
                "-->>"
            };
            let _ = writeln!(out, "  {}{arrow}{}: {}", id(&s.from), id(&s.to), s.message);
        }
    }
    out
}
