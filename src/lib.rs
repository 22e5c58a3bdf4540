//! # sysdesign
//!
//! The library behind *sysdesign*, an executable book about system design.
//! Each module is a small, real, tested implementation of one idea that a chapter explains;
//! the book's snippets call it, its tests check it, and its benchmarks compare it with a well-known crate.
//!
//! # Layout
//!
//! | module | idea | chapter |
//! | --- | --- | --- |
//! | [`delivery_framework`] | quantities with their unit in the type (count, bytes, seconds, rates, bandwidth) and only the meaningful arithmetic; back-of-the-envelope estimates from daily active users | Delivery framework |
//! | [`latency_throughput`] | the published latency figures with source and year, Colin Scott's trend model; memory, file and loopback probes a program times; a seeded M/M/1 and M/D/1 queue checked against the closed forms and Little's law | Latency and throughput |
//! | [`caching`] | eviction policies (LRU, LFU, FIFO, MRU), TTL expiry, write policies, Zipf workloads | Caching |
//! | [`storage_basics`] | the three places a write can be (process buffer, page cache, device), fsync, and what a process crash or a power loss keeps | Storage basics |
//! | [`hashing`] | which node owns a key: modulo, a consistent-hash ring with virtual nodes, rendezvous hashing; keys remapped on a join or leave, load spread | Hashing |
//! | [`distributed_caching`] | a cache client that places keys on servers through a hash ring and treats a failed or slow server as a miss; in-memory and Redis servers behind one trait; near-cache and key salting for hot keys; leader-follower replicas and their stale reads | Distributed caching |
//! | [`relational_acid`] | ACID on SQLite (a transfer that commits or rolls back, two connections' isolation, reopening), and a write-ahead-log key-value store with CRC-framed records, fsync on commit, recovery, fault injection and crash sweeps | Relational databases and ACID |
//! | [`indexes`] | full scan vs B-tree vs hash lookups with their comparisons counted; a SQLite table, its query plan and the rows scanned before and after `CREATE INDEX` | Indexes |
//! | [`key_value_stores`] | get, put and delete behind one trait: a `HashMap`, an append-only log with a hash index (Bitcask style), a SQLite table, the write-ahead-log store; R and W quorums simulated | Key-value stores |
//! | [`bloom_filters`] | a Bloom filter sized from (n, target false-positive rate) with double hashing, the false-positive formula, a counting variant for deletes, a blocked variant (one cache line per lookup) | Bloom filters |
//! | [`rate_limiting`] | token bucket, leaky bucket (meter and queue), fixed window, sliding-window log and counter behind one trait; GCRA on one atomic word, shareable between threads; a 429 middleware; a token bucket shared through Redis | Rate limiting |
//! | [`overload`] | load shedding with a bounded queue, timeouts, exponential backoff with jitter, a circuit breaker; seeded simulations | Overload |
//! | [`classification_metrics`] | confusion matrix (and a one-pass one for byte labels), precision, recall, F-beta with macro/micro/weighted averages and a zero-division policy; threshold sweep, ROC AUC, average precision | Classification metrics |
//! | [`bias_variance`] | least-squares polynomials (SVD, scaled inputs), k-nearest neighbours, the bias² + variance + noise experiment, k-fold cross-validation and grid search | Bias and variance |
//! | [`gradient_descent`] | batch gradient descent on least squares (the bias-variance polynomials) with the curvature that bounds the learning rate; k-means with k-means++ seeding and Lloyd's iterations, its objective recorded per iteration; seeded blobs | Gradient descent and unsupervised learning |
//! | [`dynamic_programming`] | edit distance naive, memoized and bottom-up with call counts; edit scripts (diffs); the subproblem graph as Mermaid | Dynamic programming |
//! | [`testing_ml_code`] | a bag-of-words logistic-regression sentiment model trained with `gradient_descent` on a seeded review corpus; minimum-functionality, invariance and directional checks (CheckList style) and training checks; planted bugs that the checks catch and held-out accuracy does not | Testing ML code |
//! | [`tries`] | a trie and a DAWG (minimal acyclic automaton built incrementally from sorted input, Daciuk et al. 2000) with nodes, edges and packed bytes counted; seeded word lists with and without shared endings; the `fst` crate's automaton measured the same way | Tries |
//! | [`text`] | text into words, the one tokenizer the word count and the search indexes share | Event streams and MapReduce, Replication and sharding, Specialized storage |
//! | [`redis_server`] | a private `redis-server` on a free loopback port, started for a test or a program and stopped on drop | Distributed caching, Rate limiting |
//! | [`replicated`] | a replicated key-value store simulated to the millisecond: N replicas, R and W quorums, message delays, partitions, skewed clocks, read repair, anti-entropy, sloppy quorums with hinted handoff; seeded schedules | CAP and PACELC, Quorum |
//! | [`cap_pacelc`] | a brute-force checker of register histories against linearizability, sequential and eventual consistency; a run's history for it | CAP and PACELC |
//! | [`quorum`] | every (R, W) for an N swept on the simulated store, with stale reads and latencies counted | Quorum |
//! | [`availability`] | nines to downtime; series and parallel blocks computed and simulated on a seeded clock; active-passive and active-active fail-over with a heartbeat detector, simulated; SLOs, error budgets, burn rates and a ledger of traffic | Availability |
//! | [`load_balancing`] | random, round robin, smooth weighted round robin, least connections, least response time, IP hash and power of two choices behind one balancer; a seeded discrete-event simulation of unequal servers with queues, outages and active health checks | Load balancing |
//! | [`scaling`] | Amdahl's law and the Universal Scalability Law; sticky against shared sessions as a fleet grows and shrinks; a target-tracking autoscaler with provisioning delay and cooldowns; a service registry with TTL'd registrations, heartbeats and health checks; all on simulated clocks | Scaling |
//! | [`cdn`] | a CDN on a model of the globe: round trips from distance in fibre, edges as LRU caches on a Zipf workload, pull with TTL and purge or push, stale copies and origin offload measured | CDN |
//! | [`leader_election`] | lease-based election simulated event by event: a lease store with compare-and-set, drifting clocks, delays, pauses, crashes, fencing tokens checked by storage; heartbeat failure detection, timeout against false suspicion | Leader election |
//! | [`replication_sharding`] | range and hash partitioning with hot spots under Zipf skew and the keys moved when a shard is added; asynchronous leader-follower replication on the simulated store, stale reads against lag; change data capture tailing the write-ahead log into a search index | Replication and sharding |
//! | [`client_server`] | IPv4 and IPv6 special-purpose blocks by longest prefix, checked against `std::net`; the port ranges of RFC 6335; an iterative DNS resolver with a TTL cache on a simulated clock, drawn as a sequence diagram; a tokio echo server, and echo servers with a thread per connection or one async runtime for a program to time | Client and server |
//! | [`protocols`] | size limits from the IP, TCP and UDP header fields; HTTP/1.1 requests and responses built as bytes and parsed with httparse; a loopback HTTP server with per-request and kept-alive clients; events sent one by one, batched, and gzipped, with their bytes counted | Protocols |
//! | [`specialized_storage`] | a blob store of content-defined chunks (Gear hash, FastCDC-style) named by SHA-256, deduplication measured against fixed-size chunks; pre-signed URLs (HMAC-SHA256 over method, path, expiry); time-series roll-ups to minutes and hours with retention; an inverted index with AND/OR over posting lists; a quadtree with best-first k nearest; friends of friends by BFS; two-stage vector search (sign codes, then exact re-rank) with recall@k | Specialized storage |
//! | [`choosing_a_database`] | one seeded social network (users, posts, follows) in SQLite and in a key-value store with hand-kept index keys; a point lookup, a range on a secondary index and a join answered by both, with requests and reads counted | Choosing a database |
//! | [`locking`] | one global lock against striped locks under threads; versioned compare-and-set against blind writes on scheduled interleavings; leases with fencing tokens on a passed-in clock; deadlock on threads and as a wait-for-graph cycle, avoided by lock ordering; a Redis lock (`SET NX PX`, compare-and-delete) | Locking |
//! | [`proxies`] | forward and reverse proxies: `Forwarded` (RFC 7239), `X-Forwarded-For` and `Via` written and read; a route table; with `http`, a reverse proxy on tokio, axum and hyper over the load balancer's strategies, an API gateway (API keys, the rate-limiting middleware, routing, aggregation), echo backends and a loopback lab | Proxies |
//! | [`peer_to_peer`] | the minimum time to give N peers a file, from a server alone and from a swarm (Kurose and Ross); chunked distribution simulated in seeded rounds; push gossip and its log2 N + ln N rounds | Peer-to-peer |
//! | [`configuration`] | a service's configuration read from TOML or JSON with serde and validated, errors naming the file, line, key and value; a hot reloader handed texts and times that keeps the last good configuration and refuses changes to static keys; a file watcher that compares contents | Configuration |
//! | [`checksums`] | CRC32 and SHA-256 as tagged values, HMAC-SHA-256; a CRC32 forged to any value by solving for four bytes; a replicated block store that verifies every read, serves it from another replica and repairs the bad copy | Checksums |
//! | [`api_design`] | offset against cursor pagination on a listing changed between page reads; idempotency keys and a retried POST whose response was lost; PUT against PATCH with JSON Merge Patch (RFC 7396) and the diff between two documents; the status codes an API sends (RFC 9110) | API design |
//! | [`security`] | encoding against hashing against MACs; HTTP Basic authentication decoded with no key; Argon2id password hashes with a salt and the OWASP cost; HS256 JSON Web Tokens with expiry, `alg` pinned and a constant-time check; sign-up validation naming field and value | Security |
//! | [`deployment`] | a stable rollout bucket per user from a hash; percentage rollouts and feature flags with a kill switch; blue-green, canary and rolling releases simulated minute by minute with an automatic rollback rule | Deployment |
//! | [`messaging`] | a bounded work queue with backpressure, redelivery and a dead-letter queue; publish-subscribe; a partitioned log with offsets and consumer groups that rebalance; at-most-once, at-least-once and effectively-once shown by crashing a consumer at each point; consumer groups on Redis Streams (XREADGROUP, XACK, XPENDING, XCLAIM), feature `redis` | Messaging |
//! | [`event_streams`] | event sourcing (commands checked into events, replay, snapshots, time travel); tumbling, sliding and session windows closed by a watermark, late events counted; MapReduce word count on scoped threads with the shuffle counted | Event streams and MapReduce |
//! | [`monitoring`] | counters, gauges and HDR latency histograms; per-minute roll-ups that merge, and why averaged percentiles do not; an alert rule with hysteresis on a passed-in clock; Prometheus' text exposition format, served on 127.0.0.1 and scraped | Monitoring |
//! | [`polling_streaming`] | short polling, long polling, server-sent events and WebSockets simulated (requests, delay) and run over loopback; an SSE parser; signed webhooks retried with backoff; adaptive bitrate on a simulated link | Polling and streaming |
//! | [`chat`] | a conversation simulated on skewed clocks: messages ordered by sender timestamp, Lamport clock and server sequence number, replies shown above what they answer counted | Chat |
//! | [`notification_system`] | a provider that fails or delivers and times out, seeded; no retry, retries, and retries with an idempotency key, their lost and duplicate notifications counted; a dispatcher with per-user channel preferences and a token bucket per user and channel | Notification system |
//! | [`twitter_feed`] | a seeded follower graph with heavy-tailed follower counts; home timelines by fan-out on write, fan-out on read and a hybrid with a celebrity threshold, their timeline writes, lists fetched per read and stored entries counted | Twitter feed |
//! | [`google_drive`] | the Google Drive case study: a sync service of chunks and manifests, devices that upload only the chunks the service lacks through pre-signed URLs and commit on the version they started from (conflicts kept as conflicted copies); what one small edit costs to sync, by chunking and chunk size | Google Drive |
//! | [`distributed_queue`] | a queue whose deliveries are leases (visibility timeout, receipts, lease extensions, a dead-letter queue after too many receives), as Amazon SQS runs one; slow and crashing consumers simulated against the timeout, with and without heartbeats | Distributed queue |
//! | [`monitoring_system`] | Gorilla compression of a time series (delta-of-delta timestamps, XOR'd floats, bit-exact round trip); seeded series of five shapes; a year of one series through raw, compressed and tiered retention | Monitoring system |
//! | [`video_analytics`] | HyperLogLog (registers, harmonic mean, small-range correction, merge) for distinct viewers; its error against memory measured on seeded audiences | YouTube and video analytics |
//! | [`show`] | rich output (tables, SVG charts, Mermaid diagrams) for the book, a notebook or a terminal | every chapter |
//! | [`chart`] | line charts drawn with plotters | every chapter with a measurement |
//!
//! Every module but [`show`] and [`chart`] sits behind a cargo feature of its own name, which
//! turns on the modules it uses (`quorum` turns on `replicated`); all are on by default. A
//! chapter's notebook asks for its modules' features alone, so it compiles a small part of the
//! library whatever the size of the book.
//!
//! Two rules hold everywhere: time is passed in (no function reads the clock inside an algorithm),
//! and randomness takes a seed, so every simulation in the book is reproducible to the byte.

