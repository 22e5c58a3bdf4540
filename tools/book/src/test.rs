//! `cargo book test`: every check CI runs, in the order that fails fastest.

use anyhow::{Context, Result, bail};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::project::Project;
use crate::snippets::cargo;
use crate::{check, site};

/// Runs every check; stops at the first that fails.
pub fn run(project: &Project) -> Result<()> {
    let started = Instant::now();
    let snippet_files = snippet_files(project)?;

    step("cargo fmt --check", || {
        command(project, cargo(), ["fmt", "--all", "--", "--check"])
    })?;
    step("rustfmt --check on the snippets", || {
        let mut args: Vec<std::ffi::OsString> =
            vec!["--edition".into(), "2024".into(), "--check".into()];
        args.extend(snippet_files.iter().map(|p| p.clone().into_os_string()));
        command(project, "rustfmt", args)
    })?;
    step("cargo clippy (workspace, all targets, -D warnings)", || {
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
    step("cargo test --workspace", || {
        command(project, cargo(), ["test", "--workspace"])
    })?;
    step("Redis tests: a private redis-server per test", || {
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
    step("cargo doc (no warnings)", || {
        let mut cmd = Command::new(cargo());
        cmd.args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings");
        run_command(project, cmd)
    })?;
    let site = step("cargo book build", || site::build(project))?.site;
    step("cargo clippy on the snippets (-D warnings)", || {
        crate::snippets::lint(
            project,
            &project.run_settings()?,
            &crate::preprocessor::book_uses(project)?,
        )
    })?;
    step("internal links and anchors", || {
        let n = check::links(&site)?;
        eprintln!("    {n} internal links resolve");
        Ok(())
    })?;
    step("headless browser: pages load, diagrams render", || {
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
        Ok(())
    })?;
    step(
        "notebooks: every chapter executed with the evcxr kernel",
        || crate::notebooks::run::check(project, &site),
    )?;
    eprintln!(
        "\nsysdesign-book: every check passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    eprintln!("\n==> {name}");
    let started = Instant::now();
    let out = f().with_context(|| format!("check failed: {name}"))?;
    eprintln!("    ok ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(out)
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
