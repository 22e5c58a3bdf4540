//! The `run` preprocessor: replaces each `{{#run PATH}}` directive with the snippet's code and
//! the output its run produced.
//!
//! It runs first, before mdBook's `links` (so a chapter's content is its file as written, and
//! errors carry the author's line numbers) and before `mermaid` (so diagrams printed by a run
//! become diagrams too). A directive counts only where Markdown shows it as text (see
//! [`crate::markdown`]); `\{{#run ...}}` is mdBook's escape, shown as the directive without
//! the backslash. Whatever we insert is escaped too, so a snippet that prints
//! `{{#include ...}}` cannot make mdBook include a file.

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use crate::project::Project;
use crate::project::Settings;
use crate::render;
use crate::snippets::{self, Directive, Location, Run};
use crate::{cache, expect};

/// Our preprocessor, registered in code under the name of `[preprocessor.run]` in `book.toml`.
pub(crate) struct RunSnippets {
    project: Project,
    stats: Arc<Mutex<RunStats>>,
}

impl RunSnippets {
    /// The preprocessor for this project; it records what it ran in `stats`.
    pub(crate) fn new(project: Project, stats: Arc<Mutex<RunStats>>) -> Self {
        RunSnippets { project, stats }
    }
}

impl Preprocessor for RunSnippets {
    fn name(&self) -> &str {
        "run"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let settings = Settings::from_config(&ctx.config)?;
        let src_dir = ctx.root.join(&ctx.config.book.src);

        let started = std::time::Instant::now();
        let per_chapter = directives(&self.project, &book, &src_dir)?;
        let uses = uses(&per_chapter);
        let (runs, mut stats) = get_or_run(&self.project, &settings, &uses)?;
        if let Err(drift) = expect::report(&self.project, &runs) {
            // Authors see drift while they write; `cargo test` is what fails on it.
            eprintln!("sysdesign-book: warning: {drift:#}");
        }
        let machine = render::machine();

        // Each chapter's rendered directives, by line and text.
        let mut replacements: BTreeMap<PathBuf, BTreeMap<(usize, String), String>> =
            BTreeMap::new();
        for (source_path, directives) in per_chapter {
            for d in directives {
                let run = &runs[&d.snippet];
                if !run.stderr.trim().is_empty() {
                    eprintln!(
                        "sysdesign-book: note: {} wrote to stderr (not shown in the book):\n{}",
                        d.snippet.display(),
                        run.stderr.trim_end()
                    );
                }
                let source = std::fs::read_to_string(self.project.root.join(&d.snippet))
                    .with_context(|| format!("cannot read {}", d.snippet.display()))?;
                let md = render::snippet(&d.snippet, d.anchor.as_deref(), &source, run, &machine)
                    .with_context(|| d.location.to_string())?;
                replacements
                    .entry(source_path.clone())
                    .or_default()
                    .insert((d.location.line, d.text), md);
            }
        }

        book.for_each_chapter_mut(|chapter| {
            let Some(source_path) = &chapter.source_path else {
                return;
            };
            let Some(rendered) = replacements.get(source_path) else {
                return;
            };
            // The directives that count, found as `directives` found them; nothing else
            // changes (the same text in code, a comment or escaped stays as it is).
            let markdown = crate::markdown::Markdown::read(&chapter.content);
            let expanded = markdown.expand(&["run"], |found| {
                Ok(rendered
                    .get(&(found.line, found.text.to_string()))
                    .cloned()
                    .unwrap_or_else(|| found.text.to_string()))
            });
            if let Ok(text) = expanded {
                chapter.content = text;
            }
        });
        stats.elapsed = started.elapsed();
        *self.stats.lock().expect("no other thread holds the stats") = stats;
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// Every directive of every chapter, by chapter (its path under the source folder).
///
/// The content must be the chapter as written (we run before `links`), so line numbers are the
/// author's; `{{#include}}` anchors are checked on the way.
pub(crate) fn directives(
    project: &Project,
    book: &Book,
    src_dir: &Path,
) -> Result<Vec<(PathBuf, Vec<Directive>)>> {
    let mut per_chapter = Vec::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(source_path) = &chapter.source_path else {
            continue;
        };
        let rel = project.relative(&src_dir.join(source_path)).to_path_buf();
        check_includes(project, &rel, &chapter.content)?;
        let directives = snippets::find_directives(project, &rel, &chapter.content)?;
        per_chapter.push((source_path.clone(), directives));
    }
    Ok(per_chapter)
}

/// Each snippet with the places that run it.
pub(crate) fn uses(per_chapter: &[(PathBuf, Vec<Directive>)]) -> BTreeMap<PathBuf, Vec<Location>> {
    let mut uses: BTreeMap<PathBuf, Vec<Location>> = BTreeMap::new();
    for d in per_chapter.iter().flat_map(|(_, ds)| ds) {
        uses.entry(d.snippet.clone())
            .or_default()
            .push(d.location.clone());
    }
    uses
}

/// Every snippet the book on disk runs (chapters as listed in `SUMMARY.md`), with the places
/// that run it.
pub(crate) fn book_uses(project: &Project) -> Result<BTreeMap<PathBuf, Vec<Location>>> {
    let book = mdbook_driver::MDBook::load(&project.root).context("cannot load the book")?;
    let src_dir = book.source_dir();
    Ok(uses(&directives(project, &book.book, &src_dir)?))
}

/// The book's snippets with their runs, from the cache or fresh. `only`, when not empty, keeps
/// just those snippets (paths as given on the command line, relative to the current folder).
pub(crate) fn book_runs(project: &Project, only: &[PathBuf]) -> Result<BTreeMap<PathBuf, Run>> {
    // The snippets' package, binaries and output cache are shared with builds: take turns.
    let _lock = crate::site::BuildLock::take(project)?;
    let mut uses = book_uses(project)?;
    if !only.is_empty() {
        let wanted: Vec<PathBuf> = only
            .iter()
            .map(|p| snippets::relative_snippet_path(project, p))
            .collect::<Result<_>>()?;
        for w in &wanted {
            if !uses.contains_key(w) {
                bail!(
                    "{} is not run by any chapter (no {{{{#run ...}}}} directive names it)",
                    w.display()
                );
            }
        }
        uses.retain(|k, _| wanted.contains(k));
    }
    let settings = project.run_settings()?;
    Ok(get_or_run(project, &settings, &uses)?.0)
}

/// Which snippets a build ran and which it took from the output cache, relative to the root.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunStats {
    /// Snippets compiled and run by this build.
    pub ran: Vec<PathBuf>,
    /// Snippets whose output came from the cache.
    pub cached: Vec<PathBuf>,
    /// Time spent on snippets in all: finding directives, the cache, compiling, running and
    /// rendering their output into the chapters.
    pub elapsed: std::time::Duration,
}

