//! Echo servers on loopback: one async server on tokio, and the same job done two ways under
//! load, a thread per connection (blocking I/O) or one runtime multiplexing every connection
//! (non-blocking I/O).
//!
//! Functions here take and return plain values and build their own runtimes, so a program or a
//! notebook calls them without `async`. Nothing here reads the clock except the deadline that
//! bounds a run; the program that calls [`LoadServer::drive`] times it.

use std::io::{self, Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::runtime::Runtime;

/// The listen backlog both servers ask for, so that a burst of connects is not dropped by one
/// and queued by the other.
const BACKLOG: u32 = 1024;
/// The stack each thread of the thread-per-connection server gets (std's default is 2 MiB).
pub const THREAD_STACK: usize = 256 * 1024;

fn runtime(workers: usize) -> io::Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
}

/// A tokio listener on a free port of 127.0.0.1 with [`BACKLOG`].
fn loopback_listener() -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    socket.listen(BACKLOG)
}

// ANCHOR: echo_server
/// Serves one connection: sends back every line it receives, until the client closes.
async fn echo_lines(stream: TcpStream) -> io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        writer.write_all(format!("{line}\n").as_bytes()).await?;
    }
    Ok(())
}

/// Accepts connections forever, each served by a task of its own.
async fn serve_lines(listener: TcpListener) -> io::Result<()> {
    loop {
        let (stream, _peer) = listener.accept().await?;
        tokio::spawn(echo_lines(stream));
    }
}
// ANCHOR_END: echo_server

// ANCHOR: echo_client
/// Starts a line echo server on 127.0.0.1, connects a client, sends each message as a line and
/// returns the lines the server sent back, with the server's address.
///
/// ```
/// let (replies, server) = sysdesign::client_server::echo_exchange(&["hello", "world"]).unwrap();
/// assert_eq!(replies, ["hello", "world"]);
/// assert!(server.ip().is_loopback());
/// ```
pub fn echo_exchange(messages: &[&str]) -> io::Result<(Vec<String>, SocketAddr)> {
    let rt = runtime(1)?;
    rt.block_on(async {
        let listener = loopback_listener()?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(serve_lines(listener));
        let stream = TcpStream::connect(addr).await?;
        let (reader, mut writer) = stream.into_split();
        let mut lines = BufReader::new(reader).lines();
        let mut replies = Vec::new();
        for message in messages {
            writer.write_all(format!("{message}\n").as_bytes()).await?;
            match lines.next_line().await? {
                Some(line) => replies.push(line),
                None => return Err(io::Error::other("the server closed early")),
            }
        }
        server.abort();
        Ok((replies, addr))
    })
}
// ANCHOR_END: echo_client

/// How a load server handles its connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerStyle {
    /// Blocking I/O: an accept loop on one thread, and one OS thread per connection that blocks
    /// in `read` until the client sends.
    ThreadPerConnection,
    /// Non-blocking I/O: one tokio runtime with two worker threads, and one task per connection;
    /// the runtime waits on every socket at once (epoll on Linux).
    AsyncRuntime,
}

impl ServerStyle {
    /// A short name for a table.
    pub fn name(self) -> &'static str {
        match self {
            ServerStyle::ThreadPerConnection => "thread per connection",
            ServerStyle::AsyncRuntime => "async runtime (2 workers)",
        }
    }
}

/// What a load run did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadRun {
    /// Connections the clients opened.
    pub connections: usize,
    /// Round trips completed with the right bytes back.
    pub round_trips: usize,
    /// Connections that failed (refused, reset, no thread to serve them, or past the deadline).
    pub failed: usize,
    /// Threads in this process while every connection was open (Linux only).
    pub peak_threads: Option<usize>,
}

enum Running {
    Threads {
        stop: Arc<AtomicBool>,
        accept: JoinHandle<Vec<JoinHandle<()>>>,
    },
    Tasks(Runtime),
}

/// An echo server of one [`ServerStyle`] on 127.0.0.1, and a client runtime to load it.
pub struct LoadServer {
    addr: SocketAddr,
    clients: Runtime,
    running: Running,
    refused: Arc<AtomicUsize>,
}

/// Threads of this process, from `/proc/self/status` (Linux).
fn threads_now() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))?
        .trim()
        .parse()
        .ok()
}

// ANCHOR: styles
/// The blocking server: accept, then hand the connection to a new thread that copies bytes
/// back until the client closes. A thread that cannot be created is counted, and its
/// connection dropped.
fn thread_per_connection(
    listener: std::net::TcpListener,
    stop: Arc<AtomicBool>,
    refused: Arc<AtomicUsize>,
) -> Vec<JoinHandle<()>> {
    let mut threads = Vec::new();
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        let spawned = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    if stream.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(_) => {
                refused.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    threads
}

/// The non-blocking server: one task per connection on a shared runtime.
async fn task_per_connection(listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let (mut reader, mut writer) = stream.into_split();
            let _ = tokio::io::copy(&mut reader, &mut writer).await;
        });
    }
}
// ANCHOR_END: styles

