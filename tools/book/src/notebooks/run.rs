//! Executing notebooks with the real evcxr kernel, through Jupyter's own client (nbclient).
//!
//! Everything it needs is installed when missing, outside the repository so that every clone on
//! the machine shares it: a Python virtual environment under `$XDG_CACHE_HOME/sysdesign-book/`
//! (or `~/.cache/sysdesign-book/`) with nbclient, nbformat and jupyter_client; the kernel with
//! `cargo install --locked evcxr_jupyter` and `evcxr_jupyter --install`.
//!
//! The notebooks run in lanes, two at once on a machine with two cores or more
//! (`SYSDESIGN_NOTEBOOK_LANES` to choose): each lane is one runner with one `EVCXR_TMPDIR` of
//! its own in that cache folder (`evcxr/build`, `evcxr/build-1`, ...), so the library's
//! dependencies compile once per lane and every later notebook, and every later run, starts
//! warm. A build folder cannot live under `target/`: cargo would take evcxr's generated package
//! for a stray member of our workspace. A lock file per lane makes concurrent runs on the machine
//! take turns.
//! `tools/book/run_notebooks.py` drives the kernel and stops at the first failing cell.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::executed::Store;
use super::{Generated, Origin};
use crate::project::Project;

/// The evcxr_jupyter release installed when none is found; it needs Rust 1.95.
pub(crate) const EVCXR_VERSION: &str = "0.22.0";

/// What the runner needs from PyPI, pinned.
const PYTHON_PACKAGES: [&str; 3] = [
    "nbclient==0.11.0",
    "nbformat==5.11.1",
    "jupyter_client==8.10.0",
];

/// The script that drives the kernel, relative to the root.
pub(crate) const RUNNER: &str = "tools/book/run_notebooks.py";

/// Seconds one cell may run; the first cell of the first notebook compiles the library.
const CELL_TIMEOUT: u64 = 900;

/// A Python that can drive the `rust` kernel.
pub(crate) struct Kernel {
    python: PathBuf,
}

/// `$XDG_CACHE_HOME/sysdesign-book`, or `~/.cache/sysdesign-book`.
pub(crate) fn cache_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".cache"),
    };
    Ok(base.join("sysdesign-book"))
}

/// Makes sure the virtual environment, the kernel and its kernelspec are there.
pub(crate) fn ensure() -> Result<Kernel> {
    let python = ensure_venv()?;
    let evcxr = ensure_evcxr()?;
    let kernel = Kernel { python };
    if !kernel.has_kernelspec()? {
        eprintln!(
            "sysdesign-book: registering the kernel ({} --install)",
            evcxr.display()
        );
        run(Command::new(&evcxr).arg("--install"))?;
        if !kernel.has_kernelspec()? {
            bail!(
                "`{} --install` ran, but Jupyter still finds no `{}` kernel",
                evcxr.display(),
                super::KERNEL
            );
        }
    }
    Ok(kernel)
}

fn ensure_venv() -> Result<PathBuf> {
    let venv = cache_dir()?.join("venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join("sysdesign-book-packages.txt");
    let wanted = PYTHON_PACKAGES.join("\n");
    if python.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted) {
        return Ok(python);
    }
    if !python.is_file() {
        let base = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
        eprintln!(
            "sysdesign-book: creating a Python virtual environment in {}",
            venv.display()
        );
        run(Command::new(&base).args(["-m", "venv"]).arg(&venv)).with_context(|| {
            format!(
                "cannot create a virtual environment with {}; install Python 3 with its venv \
                 module (Debian: `apt-get install python3-venv`) or set PYTHON",
                base.to_string_lossy()
            )
        })?;
    }
    eprintln!(
        "sysdesign-book: installing {} into {}",
        PYTHON_PACKAGES.join(", "),
        venv.display()
    );
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PYTHON_PACKAGES))?;
    std::fs::write(&stamp, wanted).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(python)
}

/// `evcxr_jupyter` on `PATH`, else in cargo's `bin` folder.
fn find_evcxr() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("evcxr_jupyter"))
        .find(|p| p.is_file())
}

