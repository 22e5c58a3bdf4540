//! The `pages` preprocessor: what makes a page trustworthy to a reader, applied to every
//! chapter after the snippets ran.
//!
//! - `{{#bench ...}}` and `{{#value ...}}` quote figures from recorded runs ([`crate::quote`]);
//!   a benchmark figure typed by hand fails the build.
//! - `[Title]()` links to a planned chapter render "(planned)" ([`crate::planned`]).
//! - Correction callouts are rendered, and `{{#corrections}}` lists them all
//!   ([`crate::callouts`]).
//! - `{{#glossary}}` is checked against the bold terms of the chapters, and becomes the list
//!   of terms linked to their definition sites ([`crate::glossary`]).

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::callouts::{self, Callout};
use crate::glossary;
use crate::markdown::{Found, Markdown, escape_text};
use crate::planned::{self, Chapters};
use crate::project::Project;
use crate::quote::{self, Results};
use crate::snippets::Location;

/// Registered in code under the name of `[preprocessor.pages]` in `book.toml`.
pub(crate) struct Pages {
    project: Project,
}

impl Pages {
    /// The preprocessor for this project.
    pub(crate) fn new(project: Project) -> Self {
        Pages { project }
    }
}

/// The directive names this preprocessor expands (found by [`crate::markdown`]).
const BENCH: &str = "bench";
const VALUE: &str = "value";
const CORRECTIONS: &str = "corrections";
const GLOSSARY: &str = "glossary";

/// Whether `text` has a `{{#name}}` directive that counts and is not escaped.
fn has(text: &str, name: &str) -> bool {
    Markdown::read(text)
        .directives(&[name])
        .iter()
        .any(|f| !f.escaped)
}

/// `text` with each `{{#name}}` directive that counts replaced by `with` (escaped ones lose
/// their backslash).
fn replace_all(text: &str, name: &str, with: &str) -> String {
    Markdown::read(text)
        .expand(&[name], |_| Ok(with.to_string()))
        .expect("a fixed replacement never fails")
}

/// The snippet path and value name of `{{#value PATH NAME}}`.
fn value_args<'a>(found: &Found<'a>) -> Option<(&'a str, &'a str)> {
    let mut words = found.args.split_whitespace();
    let (path, name) = (words.next()?, words.next()?);
    let valid = words.next().is_none()
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((path, name))
}

/// The glossary page as written and what the chapters define.
struct Glossary {
    page: String,
    chapters: Vec<(PathBuf, String)>,
    terms: Vec<String>,
    sites: BTreeMap<String, glossary::Site>,
}

