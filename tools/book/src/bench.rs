//! `cargo book bench`: runs the criterion benchmarks and regenerates the appendix page
//! `book/appendix/benchmarks.md`, a table of our implementations against well-known crates.
//!
//! # Which function is the baseline
//!
//! Within a criterion group, a function whose id starts with a crate path, such as
//! `lru::LruCache`, is a baseline: the part before the first `::` is a dependency of the
//! package that owns the benchmark (spelled as `use` spells it, `-` read as `_`), or one of
//! the language's own crates `std`, `core` and `alloc`. Every other function in the group is
//! ours and gets a row against each baseline of its group. The tool knows no crate by name:
//! the bench file and its `Cargo.toml` say everything.
//!
//! # Why median, and the range of a ratio
//!
//! The ratio is our median time over theirs, from criterion's `estimates.json`; the median
//! shrugs off the few slow samples that other work on a shared machine causes. Its range
//! divides the ends of the two 95 % confidence intervals (our lowest over their highest, our
//! highest over their lowest), so it is never narrower than the two measurements allow.
//!
//! Only results written during this run are read, so a renamed benchmark's stale folder under
//! `target/criterion` never reaches the page.
//!
//! # Interleaved comparisons
//!
//! Criterion measures one function to the end, then the next; load that comes and goes in
//! between lands on one side only. A bench can instead use the small harness in
//! `benches/interleaved/mod.rs`, which runs ours and theirs in alternating rounds, spread over
//! several fresh processes, and writes every round's time per iteration to
//! `target/interleaved/<name>.json`, in process order, with the number of processes and the load
//! average before and after. There each function says whether it is a baseline (the harness's
//! `baseline` or `ours`), since a baseline may be no crate at all (a read floor, or scikit-learn
//! driven in a Python worker). A round gives a paired ratio, ours over theirs measured moments
//! apart. One process gives one draw of memory layout, which can move a ratio by more than load
//! does, so the unit of the estimate is the process: each process's median ratio, and the page
//! shows the median of those with a 95 % confidence interval from their order statistics
//! (distribution-free), and each function's median time with its interval found the same way.
//! A comparison run in one process (`processes: 1`, or a file written before processes were
//! recorded) is estimated from its rounds instead.
//!
//! Any ratio whose range contains 1 is flagged on the page: the run cannot tell which is faster.
//!
//! # scikit-learn
//!
//! When the Python environment the tool manages for notebooks (`notebooks::run::cache_dir()`,
//! `venv/`) can import scikit-learn, the benches are run with `SYSDESIGN_PYTHON` set to its
//! Python, and `benches/classification_metrics.rs` adds scikit-learn as a baseline; the page
//! says which version, or that it was not measured and how to install it. The tool never
//! installs it: it is large, and only this one row needs it.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::project::Project;
use crate::snippets::cargo;

/// The generated page, relative to the root.
pub(crate) const PAGE: &str = "book/appendix/benchmarks.md";

/// Runs every bench target of the workspace, one after another, then rewrites [`PAGE`].
/// A failed benchmark leaves the page as it was.
pub(crate) fn run(project: &Project) -> Result<()> {
    let targets = bench_targets(project)?;
    if targets.is_empty() {
        bail!("the workspace has no bench target ([[bench]] in a Cargo.toml), so no page to make");
    }
    let load = load_average();
    let criterion = match std::env::var_os("CRITERION_HOME") {
        Some(dir) => project.root.join(dir),
        None => project.target_dir().join("criterion"),
    };
    let interleaved = project.target_dir().join("interleaved");
    let sklearn = find_sklearn();
    eprintln!("sysdesign-book: scikit-learn baseline: {}", sklearn.note());
    let run_started = std::time::Instant::now();
    let mut sections = Vec::new();
    for target in &targets {
        let command = format!("cargo bench -p {} --bench {}", target.package, target.name);
        eprintln!("\n==> {command}");
        let started = SystemTime::now();
        let mut cmd = Command::new(cargo());
        cmd.args(["bench", "-p", &target.package, "--bench", &target.name])
            .env("SYSDESIGN_INTERLEAVED_DIR", &interleaved)
            .current_dir(&project.root);
        if let Sklearn::Found { python, .. } = &sklearn {
            cmd.env("SYSDESIGN_PYTHON", python);
        }
        let status = cmd
            .status()
            .with_context(|| format!("cannot run {command}"))?;
        if !status.success() {
            bail!("{command} failed ({status}); {PAGE} is unchanged");
        }
        let results = read_results(&criterion, Some(started))?;
        let paired = read_interleaved(&interleaved, Some(started))?;
        if results.is_empty() && paired.is_empty() {
            eprintln!(
                "warning: {command} wrote no results under {} or {}; it is left out",
                project.relative(&criterion).display(),
                project.relative(&interleaved).display()
            );
            continue;
        }
        let mut section = compare(target.source.clone(), &results, &target.crates);
        section
            .rows
            .extend(paired.iter().flat_map(Interleaved::rows));
        sections.push(section);
    }
    if sections.iter().all(|s| s.rows.is_empty()) {
        bail!(
            "no benchmark group has both a baseline and one of ours, so {PAGE} is unchanged; \
             name the well-known crate's function by its path, e.g. `lru::LruCache` (see CONTRIBUTING.md)"
        );
    }
    let machine = Machine {
        cpu: std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| cpu_model(&info))
            .unwrap_or_else(|| format!("unknown ({})", std::env::consts::ARCH)),
        logical_cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        rustc: rustc_version(project)?,
        date: jiff::Timestamp::now().strftime("%Y-%m-%d").to_string(),
        load,
        load_after: load_average(),
        minutes: run_started.elapsed().as_secs_f64() / 60.0,
        sklearn: sklearn.note(),
    };
    let page = project.root.join(PAGE);
    write_atomically(&page, &render(&machine, &sections))?;
    let json = serde_json::to_string_pretty(&results(&machine, &sections))?;
    write_atomically(
        &project.root.join(crate::quote::RESULTS),
        &format!("{json}\n"),
    )?;
    eprintln!(
        "\nsysdesign-book: wrote {PAGE} and {}",
        crate::quote::RESULTS
    );
    for row in sections.iter().flat_map(|s| &s.rows) {
        eprintln!(
            "    {} / {}: {}",
            row.ours.function,
            row.baseline.function,
            row.ratio()
        );
    }
    Ok(())
}

