//! Workloads whose time a program measures: reading memory in order and out of order, reading
//! a file and writing one durably, and a round trip over loopback TCP.
//!
//! Nothing here reads a clock: the caller times the calls, so the library stays deterministic
//! and its tests never depend on the machine's speed.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::thread::JoinHandle;

// ANCHOR: memory
/// Bytes in a cache line, the unit memory moves in on x86-64 and most ARM cores.
pub const LINE: usize = 64;

/// A buffer of memory whose cache lines are linked into one random cycle, so that it can be
/// read two ways: line after line in order, or by following the links, one line at a time
/// in an order the processor cannot guess.
pub struct MemoryBuffer {
    words: Vec<u64>,
}

/// Why a buffer cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadSize(pub usize);

impl std::fmt::Display for BadSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a buffer needs a whole number of {LINE}-byte lines, at least two, not {} bytes",
            self.0
        )
    }
}

impl std::error::Error for BadSize {}

impl MemoryBuffer {
    /// A buffer of `bytes` bytes (a multiple of [`LINE`], at least two lines) whose lines
    /// form one cycle in a random order drawn from `seed` (Sattolo's algorithm, which yields
    /// only single cycles).
    ///
    /// ```
    /// use sysdesign::latency_throughput::{BadSize, MemoryBuffer};
    ///
    /// let buffer = MemoryBuffer::new(64 * 1024, 1).unwrap();
    /// // 1,024 lines: 1,024 hops visit them all and come back to the first.
    /// assert_eq!(buffer.chase(1_024), 0);
    /// assert_ne!(buffer.chase(512), 0);
    /// assert_eq!(MemoryBuffer::new(100, 1).err(), Some(BadSize(100)));
    /// ```
    pub fn new(bytes: usize, seed: u64) -> Result<Self, BadSize> {
        if !bytes.is_multiple_of(LINE) || bytes < 2 * LINE {
            return Err(BadSize(bytes));
        }
        let lines = bytes / LINE;
        let per_line = LINE / 8;
        let mut order: Vec<usize> = (0..lines).collect();
        let mut rng = StdRng::seed_from_u64(seed);
        for i in (1..lines).rev() {
            order.swap(i, rng.random_range(0..i));
        }
        // order is now a single cycle: line i links to line order[i].
        let mut words = vec![0u64; bytes / 8];
        for (line, &next) in order.iter().enumerate() {
            words[line * per_line] = (next * per_line) as u64;
        }
        Ok(MemoryBuffer { words })
    }

    /// The buffer's size in bytes.
    pub fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    /// Follows the links for `hops` lines from the first and returns the word index it ends
    /// on. Each hop's address is the value the previous hop loaded, so the processor can
    /// neither prefetch it nor overlap two hops: on a buffer larger than the caches, each hop
    /// waits for main memory.
    pub fn chase(&self, hops: usize) -> u64 {
        let mut at = 0u64;
        for _ in 0..hops {
            at = self.words[at as usize];
        }
        at
    }

    /// Adds up every word in order: a sequential read of the whole buffer, which the
    /// processor's prefetcher streams from memory ahead of the loop.
    pub fn sum_in_order(&self) -> u64 {
        self.words.iter().fold(0u64, |a, &w| a.wrapping_add(w))
    }
}
// ANCHOR_END: memory

// ANCHOR: file
/// Reads the whole file at `path` into `buf` (cleared first) and returns its length.
/// Read twice in a row, the second read is served from the page cache, not the device.
pub fn read_file(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    File::open(path)?.read_to_end(buf)
}

/// Appends `record` to `file` and waits until the device has it (`fdatasync`).
pub fn append_durably(file: &mut File, record: &[u8]) -> io::Result<()> {
    file.write_all(record)?;
    file.sync_data()
}
// ANCHOR_END: file

// ANCHOR: echo
/// A TCP server on a free loopback port that sends back every byte it receives, for one
/// connection; it stops when the client closes.
pub struct EchoServer {
    addr: std::net::SocketAddr,
    thread: Option<JoinHandle<io::Result<u64>>>,
}

impl EchoServer {
    /// Binds `127.0.0.1:0` and serves one connection on a thread of its own.
    pub fn start() -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let thread = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept()?;
            stream.set_nodelay(true)?;
            let mut reader = stream.try_clone()?;
            io::copy(&mut reader, &mut stream)
        });
        Ok(EchoServer {
            addr,
            thread: Some(thread),
        })
    }

    /// Connects a client, with Nagle's algorithm off so small writes go out at once.
    pub fn connect(&self) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(self.addr)?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Waits for the server to finish (after the client closed) and returns the bytes it
    /// echoed.
    pub fn finish(mut self, client: TcpStream) -> io::Result<u64> {
        client.shutdown(Shutdown::Write)?;
        drop(client);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the echo thread panicked")),
            None => Ok(0),
        }
    }
}

/// Sends `message` and reads the same number of bytes back: one round trip.
/// The message must fit in the sockets' buffers (a few kilobytes always does), since nothing
/// reads the echo until the whole message is written.
///
/// ```
/// use sysdesign::latency_throughput::{EchoServer, round_trip};
///
/// let server = EchoServer::start().unwrap();
/// let mut client = server.connect().unwrap();
/// let mut reply = Vec::new();
/// round_trip(&mut client, b"ping", &mut reply).unwrap();
/// assert_eq!(reply, b"ping");
/// assert_eq!(server.finish(client).unwrap(), 4);
/// ```
pub fn round_trip(stream: &mut TcpStream, message: &[u8], reply: &mut Vec<u8>) -> io::Result<()> {
    stream.write_all(message)?;
    reply.resize(message.len(), 0);
    stream.read_exact(reply)
}
// ANCHOR_END: echo