#[cfg(feature = "api_design")]
pub mod api_design;
#[cfg(feature = "availability")]
pub mod availability;
#[cfg(feature = "bias_variance")]
pub mod bias_variance;
#[cfg(feature = "bloom_filters")]
pub mod bloom_filters;
#[cfg(feature = "caching")]
pub mod caching;
#[cfg(feature = "cap_pacelc")]
pub mod cap_pacelc;
#[cfg(feature = "cdn")]
pub mod cdn;
pub mod chart;
#[cfg(feature = "chat")]
pub mod chat;
#[cfg(feature = "checksums")]
pub mod checksums;
#[cfg(feature = "choosing_a_database")]
pub mod choosing_a_database;
#[cfg(feature = "classification_metrics")]
pub mod classification_metrics;
#[cfg(feature = "client_server")]
pub mod client_server;
#[cfg(feature = "configuration")]
pub mod configuration;
#[cfg(feature = "delivery_framework")]
pub mod delivery_framework;
#[cfg(feature = "deployment")]
pub mod deployment;
#[cfg(feature = "distributed_caching")]
pub mod distributed_caching;
#[cfg(feature = "distributed_queue")]
pub mod distributed_queue;
#[cfg(feature = "dynamic_programming")]
pub mod dynamic_programming;
#[cfg(feature = "event_streams")]
pub mod event_streams;
#[cfg(feature = "google_drive")]
pub mod google_drive;
#[cfg(feature = "gradient_descent")]
pub mod gradient_descent;
#[cfg(feature = "hashing")]
pub mod hashing;
#[cfg(feature = "indexes")]
pub mod indexes;
#[cfg(feature = "key_value_stores")]
pub mod key_value_stores;
#[cfg(feature = "latency_throughput")]
pub mod latency_throughput;
#[cfg(feature = "leader_election")]
pub mod leader_election;
#[cfg(feature = "load_balancing")]
pub mod load_balancing;
#[cfg(feature = "locking")]
pub mod locking;
#[cfg(feature = "messaging")]
pub mod messaging;
#[cfg(feature = "monitoring")]
pub mod monitoring;
#[cfg(feature = "monitoring_system")]
pub mod monitoring_system;
#[cfg(feature = "notification_system")]
pub mod notification_system;
#[cfg(feature = "overload")]
pub mod overload;
#[cfg(feature = "peer_to_peer")]
pub mod peer_to_peer;
#[cfg(feature = "polling_streaming")]
pub mod polling_streaming;
#[cfg(feature = "protocols")]
pub mod protocols;
#[cfg(feature = "proxies")]
pub mod proxies;
#[cfg(feature = "quorum")]
pub mod quorum;
#[cfg(feature = "rate_limiting")]
pub mod rate_limiting;
#[cfg(feature = "redis_server")]
pub mod redis_server;
#[cfg(feature = "relational_acid")]
pub mod relational_acid;
#[cfg(feature = "replicated")]
pub mod replicated;
#[cfg(feature = "replication_sharding")]
pub mod replication_sharding;
#[cfg(feature = "scaling")]
pub mod scaling;
#[cfg(feature = "security")]
pub mod security;
pub mod show;
#[cfg(feature = "specialized_storage")]
pub mod specialized_storage;
#[cfg(feature = "storage_basics")]
pub mod storage_basics;
#[cfg(feature = "testing_ml_code")]
pub mod testing_ml_code;
#[cfg(feature = "text")]
pub mod text;
#[cfg(feature = "tries")]
pub mod tries;
#[cfg(feature = "twitter_feed")]
pub mod twitter_feed;
#[cfg(feature = "video_analytics")]
pub mod video_analytics;
