//! `cargo book test`: every check CI runs, in the order that fails fastest.

use anyhow::{Context, Result, bail};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::project::Project;
use crate::snippets::cargo;
use crate::{check, site};

/// Runs every check; stops at the first that fails. Ends with a table of the steps and their
/// wall times, also written to `target/book-test-times.json` (on failure too, up to the step
/// that failed).
pub(crate) fn run(project: &Project) -> Result<()> {
    let mut steps = Steps::default();
    let result = checks(project, &mut steps);
    steps.report(project, result.is_ok())?;
    result
}

fn checks(project: &Project, steps: &mut Steps) -> Result<()> {
    let snippet_files = snippet_files(project)?;

    steps.run("cargo fmt --check", || {
        command(project, cargo(), ["fmt", "--all", "--", "--check"])
    })?;
    steps.run("rustfmt --check on the snippets", || {
        let mut args: Vec<std::ffi::OsString> =
            vec!["--edition".into(), "2024".into(), "--check".into()];
        args.extend(snippet_files.iter().map(|p| p.clone().into_os_string()));
        command(project, "rustfmt", args)
    })?;
    steps.run("cargo clippy (workspace, all targets, -D warnings)", || {
        command(
            project,
            cargo(),
            [
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    steps.run("each library feature builds on its own", || {
        each_feature(project)
    })?;
    steps.run("cargo test --workspace", || {
        command(project, cargo(), ["test", "--workspace"])
    })?;
    steps.run("Redis tests: a private redis-server per test", || {
        let found = check::redis_server_or_install()?;
        eprintln!("    using {}", found.display());
        // Every test that needs Redis is `#[ignore = "needs redis-server"]` and named `redis_...`;
        // `--tests` leaves out the doctests (the chapters' `rust,ignore` blocks must not run),
        // and the filter leaves out the other ignored tests (the notebook step runs those).
        command(
            project,
            cargo(),
            [
                "test",
                "--workspace",
                "--tests",
                "--",
                "--ignored",
                "redis_",
            ],
        )
    })?;
    steps.run("cargo doc (no warnings)", || {
        let mut cmd = Command::new(cargo());
        cmd.args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings");
        run_command(project, cmd)
    })?;
    let site = steps.run("cargo book build", || site::build(project))?.site;
    steps.run("cargo clippy on the snippets (-D warnings)", || {
        crate::snippets::lint(
            project,
            &project.run_settings()?,
            &crate::preprocessor::book_uses(project)?,
        )
    })?;
    steps.run("internal links and anchors", || {
        let n = check::links(&site)?;
        eprintln!("    {n} internal links resolve");
        Ok(())
    })?;
    steps.run("headless browser: pages load, diagrams render", || {
        let chromium = check::chromium_or_install()?;
        let reports = check::browser(&chromium, &site, &project.target_dir())?;
        for r in reports.iter().filter(|r| r.diagrams > 0) {
            eprintln!(
                "    {}: {} of {} Mermaid diagrams drawn as SVG",
                r.page.display(),
                r.rendered,
                r.diagrams
            );
        }
        eprintln!("    {} pages loaded with no script error", reports.len());
        // The tool's own browser test of hostile output: ignored in plain `cargo test`, which
        // may have no Chromium.
        command(
            project,
            cargo(),
            [
                "test",
                "--package",
                "sysdesign-book",
                "--bin",
                "sysdesign-book",
                "--",
                "--ignored",
                "--exact",
                "hostile_tests::hostile_output_injects_nothing_in_chromium",
            ],
        )
    })?;
    let counts = steps.run(
        "notebooks: every chapter executed with the evcxr kernel, or reused",
        || crate::notebooks::run::check(project),
    )?;
    steps.note(counts.to_string());
    steps.run("cargo book build (the site with the executed notebooks)", || {
        let built = site::build(project)?;
        if !built.snippets.ran.is_empty() {
            bail!(
                "the second build ran {} snippet(s); nothing changed, so every output should be cached",
                built.snippets.ran.len()
            );
        }
        Ok(())
    })?;
    Ok(())
}

/// The library builds with no default feature, and with each feature alone, so a notebook
/// that asks for a few features compiles.
fn each_feature(project: &Project) -> Result<()> {
    let manifest = project.root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let doc: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
    let table = doc
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    crate::uses::Library::read(&project.root)?
        .check_module_features(&table)
        .with_context(|| format!("in {}", manifest.display()))?;
    let features: Vec<String> = table.keys().filter(|k| *k != "default").cloned().collect();
    let mut sets = vec![String::new()];
    sets.extend(features);
    for set in sets {
        eprintln!(
            "    sysdesign with {}",
            if set.is_empty() { "no feature" } else { &set }
        );
        command(
            project,
            cargo(),
            [
                "check",
                "--quiet",
                "--package",
                "sysdesign",
                "--lib",
                "--no-default-features",
                "--features",
                &set,
            ],
        )?;
    }
    Ok(())
}

/// The steps run so far, with their wall times.
#[derive(Default)]
struct Steps {
    done: Vec<StepTime>,
    notes: Vec<String>,
    started: Option<Instant>,
}

#[derive(serde::Serialize)]
struct StepTime {
    step: String,
    seconds: f64,
    ok: bool,
}

impl Steps {
    fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.started.get_or_insert_with(Instant::now);
        eprintln!("\n==> {name}");
        let started = Instant::now();
        let out = f().with_context(|| format!("check failed: {name}"));
        let seconds = started.elapsed().as_secs_f64();
        self.done.push(StepTime {
            step: name.to_string(),
            seconds,
            ok: out.is_ok(),
        });
        if out.is_ok() {
            eprintln!("    ok ({seconds:.1} s)");
        }
        out
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Prints the table and writes it as JSON.
    fn report(&self, project: &Project, passed: bool) -> Result<()> {
        let total = self.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        let width = self.done.iter().map(|s| s.step.len()).max().unwrap_or(4);
        eprintln!("\n{:width$}  {:>8}", "step", "seconds");
        for s in &self.done {
            let mark = if s.ok { "" } else { "  FAILED" };
            eprintln!("{:width$}  {:>8.1}{mark}", s.step, s.seconds);
        }
        eprintln!("{:width$}  {:>8.1}", "total", total);
        for note in &self.notes {
            eprintln!("{note}");
        }
        let path = project.target_dir().join("book-test-times.json");
        let json = serde_json::json!({
            "passed": passed,
            "total_seconds": total,
            "steps": self.done,
            "notes": self.notes,
            "machine": crate::render::machine(),
        });
        std::fs::create_dir_all(project.target_dir())?;
        std::fs::write(&path, serde_json::to_string_pretty(&json)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        if passed {
            eprintln!(
                "\nsysdesign-book: every check passed in {total:.0} s (times in {})",
                project.relative(&path).display()
            );
        }
        Ok(())
    }
}

fn command<I, S>(project: &Project, program: impl AsRef<OsStr>, args: I) -> Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args);
    run_command(project, cmd)
}

fn run_command(project: &Project, mut cmd: Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .current_dir(&project.root)
        .status()
        .with_context(|| format!("cannot run {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Every `.rs` file under `snippets/`.
fn snippet_files(project: &Project) -> Result<Vec<PathBuf>> {
    Ok(
        crate::project::files_with_extension(&project.root.join("snippets"), "rs")?
            .iter()
            .map(|p| project.relative(p).to_path_buf())
            .collect(),
    )
}