impl std::fmt::Display for RunStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (ran, cached) = (self.ran.len(), self.cached.len());
        write!(
            f,
            "{ran} of {} snippets run, {cached} cached; snippets took {:.2} s",
            ran + cached,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The runs of `uses`' snippets: from the cache where it has them, compiled and run otherwise
/// (and stored as each finishes). Says which were run and which were cached.
pub(crate) fn get_or_run(
    project: &Project,
    settings: &Settings,
    uses: &BTreeMap<PathBuf, Vec<Location>>,
) -> Result<(BTreeMap<PathBuf, Run>, RunStats)> {
    if uses.is_empty() {
        return Ok((BTreeMap::new(), RunStats::default()));
    }
    let inputs = cache::Inputs::read(project, settings)?;
    let mut runs = BTreeMap::new();
    let mut to_run = BTreeMap::new();
    let mut keys = BTreeMap::new();
    for (snippet, locations) in uses {
        let source = std::fs::read_to_string(project.root.join(snippet))
            .with_context(|| format!("{}: cannot read {}", locations[0], snippet.display()))?;
        let key = inputs.key(snippet, &source);
        match cache::load(project, snippet, &key, &source) {
            Some(run) => {
                runs.insert(snippet.clone(), run);
            }
            None => {
                to_run.insert(snippet.clone(), locations.clone());
            }
        }
        keys.insert(snippet.clone(), key);
    }
    let cached: Vec<PathBuf> = runs.keys().cloned().collect();
    let mut keep = |snippet: &Path, run: &Run, read: &[PathBuf]| {
        let reads = inputs.reads(project, snippet, read);
        cache::store(project, snippet, &keys[snippet], run, &reads)
    };
    let fresh = snippets::compile_and_run(project, settings, &to_run, &mut keep)?;
    let stats = RunStats {
        ran: fresh.keys().cloned().collect(),
        cached,
        ..RunStats::default()
    };
    runs.extend(fresh);
    Ok((runs, stats))
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\\)?\{\{#(?:include|rustdoc_include)\s+([^}\s]+)\s*\}\}")
        .expect("the include pattern is valid")
});

/// mdBook quietly includes nothing when an anchor is missing, so a renamed anchor would leave an
/// empty code block in the page. Every `{{#include file:anchor}}` must name a file that exists
/// and an anchor that the file marks with `ANCHOR: name`.
/// Whether `line` opens the region `anchor`, as mdBook reads a marker: the word after
/// `ANCHOR:`, so the marker can be a Rust comment (`// ANCHOR: name`) or, in a Markdown file,
/// an HTML comment (`<!-- ANCHOR: name -->`).
fn marks(line: &str, anchor: &str) -> bool {
    line.split_once("ANCHOR:").is_some_and(|(_, name)| {
        name.trim_start()
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()
            == Some(anchor)
    })
}

fn check_includes(project: &Project, chapter: &Path, text: &str) -> Result<()> {
    for caps in INCLUDE.captures_iter(text) {
        if caps.get(1).is_some() {
            continue;
        }
        let whole = caps.get(0).expect("group 0 always matches");
        let line = text[..whole.start()].matches('\n').count() + 1;
        let spec = &caps[2];
        let (file, anchor) = match spec.split_once(':') {
            Some((f, a)) => (f, Some(a)),
            None => (spec, None),
        };
        let path = chapter.parent().unwrap_or(Path::new("")).join(file);
        let Ok(source) = std::fs::read_to_string(project.root.join(&path)) else {
            bail!(
                "{}:{line}: {} includes {file:?}, which cannot be read",
                chapter.display(),
                whole.as_str()
            );
        };
        // A line number or range (`:10`, `:3:8`) needs no marker.
        if let Some(anchor) = anchor.filter(|a| !a.starts_with(|c: char| c.is_ascii_digit())) {
            let marked = source.lines().any(|l| marks(l, anchor));
            if !marked {
                bail!(
                    "{}:{line}: {file} has no `ANCHOR: {anchor}` marker (the include would be empty)",
                    chapter.display()
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::marks;

    #[test]
    fn an_anchor_is_the_word_after_the_colon_in_rust_or_html_comments() {
        assert!(marks("    // ANCHOR: lru_get", "lru_get"));
        assert!(marks("<!-- ANCHOR: after_example -->", "after_example"));
        assert!(!marks(
            "<!-- ANCHOR: after_example_two -->",
            "after_example"
        ));
        assert!(!marks("// ANCHOR_END: lru_get", "lru_get"));
        assert!(!marks("// the lru_get anchor", "lru_get"));
    }
}