/// A bench target of a workspace package, and the crates its baselines may come from.
#[derive(Debug)]
struct Target {
    package: String,
    name: String,
    /// The bench's source file, relative to the root, e.g. `benches/lru.rs`.
    source: PathBuf,
    /// The package's dependencies as `use` names them (`-` read as `_`).
    crates: BTreeSet<String>,
}

fn bench_targets(project: &Project) -> Result<Vec<Target>> {
    let meta = cargo_metadata::MetadataCommand::new()
        .cargo_path(cargo())
        .current_dir(&project.root)
        .no_deps()
        .exec()
        .context("cargo metadata failed")?;
    let mut targets = Vec::new();
    for package in meta.workspace_packages() {
        let crates: BTreeSet<String> = package
            .dependencies
            .iter()
            .map(|d| d.rename.as_ref().unwrap_or(&d.name).replace('-', "_"))
            .collect();
        for target in &package.targets {
            if target.is_bench() {
                targets.push(Target {
                    package: package.name.to_string(),
                    name: target.name.clone(),
                    source: project
                        .relative(target.src_path.as_std_path())
                        .to_path_buf(),
                    crates: crates.clone(),
                });
            }
        }
    }
    targets.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(targets)
}

fn rustc_version(project: &Project) -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .arg("--version")
        .current_dir(&project.root)
        .output()
        .with_context(|| format!("cannot run {} --version", rustc.to_string_lossy()))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// One benchmark as criterion measured it: one function (at one parameter) of one group.
#[derive(Clone, Debug)]
struct Measurement {
    group: String,
    function: String,
    /// The parameter of a `BenchmarkId`, if any; only functions at the same one are compared.
    value: Option<String>,
    /// Elements per iteration, when the group declared `Throughput::Elements`.
    elements: Option<u64>,
    median: Estimate,
    written: SystemTime,
}

/// A point estimate in nanoseconds with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Estimate {
    point: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct BenchmarkJson {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct EstimatesJson {
    median: EstimateJson,
}

#[derive(Deserialize)]
struct EstimateJson {
    point_estimate: f64,
    confidence_interval: IntervalJson,
}

#[derive(Deserialize)]
struct IntervalJson {
    lower_bound: f64,
    upper_bound: f64,
}

/// Reads every `<group>/<function>[/<value>]/new/` folder under `criterion`, keeping only
/// those whose estimates were written at or after `since`, in the order they were written.
fn read_results(criterion: &Path, since: Option<SystemTime>) -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    let mut stack = vec![criterion.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir == criterion => break,
            Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                if path.join("benchmark.json").is_file() {
                    out.push(read_measurement(&path)?);
                }
            } else if path.file_name().is_none_or(|n| n != "report") {
                stack.push(path);
            }
        }
    }
    out.retain(|m| since.is_none_or(|since| m.written >= since));
    out.sort_by(|a, b| (a.written, &a.group, &a.function).cmp(&(b.written, &b.group, &b.function)));
    Ok(out)
}

fn read_measurement(new: &Path) -> Result<Measurement> {
    let bench_file = new.join("benchmark.json");
    let bench: BenchmarkJson = read_json(&bench_file)?;
    let file = new.join("estimates.json");
    let estimates: EstimatesJson = read_json(&file)?;
    let written = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .with_context(|| format!("cannot read the time {} was written", file.display()))?;
    let m = estimates.median;
    let median = Estimate {
        point: m.point_estimate,
        lower: m.confidence_interval.lower_bound,
        upper: m.confidence_interval.upper_bound,
    };
    let ordered = median.lower <= median.point && median.point <= median.upper;
    if !(median.lower > 0.0 && median.upper.is_finite() && ordered) {
        bail!(
            "{}: the median {} ns with interval [{}, {}] is not a positive time inside its interval",
            file.display(),
            median.point,
            median.lower,
            median.upper
        );
    }
    let elements = bench
        .throughput
        .as_ref()
        .and_then(|t| t.get("Elements"))
        .and_then(serde_json::Value::as_u64)
        .filter(|&n| n > 0);
    Ok(Measurement {
        function: bench.function_id.unwrap_or_else(|| bench.group_id.clone()),
        group: bench.group_id,
        value: bench.value_str,
        elements,
        median,
        written,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not what criterion writes there (was it cut short, or written by another version?)",
            file.display()
        )
    })
}

/// Whether a function id names a well-known crate's item: `crate::Item`, where `crate` is one
/// of `crates` or the language's own `std`, `core`, `alloc`.
fn is_baseline(function: &str, crates: &BTreeSet<String>) -> bool {
    let Some((krate, _)) = function.split_once("::") else {
        return false;
    };
    let krate = krate.trim().replace('-', "_");
    matches!(krate.as_str(), "std" | "core" | "alloc") || crates.contains(&krate)
}

/// The one-minute load average, if the system reports one.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

/// Whether the tool's Python environment can run scikit-learn.
enum Sklearn {
    Found { python: PathBuf, versions: String },
    Missing { venv: String },
}

