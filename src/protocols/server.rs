//! A small HTTP/1.1 server on 127.0.0.1 and two clients: one that opens a new TCP connection
//! for every request, and one that keeps its connection open (HTTP/1.1's default, RFC 9112
//! section 9.3).

use super::http::{ParseError, Parsed, Request, Response, parse_request, parse_response};
use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

fn invalid(e: ParseError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Reads from `stream` into `buf` until `parse` finds a whole message, which it removes from
/// `buf`. `Ok(None)` when the peer closed before sending anything more.
fn read_message<T>(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    parse: fn(&[u8]) -> Result<Parsed<T>, ParseError>,
) -> io::Result<Option<T>> {
    let mut chunk = [0u8; 8192];
    loop {
        if !buf.is_empty()
            && let Parsed::Complete(message, used) = parse(buf).map_err(invalid)?
        {
            buf.drain(..used);
            return Ok(Some(message));
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Whether the request asks to close the connection after its response.
fn wants_close(request: &Request) -> bool {
    request
        .header_value("Connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
}

// ANCHOR: serve
/// Serves requests on one connection until the client closes it or asks to: each request gets
/// `200 OK` with a body saying how many body bytes it carried.
fn serve_connection(mut stream: TcpStream, served: &AtomicUsize) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    while let Some(request) = read_message(&mut stream, &mut buf, parse_request)? {
        served.fetch_add(1, Ordering::Relaxed);
        let close = wants_close(&request);
        let mut response = Response::new(200)
            .header("Content-Type", "application/json")
            .body(format!("{{\"received\":{}}}", request.body.len()));
        if close {
            response = response.header("Connection", "close");
        }
        stream.write_all(&response.to_bytes().map_err(io::Error::other)?)?;
        if close {
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: serve

/// The server: an accept loop on a thread, and a thread per connection.
pub struct HttpServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    served: Arc<AtomicUsize>,
    accept: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Binds a free port on 127.0.0.1 and starts serving.
    pub fn start() -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicUsize::new(0));
        let (s, n) = (stop.clone(), served.clone());
        let accept = std::thread::spawn(move || {
            let mut threads = Vec::new();
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let n = n.clone();
                threads.push(std::thread::spawn(move || {
                    let _ = serve_connection(stream, &n);
                }));
            }
            for t in threads {
                let _ = t.join();
            }
        });
        Ok(HttpServer {
            addr,
            stop,
            served,
            accept: Some(accept),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests served so far.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::Relaxed)
    }

    /// Stops accepting and waits for every connection to be closed by its client.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

// ANCHOR: clients
/// Sends one request on a new connection (asking the server to close it after), and reads the
/// response: a TCP handshake, the exchange, and a teardown, every time.
///
/// ```
/// use sysdesign::protocols::{HttpServer, KeepAlive, Request, send_on_new_connection};
///
/// let server = HttpServer::start().unwrap();
/// let request = Request::new("POST", "/events").header("Host", "localhost").body("hello");
/// let response = send_on_new_connection(server.addr(), &request).unwrap();
/// assert_eq!((response.status, response.body.as_slice()), (200, &b"{\"received\":5}"[..]));
/// let mut client = KeepAlive::connect(server.addr()).unwrap();
/// for _ in 0..3 {
///     assert_eq!(client.send(&request).unwrap().status, 200);
/// }
/// drop(client);
/// server.stop();
/// ```
pub fn send_on_new_connection(addr: SocketAddr, request: &Request) -> io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let request = request.clone().header("Connection", "close");
    stream.write_all(&request.to_bytes().map_err(io::Error::other)?)?;
    let mut buf = Vec::new();
    let response = read_message(&mut stream, &mut buf, parse_response)?;
    stream.shutdown(Shutdown::Both)?;
    response.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
}

/// A client that keeps one connection open and sends every request on it.
pub struct KeepAlive {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl KeepAlive {
    /// Opens the connection (one handshake, for all the requests to come).
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(KeepAlive {
            stream,
            buf: Vec::new(),
        })
    }

    /// Sends a request and reads its response.
    pub fn send(&mut self, request: &Request) -> io::Result<Response> {
        let bytes = request.to_bytes().map_err(io::Error::other)?;
        self.stream.write_all(&bytes)?;
        read_message(&mut self.stream, &mut self.buf, parse_response)?
            .ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }
}
// ANCHOR_END: clients