impl Preprocessor for Pages {
    fn name(&self) -> &str {
        "pages"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let results = Results::read(&self.project.root)?;
        let chapters = chapters(&book);

        // Checks on the chapters as written, before anything is expanded.
        let mut typed = Vec::new();
        for item in book.iter() {
            if let BookItem::Chapter(ch) = item
                && let Some(path) = &ch.source_path
            {
                let file = self.project.relative(&src_dir.join(path)).to_path_buf();
                let text = std::fs::read_to_string(src_dir.join(path))
                    .with_context(|| format!("cannot read {}", file.display()))?;
                if !path.starts_with("appendix") {
                    typed.extend(quote::hand_typed(&file, &text));
                }
            }
        }
        if !typed.is_empty() {
            bail!("{}", typed.join("\n"));
        }
        let glossary = self.glossary(&book, &src_dir)?;

        let values = self.values(&book, &src_dir)?;
        let mut collected: Vec<(String, PathBuf, Vec<Callout>)> = Vec::new();
        let mut failure: Option<anyhow::Error> = None;
        book.for_each_chapter_mut(|ch| {
            let Some(path) = ch.source_path.clone() else {
                return;
            };
            let file = self.project.relative(&src_dir.join(&path)).to_path_buf();
            let expanded = self
                .expand(&file, &ch.content, &chapters, &results, &values, true)
                .map(|(text, found)| {
                    collected.push((ch.name.clone(), path.clone(), found));
                    text
                });
            match expanded {
                Ok(text) => ch.content = text,
                Err(e) if failure.is_none() => failure = Some(e),
                Err(_) => {}
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        book.for_each_chapter_mut(|ch| {
            let Some(path) = &ch.source_path else {
                return;
            };
            if has(&ch.content, CORRECTIONS) {
                let list = callouts::appendix(path, &collected);
                // The callouts' own links to planned chapters render as they did in place.
                let list = planned::expand(path, &list, &chapters).unwrap_or(list);
                ch.content = replace_all(&ch.content, CORRECTIONS, &list);
            }
            if let Some(g) = &glossary {
                if has(&ch.content, GLOSSARY) {
                    let list = glossary::render(path, &g.page, &g.chapters);
                    ch.content = replace_all(&ch.content, GLOSSARY, &list);
                    // The entries as written are now the rendered list.
                    ch.content = ch
                        .content
                        .lines()
                        .filter(|l| glossary::entries(l).is_empty())
                        .collect::<Vec<_>>()
                        .join("\n");
                }
                let mine: Vec<&String> = g
                    .terms
                    .iter()
                    .filter(|t| g.sites.get(*t).is_some_and(|s| &s.chapter == path))
                    .collect();
                ch.content = glossary::mark_sites(&ch.content, &mine);
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

impl Pages {
    /// The glossary, checked against the chapters as written, if the book has a page with
    /// `{{#glossary}}`.
    fn glossary(&self, book: &Book, src_dir: &Path) -> Result<Option<Glossary>> {
        let mut page = None;
        let mut chapters = Vec::new();
        for item in book.iter() {
            if let BookItem::Chapter(ch) = item
                && let Some(path) = &ch.source_path
            {
                let text = std::fs::read_to_string(src_dir.join(path))
                    .with_context(|| format!("cannot read {}", path.display()))?;
                if has(&text, GLOSSARY) {
                    page = Some((path.clone(), text));
                } else if !path.starts_with("appendix") {
                    chapters.push((path.clone(), text));
                }
            }
        }
        let Some((path, page)) = page else {
            return Ok(None);
        };
        let shown_src = self.project.relative(src_dir).to_path_buf();
        glossary::check(&shown_src.join(&path), &page, &chapters, &shown_src)?;
        let terms = glossary::entries(&page)
            .into_iter()
            .map(|e| e.key)
            .collect();
        let sites = glossary::sites(&chapters);
        Ok(Some(Glossary {
            page,
            chapters,
            terms,
            sites,
        }))
    }

    /// One chapter's text with its callouts rendered, planned links marked, figures quoted and
    /// (for the site, `fold`) long library code folded.
    fn expand(
        &self,
        file: &Path,
        content: &str,
        chapters: &Chapters,
        results: &Results,
        values: &BTreeMap<(PathBuf, String), String>,
        fold: bool,
    ) -> Result<(String, Vec<Callout>)> {
        let (text, found) = callouts::expand(file, content)?;
        let text = planned::expand(file, &text, chapters)?;
        let text = if fold {
            fold_long_includes(&self.project.root, file, &text)
        } else {
            text
        };
        // A quoted figure is text wherever it stands: escaped, so what a run printed never
        // becomes a link, markup or a directive in the prose.
        let text = Markdown::read(&text).expand(&[BENCH, VALUE], |d| {
            let here = format!("{}:{}: {}", file.display(), d.line, d.text);
            if d.name == BENCH {
                return results
                    .quote(d.args)
                    .map(|q| escape_text(&q))
                    .with_context(|| here);
            }
            let (path, name) = value_args(d).with_context(|| {
                format!("{here}: write {{{{#value PATH NAME}}}}, NAME in letters, digits and _")
            })?;
            let snippet = resolve(file, path);
            values
                .get(&(snippet.clone(), name.to_string()))
                .map(|v| escape_text(v))
                .with_context(|| {
                    format!(
                        "{here}: {} printed no line `{name} = ...` (sysdesign::show::value)",
                        snippet.display(),
                    )
                })
        })?;
        Ok((text, found))
    }

    /// The values every `{{#value PATH name}}` of the book asks for, from the snippets' runs
    /// (cached: the `run` preprocessor has just run them).
    fn values(&self, book: &Book, src_dir: &Path) -> Result<BTreeMap<(PathBuf, String), String>> {
        let mut uses: BTreeMap<PathBuf, Vec<Location>> = BTreeMap::new();
        let mut wanted = Vec::new();
        for item in book.iter() {
            let BookItem::Chapter(ch) = item else {
                continue;
            };
            let Some(path) = &ch.source_path else {
                continue;
            };
            let file = self.project.relative(&src_dir.join(path)).to_path_buf();
            for d in Markdown::read(&ch.content).directives(&[VALUE]) {
                if d.escaped {
                    continue;
                }
                let line = d.line;
                let Some((path, name)) = value_args(&d) else {
                    bail!(
                        "{}:{line}: {}: write {{{{#value PATH NAME}}}}, NAME in letters, digits and _",
                        file.display(),
                        d.text
                    );
                };
                let snippet = resolve(&file, path);
                if !self.project.root.join(&snippet).is_file() {
                    bail!(
                        "{}:{line}: {} quotes {}, which does not exist",
                        file.display(),
                        d.text,
                        snippet.display()
                    );
                }
                uses.entry(snippet.clone()).or_default().push(Location {
                    file: file.clone(),
                    line,
                });
                wanted.push((snippet, name.to_string()));
            }
        }
        if uses.is_empty() {
            return Ok(BTreeMap::new());
        }
        let settings = self.project.run_settings()?;
        let (runs, _) = crate::preprocessor::get_or_run(&self.project, &settings, &uses)?;
        let mut out = BTreeMap::new();
        for (snippet, name) in wanted {
            if let Some(v) = runs
                .get(&snippet)
                .and_then(|r| quote::value(&r.stdout, &name))
            {
                out.insert((snippet, name), v);
            }
        }
        Ok(out)
    }
}

/// Library code longer than this many lines is folded, one click away, like a whole program.
pub(crate) const FOLD_INCLUDES_OVER: usize = 30;

static INCLUDE_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^(```+)[^\n]*\n\{\{#(?:include|rustdoc_include)\s+([^}\s:]+)(?::([A-Za-z0-9_-]+))?\s*\}\}\n```+[ \t]*$")
        .expect("valid pattern")
});

/// Wraps each fenced block that holds nothing but a `{{#include FILE:anchor}}` of more than
/// [`FOLD_INCLUDES_OVER`] lines in a `<details>` block that names the file, the anchor and the
/// length, so long library code does not bury the page. Shorter excerpts stay open.
fn fold_long_includes(root: &Path, chapter: &Path, text: &str) -> String {
    INCLUDE_BLOCK
        .replace_all(text, |caps: &regex::Captures| {
            let whole = caps[0].to_string();
            let file = resolve(chapter, &caps[2]);
            let Ok(source) = std::fs::read_to_string(root.join(&file)) else {
                return whole;
            };
            let lines = match caps.get(3) {
                Some(a) => crate::render::excerpt(&source, a.as_str())
                    .map_or(0, |e| e.lines().count()),
                None => crate::render::strip_anchor_lines(&source).lines().count(),
            };
            if lines <= FOLD_INCLUDES_OVER {
                return whole;
            }
            let what = match caps.get(3) {
                Some(a) => format!("<code>{}</code> in ", a.as_str()),
                None => String::new(),
            };
            format!(
                "<details class=\"library-code\">\n<summary>The library's code: {what}<code>{}</code> ({lines} lines)</summary>\n\n{whole}\n\n</details>",
                file.display()
            )
        })
        .into_owned()
}

/// What every chapter's notebook text draws on from the whole book (the figures its snippets
/// print, the benchmark results, the chapters written and planned): read once for all the
/// notebooks, not once for each, so generating them stays linear in the book's length.
pub(crate) struct NotebookTexts {
    pages: Pages,
    values: BTreeMap<(PathBuf, String), String>,
    results: Results,
    all: Chapters,
}

impl NotebookTexts {
    /// Reads the book-wide inputs (the snippets' runs come from the output cache).
    pub(crate) fn new(project: &Project, book: &Book, src_dir: &Path) -> Result<NotebookTexts> {
        let pages = Pages::new(project.clone());
        let values = pages.values(book, src_dir)?;
        Ok(NotebookTexts {
            pages,
            values,
            results: Results::read(&project.root)?,
            all: chapters(book),
        })
    }

    /// A chapter's text as its notebook shows it: figures quoted, planned links and callouts
    /// rendered as on the page (the notebook has the whole programs, so nothing is folded).
    /// `chapter` is the chapter's path relative to the root.
    pub(crate) fn text(
        &self,
        project: &Project,
        book: &Book,
        src_dir: &Path,
        chapter: &Path,
        text: &str,
    ) -> Result<String> {
        let all = &self.all;
        let mut text = self
            .pages
            .expand(chapter, text, all, &self.results, &self.values, false)?
            .0;
        // The generated appendices, as on their pages.
        let in_book = chapter
            .strip_prefix(project.relative(src_dir))
            .unwrap_or(chapter);
        if has(&text, CORRECTIONS) || has(&text, GLOSSARY) {
            let mut collected = Vec::new();
            let mut written = Vec::new();
            for item in book.iter() {
                if let BookItem::Chapter(ch) = item
                    && let Some(path) = &ch.source_path
                {
                    let file = project.relative(&src_dir.join(path)).to_path_buf();
                    collected.push((
                        ch.name.clone(),
                        path.clone(),
                        callouts::expand(&file, &ch.content)?.1,
                    ));
                    if !path.starts_with("appendix") {
                        written.push((path.clone(), ch.content.clone()));
                    }
                }
            }
            let list = callouts::appendix(in_book, &collected);
            let list = planned::expand(chapter, &list, all)?;
            text = replace_all(&text, CORRECTIONS, &list);
            if has(&text, GLOSSARY) {
                let list = glossary::render(in_book, &text, &written);
                text = replace_all(&text, GLOSSARY, &list)
                    .lines()
                    .filter(|l| glossary::entries(l).is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        Ok(text)
    }
}

/// The drafts and the written chapters of the book, by lower-cased title.
fn chapters(book: &Book) -> Chapters {
    let mut c = Chapters::default();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item {
            let key = ch.name.to_lowercase();
            match &ch.path {
                Some(p) => {
                    c.written.insert(key, p.display().to_string());
                }
                None => {
                    c.drafts.insert(key, ch.name.clone());
                }
            }
        }
    }
    c
}

/// A path written in `chapter` (relative to the root), resolved against its folder.
fn resolve(chapter: &Path, written: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in chapter
        .parent()
        .unwrap_or(Path::new(""))
        .join(written)
        .components()
    {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_lists_go_only_where_their_directive_counts() {
        assert!(has("# G\n\n{{#glossary}}\n", GLOSSARY));
        for text in [
            "```text\n{{#glossary}}\n```\n",
            "`{{#glossary}}`\n",
            "<!-- {{#glossary}} -->\n",
            "\\{{#glossary}}\n",
        ] {
            assert!(!has(text, GLOSSARY), "{text}");
        }
        assert_eq!(
            replace_all(
                "{{#corrections}}\n\n`{{#corrections}}` \\{{#corrections}}\n",
                CORRECTIONS,
                "LIST"
            ),
            "LIST\n\n`{{#corrections}}` {{#corrections}}\n"
        );
    }

    #[test]
    fn a_value_directive_names_a_path_and_a_value() {
        let args = |text: &str| {
            Markdown::read(text)
                .directives(&[VALUE])
                .first()
                .and_then(value_args)
                .map(|(p, n)| format!("{p} {n}"))
        };
        assert_eq!(
            args("{{#value ../x.rs opened_at}}").as_deref(),
            Some("../x.rs opened_at")
        );
        assert_eq!(args("{{#value ../x.rs}}"), None);
        assert_eq!(args("{{#value ../x.rs a b}}"), None);
        assert_eq!(args("{{#value ../x.rs a-b}}"), None);
    }
}