impl Sklearn {
    /// What the page says about the scikit-learn baseline.
    fn note(&self) -> String {
        match self {
            Sklearn::Found { versions, .. } => format!(
                "{versions}, from the Python environment the tool manages, measured as a baseline in `benches/classification_metrics.rs`"
            ),
            Sklearn::Missing { venv } => format!(
                "not measured: the Python environment the tool manages ({venv}) has no scikit-learn; \
                 `{venv}/bin/pip install scikit-learn` adds it, and the next `cargo book bench` measures it"
            ),
        }
    }
}

/// Looks for scikit-learn in the tool's virtual environment (never installs it).
fn find_sklearn() -> Sklearn {
    let venv = crate::notebooks::run::cache_dir().map(|dir| dir.join("venv"));
    let shown = |venv: &Path| match std::env::var_os("HOME") {
        Some(home) => match venv.strip_prefix(&home) {
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => venv.display().to_string(),
        },
        None => venv.display().to_string(),
    };
    let Ok(venv) = venv else {
        return Sklearn::Missing {
            venv: "~/.cache/sysdesign-book/venv".into(),
        };
    };
    let python = venv.join("bin").join("python");
    let out = Command::new(&python)
        .args([
            "-c",
            "import sklearn, numpy; print(f'scikit-learn {sklearn.__version__}, numpy {numpy.__version__}')",
        ])
        .output();
    match out {
        Ok(out) if out.status.success() => Sklearn::Found {
            python,
            versions: String::from_utf8_lossy(&out.stdout).trim().to_string(),
        },
        _ => Sklearn::Missing { venv: shown(&venv) },
    }
}

/// One interleaved comparison, as `benches/interleaved/mod.rs` writes it.
#[derive(Debug, Deserialize)]
struct Interleaved {
    group: String,
    elements: Option<u64>,
    rounds: usize,
    /// How many processes ran the rounds, each an equal share in order (1 when absent).
    #[serde(default = "one")]
    processes: usize,
    load_before: Option<String>,
    load_after: Option<String>,
    functions: Vec<InterleavedFunction>,
    #[serde(skip)]
    written: Option<SystemTime>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
struct InterleavedFunction {
    function: String,
    baseline: bool,
    samples_ns: Vec<f64>,
}

/// Reads every `*.json` directly under `dir` written at or after `since`, in the order written.
fn read_interleaved(dir: &Path, since: Option<SystemTime>) -> Result<Vec<Interleaved>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let written = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .with_context(|| format!("cannot read the time {} was written", path.display()))?;
        if since.is_some_and(|since| written < since) {
            continue;
        }
        let mut comparison: Interleaved = read_json(&path)?;
        comparison.written = Some(written);
        let (rounds, processes) = (comparison.rounds, comparison.processes);
        if processes == 0 || !rounds.is_multiple_of(processes) {
            bail!(
                "{}: {rounds} rounds cannot be shared equally by {processes} processes",
                path.display()
            );
        }
        for f in &comparison.functions {
            let good = f.samples_ns.len() == rounds
                && rounds > 0
                && f.samples_ns.iter().all(|&t| t > 0.0 && t.is_finite());
            if !good {
                bail!(
                    "{}: {:?} has {} samples for {rounds} rounds, or a time that is not positive",
                    path.display(),
                    f.function,
                    f.samples_ns.len()
                );
            }
        }
        out.push(comparison);
    }
    out.sort_by_key(|c| c.written);
    Ok(out)
}

impl Interleaved {
    /// The estimate from one value per round: the median and interval of the per-process
    /// medians when several processes ran, else of the rounds themselves.
    fn estimate(&self, per_round: &[f64]) -> Estimate {
        if self.processes == 1 {
            return median_interval(per_round);
        }
        let medians: Vec<f64> = per_round
            .chunks(self.rounds / self.processes)
            .map(|process| median_interval(process).point)
            .collect();
        median_interval(&medians)
    }

    /// One row per (ours, baseline) pair, with the paired ratio.
    fn rows(&self) -> Vec<Row> {
        let written = self.written.unwrap_or(SystemTime::UNIX_EPOCH);
        let measurement = |f: &InterleavedFunction| Measurement {
            group: self.group.clone(),
            function: f.function.clone(),
            value: None,
            elements: self.elements,
            median: self.estimate(&f.samples_ns),
            written,
        };
        let mut rows = Vec::new();
        for b in self.functions.iter().filter(|f| f.baseline) {
            for o in self.functions.iter().filter(|f| !f.baseline) {
                let ratios: Vec<f64> = (o.samples_ns.iter())
                    .zip(&b.samples_ns)
                    .map(|(o, b)| o / b)
                    .collect();
                rows.push(Row {
                    benchmark: self.group.clone(),
                    ours: measurement(o),
                    baseline: measurement(b),
                    paired: Some(Paired {
                        ratio: self.estimate(&ratios),
                        rounds: self.rounds,
                        processes: self.processes,
                        load_before: self.load_before.clone(),
                        load_after: self.load_after.clone(),
                    }),
                });
            }
        }
        rows
    }
}

/// The median of `samples` with a 95 % confidence interval from the order statistics: with `n`
/// samples, the `k`-th smallest and the `k`-th largest, for the largest `k` such that fewer than
/// `k` of `n` fair coin flips land heads with probability at most 2.5 %. It assumes nothing about
/// the distribution; with 5 samples or fewer no such `k` exists, and the interval is the whole range.
fn median_interval(samples: &[f64]) -> Estimate {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let point = if n.is_multiple_of(2) {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    } else {
        s[n / 2]
    };
    let mut k = 0;
    let mut p = 0.5f64.powi(n as i32); // P(heads = 0)
    let mut cdf = 0.0;
    for j in 0..n {
        cdf += p;
        if cdf > 0.025 {
            break;
        }
        k = j + 1;
        p *= (n - j) as f64 / (j + 1) as f64;
    }
    let (lower, upper) = if k == 0 {
        (s[0], s[n - 1])
    } else {
        (s[k - 1], s[n - k])
    };
    Estimate {
        point,
        lower,
        upper,
    }
}

