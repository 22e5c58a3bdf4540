//! Expected outputs: a deterministic snippet's output is committed beside it
//! (`snippets/caching/lru_vs_fifo.stdout`), so a change in what the book shows is a change in
//! the diff of a pull request, never a silent drift.
//!
//! The committed text is the run's stdout made readable: tables as aligned text, Mermaid
//! diagrams as their source, and an SVG figure as one line with its size and a digest (the
//! numbers behind a chart are in a table of the same run). A snippet that prints timings
//! (`//! timing:` on its first line) has no expectation: its figures differ on every machine.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::project::Project;
use crate::snippets::Run;
use sysdesign::show::Rich;

/// Where a snippet's expected output lives: beside it, with the extension `.stdout`.
pub(crate) fn path_for(snippet: &Path) -> PathBuf {
    snippet.with_extension("stdout")
}

/// The readable form of a run's stdout that is committed and compared.
pub(crate) fn readable(stdout: &str) -> Result<String> {
    let mut out = String::new();
    for line in stdout.split_inclusive('\n') {
        match Rich::from_marker_line(line)? {
            None => out.push_str(line),
            Some(Rich::Table(table)) => out.push_str(&table.to_string()),
            Some(Rich::Mermaid { source }) => {
                let _ = writeln!(out, "```mermaid\n{}\n```", source.trim_end());
            }
            Some(Rich::Svg { name, caption, svg }) => {
                let digest: String = Sha256::digest(svg.as_bytes())
                    .iter()
                    .take(8)
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let _ = writeln!(
                    out,
                    "[figure {name}: {caption} (SVG, {} bytes, sha256 {digest}...)]",
                    svg.len()
                );
            }
        }
    }
    Ok(out)
}

/// How a run compares with its committed expectation.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The output is what was committed.
    Matches,
    /// A timing snippet: nothing is committed, nothing to compare.
    Timing,
    /// No `.stdout` file yet.
    Missing,
    /// The output differs; the text is a line diff, expected first.
    Differs(String),
}

/// Compares one snippet's run with its `.stdout` file.
pub(crate) fn compare(project: &Project, snippet: &Path, run: &Run) -> Result<Verdict> {
    let expected_path = project.root.join(path_for(snippet));
    if run.timing {
        if expected_path.exists() {
            bail!(
                "{} declares timings (`//! timing:`), so its output must not be committed: delete {}",
                snippet.display(),
                path_for(snippet).display()
            );
        }
        return Ok(Verdict::Timing);
    }
    let actual = readable(&run.stdout)?;
    let expected = match std::fs::read_to_string(&expected_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verdict::Missing),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", expected_path.display()));
        }
    };
    if expected == actual {
        return Ok(Verdict::Matches);
    }
    Ok(Verdict::Differs(line_diff(&expected, &actual)))
}

/// A unified line diff, `-` for the committed expectation and `+` for this run.
fn line_diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected (committed)", "actual (this run)")
        .to_string()
}

/// Writes each run's readable output as its expectation; refuses timing snippets.
/// Returns the files written.
pub(crate) fn bless(project: &Project, runs: &BTreeMap<PathBuf, Run>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (snippet, run) in runs {
        if run.timing {
            eprintln!(
                "sysdesign-book: {} reports timings (`//! timing:`); its output is never committed",
                snippet.display()
            );
            continue;
        }
        let path = path_for(snippet);
        let text = readable(&run.stdout)?;
        let full = project.root.join(&path);
        if std::fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&full, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// The failures of a set of comparisons, as one message naming each snippet, the diff and the
/// command that accepts the change; `Ok` when every snippet matches.
pub(crate) fn report(project: &Project, runs: &BTreeMap<PathBuf, Run>) -> Result<()> {
    let mut problems = Vec::new();
    for (snippet, run) in runs {
        match compare(project, snippet, run)? {
            Verdict::Matches | Verdict::Timing => {}
            Verdict::Missing => problems.push(format!(
                "{} has no expected output {}; if its output is right, accept it with:\n    cargo book bless {}",
                snippet.display(),
                path_for(snippet).display(),
                snippet.display()
            )),
            Verdict::Differs(diff) => problems.push(format!(
                "{} printed something else than {}:\n{}\nIf the change is intended, accept it with:\n    cargo book bless {}",
                snippet.display(),
                path_for(snippet).display(),
                diff.trim_end(),
                snippet.display()
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "{} snippet output(s) differ from their expectations:\n\n{}",
            problems.len(),
            problems.join("\n\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysdesign::show::Table;

    #[test]
    fn rich_items_become_readable_text() {
        let table = Rich::Table(Table::new(["k", "n"]).row(["a", "1"])).to_marker_line();
        let svg = Rich::Svg {
            name: "c".into(),
            caption: "a chart".into(),
            svg: "<svg/>".into(),
        }
        .to_marker_line();
        let text = readable(&format!("hello\n{table}{svg}")).unwrap();
        assert_eq!(
            text,
            "hello\nk  n\n-  -\na  1\n[figure c: a chart (SVG, 6 bytes, sha256 d4dc56669143034f...)]\n"
        );
    }

    /// The book's own snippets against their committed `.stdout` files: this is how `cargo test`
    /// notices that what the book shows has changed.
    #[test]
    fn every_snippet_prints_its_committed_expectation() {
        let project = Project::discover().expect("the test runs inside the repository");
        let runs = crate::preprocessor::book_runs(&project, &[]).expect("every snippet runs");
        if let Err(drift) = report(&project, &runs) {
            panic!("{drift:#}");
        }
    }

    #[test]
    fn a_diff_shows_both_sides() {
        let diff = line_diff("a\nb\nc\n", "a\nB\nc\n");
        assert!(diff.contains("-b\n") && diff.contains("+B\n"), "{diff}");
    }
}
