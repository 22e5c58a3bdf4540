//! Snippets: find the `{{#run PATH}}` directives, compile every snippet in one cargo
//! invocation, and run each with a time limit.
//!
//! Snippets are not registered anywhere: the directives in the chapters are the list.
//! The tool writes a throw-away package under `target/` with one `[[bin]]` per snippet,
//! depending on `sysdesign` and on the crates that `book.toml` allows, and builds it with
//! the workspace's `Cargo.lock` and target folder, so nothing is compiled twice.

use anyhow::{Context, Result, bail};
use regex::Regex;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use crate::contain;
use crate::project::{Project, Settings};

/// A `{{#run PATH}}` directive: the text to replace and where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Directive {
    /// The exact directive text, e.g. `{{#run ../../snippets/caching/lru.rs}}`.
    pub text: String,
    /// The snippet file, relative to the project root, e.g. `snippets/caching/lru.rs`.
    pub snippet: PathBuf,
    /// The `// ANCHOR:` region the page shows as an excerpt (`{{#run PATH:anchor}}`), if any.
    pub anchor: Option<String>,
    /// Where the directive is: `book/caching-and-hashing/caching.md:42`.
    pub location: Location,
}

/// A file and a 1-based line, printed as `file:line`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Location {
    /// The file, relative to the project root.
    pub file: PathBuf,
    /// The 1-based line.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// Finds the directives of one chapter.
///
/// `chapter` is the chapter's path relative to the project root (`book/x/y.md`) and `text`
/// its source as written on disk, so that line numbers are those the author sees.
/// Only directives that count are found ([`crate::markdown`]: not in code, HTML or comments,
/// not escaped). A malformed directive, or one whose path does not resolve to a file under
/// `snippets/`, is an error naming the chapter and line.
pub(crate) fn find_directives(
    project: &Project,
    chapter: &Path,
    text: &str,
) -> Result<Vec<Directive>> {
    let mut found = Vec::new();
    let markdown = crate::markdown::Markdown::read(text);
    for directive in markdown.directives(&["run"]) {
        if directive.escaped {
            continue;
        }
        let location = Location {
            file: chapter.to_path_buf(),
            line: directive.line,
        };
        let whole = directive.text;
        let raw = directive.args.trim();
        if raw.is_empty() || raw.contains(char::is_whitespace) {
            bail!(
                "{location}: malformed directive {:?}; write {{{{#run ../../snippets/CHAPTER/NAME.rs}}}}",
                whole
            );
        }
        let (raw, anchor) = match raw.rsplit_once(':') {
            Some((path, anchor)) if !anchor.contains('/') => {
                crate::render::check_anchor_name(anchor)
                    .with_context(|| format!("{location}: in {whole:?}"))?;
                (path, Some(anchor.to_string()))
            }
            _ => (raw, None),
        };
        let chapter_dir = chapter.parent().unwrap_or(Path::new(""));
        let snippet = normalize(&chapter_dir.join(raw)).with_context(|| {
            format!("{location}: the snippet path {raw:?} leaves the project folder")
        })?;
        if !snippet.starts_with("snippets") || snippet.extension().is_none_or(|e| e != "rs") {
            bail!(
                "{location}: {raw:?} resolves to {}, but a snippet must be a .rs file under snippets/",
                snippet.display()
            );
        }
        let on_disk = project.root.join(&snippet);
        if !on_disk.is_file() {
            bail!(
                "{location}: the snippet {} does not exist (the directive says {raw:?})",
                snippet.display()
            );
        }
        // A symbolic link could still point outside the project.
        let real = on_disk
            .canonicalize()
            .with_context(|| format!("{location}: cannot resolve {}", on_disk.display()))?;
        if !real.starts_with(project.root.join("snippets")) {
            bail!(
                "{location}: the snippet {} is a link to a file outside snippets/",
                snippet.display()
            );
        }
        found.push(Directive {
            text: whole.to_string(),
            snippet,
            anchor,
            location,
        });
    }
    Ok(found)
}