/// One bench target's part of the page.
#[derive(Debug)]
struct Section {
    source: PathBuf,
    rows: Vec<Row>,
    /// Benchmarks (group, and parameter if any) with no baseline or nothing of ours.
    uncompared: Vec<String>,
}

/// One of ours against one baseline, in the same group at the same parameter.
#[derive(Debug)]
struct Row {
    benchmark: String,
    ours: Measurement,
    baseline: Measurement,
    /// Set when the two were measured in interleaved rounds.
    paired: Option<Paired>,
}

/// How an interleaved comparison went: the ratio's median and interval, the rounds and
/// processes it came from, and the load.
#[derive(Clone, Debug)]
struct Paired {
    ratio: Estimate,
    rounds: usize,
    processes: usize,
    load_before: Option<String>,
    load_after: Option<String>,
}

impl Row {
    /// Our time over theirs: for interleaved rounds the median of the per-round ratios with its
    /// confidence interval; otherwise our median over theirs, with the range the two
    /// confidence intervals allow.
    fn ratio_estimate(&self) -> Estimate {
        if let Some(paired) = &self.paired {
            return paired.ratio;
        }
        let (o, t) = (self.ours.median, self.baseline.median);
        Estimate {
            point: o.point / t.point,
            lower: o.lower / t.upper,
            upper: o.upper / t.lower,
        }
    }

    /// The ratio as the page writes it, flagged when its range contains 1.
    fn ratio(&self) -> String {
        let r = self.ratio_estimate();
        let flag = if r.lower <= 1.0 && 1.0 <= r.upper {
            " ⚠ range crosses 1"
        } else {
            ""
        };
        format!(
            "{} ({} to {}){flag}",
            ratio(r.point),
            ratio(r.lower),
            ratio(r.upper)
        )
    }

    /// How the pair was measured, for the page.
    fn how(&self) -> String {
        match &self.paired {
            Some(p) => {
                let rounds = match p.processes {
                    1 => format!("{} rounds", p.rounds),
                    n => format!("{n} processes × {} rounds", p.rounds / n),
                };
                format!(
                    "interleaved, {rounds}, load {} → {}",
                    p.load_before.as_deref().unwrap_or("?"),
                    p.load_after.as_deref().unwrap_or("?")
                )
            }
            None => "criterion, one after the other".into(),
        }
    }
}

fn compare(source: PathBuf, results: &[Measurement], crates: &BTreeSet<String>) -> Section {
    let mut benchmarks: Vec<(&str, Option<&str>)> = Vec::new();
    for m in results {
        let key = (m.group.as_str(), m.value.as_deref());
        if !benchmarks.contains(&key) {
            benchmarks.push(key);
        }
    }
    let mut section = Section {
        source,
        rows: Vec::new(),
        uncompared: Vec::new(),
    };
    for (group, value) in benchmarks {
        let name = match value {
            Some(v) => format!("{group} / {v}"),
            None => group.to_string(),
        };
        let members = results
            .iter()
            .filter(|m| m.group == group && m.value.as_deref() == value);
        let (baselines, ours): (Vec<_>, Vec<_>) =
            members.partition(|m| is_baseline(&m.function, crates));
        if baselines.is_empty() || ours.is_empty() {
            section.uncompared.push(name);
            continue;
        }
        for o in &ours {
            for b in &baselines {
                section.rows.push(Row {
                    benchmark: name.clone(),
                    ours: (*o).clone(),
                    baseline: (*b).clone(),
                    paired: None,
                });
            }
        }
    }
    section
}

/// Where and when the figures were measured.
#[derive(Debug)]
struct Machine {
    cpu: String,
    logical_cpus: usize,
    rustc: String,
    /// YYYY-MM-DD, UTC.
    date: String,
    /// The one-minute load average just before the run, if the system reports one.
    load: Option<String>,
    /// The same just after the last benchmark.
    load_after: Option<String>,
    /// How long the whole run took, in minutes.
    minutes: f64,
    /// Whether scikit-learn was measured, and which.
    sklearn: String,
}

/// The CPU's model name from the text of `/proc/cpuinfo` (x86 `model name`, or what ARM and
/// RISC-V kernels print instead).
fn cpu_model(cpuinfo: &str) -> Option<String> {
    [
        "model name",
        "Model",
        "Hardware",
        "uarch",
        "cpu model",
        "Processor",
    ]
    .iter()
    .find_map(|key| {
        cpuinfo.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == *key && !v.trim().is_empty()).then(|| v.trim().to_string())
        })
    })
}

