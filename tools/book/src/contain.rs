//! Containing a snippet's run: nothing it starts outlives it, and it runs under limits.
//!
//! A snippet is a contributor's program, run on CI machines and on maintainers' laptops. It may
//! fork, call `setsid` to leave our process group, double-fork into a daemon, hold our output
//! pipes open, allocate without end or fill the disk. So every run goes through a small
//! supervisor process, forked from the tool before the snippet is executed:
//!
//! - The supervisor marks itself a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`): any
//!   process the snippet starts and then orphans (a `setsid` daemon, a double fork) is
//!   re-parented to the supervisor instead of to `init`. Nothing can leave that tree by its own
//!   means; only asking an outside service (systemd, `at`) to start a process would escape it.
//! - The supervisor forks the snippet (which execs the program) in a process group of its own,
//!   with `setrlimit` limits from `book.toml`: address space (`max-memory-mib`), file size
//!   (`max-file-size-mib`), CPU time (`max-cpu-seconds`) and, for a user other than root,
//!   processes (`max-processes`, counted beyond those the user already runs; the kernel does
//!   not limit root's processes, so for root only the sweep below applies). No core files.
//! - When the snippet ends, or when the supervisor is told to stop (the time limit, or Ctrl-C,
//!   which reaches it through the terminal's process group), it kills the snippet, then kills
//!   every process left in its tree (its children, listed in `/proc/thread-self/children`, until
//!   it has none), reaps them, and reports how the snippet ended and how many it had to kill.
//! - If the tool itself dies, even by `SIGKILL`, the kernel tells the supervisor
//!   (`PR_SET_PDEATHSIG`), which then does the same; the snippet gets `SIGKILL` if the
//!   supervisor dies.
//!
//! The supervisor is a forked copy of the tool that never calls `exec`, so between the fork and
//! its exit it uses only async-signal-safe system calls (no allocation, no locks): signals are
//! blocked and taken synchronously with `sigwaitinfo`, so no handler is involved and a stop
//! request cannot be lost between two checks. Its report is 16 bytes on a pipe.
//!
//! A cgroup or a PID namespace would contain the tree too, but needs privileges that CI
//! runners and laptops do not grant alike; a subreaper needs none.

use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus};
use std::time::Duration;

/// The limits one snippet runs under (`[preprocessor.run]` in `book.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Bytes of address space (`RLIMIT_AS`).
    pub memory: u64,
    /// Bytes one file may grow to (`RLIMIT_FSIZE`).
    pub file_size: u64,
    /// Seconds of CPU time, all threads together (`RLIMIT_CPU`).
    pub cpu_seconds: u64,
    /// Processes and threads the snippet may add to those its user already runs
    /// (`RLIMIT_NPROC`; not applied to root, see the module documentation).
    pub processes: u64,
}

/// How a contained run ended, as the supervisor saw it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ended {
    /// The snippet's own exit status.
    pub status: ExitStatus,
    /// Processes of its tree still alive after it ended (or was stopped), all killed.
    pub left_running: u32,
    /// Whether the run was stopped (time limit or interrupt) before the snippet ended.
    pub stopped: bool,
    /// The signal that stopped it: `SIGTERM` from [`Contained::stop`], `SIGINT` from the
    /// terminal's Ctrl-C, `SIGHUP` or `SIGQUIT`; 0 when it was not stopped.
    pub stop_signal: i32,
    /// CPU time the snippet and the children it waited for used.
    pub cpu: Duration,
    /// Whether the tree could be listed; without `/proc/thread-self/children` only the
    /// snippet's process group was killed.
    pub swept: bool,
}

/// A snippet running under its supervisor.
pub(crate) struct Contained {
    supervisor: Child,
    report: io::PipeReader,
}

/// Exit code of a supervisor whose tool was already gone when it started.
const TOOL_GONE: i32 = 121;