impl LoadServer {
    /// Starts a server of `style` on a free loopback port.
    pub fn start(style: ServerStyle) -> io::Result<Self> {
        let clients = runtime(2)?;
        let refused = Arc::new(AtomicUsize::new(0));
        let (addr, running) = match style {
            ServerStyle::ThreadPerConnection => {
                let listener = clients.block_on(async { loopback_listener()?.into_std() })?;
                listener.set_nonblocking(false)?;
                let addr = listener.local_addr()?;
                let stop = Arc::new(AtomicBool::new(false));
                let (s, r) = (stop.clone(), refused.clone());
                let accept = std::thread::spawn(move || thread_per_connection(listener, s, r));
                (addr, Running::Threads { stop, accept })
            }
            ServerStyle::AsyncRuntime => {
                let rt = runtime(2)?;
                let listener = rt.block_on(async { loopback_listener() })?;
                let addr = listener.local_addr()?;
                rt.spawn(task_per_connection(listener));
                (addr, Running::Tasks(rt))
            }
        };
        Ok(LoadServer {
            addr,
            clients,
            running,
            refused,
        })
    }

    // ANCHOR: drive
    /// Opens `connections` connections at once, and on each makes `round_trips` round trips of
    /// 64 bytes; gives up on whatever is not done within `deadline`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sysdesign::client_server::{LoadServer, ServerStyle};
    ///
    /// for style in [ServerStyle::ThreadPerConnection, ServerStyle::AsyncRuntime] {
    ///     let server = LoadServer::start(style).unwrap();
    ///     let run = server.drive(8, 3, Duration::from_secs(10));
    ///     assert_eq!((run.round_trips, run.failed), (24, 0));
    ///     server.stop();
    /// }
    /// ```
    pub fn drive(&self, connections: usize, round_trips: usize, deadline: Duration) -> LoadRun {
        let round_trips = round_trips.max(1);
        let addr = self.addr;
        let all_open = Arc::new(tokio::sync::Barrier::new(connections));
        let peak = Arc::new(AtomicUsize::new(0));
        let done = self.clients.block_on(async {
            let clients: Vec<_> = (0..connections)
                .map(|i| {
                    let (all_open, peak) = (all_open.clone(), peak.clone());
                    tokio::spawn(async move {
                        let first = one_client(addr, i as u8, round_trips, &all_open, &peak);
                        tokio::time::timeout(deadline, first).await.unwrap_or(Ok(0))
                    })
                })
                .collect();
            let mut done = Vec::with_capacity(connections);
            for client in clients {
                done.push(client.await.ok().and_then(Result::ok));
            }
            done
        });
        let ok = done.iter().filter(|d| **d == Some(round_trips)).count();
        LoadRun {
            connections,
            round_trips: done.iter().flatten().sum(),
            failed: connections - ok,
            peak_threads: match peak.load(Ordering::SeqCst) {
                0 => None,
                n => Some(n),
            },
        }
    }
    // ANCHOR_END: drive

    /// Connections the thread-per-connection server dropped because no thread could be made.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    /// Stops the server and waits for its threads.
    pub fn stop(self) {
        match self.running {
            Running::Threads { stop, accept } => {
                stop.store(true, Ordering::SeqCst);
                let _ = std::net::TcpStream::connect(self.addr); // wakes the accept loop
                if let Ok(threads) = accept.join() {
                    for t in threads {
                        let _ = t.join();
                    }
                }
            }
            Running::Tasks(rt) => rt.shutdown_timeout(Duration::from_secs(1)),
        }
        self.clients.shutdown_timeout(Duration::from_secs(1));
    }
}

/// One client: connects and makes one round trip, waits until every client has (the leader
/// samples the thread count then), and makes the rest. Returns the round trips done; makes at
/// least one.
async fn one_client(
    addr: SocketAddr,
    tag: u8,
    round_trips: usize,
    all_open: &tokio::sync::Barrier,
    peak: &AtomicUsize,
) -> io::Result<usize> {
    let message = [tag; 64];
    let first = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        round_trip(&mut stream, &message).await?;
        Ok::<_, io::Error>(stream)
    }
    .await;
    // Every client reaches the barrier, even one that failed, so none waits forever.
    if all_open.wait().await.is_leader() {
        peak.store(threads_now().unwrap_or(0), Ordering::SeqCst);
    }
    let mut stream = first?;
    for _ in 1..round_trips {
        round_trip(&mut stream, &message).await?;
    }
    Ok(round_trips.max(1))
}

/// Sends `message` and checks that the same bytes come back.
async fn round_trip(stream: &mut TcpStream, message: &[u8; 64]) -> io::Result<()> {
    let mut reply = [0u8; 64];
    stream.write_all(message).await?;
    stream.read_exact(&mut reply).await?;
    if &reply == message {
        Ok(())
    } else {
        Err(io::Error::other("the echo differs from the message"))
    }
}