fn ensure_evcxr() -> Result<PathBuf> {
    if let Some(found) = find_evcxr() {
        return Ok(found);
    }
    eprintln!(
        "sysdesign-book: the evcxr kernel is missing; installing it with \
         `cargo install --locked evcxr_jupyter --version {EVCXR_VERSION}` (about 12 minutes on 2 cores, once per machine)"
    );
    let started = Instant::now();
    run(Command::new(crate::snippets::cargo()).args([
        "install",
        "--locked",
        "evcxr_jupyter",
        "--version",
        EVCXR_VERSION,
    ]))?;
    eprintln!(
        "sysdesign-book: installed evcxr_jupyter in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    find_evcxr()
        .context("cargo installed evcxr_jupyter, but it is neither on PATH nor in ~/.cargo/bin")
}

impl Kernel {
    fn has_kernelspec(&self) -> Result<bool> {
        let status = Command::new(&self.python)
            .args([
                "-c",
                "import sys\nfrom jupyter_client.kernelspec import KernelSpecManager\n\
                 sys.exit(0 if sys.argv[1] in KernelSpecManager().find_kernel_specs() else 1)",
                super::KERNEL,
            ])
            .env("JUPYTER_PLATFORM_DIRS", "1")
            .status()
            .with_context(|| format!("cannot run {}", self.python.display()))?;
        Ok(status.success())
    }

    /// Executes each `(notebook, output)` pair in order, each in its notebook's folder, and
    /// writes the executed notebook to `output`. Stops at the first failing cell; the report
    /// names the notebook and the cell, and lists the notebooks that ran to the end before it.
    pub(crate) fn execute(
        &self,
        project: &Project,
        pairs: &[(PathBuf, PathBuf)],
    ) -> Result<Report> {
        self.execute_in_lanes(project, pairs, &vec![1; pairs.len()], 1)
    }

    /// [`Kernel::execute`] in `lanes` runners at once, each with a build folder (and a lock) of
    /// its own, so that two kernels never write one cargo package. Notebooks go to lanes by
    /// `weights` (their code cells), heaviest first to the lightest lane; within a lane they
    /// keep their order. Each lane stops at its own first failure; the report lists every
    /// notebook that ran to the end, and the failures.
    pub(crate) fn execute_in_lanes(
        &self,
        project: &Project,
        pairs: &[(PathBuf, PathBuf)],
        weights: &[usize],
        lanes: usize,
    ) -> Result<Report> {
        let lanes = lanes.clamp(1, pairs.len().max(1));
        let mut load = vec![0usize; lanes];
        let mut lane_of = vec![0usize; pairs.len()];
        let mut heaviest: Vec<usize> = (0..pairs.len()).collect();
        heaviest.sort_by_key(|&i| std::cmp::Reverse(weights.get(i).copied().unwrap_or(1)));
        for i in heaviest {
            let lane = (0..lanes).min_by_key(|&l| load[l]).unwrap_or(0);
            lane_of[i] = lane;
            load[lane] += weights.get(i).copied().unwrap_or(1);
        }
        let evcxr = cache_dir()?.join("evcxr");
        // A config folder of our own: a reader's init.evcxr or prelude.rs must not change the run.
        let config = evcxr.join("config");
        std::fs::create_dir_all(&config)
            .with_context(|| format!("cannot create {}", config.display()))?;
        let library_path = library_path()?;
        let mut running = Vec::new();
        for lane in 0..lanes {
            // Lane 0 keeps the names a single runner always used, so its warm build folder stays.
            let suffix = if lane == 0 {
                String::new()
            } else {
                format!("-{lane}")
            };
            let tmp = evcxr.join(format!("build{suffix}"));
            std::fs::create_dir_all(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            let turn = lock(&evcxr.join(format!("lock{suffix}")))?;
            let report_path = project
                .target_dir()
                .join(format!("notebook-report{suffix}.json"));
            let _ = std::fs::remove_file(&report_path);
            let mut cmd = Command::new(&self.python);
            cmd.arg(project.root.join(RUNNER))
                .args(["--kernel", super::KERNEL])
                .arg(format!("--timeout={CELL_TIMEOUT}"))
                .arg("--report")
                .arg(&report_path);
            for (i, (notebook, output)) in pairs.iter().enumerate() {
                if lane_of[i] == lane {
                    let mut pair = notebook.clone().into_os_string();
                    pair.push("=");
                    pair.push(output);
                    cmd.arg(pair);
                }
            }
            cmd.current_dir(&project.root)
                .env("LD_LIBRARY_PATH", &library_path)
                .env("EVCXR_TMPDIR", &tmp)
                .env("EVCXR_CONFIG_DIR", &config)
                .env("JUPYTER_PLATFORM_DIRS", "1")
                .env_remove(sysdesign::show::MODE_VAR);
            let child = cmd
                .spawn()
                .with_context(|| format!("cannot run {}", self.python.display()))?;
            running.push((child, report_path, turn));
        }
        let mut merged = Report {
            notebooks: Vec::new(),
            failure: None,
        };
        let mut failures = Vec::new();
        for (mut child, report_path, _turn) in running {
            let status = child.wait().context("the notebook runner did not finish")?;
            let text = std::fs::read_to_string(&report_path).with_context(|| {
                format!(
                    "the notebook runner ({status}) wrote no report to {}",
                    report_path.display()
                )
            })?;
            let report: Report = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a runner report", report_path.display()))?;
            merged.notebooks.extend(report.notebooks);
            match report.failure {
                Some(failure) => failures.push(failure),
                None if !status.success() => {
                    failures.push(format!("the notebook runner failed ({status})"))
                }
                None => {}
            }
        }
        if !failures.is_empty() {
            merged.failure = Some(failures.join("\n\n"));
        }
        Ok(merged)
    }
}

/// How many notebook runners work at once: `SYSDESIGN_NOTEBOOK_LANES` when set (1 to 8), else
/// two where the machine has two cores or more. Compiling a cell keeps about one core busy, so
/// two kernels use a two-core machine where one leaves a core idle.
pub(crate) fn lanes() -> Result<usize> {
    const VAR: &str = "SYSDESIGN_NOTEBOOK_LANES";
    match std::env::var(VAR) {
        Ok(value) => match value.trim().parse::<usize>() {
            Ok(n) if (1..=8).contains(&n) => Ok(n),
            _ => bail!("{VAR}={value:?} is not a number of notebook runners from 1 to 8"),
        },
        Err(_) => Ok(std::thread::available_parallelism().map_or(1, |n| n.get().min(2))),
    }
}

/// What the runner reports.
#[derive(Debug, Deserialize)]
pub(crate) struct Report {
    /// Each executed notebook, in order.
    pub notebooks: Vec<NotebookReport>,
    /// The first failure, naming the notebook and cell.
    pub failure: Option<String>,
}

/// One executed notebook.
#[derive(Debug, Deserialize)]
pub(crate) struct NotebookReport {
    /// Its path as given to the runner.
    pub notebook: PathBuf,
    /// Seconds from kernel start to the last cell's end.
    pub seconds: f64,
    /// Every code cell, in order.
    pub cells: Vec<CellReport>,
}

/// One executed code cell.
#[derive(Debug, Deserialize)]
pub(crate) struct CellReport {
    /// Its index in the notebook.
    pub index: usize,
    /// Seconds it took, compilation included.
    pub seconds: f64,
}

/// `LD_LIBRARY_PATH` with the toolchain's own library folder first.
///
/// evcxr links each cell against the toolchain's `libstd-*.so`. The cell's `.so` finds it
/// through a relative rpath computed for the `deps/` folder it was built in, which has one `..`
/// too many once cargo puts the file a folder up. That still lands right when the extra `..`
/// stops at the file system's root (evcxr's default, a temporary folder), but not from a deeper
/// build folder such as ours: there a cell fails with "dlopen failed". So the folder goes on the
/// search path.
fn library_path() -> Result<std::ffi::OsString> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--print", "target-libdir"])
        .output()
        .with_context(|| format!("cannot run {}", rustc.to_string_lossy()))?;
    if !out.status.success() {
        bail!("`rustc --print target-libdir` failed ({})", out.status);
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let mut dirs = vec![dir];
    if let Some(old) = std::env::var_os("LD_LIBRARY_PATH") {
        dirs.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(dirs).context("a library folder holds a ':'")
}

/// Holds an exclusive lock on `path` until dropped, waiting for it if another run has it.
fn lock(path: &Path) -> Result<std::fs::File> {
    let busy = format!(
        "another notebook run holds {}; waiting for it",
        path.display()
    );
    Ok(crate::project::lock_file(path, &busy)?.0)
}

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot run {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// What the notebook step did.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    /// Notebooks executed by this run.
    pub executed: usize,
    /// Notebooks whose stored execution had the same key.
    pub reused: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} notebooks executed, {} reused",
            self.executed,
            self.executed + self.reused,
            self.reused
        )
    }
}