/// The page, from the measurements and the machine; nothing here reads the clock or a file.
fn render(machine: &Machine, sections: &[Section]) -> String {
    let mut p = String::new();
    let w = &mut p;
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "<!-- Generated by `cargo book bench` (tools/book/src/bench.rs); edit that, not this file. -->\n"
    );
    let _ = writeln!(
        w,
        "*This page is generated: `cargo book bench` ran the benchmarks and wrote it on {} (UTC).\n\
         Do not edit it by hand; regenerate it as shown at the end.*\n",
        machine.date
    );
    let _ = writeln!(
        w,
        "Each row sets one of our implementations against a baseline doing the same job on the same input: a well-known crate, scikit-learn, or a floor such as one pass that only reads the input.\n\
         The ratio is our time divided by the baseline's: below 1 ours is faster, above 1 it is slower.\n\
         Where the two were measured by criterion one after the other, the ratio is of the two medians, and in brackets is the range the two measurements allow: our lowest over their highest, and our highest over their lowest, taking the ends of criterion's 95 % confidence intervals of the two medians.\n\
         Where they were measured interleaved (`benches/interleaved/mod.rs`), they took turns in rounds so that the machine's load hit both alike, and each round gave one ratio.\n\
         The rounds were spread over several fresh processes, because where code and data land in memory changes from one process to the next and can move a ratio by more than load does; the table shows the median of the processes' median ratios, and in brackets its 95 % confidence interval (with nine processes, the second lowest and second highest of the nine).\n\
         A ratio whose range contains 1 is flagged: that run cannot say which of the two is faster.\n\
         Times are per iteration of the benchmark, followed by the time per element where the group counts elements.\n"
    );
    let _ = writeln!(w, "## The machine\n");
    let _ = writeln!(w, "- CPU: {}", inline(&machine.cpu));
    let _ = writeln!(w, "- Logical CPUs available: {}", machine.logical_cpus);
    let _ = writeln!(w, "- Compiler: `{}`", machine.rustc.replace('`', "'"));
    let _ = writeln!(w, "- Date: {} (UTC)", machine.date);
    if let Some(load) = &machine.load {
        let _ = writeln!(
            w,
            "- Load average (one minute) when the run started: {}, when it ended: {}",
            inline(load),
            inline(machine.load_after.as_deref().unwrap_or("unknown"))
        );
    }
    let _ = writeln!(
        w,
        "- The whole run took {:.0} minutes",
        machine.minutes.max(1.0)
    );
    let _ = writeln!(w, "- scikit-learn: {}", machine.sklearn);
    let _ = writeln!(
        w,
        "\nThe figures come from one machine on one day, with whatever else it was running.\n\
         Absolute times will differ on yours; the ratios are what to compare.\n"
    );
    for section in sections {
        let source = section.source.display().to_string();
        let _ = writeln!(w, "## `{}`\n", source.replace('`', "'"));
        if !section.rows.is_empty() {
            let _ = writeln!(
                w,
                "| benchmark | ours | baseline | ours, median | baseline, median | ours / baseline | measured |"
            );
            let _ = writeln!(w, "| --- | --- | --- | ---: | ---: | ---: | --- |");
        }
        for row in &section.rows {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                inline(&row.benchmark),
                inline(&row.ours.function),
                inline(&row.baseline.function),
                time(&row.ours),
                time(&row.baseline),
                row.ratio(),
                inline(&row.how())
            );
        }
        if !section.uncompared.is_empty() {
            let names: Vec<String> = section.uncompared.iter().map(|n| inline(n)).collect();
            let _ = writeln!(
                w,
                "\nNot compared (no baseline, or nothing of ours, in the group): {}.",
                names.join("; ")
            );
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(w, "## Regenerate this page\n");
    let _ = writeln!(w, "```sh\ncargo book bench\n```\n");
    let _ = writeln!(
        w,
        "It runs each bench target of the workspace in turn (`cargo bench -p PACKAGE --bench NAME`), reads the estimates criterion wrote during that run (`target/criterion/GROUP/FUNCTION/new/estimates.json`), and rewrites this file, `{PAGE}`.\n\
         Which function of a group is the baseline is told by its name, such as `lru::LruCache`: `CONTRIBUTING.md` explains the convention.\n\
         Run it on an otherwise idle machine, and run it again if the ranges look wide."
    );
    p
}

/// The machine-readable results beside the page, which prose quotes with `{{#bench ...}}`:
/// per benchmark and baseline, the baseline's median and each of ours with its ratio.
fn results(machine: &Machine, sections: &[Section]) -> crate::quote::Results {
    use crate::quote::{Compared, Group, Results, Timing};
    let timing = |m: &Measurement| Timing {
        function: m.function.clone(),
        median_ns: m.median.point,
        interval_ns: [m.median.lower, m.median.upper],
    };
    let mut groups: Vec<Group> = Vec::new();
    for section in sections {
        for row in &section.rows {
            let r = row.ratio_estimate();
            let compared = Compared {
                timing: timing(&row.ours),
                ratio: r.point,
                ratio_interval: [r.lower, r.upper],
            };
            match groups.iter_mut().find(|g| {
                g.benchmark == row.benchmark && g.baseline.function == row.baseline.function
            }) {
                Some(g) => g.functions.push(compared),
                None => groups.push(Group {
                    benchmark: row.benchmark.clone(),
                    source: section.source.display().to_string(),
                    baseline: timing(&row.baseline),
                    functions: vec![compared],
                }),
            }
        }
    }
    Results {
        generated_by: "cargo book bench (tools/book/src/bench.rs); do not edit".into(),
        date: machine.date.clone(),
        machine: format!(
            "{}, {} logical CPUs, {}",
            machine.cpu, machine.logical_cpus, machine.rustc
        ),
        groups,
    }
}

/// The median time of one iteration, and per element when the group counts elements.
fn time(m: &Measurement) -> String {
    let per_iteration = duration(m.median.point);
    match m.elements {
        Some(n) => format!(
            "{per_iteration} ({} per element)",
            duration(m.median.point / n as f64)
        ),
        None => per_iteration,
    }
}

use crate::quote::{duration, ratio};