/// Resolves `.` and `..` without touching the disk; `None` if the path climbs above its start
/// or is absolute.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// How a snippet's run went.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    /// Everything the program printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
    /// How long it ran.
    pub elapsed: Duration,
    /// Whether the snippet declares that it reports timings (`//! timing:` on its first line).
    pub timing: bool,
}

/// What [`compile_and_run`] calls with each successful run and the files its build read.
pub(crate) type OnSuccess<'a> = dyn FnMut(&Path, &Run, &[PathBuf]) -> Result<()> + 'a;

/// One message per failed snippet, with the directive that named it.
type Failures = Vec<(Location, String)>;

/// What the tool needs to know about each snippet after compiling.
struct Compiled {
    executable: PathBuf,
}

impl Compiled {
    /// Every source file the build of this binary read, from the dep-info file cargo writes
    /// beside it (`target/release/<bin>.d`).
    fn files_read(&self) -> Result<Vec<PathBuf>> {
        let path = self.executable.with_extension("d");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read cargo's dep-info file {}", path.display()))?;
        Ok(crate::cache::parse_dep_info(&text))
    }
}

/// Compiles every snippet in one cargo invocation and runs each one.
///
/// `snippets` maps each snippet (relative to the root) to the directives that use it; errors
/// name the first directive's location. All failures are collected and reported together.
///
/// `on_success` sees each successful run as soon as it finishes, with every file its build read
/// (the output cache stores it), so work done before a failure elsewhere is not lost.
pub(crate) fn compile_and_run(
    project: &Project,
    settings: &Settings,
    snippets: &BTreeMap<PathBuf, Vec<Location>>,
    on_success: &mut OnSuccess<'_>,
) -> Result<BTreeMap<PathBuf, Run>> {
    if snippets.is_empty() {
        return Ok(BTreeMap::new());
    }
    let manifest = write_package(project, settings, snippets.keys())?;
    eprintln!("sysdesign-book: compiling {} snippets", snippets.len());
    let (compiled, mut failures) = compile(project, &manifest, snippets)?;
    let mut runs = BTreeMap::new();
    let total = compiled.len();
    // Cargo writes no dep-info when a snippet of the same build failed to compile: that one
    // failure is reported below, and the others' outputs are only left uncached.
    let compile_failed = !failures.is_empty();
    let mut uncached = 0;
    for (i, (snippet, bin)) in compiled.iter().enumerate() {
        let locations = &snippets[snippet];
        match run_one(project, settings, snippet, &bin.executable) {
            Ok(run) => {
                eprintln!(
                    "sysdesign-book: [{}/{total}] ran {} in {:.2} s",
                    i + 1,
                    snippet.display(),
                    run.elapsed.as_secs_f64()
                );
                // Without dep-info the files this one read are unknown, so its output is not
                // cached this time.
                match bin.files_read() {
                    Ok(read) => on_success(snippet, &run, &read)?,
                    Err(_) if compile_failed => uncached += 1,
                    Err(e) => eprintln!(
                        "sysdesign-book: note: {e:#}; the output of {} is not cached this time",
                        snippet.display()
                    ),
                }
                runs.insert(snippet.clone(), run);
            }
            Err(e) => {
                eprintln!(
                    "sysdesign-book: [{}/{total}] {} FAILED",
                    i + 1,
                    snippet.display()
                );
                failures.push((
                    locations[0].clone(),
                    format!("{}: snippet {}: {e:#}", locations[0], snippet.display()),
                ));
            }
        }
    }
    if uncached > 0 {
        eprintln!(
            "sysdesign-book: note: {uncached} snippets ran but their outputs are not cached: with a snippet failing to compile, cargo records no dependencies for the others"
        );
    }
    if !failures.is_empty() {
        failures.sort();
        let root = format!("{}/", project.root.display());
        let messages: Vec<String> = failures
            .into_iter()
            .map(|(_, m)| m.replace(&root, ""))
            .collect();
        bail!(
            "{} snippet(s) failed:\n\n{}",
            messages.len(),
            messages.join("\n\n")
        );
    }
    Ok(runs)
}