/// `cargo book test`'s notebook step: executes every chapter's notebook whose inputs changed
/// since its last successful run (the others are reused from the execution cache), then checks
/// that the published form of a notebook, whose first cell names the repository at a commit,
/// runs outside any clone, then runs the runner's own tests, which need the kernel too.
pub(crate) fn check(project: &Project) -> Result<Counts> {
    let kernel = ensure()?;
    let (counts, book) = execute_with(project, &kernel)?;
    published_form(project, &kernel, &book, &Store::open()?)?;
    // The runner's own failure cases, which need the kernel too.
    let mut cmd = Command::new(crate::snippets::cargo());
    cmd.args([
        "test",
        "--package",
        "sysdesign-book",
        "--bin",
        "sysdesign-book",
        "--",
        "--include-ignored",
        "notebooks::",
    ])
    .current_dir(&project.root);
    run(&mut cmd)?;
    Ok(counts)
}

/// `cargo book notebooks --execute`: writes the notebooks into `target/notebooks/` and executes
/// those whose inputs changed since their last run.
pub(crate) fn execute_changed(project: &Project) -> Result<Counts> {
    let kernel = ensure()?;
    Ok(execute_with(project, &kernel)?.0)
}

fn execute_with(project: &Project, kernel: &Kernel) -> Result<(Counts, mdbook_driver::MDBook)> {
    let (book, out_dir, generated) = super::for_clone(project)?;
    super::write(&generated, &out_dir)?;
    let store = Store::open()?;
    let todo: Vec<&Generated> = generated.iter().filter(|nb| !store.has(&nb.key)).collect();
    let counts = Counts {
        executed: todo.len(),
        reused: generated.len() - todo.len(),
    };
    if !todo.is_empty() {
        let pairs: Vec<(PathBuf, PathBuf)> = todo
            .iter()
            .map(|nb| {
                let path = project.relative(&out_dir.join(&nb.relative)).to_path_buf();
                (path.clone(), path)
            })
            .collect();
        let weights: Vec<usize> = todo
            .iter()
            .map(|nb| {
                nb.cells
                    .iter()
                    .filter(|c| c.kind == super::Kind::Code)
                    .count()
            })
            .collect();
        let lanes = lanes()?;
        eprintln!(
            "    executing {} notebook(s) in {lanes} runner(s) at once",
            todo.len()
        );
        let report = kernel.execute_in_lanes(project, &pairs, &weights, lanes)?;
        // Every notebook that ran to the end is kept, even when a later one failed.
        for done in &report.notebooks {
            let Some((nb, _)) = todo
                .iter()
                .zip(&pairs)
                .find(|(_, (p, _))| *p == done.notebook)
            else {
                bail!(
                    "the notebook runner reported {}, which it was not given",
                    done.notebook.display()
                );
            };
            store.save(&nb.key, &nb.chapter, &out_dir.join(&nb.relative))?;
            describe(done);
        }
        if let Some(failure) = &report.failure {
            let root = format!("{}/", project.root.display());
            bail!("{}", failure.replace(&root, ""));
        }
    }
    eprintln!("    {counts}");
    Ok((counts, book))
}

