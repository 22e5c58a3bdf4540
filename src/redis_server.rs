//! A private `redis-server` for tests and the book: started on a free loopback port, stopped on drop.
//!
//! Chapters that talk to a real Redis (the distributed cache, a rate limiter shared by several
//! processes) must not depend on a server someone left running, nor on port 6379, where a
//! system service may listen.
//! So each test or program that needs Redis starts its own: [`RedisServer::start`] finds the
//! `redis-server` binary that the OS packages install, picks a free port on 127.0.0.1, runs the
//! server there with persistence off and its own temporary working folder, and waits until it
//! answers `PING` (polling, with a deadline, never a fixed sleep).
//! Dropping the [`RedisServer`] kills the process, waits for it, and deletes the folder, so no
//! child outlives its owner.
//!
//! Where `redis-server` is absent, [`available`] says so and [`RedisServer::start`] returns
//! [`RedisServerError::NotInstalled`], which tells how to install it.
//! Tests that need it are marked `#[ignore = "needs redis-server"]` and named `redis_...`;
//! `cargo book test` installs the server when missing and runs them.
//!
//! ```no_run
//! use sysdesign::redis_server::{RedisServer, available};
//!
//! if available() {
//!     let server = RedisServer::start()?;
//!     assert!(server.url().starts_with("redis://127.0.0.1:"));
//!     assert_ne!(server.port(), 0);
//! } // the server is stopped here
//! # Ok::<(), sysdesign::redis_server::RedisServerError>(())
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The program looked for on `PATH`; the environment variable `REDIS_SERVER` may name another.
pub const PROGRAM: &str = "redis-server";

/// How long [`RedisServer::start`] waits for the server to answer `PING` before giving up.
pub const READY_DEADLINE: Duration = Duration::from_secs(10);

/// How many free ports [`RedisServer::start`] tries when another process takes the one it picked.
const PORT_ATTEMPTS: usize = 5;

/// Why a private Redis server could not be started.
#[derive(Debug)]
pub enum RedisServerError {
    /// No `redis-server` on `PATH` (nor at `$REDIS_SERVER`).
    NotInstalled {
        /// The program that was looked for.
        program: String,
    },
    /// Creating the server's temporary working folder failed.
    WorkDir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Asking the OS for a free loopback port failed.
    NoFreePort(io::Error),
    /// The program exists but could not be spawned.
    Spawn {
        /// The program.
        program: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The server exited before it became ready.
    Exited {
        /// The port it was asked to listen on.
        port: u16,
        /// How it exited.
        status: ExitStatus,
        /// The end of its log.
        log: String,
    },
    /// The server did not answer `PING` within the deadline.
    NotReady {
        /// The port it was asked to listen on.
        port: u16,
        /// How long we waited.
        waited: Duration,
        /// The end of its log.
        log: String,
    },
}

impl fmt::Display for RedisServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotInstalled { program } => write!(
                f,
                "`{program}` is not installed (not on PATH, and $REDIS_SERVER is unset); \
                 install it with `sudo apt-get install redis-server` (Debian/Ubuntu), \
                 `brew install redis` (macOS), or set REDIS_SERVER=/path/to/redis-server; \
                 `cargo book test` installs it when run as root on a system with apt-get"
            ),
            Self::WorkDir { path, source } => write!(
                f,
                "cannot create the Redis working folder {}: {source}",
                path.display()
            ),
            Self::NoFreePort(source) => write!(f, "no free port on 127.0.0.1: {source}"),
            Self::Spawn { program, source } => {
                write!(f, "cannot start {}: {source}", program.display())
            }
            Self::Exited { port, status, log } => write!(
                f,
                "redis-server on 127.0.0.1:{port} exited before it was ready ({status}); its log ends:\n{log}"
            ),
            Self::NotReady { port, waited, log } => write!(
                f,
                "redis-server on 127.0.0.1:{port} did not answer PING within {waited:?}; its log ends:\n{log}"
            ),
        }
    }
}

impl std::error::Error for RedisServerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::WorkDir { source, .. } | Self::Spawn { source, .. } => Some(source),
            Self::NoFreePort(source) => Some(source),
            _ => None,
        }
    }
}

/// The `redis-server` program that [`RedisServer::start`] would run: `$REDIS_SERVER` if set,
/// else the first `redis-server` on `PATH`.
///
/// ```
/// use sysdesign::redis_server::{available, program};
///
/// assert_eq!(available(), program().is_some());
/// ```
pub fn program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("REDIS_SERVER") {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(PROGRAM))
        .find(|candidate| is_executable(candidate))
}