/// The signals that stop a run: the tool's stop request, the terminal's Ctrl-C, hang-up and
/// quit; `SIGCHLD` wakes the supervisor when a child ends.
fn signal_set() -> libc::sigset_t {
    // SAFETY: sigemptyset and sigaddset only write the set we own.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGHUP,
            libc::SIGQUIT,
            libc::SIGCHLD,
        ] {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// How many processes (threads included) `uid` runs now: `RLIMIT_NPROC` counts them all, so the
/// limit a snippet gets is this plus its allowance.
fn tasks_of(uid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
        };
        if field("Uid:") == Some(u64::from(uid)) {
            count += field("Threads:").unwrap_or(1);
        }
    }
    count
}

/// Whether the tool runs as root, whose processes the kernel never limits.
pub(crate) fn is_root() -> bool {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() == 0 }
}

/// Starts `cmd` contained, under `limits`. The command's stdio is as configured; its process
/// group is set by the supervisor (do not set one on `cmd`).
pub(crate) fn spawn(cmd: &mut Command, limits: &Limits) -> io::Result<Contained> {
    let (report, writer) = io::pipe()?;
    let writer = OwnedFd::from(writer);
    let report_fd = writer.as_raw_fd();
    // SAFETY: getpid touches no memory.
    let tool = unsafe { libc::getpid() };
    let nproc = if is_root() {
        None
    } else {
        // SAFETY: getuid touches no memory.
        let uid = unsafe { libc::getuid() };
        Some(tasks_of(uid) + limits.processes)
    };
    let limits = *limits;
    // SAFETY: the closure runs in the forked child before exec; `supervise` only makes
    // async-signal-safe system calls and never returns in the supervisor.
    unsafe {
        cmd.pre_exec(move || supervise(tool, report_fd, &limits, nproc));
    }
    let supervisor = cmd.spawn()?;
    drop(writer);
    Ok(Contained { supervisor, report })
}

/// Sets one resource limit, soft and hard.
///
/// # Safety
/// Called in the forked child; setrlimit is async-signal-safe.
unsafe fn limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
    let value = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads the struct we pass.
    if unsafe { libc::setrlimit(resource, &value) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// The forked child: becomes the supervisor, forks the snippet (which returns `Ok` so that
/// the standard library execs the program), supervises it and exits. Only the snippet returns.
///
/// # Safety
/// Must run in a freshly forked child, before exec.
unsafe fn supervise(
    tool: libc::pid_t,
    report_fd: i32,
    limits: &Limits,
    nproc: Option<u64>,
) -> io::Result<()> {
    // SAFETY (whole body): async-signal-safe system calls on memory we own.
    unsafe {
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::getppid() != tool {
            libc::_exit(TOOL_GONE);
        }
        if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) != 0 {
            return Err(io::Error::last_os_error());
        }
        let set = signal_set();
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigprocmask(libc::SIG_BLOCK, &set, &mut previous);
        let me = libc::getpid();
        let snippet = libc::fork();
        if snippet < 0 {
            return Err(io::Error::last_os_error());
        }
        if snippet == 0 {
            libc::sigprocmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            if libc::getppid() != me {
                libc::_exit(TOOL_GONE);
            }
            if libc::setpgid(0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            limit(libc::RLIMIT_CORE, 0, 0)?;
            limit(libc::RLIMIT_AS, limits.memory, limits.memory)?;
            limit(libc::RLIMIT_FSIZE, limits.file_size, limits.file_size)?;
            // SIGXCPU at the soft limit, SIGKILL a second later.
            limit(
                libc::RLIMIT_CPU,
                limits.cpu_seconds,
                limits.cpu_seconds.saturating_add(1),
            )?;
            if let Some(n) = nproc {
                limit(libc::RLIMIT_NPROC, n, n)?;
            }
            return Ok(());
        }
        // The supervisor keeps only its report pipe: the standard library's exec-error pipe
        // must close so that `spawn` returns once the snippet has exec'd, and the output pipes
        // must close so that they end when the snippet's tree is gone.
        close_all_but(report_fd);
        let (status, cpu, stop_signal) = wait_for(snippet, &set);
        let (left, swept) = sweep();
        let words = [
            status as u32,
            left,
            u32::from(stop_signal != 0) | (u32::from(swept) << 1) | ((stop_signal as u32) << 8),
            cpu,
        ];
        let mut bytes = [0u8; 16];
        for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_ne_bytes());
        }
        libc::write(report_fd, bytes.as_ptr().cast(), bytes.len());
        libc::_exit(0);
    }
}