/// A snippet path given on the command line (relative to the current folder), as a path
/// relative to the root under `snippets/`.
pub(crate) fn relative_snippet_path(project: &Project, path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let real = cwd
        .join(path)
        .canonicalize()
        .with_context(|| format!("there is no snippet {}", path.display()))?;
    real.strip_prefix(project.root.join("snippets"))
        .map(|rel| Path::new("snippets").join(rel))
        .map_err(|_| anyhow::anyhow!("{} is not a file under snippets/", path.display()))
}

/// `cargo book run PATH`: compiles one snippet and runs it in this terminal, where `show`
/// prints text and writes charts to files. Returns the snippet's exit code.
pub(crate) fn run_in_terminal(project: &Project, settings: &Settings, path: &Path) -> Result<i32> {
    let snippet = relative_snippet_path(project, path)?;
    let lock = crate::site::BuildLock::take(project)?;
    let location = Location {
        file: snippet.clone(),
        line: 1,
    };
    let uses = BTreeMap::from([(snippet.clone(), vec![location])]);
    let manifest = write_package(project, settings, uses.keys())?;
    let (compiled, failures) = compile(project, &manifest, &uses)?;
    if let Some((_, message)) = failures.into_iter().next() {
        bail!("{message}");
    }
    // The binary is built: another build may go on while this one runs in the terminal.
    drop(lock);
    let exe = &compiled[&snippet].executable;
    let mut command = Command::new(exe);
    command
        .current_dir(&project.root)
        .env_remove(sysdesign::show::MODE_VAR);
    // Contained as in a build, without the time limit: Ctrl-C ends it and all it started.
    let ended = contain::spawn(&mut command, &settings.limits())
        .with_context(|| format!("cannot start {}", exe.display()))?
        .wait()?;
    if ended.left_running > 0 {
        eprintln!(
            "sysdesign-book: {} left {} process(es) running; they were killed",
            snippet.display(),
            ended.left_running
        );
    }
    if !ended.status.success() && !ended.stopped {
        eprintln!(
            "sysdesign-book: {} {}",
            snippet.display(),
            why_it_failed(settings, &ended, "")
        );
    }
    Ok(ended.status.code().unwrap_or(1))
}

/// Lints every snippet with clippy, warnings denied. The package is written afresh for `uses`,
/// since a cached build leaves it as the last compile needed it.
pub(crate) fn lint(
    project: &Project,
    settings: &Settings,
    uses: &BTreeMap<PathBuf, Vec<Location>>,
) -> Result<()> {
    let _lock = crate::site::BuildLock::take(project)?;
    let manifest = write_package(project, settings, uses.keys())?;
    let status = Command::new(cargo())
        .args(["clippy", "--release", "--bins", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", project.target_dir())
        .status()
        .context("cannot run cargo clippy on the snippets")?;
    if !status.success() {
        bail!("cargo clippy found problems in the snippets ({status})");
    }
    Ok(())
}

/// The name of a snippet's binary: its path under `snippets/`, with `__` for `/`.
pub(crate) fn bin_name(snippet: &Path) -> String {
    let rel = snippet
        .strip_prefix("snippets")
        .unwrap_or(snippet)
        .with_extension("");
    rel.components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_', "_")
        })
        .collect::<Vec<_>>()
        .join("__")
}