/// Text from a benchmark's name, safe inside a Markdown table cell: punctuation that Markdown,
/// HTML or mdBook's `{{#...}}` directives would read is escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '{' | '}' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().context("the page has a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let staging = path.with_extension("md.new");
    std::fs::write(&staging, text)
        .with_context(|| format!("cannot write {}", staging.display()))?;
    std::fs::rename(&staging, path)
        .with_context(|| format!("cannot move {} into place", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A criterion folder of our own, with results written by hand.
    struct Fixture {
        dir: PathBuf,
    }

    impl Fixture {
        fn new(name: &str) -> Fixture {
            let dir =
                std::env::temp_dir().join(format!("sysdesign-bench-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Fixture { dir }
        }

        /// Writes one function's `new/` folder; `at` is seconds after an arbitrary epoch, the
        /// time the estimates were written.
        fn result(&self, group: &str, function: &str, median: [f64; 3], at: u64) -> PathBuf {
            let new = self
                .dir
                .join(group.replace(['/', ':'], "_"))
                .join(function.replace(['/', ':'], "_"))
                .join("new");
            std::fs::create_dir_all(&new).unwrap();
            let bench = serde_json::json!({
                "group_id": group,
                "function_id": function,
                "value_str": null,
                "throughput": {"Elements": 1000},
                "full_id": format!("{group}/{function}"),
            });
            std::fs::write(new.join("benchmark.json"), bench.to_string()).unwrap();
            let [lower, point, upper] = median;
            let estimate = |p: f64| {
                serde_json::json!({
                    "confidence_interval": {"confidence_level": 0.95, "lower_bound": p * 0.9, "upper_bound": p * 1.1},
                    "point_estimate": p,
                    "standard_error": 1.0,
                })
            };
            let estimates = serde_json::json!({
                "mean": estimate(point),
                "median": {
                    "confidence_interval": {"confidence_level": 0.95, "lower_bound": lower, "upper_bound": upper},
                    "point_estimate": point,
                    "standard_error": 1.0,
                },
                "median_abs_dev": estimate(1.0),
                "slope": estimate(point),
                "std_dev": estimate(1.0),
            });
            let file = new.join("estimates.json");
            std::fs::write(&file, estimates.to_string()).unwrap();
            set_written(&file, at);
            new
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn epoch(at: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + at)
    }

    fn set_written(file: &Path, at: u64) {
        std::fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(epoch(at))
            .unwrap();
    }

    fn crates(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn machine() -> Machine {
        Machine {
            cpu: "Example CPU @ 3.00GHz".into(),
            logical_cpus: 2,
            rustc: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
            date: "2026-05-01".into(),
            load: Some("0.10".into()),
            load_after: Some("0.20".into()),
            minutes: 3.0,
            sklearn: "scikit-learn 1.9.1, numpy 2.4.6".into(),
        }
    }

    #[test]
    fn a_function_named_by_a_dependency_path_is_the_baseline() {
        let deps = crates(&["lru", "quick_cache"]);
        assert!(is_baseline("lru::LruCache", &deps));
        assert!(is_baseline("quick-cache::sync::Cache", &deps));
        assert!(is_baseline("std::collections::HashMap", &deps));
        assert!(!is_baseline("sysdesign::caching::Lru", &deps));
        assert!(!is_baseline("sysdesign Lru (SipHash)", &deps));
        assert!(!is_baseline("moka::sync::Cache", &deps), "not a dependency");
    }

    #[test]
    fn the_table_sets_each_of_ours_against_the_baseline_as_a_ratio_of_medians() {
        let fx = Fixture::new("table");
        let group = "get hit (1000 gets)";
        fx.result(group, "sysdesign Lru", [2900.0, 3000.0, 3100.0], 1);
        fx.result(
            group,
            "sysdesign Lru (foldhash)",
            [1900.0, 2000.0, 2100.0],
            2,
        );
        fx.result(group, "lru::LruCache", [1900.0, 2000.0, 2100.0], 3);
        fx.result("our policies only", "sysdesign Fifo", [10.0, 11.0, 12.0], 4);

        let results = read_results(&fx.dir, None).unwrap();
        let section = compare("benches/lru.rs".into(), &results, &crates(&["lru"]));
        assert_eq!(section.rows.len(), 2);
        assert_eq!(section.uncompared, ["our policies only"]);
        let page = render(&machine(), std::slice::from_ref(&section));

        // 3000 / 2000, between 2900 / 2100 and 3100 / 1900.
        assert!(
            page.contains(
                "| get hit (1000 gets) | sysdesign Lru | lru::LruCache | 3.00 µs (3.00 ns per element) \
                 | 2.00 µs (2.00 ns per element) | 1.50 (1.38 to 1.63) | criterion, one after the other |"
            ),
            "{page}"
        );
        assert!(page.contains("| sysdesign Lru (foldhash) | lru::LruCache |"));
        assert!(
            page.contains("| 1.00 (0.90 to 1.11) ⚠ range crosses 1 |"),
            "{page}"
        );
        assert!(page.contains("## `benches/lru.rs`"));
        assert!(page.contains(
            "Not compared (no baseline, or nothing of ours, in the group): our policies only."
        ));
        assert!(page.contains("wrote it on 2026-05-01 (UTC)"));
        for needle in [
            "Example CPU @ 3.00GHz",
            "Logical CPUs available: 2",
            "rustc 1.95.0",
        ] {
            assert!(page.contains(needle), "{needle}: {page}");
        }
        assert!(page.contains("```sh\ncargo book bench\n```"));

        // The same figures, machine-readable, as prose quotes them.
        let json = super::results(&machine(), &[section]);
        assert_eq!(json.groups.len(), 1, "one benchmark, one baseline");
        assert_eq!(json.groups[0].functions.len(), 2);
        assert_eq!(json.groups[0].baseline.median_ns, 2000.0);
        assert_eq!(
            json.quote("range get hit (1000 gets) | sysdesign Lru")
                .unwrap(),
            "1.50 (1.38 to 1.63)"
        );
    }

    #[test]
    fn rows_follow_the_order_the_benchmarks_ran_in() {
        let fx = Fixture::new("order");
        fx.result("b group", "ours", [1.0, 2.0, 3.0], 1);
        fx.result("b group", "lru::LruCache", [1.0, 2.0, 3.0], 2);
        fx.result("a group", "ours", [1.0, 2.0, 3.0], 3);
        fx.result("a group", "lru::LruCache", [1.0, 2.0, 3.0], 4);
        let results = read_results(&fx.dir, None).unwrap();
        let section = compare("benches/x.rs".into(), &results, &crates(&["lru"]));
        let order: Vec<&str> = section.rows.iter().map(|r| r.benchmark.as_str()).collect();
        assert_eq!(order, ["b group", "a group"]);
    }

    #[test]
    fn results_written_before_the_run_are_left_out() {
        let fx = Fixture::new("stale");
        fx.result("renamed long ago", "ours", [1.0, 2.0, 3.0], 1);
        fx.result("today", "ours", [1.0, 2.0, 3.0], 100);
        let results = read_results(&fx.dir, Some(epoch(50))).unwrap();
        let groups: Vec<&str> = results.iter().map(|m| m.group.as_str()).collect();
        assert_eq!(groups, ["today"]);
    }

    #[test]
    fn a_missing_criterion_folder_is_no_results() {
        let fx = Fixture::new("missing");
        assert!(
            read_results(&fx.dir.join("criterion"), None)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn truncated_estimates_fail_naming_the_file() {
        let fx = Fixture::new("truncated");
        let new = fx.result("g", "ours", [1.0, 2.0, 3.0], 1);
        std::fs::write(
            new.join("estimates.json"),
            r#"{"mean": {"confidence_interval""#,
        )
        .unwrap();
        let err = format!("{:#}", read_results(&fx.dir, None).unwrap_err());
        assert!(
            err.contains(&new.join("estimates.json").display().to_string()),
            "{err}"
        );
        assert!(err.contains("not what criterion writes"), "{err}");
    }

    #[test]
    fn an_estimate_outside_its_interval_fails_naming_the_file() {
        let fx = Fixture::new("nonsense");
        let new = fx.result("g", "ours", [5.0, 2.0, 3.0], 1);
        let err = format!("{:#}", read_results(&fx.dir, None).unwrap_err());
        assert!(
            err.contains(&new.join("estimates.json").display().to_string()),
            "{err}"
        );
        assert!(err.contains("not a positive time"), "{err}");
    }

    #[test]
    fn a_missing_estimates_file_fails_naming_it() {
        let fx = Fixture::new("no-estimates");
        let new = fx.result("g", "ours", [1.0, 2.0, 3.0], 1);
        std::fs::remove_file(new.join("estimates.json")).unwrap();
        let err = format!("{:#}", read_results(&fx.dir, None).unwrap_err());
        assert!(err.contains("cannot read"), "{err}");
        assert!(err.contains("estimates.json"), "{err}");
    }

    /// Writes an interleaved comparison as `benches/interleaved/mod.rs` does.
    fn interleaved(dir: &Path, name: &str, functions: &[(&str, bool, Vec<f64>)]) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let rounds = functions[0].2.len();
        let json = serde_json::json!({
            "group": name,
            "elements": 10,
            "rounds": rounds,
            "load_before": "3.50",
            "load_after": "4.25",
            "functions": functions.iter().map(|(f, baseline, samples)| serde_json::json!({
                "function": f,
                "baseline": baseline,
                "iterations_per_round": 7,
                "samples_ns": samples,
            })).collect::<Vec<_>>(),
        });
        let file = dir.join(format!("{}.json", name.replace(' ', "_")));
        std::fs::write(&file, json.to_string()).unwrap();
        file
    }

    #[test]
    fn an_interleaved_ratio_is_the_median_of_the_per_round_ratios() {
        let fx = Fixture::new("interleaved");
        // Load doubles both times in some rounds: the times swing, the per-round ratio does not.
        let theirs: Vec<f64> = (0..30)
            .map(|r| if r % 3 == 0 { 200.0 } else { 100.0 })
            .collect();
        let ours: Vec<f64> = theirs
            .iter()
            .enumerate()
            .map(|(r, t)| t * (0.5 + 0.001 * r as f64))
            .collect();
        let floor: Vec<f64> = (ours.iter().enumerate())
            .map(|(r, o)| o * (0.98 + 0.002 * r as f64))
            .collect();
        interleaved(
            &fx.dir,
            "contains",
            &[
                ("ours", false, ours),
                ("fastbloom::BloomFilter", true, theirs),
                ("a floor", true, floor),
            ],
        );
        let comparisons = read_interleaved(&fx.dir, None).unwrap();
        let rows: Vec<Row> = comparisons.iter().flat_map(Interleaved::rows).collect();
        assert_eq!(rows.len(), 2, "ours against each baseline");
        let r = rows[0].ratio_estimate();
        // Ratios 0.500 .. 0.529; the median is between the 15th and 16th, the interval the
        // 10th and 21st smallest.
        assert!((r.point - 0.5145).abs() < 1e-9, "{r:?}");
        assert!(
            (r.lower - 0.509).abs() < 1e-9 && (r.upper - 0.520).abs() < 1e-9,
            "{r:?}"
        );
        assert_eq!(rows[0].how(), "interleaved, 30 rounds, load 3.50 → 4.25");
        assert!(!rows[0].ratio().contains('⚠'), "{}", rows[0].ratio());
        assert!(
            rows[1].ratio().contains("⚠ range crosses 1"),
            "{}",
            rows[1].ratio()
        );
        let page = render(
            &machine(),
            &[Section {
                source: "benches/bloom_filters.rs".into(),
                rows,
                uncompared: vec![],
            }],
        );
        assert!(
            page.contains("| contains | ours | fastbloom::BloomFilter |"),
            "{page}"
        );
        assert!(
            page.contains("- scikit-learn: scikit-learn 1.9.1"),
            "{page}"
        );
    }

    #[test]
    fn an_interleaved_file_with_a_missing_round_fails_naming_it() {
        let fx = Fixture::new("interleaved-bad");
        let file = interleaved(
            &fx.dir,
            "short",
            &[
                ("ours", false, vec![1.0, 2.0]),
                ("x::Y", true, vec![1.0, 2.0]),
            ],
        );
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        json["rounds"] = 3.into();
        std::fs::write(&file, json.to_string()).unwrap();
        let err = format!("{:#}", read_interleaved(&fx.dir, None).unwrap_err());
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(err.contains("2 samples for 3 rounds"), "{err}");
    }

    #[test]
    fn with_processes_the_ratio_is_the_median_of_the_process_medians() {
        let fx = Fixture::new("interleaved-processes");
        // Nine processes of 5 rounds each. Within process k every ratio is near 0.9 + 0.05·k
        // (memory layout moves it), with one wild round; the rounds pooled would give a
        // narrow interval around the middle, but the estimate must come from the nine process
        // medians: 0.90, 0.95, ..., 1.30.
        let theirs = vec![100.0; 45];
        let ours: Vec<f64> = (0..45)
            .map(|r| {
                let process = (r / 5) as f64;
                let wild = if r % 5 == 0 { 3.0 } else { 1.0 };
                100.0 * (0.9 + 0.05 * process + 0.001 * (r % 5) as f64) * wild
            })
            .collect();
        let file = interleaved(
            &fx.dir,
            "hits",
            &[("ours", false, ours), ("lru::LruCache", true, theirs)],
        );
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        json["processes"] = 9.into();
        std::fs::write(&file, json.to_string()).unwrap();
        let comparisons = read_interleaved(&fx.dir, None).unwrap();
        let rows: Vec<Row> = comparisons.iter().flat_map(Interleaved::rows).collect();
        let r = rows[0].ratio_estimate();
        // Process k's median is its third smallest of five: 0.9 + 0.05k + 0.003.
        assert!((r.point - 1.103).abs() < 1e-9, "{r:?}");
        // With nine medians the interval is the second lowest and the second highest.
        assert!(
            (r.lower - 0.953).abs() < 1e-9 && (r.upper - 1.253).abs() < 1e-9,
            "{r:?}"
        );
        assert!(
            rows[0].ratio().contains("⚠ range crosses 1"),
            "{}",
            rows[0].ratio()
        );
        assert_eq!(
            rows[0].how(),
            "interleaved, 9 processes × 5 rounds, load 3.50 → 4.25"
        );
        // 46 rounds cannot be split over nine processes: the file is refused, by name.
        json["rounds"] = 46.into();
        json["functions"][0]["samples_ns"] = serde_json::json!(vec![1.0; 46]);
        json["functions"][1]["samples_ns"] = serde_json::json!(vec![1.0; 46]);
        std::fs::write(&file, json.to_string()).unwrap();
        let err = format!("{:#}", read_interleaved(&fx.dir, None).unwrap_err());
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(
            err.contains("46 rounds cannot be shared equally by 9 processes"),
            "{err}"
        );
    }

    #[test]
    fn the_median_interval_comes_from_order_statistics() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        // n = 10: P(at most 1 head) = 11/1024 ≤ 2.5 % < P(at most 2) = 56/1024, so k = 2.
        assert_eq!(
            median_interval(&ten),
            Estimate {
                point: 5.5,
                lower: 2.0,
                upper: 9.0
            }
        );
        let five = [3.0, 1.0, 2.0, 5.0, 4.0];
        assert_eq!(
            median_interval(&five),
            Estimate {
                point: 3.0,
                lower: 1.0,
                upper: 5.0
            }
        );
    }

    #[test]
    fn names_cannot_break_the_table_or_inject_html() {
        let fx = Fixture::new("escape");
        fx.result("a | b <script>", "ours_*x*", [1.0, 2.0, 3.0], 1);
        fx.result("a | b <script>", "lru::LruCache", [1.0, 2.0, 3.0], 2);
        let results = read_results(&fx.dir, None).unwrap();
        let page = render(
            &machine(),
            &[compare("benches/x.rs".into(), &results, &crates(&["lru"]))],
        );
        assert!(
            page.contains(r"| a \| b \<script\> | ours\_\*x\* |"),
            "{page}"
        );
        assert!(!page.contains("<script>"));
    }

    #[test]
    fn every_fence_of_the_page_has_a_language() {
        let page = render(&machine(), &[]);
        let mut open = false;
        for line in page.lines().filter(|l| l.starts_with("```")) {
            if !open {
                assert!(line.len() > 3, "an untagged fence: {page}");
            }
            open = !open;
        }
        assert!(!open, "every fence is closed");
    }

    #[test]
    fn the_cpu_model_comes_from_cpuinfo() {
        let x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n";
        assert_eq!(
            cpu_model(x86).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        let pi = "processor\t: 0\nBogoMIPS\t: 108.00\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
        assert_eq!(
            cpu_model(pi).as_deref(),
            Some("Raspberry Pi 4 Model B Rev 1.4")
        );
        assert_eq!(cpu_model("processor\t: 0\n"), None);
    }

    #[test]
    fn durations_keep_three_significant_figures() {
        assert_eq!(duration(12.345), "12.3 ns");
        assert_eq!(duration(676_942.7), "677 µs");
        assert_eq!(duration(3_210_000.0), "3.21 ms");
        assert_eq!(duration(2.5e9), "2.50 s");
    }
}