fn describe(nb: &NotebookReport) {
    let first = nb.cells.first().map_or(0.0, |c| c.seconds);
    let slowest = nb
        .cells
        .iter()
        .max_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .map_or(String::new(), |c| {
            format!(", slowest cell {} ({:.1} s)", c.index, c.seconds)
        });
    eprintln!(
        "    {}: {} code cells in {:.1} s (setup cell {:.1} s{slowest})",
        nb.notebook.display(),
        nb.cells.len(),
        nb.seconds,
        first
    );
}

/// The published form runs where it lands: the first chapter's notebook, with its first cell
/// naming this repository through a `file://` URL at the checked-out commit (as the site names
/// the public repository), is executed in a folder outside the clone. Skipped, and said so, when
/// the folder is not a git checkout; kept in the execution cache like any other run.
fn published_form(
    project: &Project,
    kernel: &Kernel,
    book: &mdbook_driver::MDBook,
    store: &Store,
) -> Result<()> {
    let Some(rev) = super::head_commit(project) else {
        eprintln!("    published form: not checked (this folder is not a git checkout)");
        return Ok(());
    };
    let origin = Origin::Git {
        url: format!("file://{}", project.root.display()),
        rev: rev.clone(),
    };
    let scratch = tempfile::Builder::new()
        .prefix("sysdesign-published-")
        .tempdir()
        .context("cannot create a scratch folder")?;
    let Some(nb) = super::generate(project, book, scratch.path(), false, &origin)?
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let key = format!("published-{rev}-{}", nb.key);
    if store.has(&key) {
        eprintln!("    published form: reused the run at {rev}");
        return Ok(());
    }
    let path = scratch
        .path()
        .join(nb.relative.file_name().expect("a notebook is a file"));
    std::fs::write(&path, &nb.text).with_context(|| format!("cannot write {}", path.display()))?;
    let report = kernel.execute(project, &[(path.clone(), path.clone())])?;
    if let Some(failure) = &report.failure {
        bail!(
            "the published form of {} (first cell `{}`) does not run outside the clone:\n{failure}",
            nb.chapter.display(),
            nb.cells[0].source.lines().next().unwrap_or_default()
        );
    }
    for done in &report.notebooks {
        describe(done);
    }
    store.save(&key, &nb.chapter, &path)?;
    eprintln!(
        "    published form: {} runs from a git dependency at {rev}",
        nb.chapter.display()
    );
    Ok(())
}