/// Whether a `redis-server` can be started here (see [`program`]).
///
/// ```
/// if sysdesign::redis_server::available() {
///     // start one with RedisServer::start()
/// } else {
///     // fall back to an in-memory backend
/// }
/// ```
pub fn available() -> bool {
    program().is_some()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// A running private `redis-server`, bound to 127.0.0.1 only, with no persistence; dropping it
/// stops the process and deletes its working folder.
#[derive(Debug)]
pub struct RedisServer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts a server on a free loopback port and waits until it answers `PING`.
    ///
    /// # Errors
    ///
    /// [`RedisServerError::NotInstalled`] when there is no `redis-server`; the other variants when
    /// it cannot be started or does not become ready within [`READY_DEADLINE`].
    ///
    /// ```no_run
    /// let server = sysdesign::redis_server::RedisServer::start()?;
    /// assert_eq!(server.url(), format!("redis://127.0.0.1:{}/", server.port()));
    /// # Ok::<(), sysdesign::redis_server::RedisServerError>(())
    /// ```
    pub fn start() -> Result<RedisServer, RedisServerError> {
        let program = program().ok_or_else(|| RedisServerError::NotInstalled {
            program: PROGRAM.to_string(),
        })?;
        let mut last = None;
        for _ in 0..PORT_ATTEMPTS {
            match Self::start_once(&program) {
                // Another process may take the port between our probe and the server's bind;
                // then the server exits at once, and a new port is worth a try.
                Err(e @ RedisServerError::Exited { .. }) => last = Some(e),
                other => return other,
            }
        }
        Err(last.expect("PORT_ATTEMPTS is positive"))
    }

    fn start_once(program: &Path) -> Result<RedisServer, RedisServerError> {
        let port = free_port().map_err(RedisServerError::NoFreePort)?;
        let dir = work_dir(port)?;
        let log_path = dir.join("redis.log");
        let log = File::create(&log_path).map_err(|source| RedisServerError::WorkDir {
            path: log_path.clone(),
            source,
        })?;
        let log_err = log
            .try_clone()
            .map_err(|source| RedisServerError::WorkDir {
                path: log_path.clone(),
                source,
            })?;
        // ANCHOR: spawn
        let child = Command::new(program)
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            // A follower started with REPLICAOF syncs at once, not after the default 5 s wait
            // for more followers to share one diskless transfer.
            .args(["--repl-diskless-sync-delay", "0"])
            .arg("--dir")
            .arg(&dir)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn();
        // ANCHOR_END: spawn
        let child = match child {
            Ok(child) => child,
            Err(source) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(RedisServerError::Spawn {
                    program: program.to_path_buf(),
                    source,
                });
            }
        };
        // From here on, dropping `server` stops the child, also on the error paths.
        let mut server = RedisServer { child, port, dir };
        server.wait_ready(READY_DEADLINE)?;
        Ok(server)
    }

    /// Polls with `PING` until the server answers `+PONG`, it exits, or `deadline` passes.
    fn wait_ready(&mut self, deadline: Duration) -> Result<(), RedisServerError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(RedisServerError::Exited {
                    port: self.port,
                    status,
                    log: self.log_tail(),
                });
            }
            if ping(self.port).is_ok() {
                return Ok(());
            }
            let waited = started.elapsed();
            if waited >= deadline {
                return Err(RedisServerError::NotReady {
                    port: self.port,
                    waited,
                    log: self.log_tail(),
                });
            }
            // Back off between polls (1 ms, 2 ms, ... up to 50 ms) rather than guess a delay.
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// The URL a Redis client connects to, `redis://127.0.0.1:<port>/`.
    ///
    /// ```no_run
    /// let server = sysdesign::redis_server::RedisServer::start()?;
    /// assert!(server.url().ends_with(&format!(":{}/", server.port())));
    /// # Ok::<(), sysdesign::redis_server::RedisServerError>(())
    /// ```
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A connection to this server through the `redis` client (with the library's `redis`
    /// feature).
    ///
    /// ```no_run
    /// let server = sysdesign::redis_server::RedisServer::start()?;
    /// let mut conn = server.connect()?;
    /// let pong: String = redis::cmd("PING").query(&mut conn)?;
    /// assert_eq!(pong, "PONG");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "redis")]
    pub fn connect(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection()
    }

    /// The server's process id (gone once the [`RedisServer`] is dropped).
    ///
    /// ```no_run
    /// let server = sysdesign::redis_server::RedisServer::start()?;
    /// assert_ne!(server.pid(), std::process::id());
    /// # Ok::<(), sysdesign::redis_server::RedisServerError>(())
    /// ```
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The loopback port the server listens on.
    ///
    /// ```no_run
    /// let server = sysdesign::redis_server::RedisServer::start()?;
    /// assert!(std::net::TcpStream::connect(("127.0.0.1", server.port())).is_ok());
    /// # Ok::<(), sysdesign::redis_server::RedisServerError>(())
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The last lines of the server's log (stdout and stderr), for error messages.
    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(self.dir.join("redis.log")) {
            let _ = f.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port that was free on 127.0.0.1 a moment ago (the OS picks it; we release it at once).
fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// A fresh, empty folder under the system's temporary folder, unique to this process and port.
fn work_dir(port: u16) -> Result<PathBuf, RedisServerError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path =
        std::env::temp_dir().join(format!("sysdesign-redis-{}-{port}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).map_err(|source| RedisServerError::WorkDir {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Sends an inline `PING` and checks for `+PONG`.
fn ping(port: u16) -> io::Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200))?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    stream.write_all(b"PING\r\n")?;
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply)?;
    if &reply == b"+PONG\r\n" {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "unexpected reply to PING: {:?}",
            String::from_utf8_lossy(&reply)
        )))
    }
}