/// Closes every file descriptor but `keep`.
///
/// # Safety
/// Only for the supervisor, which needs no other descriptor.
unsafe fn close_all_but(keep: i32) {
    // SAFETY: closing descriptors this process owns.
    unsafe {
        for fd in 0..3 {
            if fd != keep {
                libc::close(fd);
            }
        }
        let keep = keep as libc::c_uint;
        let ranges = [(3, keep.saturating_sub(1)), (keep + 1, libc::c_uint::MAX)];
        for (first, last) in ranges {
            if first <= last && libc::syscall(libc::SYS_close_range, first, last, 0) != 0 {
                // Kernels before 5.9: close them one by one.
                for fd in first..last.min(65_536) {
                    libc::close(fd as i32);
                }
            }
        }
    }
}

/// Waits for the snippet to end; a stop signal kills it first. Returns its wait status, its CPU
/// time in milliseconds and the signal that stopped it (0 if none did).
///
/// # Safety
/// Only for the supervisor; `set` is blocked.
unsafe fn wait_for(snippet: libc::pid_t, set: &libc::sigset_t) -> (i32, u32, i32) {
    let mut stopped = 0;
    // SAFETY: waiting and signalling; the structs are ours.
    unsafe {
        loop {
            // Reap what has ended: the snippet, or orphans of its tree that ended on their own.
            loop {
                let mut status = 0;
                let mut usage: libc::rusage = std::mem::zeroed();
                let pid = libc::wait4(-1, &mut status, libc::WNOHANG, &mut usage);
                if pid == snippet {
                    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
                    let cpu = ms(usage.ru_utime) + ms(usage.ru_stime);
                    return (status, cpu.min(u64::from(u32::MAX)) as u32, stopped);
                }
                if pid <= 0 {
                    break;
                }
            }
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let sig = libc::sigwaitinfo(set, &mut info);
            if sig > 0 && sig != libc::SIGCHLD && stopped == 0 {
                stopped = sig;
                libc::kill(-snippet, libc::SIGKILL);
                libc::kill(snippet, libc::SIGKILL);
            }
        }
    }
}

/// Kills every process left in the supervisor's tree and reaps them all. Returns how many it
/// reaped and whether the tree could be listed.
///
/// # Safety
/// Only for the supervisor, after the snippet has been reaped.
unsafe fn sweep() -> (u32, bool) {
    let path = c"/proc/thread-self/children";
    let mut reaped = 0u32;
    let mut swept = true;
    // SAFETY: reading a file into a stack buffer, signalling and reaping our own children.
    unsafe {
        loop {
            let mut buf = [0u8; 4096];
            let fd = libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
            let n = if fd >= 0 {
                let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
                libc::close(fd);
                n.max(0) as usize
            } else {
                swept = false;
                0
            };
            let mut pid: i32 = 0;
            let mut digits = false;
            for &b in &buf[..n] {
                if b.is_ascii_digit() {
                    pid = pid.saturating_mul(10).saturating_add(i32::from(b - b'0'));
                    digits = true;
                } else {
                    if digits && pid > 0 {
                        libc::kill(pid, libc::SIGKILL);
                    }
                    pid = 0;
                    digits = false;
                }
            }
            // A number cut off by a full buffer is read whole on the next pass.
            let mut status = 0;
            let got = libc::waitpid(-1, &mut status, libc::WNOHANG);
            if got > 0 {
                reaped += 1;
            } else if got < 0 && errno() == libc::ECHILD {
                return (reaped, swept);
            } else if got == 0 {
                // Killed but not yet gone, or a newcomer not yet listed: look again shortly.
                let pause = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 1_000_000,
                };
                libc::nanosleep(&pause, std::ptr::null_mut());
            }
        }
    }
}

impl Contained {
    /// The supervisor's process id.
    #[cfg(test)]
    pub(crate) fn id(&self) -> u32 {
        self.supervisor.id()
    }

    /// The snippet's piped stdout and stderr.
    ///
    /// # Panics
    /// If the command did not pipe both, or they were taken already.
    pub(crate) fn take_output(&mut self) -> (ChildStdout, ChildStderr) {
        (
            self.supervisor.stdout.take().expect("stdout was piped"),
            self.supervisor.stderr.take().expect("stderr was piped"),
        )
    }