fn write_package<'a>(
    project: &Project,
    settings: &Settings,
    snippets: impl Iterator<Item = &'a PathBuf>,
) -> Result<PathBuf> {
    let dir = project.target_dir().join("sysdesign-snippets");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut dependencies = toml::Table::new();
    let mut sysdesign = toml::Table::new();
    sysdesign.insert("path".into(), project.root.display().to_string().into());
    dependencies.insert("sysdesign".into(), sysdesign.into());
    let mut known = project.root_dependencies()?;
    for name in &settings.dependencies {
        let Some(spec) = known.remove(name) else {
            bail!(
                "book.toml: [preprocessor.run] dependencies names {name:?}, which is in neither \
                 [dependencies] nor [dev-dependencies] of {}",
                project.root.join("Cargo.toml").display()
            );
        };
        dependencies.insert(name.clone(), spec);
    }
    let bins: Vec<toml::Value> = snippets
        .map(|snippet| {
            let mut bin = toml::Table::new();
            bin.insert("name".into(), bin_name(snippet).into());
            bin.insert(
                "path".into(),
                project.root.join(snippet).display().to_string().into(),
            );
            for flag in ["test", "bench", "doc"] {
                bin.insert(flag.into(), false.into());
            }
            bin.into()
        })
        .collect();
    let manifest: toml::Table = toml::toml! {
        [package]
        name = "sysdesign-snippets"
        version = "0.0.0"
        edition = "2024"
        publish = false
        autobins = false

        [workspace]
    };
    let mut manifest = manifest;
    manifest.insert("dependencies".into(), dependencies.into());
    manifest.insert("bin".into(), bins.into());
    let manifest = format!(
        "# Written by the book tool on every build; do not edit.\n{}",
        toml::to_string(&manifest).context("cannot write the snippets' Cargo.toml")?
    );
    let path = dir.join("Cargo.toml");
    write_if_changed(&path, manifest.as_bytes())?;
    // Start from the workspace's lock file so snippets build with the very same versions.
    let lock_path = dir.join("Cargo.lock");
    if !lock_path.exists() {
        match std::fs::read(project.root.join("Cargo.lock")) {
            Ok(lock) => std::fs::write(&lock_path, lock)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context("cannot read Cargo.lock"),
        }
    }
    Ok(path)
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).ok().as_deref() != Some(bytes) {
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Builds the package; returns the snippets that compiled and one message per failure.
fn compile(
    project: &Project,
    manifest: &Path,
    snippets: &BTreeMap<PathBuf, Vec<Location>>,
) -> Result<(BTreeMap<PathBuf, Compiled>, Failures)> {
    let mut child = Command::new(cargo())
        .args(["build", "--release", "--keep-going", "--bins"])
        .arg("--message-format=json-diagnostic-rendered-ansi")
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", project.target_dir())
        .env_remove("CARGO_TERM_PROGRESS_WHEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start cargo to compile the snippets")?;
    // Cargo's progress goes through to the terminal; its one-line "could not compile" summaries
    // do not, because the failures are reported below with the chapter line and rustc's message.
    let progress = child.stderr.take().expect("stderr was piped");
    let forward = std::thread::spawn(move || {
        for line in BufReader::new(progress).lines().map_while(Result::ok) {
            let redundant = line.starts_with("error: could not compile `sysdesign-snippets`")
                || line.starts_with("warning: build failed, waiting for other jobs");
            if !redundant {
                eprintln!("{line}");
            }
        }
    });
    let by_name: BTreeMap<String, &PathBuf> = snippets.keys().map(|s| (bin_name(s), s)).collect();
    let mut compiled = BTreeMap::new();
    let mut errors: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let stdout = BufReader::new(child.stdout.take().expect("stdout was piped"));
    for message in cargo_metadata::Message::parse_stream(stdout) {
        match message.context("cannot read cargo's output")? {
            cargo_metadata::Message::CompilerMessage(msg) => {
                let Some(snippet) = by_name.get(msg.target.name.as_str()) else {
                    continue;
                };
                let rendered = msg.message.rendered.unwrap_or_default();
                match msg.message.level {
                    cargo_metadata::diagnostic::DiagnosticLevel::Error
                    | cargo_metadata::diagnostic::DiagnosticLevel::Ice => {
                        errors.entry((*snippet).clone()).or_default().push(rendered)
                    }
                    cargo_metadata::diagnostic::DiagnosticLevel::Warning => eprint!("{rendered}"),
                    _ => {}
                }
            }
            cargo_metadata::Message::CompilerArtifact(artifact) => {
                if let (Some(snippet), Some(exe)) = (
                    by_name.get(artifact.target.name.as_str()),
                    artifact.executable,
                ) {
                    compiled.insert(
                        (*snippet).clone(),
                        Compiled {
                            executable: exe.into_std_path_buf(),
                        },
                    );
                }
            }
            _ => {}
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    let _ = forward.join();
    let mut failures = Vec::new();
    for (snippet, locations) in snippets {
        if compiled.contains_key(snippet) {
            continue;
        }
        let detail = match errors.get(snippet) {
            Some(msgs) => strip_ansi(&msgs.join("")),
            None if status.success() => "cargo built it but reported no executable".to_string(),
            None => "cargo failed before compiling it (see cargo's messages above)".to_string(),
        };
        failures.push((
            locations[0].clone(),
            format!(
                "{}: snippet {} does not compile:\n{}",
                locations[0],
                snippet.display(),
                detail.trim_end()
            ),
        ));
    }
    Ok((compiled, failures))
}

/// The cargo that runs us, so `cargo +toolchain book` stays on that toolchain.
pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn strip_ansi(s: &str) -> String {
    static ANSI: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\x1b\[[0-9;]*m").expect("the ANSI pattern is valid"));
    ANSI.replace_all(s, "").into_owned()
}

/// Runs one compiled snippet, contained (see [`crate::contain`]): under the limits of
/// `book.toml`, with the time limit covering the wait for its output, and with every process it
/// started killed when it ends.
fn run_one(project: &Project, settings: &Settings, snippet: &Path, exe: &Path) -> Result<Run> {
    let source = std::fs::read_to_string(project.root.join(snippet))
        .with_context(|| format!("cannot read {}", snippet.display()))?;
    let timing = is_timing(&source);
    let started = Instant::now();
    let mut command = Command::new(exe);
    command
        .current_dir(&project.root)
        .env(sysdesign::show::MODE_VAR, "book")
        .env_remove("EVCXR_IS_RUNTIME")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut run = contain::spawn(&mut command, &settings.limits())
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let limit = settings.max_output;
    let (done_tx, done) = std::sync::mpsc::channel();
    let (stdout, stderr) = run.take_output();
    capture(Pipe::Out, stdout, limit, done_tx.clone());
    capture(Pipe::Err, stderr, limit, done_tx);
    let deadline = started + Duration::from_secs(settings.timeout);
    let ended = loop {
        if let Some(ended) = run.try_wait()? {
            break ended;
        }
        if Instant::now() >= deadline {
            run.stop();
            break run.wait()?;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    if !ended.swept {
        eprintln!(
            "sysdesign-book: warning: cannot list the processes {} started (this system has no \
             /proc/thread-self/children); only its process group was killed",
            snippet.display()
        );
    }
    // The tree is gone, so the pipes are closed; without the sweep (no /proc) a process could
    // still hold them, and the run must not wait for it.
    let (mut stdout, mut stderr) = ((Vec::new(), false), (Vec::new(), false));
    for _ in 0..2 {
        match done.recv_timeout(Duration::from_secs(2)) {
            Ok((Pipe::Out, bytes, over)) => stdout = (bytes, over),
            Ok((Pipe::Err, bytes, over)) => stderr = (bytes, over),
            Err(_) => bail!(
                "a process it started still holds its output open and could not be killed; \
                 a snippet must wait for the processes it starts"
            ),
        }
    }
    let ((stdout, out_over), (stderr, err_over)) = (stdout, stderr);
    let stderr_text = String::from_utf8_lossy(&stderr).into_owned();
    if ended.stopped && ended.stop_signal != libc::SIGTERM {
        bail!(
            "was interrupted (signal {}), and every process it started was killed",
            ended.stop_signal
        );
    }
    if ended.stopped {
        bail!(
            "ran past its time limit of {} s and was killed, with every process it started \
             (raise [preprocessor.run] timeout in book.toml if it is meant to run that long){}",
            settings.timeout,
            tail("stderr", &stderr_text)
        );
    }
    if !ended.status.success() {
        bail!(
            "{}{}",
            why_it_failed(settings, &ended, &stderr_text),
            tail("stderr", &stderr_text)
        );
    }
    if ended.left_running > 0 {
        bail!(
            "exited but left child processes running ({}, all killed); a snippet must wait for \
             the processes it starts",
            ended.left_running
        );
    }
    if out_over || err_over {
        bail!(
            "printed more than {} bytes on {}; a snippet's output must fit on a page",
            limit,
            if out_over { "stdout" } else { "stderr" }
        );
    }
    let stdout = String::from_utf8(stdout).map_err(|e| {
        anyhow::anyhow!(
            "printed bytes that are not UTF-8 on stdout (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Run {
        stdout,
        stderr: stderr_text,
        elapsed,
        timing,
    })
}

/// Why a contained run failed, naming the `book.toml` limit when it was one.
fn why_it_failed(settings: &Settings, ended: &contain::Ended, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    let limit = |key: &str, what: String| {
        format!("{what} (the limit is [preprocessor.run] {key} in book.toml)")
    };
    let cpu = || {
        limit(
            "max-cpu-seconds",
            format!(
                "used more than {} s of CPU time and was killed",
                settings.max_cpu_seconds
            ),
        )
    };
    match ended.status.signal() {
        Some(libc::SIGXCPU) => cpu(),
        Some(libc::SIGKILL) if ended.cpu.as_secs() >= settings.max_cpu_seconds => cpu(),
        Some(libc::SIGXFSZ) => limit(
            "max-file-size-mib",
            format!(
                "wrote a file larger than {} MiB and was killed",
                settings.max_file_size_mib
            ),
        ),
        _ if stderr.contains("memory allocation of") || stderr.contains("os error 12") => limit(
            "max-memory-mib",
            format!(
                "ran out of memory: it may map at most {} MiB",
                settings.max_memory_mib
            ),
        ),
        _ if stderr.contains("os error 27") => limit(
            "max-file-size-mib",
            format!(
                "could not write a file larger than {} MiB",
                settings.max_file_size_mib
            ),
        ),
        _ if stderr.contains("os error 11") && !contain::is_root() => limit(
            "max-processes",
            format!(
                "could not start a process or thread: it may start at most {}",
                settings.max_processes
            ),
        ),
        Some(signal) => format!("was killed by signal {signal}"),
        None => format!("exited with status {}", ended.status.code().unwrap_or(-1)),
    }
}

/// Whether a snippet declares that it prints timings measured on the build machine.
pub(crate) fn is_timing(source: &str) -> bool {
    source
        .lines()
        .next()
        .is_some_and(|l| l.trim_start().starts_with("//! timing:"))
}

fn tail(what: &str, text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let shown = &lines[lines.len().saturating_sub(40)..];
    format!("; its {what} ends with:\n{}", shown.join("\n"))
}

/// Which output pipe a reader drained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pipe {
    Out,
    Err,
}

/// Reads a pipe to its end on a thread, keeping at most `limit` bytes, and sends them on `done`
/// with a flag that says whether more came (the rest is drained, so the writer never blocks).
fn capture(
    which: Pipe,
    mut pipe: impl Read + Send + 'static,
    limit: usize,
    done: std::sync::mpsc::Sender<(Pipe, Vec<u8>, bool)>,
) {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut over = false;
        let mut buf = [0u8; 64 * 1024];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
                Ok(n) => {
                    let room = limit.saturating_sub(kept.len());
                    if n > room {
                        over = true;
                    }
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        let _ = done.send((which, kept, over));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_refuses_to_climb_out() {
        assert_eq!(
            normalize(Path::new("book/a/../../snippets/x.rs")),
            Some(PathBuf::from("snippets/x.rs"))
        );
        assert_eq!(normalize(Path::new("book/../../etc/passwd")), None);
        assert_eq!(normalize(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn bin_names_keep_the_chapter_folder() {
        assert_eq!(
            bin_name(Path::new("snippets/caching/lru-vs.fifo.rs")),
            "caching__lru_vs_fifo"
        );
    }

    #[test]
    fn timing_is_declared_on_the_first_line() {
        assert!(is_timing("//! timing: measured here\nfn main() {}"));
        assert!(!is_timing("fn main() {}\n//! timing: too late"));
    }
}