    /// Asks the supervisor to stop the run: it kills the snippet and its whole tree, then
    /// reports. Safe to call more than once.
    pub(crate) fn stop(&self) {
        // SAFETY: kill(2) with a positive pid signals one process; no memory effects.
        unsafe {
            libc::kill(self.supervisor.id() as i32, libc::SIGTERM);
        }
    }

    /// Whether the run is over; once it is, how it ended.
    pub(crate) fn try_wait(&mut self) -> io::Result<Option<Ended>> {
        match self.supervisor.try_wait()? {
            None => Ok(None),
            Some(status) => self.ended(status).map(Some),
        }
    }

    /// Waits for the run to end.
    pub(crate) fn wait(mut self) -> io::Result<Ended> {
        let status = self.supervisor.wait()?;
        self.ended(status)
    }

    fn ended(&mut self, supervisor: ExitStatus) -> io::Result<Ended> {
        let mut bytes = [0u8; 16];
        let mut got = 0;
        while got < bytes.len() {
            match self.report.read(&mut bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if got < bytes.len() {
            let why = match supervisor.code() {
                Some(TOOL_GONE) => "the tool was gone before it started".to_string(),
                _ => format!("it ended with {supervisor}"),
            };
            return Err(io::Error::other(format!(
                "the snippet's supervisor sent no report ({why})"
            )));
        }
        let word =
            |i: usize| u32::from_ne_bytes(bytes[i * 4..i * 4 + 4].try_into().expect("four bytes"));
        Ok(Ended {
            status: ExitStatus::from_raw(word(0) as i32),
            left_running: word(1),
            stopped: word(2) & 1 != 0,
            stop_signal: (word(2) >> 8) as i32,
            swept: word(2) & 2 != 0,
            cpu: Duration::from_millis(u64::from(word(3))),
        })
    }
}

impl Drop for Contained {
    /// A run dropped before its end (an error, a panic) does not leave the snippet running.
    fn drop(&mut self) {
        if matches!(self.supervisor.try_wait(), Ok(None)) {
            self.stop();
            let _ = self.supervisor.wait();
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::process::Stdio;

    /// Processes whose command line contains `marker`: a test's way to see what outlived a run.
    pub(crate) fn processes_with(marker: &str) -> Vec<u32> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            // A zombie has an empty command line and is gone once reaped.
            if text.contains(marker) {
                found.push(pid);
            }
        }
        found
    }

    pub(crate) fn generous() -> Limits {
        Limits {
            memory: 4 << 30,
            file_size: 256 << 20,
            cpu_seconds: 60,
            processes: 256,
        }
    }

    /// Runs `cmd` contained with its stdout piped; returns what it printed and how it ended.
    fn run_reading_stdout(cmd: &mut Command, limits: &Limits) -> (String, Ended) {
        cmd.stdout(Stdio::piped());
        let mut run = spawn(cmd, limits).unwrap();
        let mut out = String::new();
        run.supervisor
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        (out, run.wait().unwrap())
    }

    /// bash, for `exec -a NAME`: the marker names the process we look for afterwards.
    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("bash");
        cmd.args(["-c", script]).stdin(Stdio::null());
        cmd
    }

    #[test]
    fn a_setsid_daemon_is_killed_and_counted_when_the_snippet_ends() {
        let marker = "sysdesign-contain-daemon-1712";
        let mut cmd = sh(&format!(
            "setsid bash -c 'exec -a {marker} sleep 1000' </dev/null >/dev/null 2>&1 & exit 0"
        ));
        let ended = spawn(&mut cmd, &generous()).unwrap().wait().unwrap();
        assert!(ended.status.success(), "{ended:?}");
        assert!(ended.swept);
        assert_eq!(ended.left_running, 1, "{ended:?}");
        assert!(!ended.stopped);
        assert_eq!(processes_with(marker), Vec::<u32>::new());
    }

    #[test]
    fn a_grandchild_holding_the_output_pipe_does_not_hold_the_run() {
        let marker = "sysdesign-contain-holder-2291";
        let flag = tempfile::tempdir().unwrap();
        let flag = flag.path().join("forked");
        // The snippet exits once its daemon has forked its own child, both holding stdout.
        let mut cmd = sh(&format!(
            "setsid bash -c '(exec -a {marker} sleep 1000) & touch {flag}; exec -a {marker}-b sleep 1000' &
             until [ -e {flag} ]; do :; done; echo started",
            flag = flag.display()
        ));
        let (out, ended) = run_reading_stdout(&mut cmd, &generous());
        assert_eq!(out, "started\n");
        // The daemon and its child; `touch` too if it had not exited yet.
        assert!(ended.left_running >= 2, "{ended:?}");
        assert_eq!(processes_with(marker), Vec::<u32>::new());
    }

    #[test]
    fn stopping_kills_the_snippet_and_its_tree() {
        let marker = "sysdesign-contain-stop-5521";
        let mut cmd = sh(&format!(
            "(exec -a {marker} sleep 1000) & setsid bash -c 'exec -a {marker} sleep 1000' & wait"
        ));
        let run = spawn(&mut cmd, &generous()).unwrap();
        // Wait until both sleepers exist, then stop the run as the time limit would.
        while processes_with(marker).len() < 2 {
            std::thread::yield_now();
        }
        run.stop();
        let ended = run.wait().unwrap();
        assert!(ended.stopped);
        assert_eq!(ended.status.signal(), Some(libc::SIGKILL));
        assert_eq!(processes_with(marker), Vec::<u32>::new());
    }

    #[test]
    fn ctrl_c_on_the_terminal_reaches_the_supervisor_and_ends_the_run() {
        let marker = "sysdesign-contain-sigint-8830";
        let mut cmd = sh(&format!("exec -a {marker} sleep 1000"));
        let run = spawn(&mut cmd, &generous()).unwrap();
        while processes_with(marker).is_empty() {
            std::thread::yield_now();
        }
        // The terminal sends SIGINT to the tool's process group, which holds the supervisor
        // but not the snippet (it has a group of its own); here we send it to the supervisor.
        // SAFETY: signalling one process.
        unsafe {
            libc::kill(run.id() as i32, libc::SIGINT);
        }
        let ended = run.wait().unwrap();
        assert!(ended.stopped, "{ended:?}");
        assert_eq!(ended.stop_signal, libc::SIGINT);
        assert_eq!(processes_with(marker), Vec::<u32>::new());
    }

    #[test]
    fn the_run_ends_when_the_thread_that_started_it_dies() {
        // PR_SET_PDEATHSIG fires when the spawning thread ends: the same as the tool dying.
        let marker = "sysdesign-contain-orphan-3307";
        let supervisor = std::thread::spawn(move || {
            let mut cmd = sh(&format!("exec -a {marker} sleep 1000"));
            let run = spawn(&mut cmd, &generous()).unwrap();
            while processes_with(marker).is_empty() {
                std::thread::yield_now();
            }
            let id = run.id();
            // Leak the handle, as a killed tool would: no Drop, no stop.
            std::mem::forget(run);
            id
        })
        .join()
        .unwrap();
        // The supervisor is our child; reap it once it has swept.
        let mut status = 0;
        // SAFETY: waiting for our own child.
        let pid = unsafe { libc::waitpid(supervisor as i32, &mut status, 0) };
        assert_eq!(pid, supervisor as i32);
        assert_eq!(processes_with(marker), Vec::<u32>::new());
    }

    #[test]
    fn limits_are_applied_to_the_snippet() {
        let tight = Limits {
            memory: 512 << 20,
            file_size: 1 << 20,
            cpu_seconds: 1,
            processes: 64,
        };
        let mut cmd = sh("ulimit -v; ulimit -f; ulimit -t; ulimit -c");
        let (out, ended) = run_reading_stdout(&mut cmd, &tight);
        assert!(ended.status.success());
        // bash reports address space and file size in KiB.
        assert_eq!(out, "524288\n1024\n1\n0\n");

        let mut spin = sh("while :; do :; done");
        let ended = spawn(&mut spin, &tight).unwrap().wait().unwrap();
        assert_eq!(ended.status.signal(), Some(libc::SIGXCPU), "{ended:?}");
    }
}
