//! Every chapter as a Jupyter notebook for the evcxr Rust kernel.
//!
//! A notebook is generated from the same source as its page, never edited by hand:
//! prose becomes Markdown cells (Mermaid fences included, which JupyterLab draws), every
//! `{{#run ...}}` snippet and every runnable ```` ```rust ```` example becomes code cells, and a
//! first cell loads the library with `:dep`.
//!
//! A snippet is a program, but a notebook has no `main`: its `use` lines, constants and helper
//! items become cells first (split where the author left a blank line between items), then the
//! body of `main` becomes one cell that a reader can edit and run again. The body stays whole
//! because evcxr compiles each cell on its own: a variable whose type is inferred from a later
//! statement (`let mut lru = Lru::new(3)`, typed by the `put` that follows) fails to compile when
//! that statement is in the next cell, and so does a variable that borrows another. Each code
//! cell records in its metadata the file and line it came from, so a failing cell can be traced
//! back to the snippet to fix.
//!
//! `cargo book notebooks` writes them to `target/notebooks/`; `cargo book build` puts a copy
//! into the site and links every page to it; `cargo book test` executes the site's copies with
//! the real kernel (see [`run`]).

pub mod run;

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem, Chapter};
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;
use syn::spanned::Spanned;

use crate::project::Project;
use crate::snippets;

/// The kernelspec name that `evcxr_jupyter --install` registers.
pub const KERNEL: &str = "rust";

/// Where the site keeps the notebooks, relative to its root.
pub const SITE_FOLDER: &str = "notebooks";

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Markdown: prose, diagrams, code that is shown but not run.
    Markdown,
    /// Rust (or evcxr commands) for the kernel.
    Code,
}

/// One notebook cell, and for code, the file and line its first line comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Markdown or code.
    pub kind: Kind,
    /// The cell's text, without a trailing newline.
    pub source: String,
    /// Where the code comes from, relative to the project root.
    pub origin: Option<snippets::Location>,
}

impl Cell {
    fn markdown(source: &str) -> Cell {
        Cell {
            kind: Kind::Markdown,
            source: source.trim_matches('\n').to_string(),
            origin: None,
        }
    }

    fn code(source: &str, file: &Path, line: usize) -> Cell {
        Cell {
            kind: Kind::Code,
            source: source.trim_matches('\n').to_string(),
            origin: Some(snippets::Location {
                file: file.to_path_buf(),
                line,
            }),
        }
    }
}

/// A piece of a chapter, before `{{#include}}` is expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// Markdown, including fences that do not run.
    Prose(String),
    /// A runnable ```` ```rust ```` block: its code (hidden lines still marked) and the chapter
    /// line of its first code line.
    Example { code: String, line: usize },
    /// A `{{#run}}` directive: the snippet it names and the chapter line it stands on.
    Snippet { path: PathBuf, line: usize },
}

/// Splits a chapter as written into prose, runnable examples and snippet directives.
///
/// `directives` maps each directive's exact text to its snippet; a directive must stand alone
/// on its line, as the book asks, so that the notebook can put the program in cells of its own.
fn segments(
    chapter: &Path,
    text: &str,
    directives: &BTreeMap<String, PathBuf>,
) -> Result<Vec<Segment>> {
    struct Fence {
        marker: char,
        len: usize,
        indent: usize,
        runnable: bool,
        line: usize,
        code: String,
    }
    let mut out = Vec::new();
    let mut prose = String::new();
    let mut fence: Option<Fence> = None;
    let flush = |out: &mut Vec<Segment>, prose: &mut String| {
        if !prose.trim().is_empty() {
            out.push(Segment::Prose(std::mem::take(prose)));
        }
        prose.clear();
    };
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let trimmed = line.trim_start();
        if let Some(f) = &mut fence {
            let closes = trimmed.starts_with(&f.marker.to_string().repeat(f.len))
                && trimmed.trim_end().chars().all(|c| c == f.marker);
            if closes {
                let f = fence.take().expect("inside a fence");
                if f.runnable {
                    flush(&mut out, &mut prose);
                    out.push(Segment::Example {
                        code: f.code,
                        line: f.line,
                    });
                } else {
                    prose.push_str(line);
                }
            } else if f.runnable {
                // Lines indented with the fence (in a list item) lose that indentation.
                let strip = line.len() - line.trim_start_matches(' ').len();
                f.code.push_str(&line[strip.min(f.indent)..]);
            } else {
                prose.push_str(line);
            }
            continue;
        }
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(marker) = marker {
            let len = trimmed.chars().take_while(|c| *c == marker).count();
            let info = trimmed[len..].trim();
            if len >= 3 && !(marker == '`' && info.contains('`')) {
                let runnable = is_runnable(info);
                fence = Some(Fence {
                    marker,
                    len,
                    indent: line.len() - trimmed.len(),
                    runnable,
                    line: number + 1,
                    code: String::new(),
                });
                if !runnable {
                    prose.push_str(line);
                }
                continue;
            }
        }
        let unescaped = |t: &str| {
            line.match_indices(t)
                .any(|(at, _)| !line[..at].ends_with('\\'))
        };
        if let Some((text, path)) = directives.iter().find(|(t, _)| unescaped(t)) {
            if line.trim() != text {
                bail!(
                    "{}:{number}: write {text} alone on its line (the notebook puts the program in cells of its own)",
                    chapter.display()
                );
            }
            flush(&mut out, &mut prose);
            out.push(Segment::Snippet {
                path: path.clone(),
                line: number,
            });
            continue;
        }
        prose.push_str(line);
    }
    if let Some(f) = fence {
        bail!(
            "{}:{}: this code block is never closed",
            chapter.display(),
            f.line - 1
        );
    }
    flush(&mut out, &mut prose);
    Ok(out)
}

/// Whether a fence's info string marks code that rustdoc runs, so the notebook runs it too.
fn is_runnable(info: &str) -> bool {
    let mut words = info
        .split(|c: char| c == ',' || c.is_whitespace() || c == '{' || c == '}')
        .filter(|w| !w.is_empty());
    words.next() == Some("rust")
        && !words.any(|w| ["ignore", "no_run", "compile_fail", "should_panic", "text"].contains(&w))
}

/// Rustdoc's hidden lines (`# ` and a lone `#`) are needed to run the code, so the notebook
/// keeps them, visible; `##` stands for a literal `#`.
fn unhide(code: &str) -> String {
    code.split_inclusive('\n')
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            let (head, rest) = line.split_at(indent);
            if let Some(after) = rest.strip_prefix("##") {
                format!("{head}#{after}")
            } else if let Some(after) = rest.strip_prefix("# ") {
                format!("{head}{after}")
            } else if rest.trim_end() == "#" {
                "\n".to_string()
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// The cells of one program: its items (use lines, constants, helpers) split at the author's
/// blank lines, then the body of `main` as one cell. The `//!` header is left out (see
/// [`description`]), and so are mdBook's `ANCHOR` marker lines.
///
/// `file` and `first_line` say where `source` starts, for the cells' origins. Code that has no
/// `fn main` (a rustdoc example written as statements) becomes one cell.
fn program_cells(file: &Path, first_line: usize, source: &str) -> Result<Vec<Cell>> {
    let Ok(parsed) = syn::parse_file(source) else {
        // Statements at the top level, as in most rustdoc examples: evcxr runs them as they are.
        return Ok(vec![Cell::code(source, file, first_line)]);
    };
    let Some(main) = parsed.items.iter().find_map(|item| match item {
        syn::Item::Fn(f) if f.sig.ident == "main" => Some(f),
        _ => None,
    }) else {
        return Ok(vec![Cell::code(source, file, first_line)]);
    };
    if let Some(attr) = parsed.attrs.iter().find(|a| !a.path().is_ident("doc")) {
        bail!(
            "{}:{}: a notebook cannot hold the inner attribute `#![{}]`",
            file.display(),
            first_line - 1 + attr.span().start().line,
            attr.path()
                .get_ident()
                .map_or("…".into(), |i| i.to_string())
        );
    }
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let header = lines
        .iter()
        .take_while(|l| l.trim_start().starts_with("//!") || l.trim().is_empty())
        .count();
    let mut cells = Vec::new();

    // Items other than `main`, in their order, split at blank lines between items.
    let item_ranges: Vec<(usize, usize)> = parsed.items.iter().map(line_range).collect();
    let main_range = line_range(&syn::Item::Fn(main.clone()));
    let outside: Vec<usize> = (header + 1..=lines.len())
        .filter(|n| !(main_range.0..=main_range.1).contains(n))
        .collect();
    let literal = literal_lines(source);
    for chunk in chunks(&lines, &outside, &item_ranges, &literal) {
        cells.push(Cell::code(&chunk.text, file, first_line - 1 + chunk.line));
    }

    // The body of `main`: the lines between its braces, in one cell (see the module's docs).
    let open = main.block.brace_token.span.open().start().line;
    let close = main.block.brace_token.span.close().start().line;
    if open == close {
        bail!(
            "{}:{}: write `fn main` with its body on lines of their own (run rustfmt)",
            file.display(),
            first_line - 1 + open
        );
    }
    let body: Vec<usize> = (open + 1..close).collect();
    for chunk in chunks(&lines, &body, &[(open + 1, close - 1)], &literal) {
        cells.push(Cell::code(&chunk.text, file, first_line - 1 + chunk.line));
    }
    Ok(cells)
}

/// A program's `//!` header as a Markdown cell that names the file.
fn description(file: &Path, source: &str, after_another: bool) -> Cell {
    let text: Vec<&str> = source
        .lines()
        .take_while(|l| l.trim_start().starts_with("//!") || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect();
    let text = text.join("\n");
    let label = file.display();
    let mut cell = format!("The program `{label}`");
    if !text.trim().is_empty() {
        cell.push_str(&format!(": {}", text.trim()));
    }
    if after_another {
        cell.push_str("\n\nIts first cell clears what the programs before it defined (`:clear`).");
    }
    Cell::markdown(&cell)
}

fn is_anchor(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("// ANCHOR:") || t.starts_with("// ANCHOR_END:")
}

/// The lines that continue a literal begun on an earlier line (a multi-line string).
fn literal_lines(source: &str) -> BTreeSet<usize> {
    fn walk(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<usize>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                proc_macro2::TokenTree::Literal(l) => {
                    let (start, end) = (l.span().start().line, l.span().end().line);
                    out.extend(start + 1..=end);
                }
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(tokens) = source.parse() {
        walk(tokens, &mut out);
    }
    out
}

/// The first and last line of an item, its attributes and doc comments included.
fn line_range(item: &syn::Item) -> (usize, usize) {
    let span = item.span();
    (span.start().line, span.end().line)
}

/// A run of lines that becomes one cell: its text, dedented, and its first line's number.
struct Chunk {
    text: String,
    line: usize,
}

/// Splits the given lines (1-based numbers, ascending) into chunks at each blank line that lies
/// outside every protected range (an item or a statement), so blank lines inside a function or
/// a loop never split it. A chunk of comments alone joins the chunk after it.
///
/// Lines that continue a multi-line literal (`literal`) keep their indentation: it is part of
/// the string.
fn chunks(
    lines: &[&str],
    numbers: &[usize],
    protected: &[(usize, usize)],
    literal: &BTreeSet<usize>,
) -> Vec<Chunk> {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new()];
    let mut previous: Option<usize> = None;
    for &n in numbers.iter().filter(|&&n| !is_anchor(lines[n - 1])) {
        let text = lines[n - 1];
        // A gap in the numbering (the lines of `main`, left out) splits like a blank line;
        // an anchor marker left out does not.
        let gap = previous.is_some_and(|p| (p + 1..n).any(|m| !is_anchor(lines[m - 1])));
        previous = Some(n);
        let inside = protected.iter().any(|&(a, b)| a <= n && n <= b);
        if (text.trim().is_empty() && !inside) || gap {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(Vec::new());
            }
            if text.trim().is_empty() && !inside {
                continue;
            }
        }
        groups.last_mut().expect("never empty").push(n);
    }
    groups.retain(|g| !g.is_empty());
    // Merge comment-only groups into the next one.
    let mut merged: Vec<Vec<usize>> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    for group in groups {
        let comments_only = group.iter().all(|&n| {
            let t = lines[n - 1].trim();
            t.is_empty() || t.starts_with("//")
        });
        pending.extend(group);
        if !comments_only {
            merged.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        match merged.last_mut() {
            Some(last) => last.extend(pending),
            None => merged.push(pending),
        }
    }
    merged
        .into_iter()
        .map(|group| {
            let indent = group
                .iter()
                .filter(|n| !literal.contains(n))
                .map(|&n| lines[n - 1])
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches(' ').len())
                .min()
                .unwrap_or(0);
            let mut text = String::new();
            for &n in &group {
                let l = lines[n - 1];
                if literal.contains(&n) {
                    text.push_str(l.trim_end_matches(['\n', '\r']));
                    text.push('\n');
                    continue;
                }
                let cut = indent.min(l.len() - l.trim_start_matches(' ').len());
                text.push_str(l[cut..].trim_end());
                text.push('\n');
            }
            Chunk {
                text,
                line: group[0],
            }
        })
        .collect()
}

/// Turns relative links to other chapters (`../x/y.md#z`) into links to their notebooks.
fn link_notebooks(markdown: &str) -> String {
    static MD_LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\]\(([^()\s:#]+)\.md(#[^()\s]*)?\)").expect("the link pattern is valid")
    });
    MD_LINK
        .replace_all(markdown, |c: &regex::Captures| {
            format!("]({}.ipynb{})", &c[1], c.get(2).map_or("", |m| m.as_str()))
        })
        .into_owned()
}

/// Everything one chapter's notebook is made from.
pub struct ChapterSource {
    /// The chapter file, relative to the project root (`book/x/y.md`).
    pub chapter: PathBuf,
    /// The chapter file, relative to the book's source folder (`x/y.md`).
    pub in_book: PathBuf,
    /// The chapter's segments with `{{#include}}` expanded, as [`cells`] takes them.
    segments: Vec<Segment>,
    /// The text of every snippet the chapter runs.
    pub snippets: BTreeMap<PathBuf, String>,
}

/// The cells of a chapter, after the setup cell: a pure function of the chapter's segments, the
/// snippets' sources and the `:dep` lines of the setup.
///
/// Every program after the first starts with a cell that clears the kernel (`:clear`) and loads
/// the crates again (already compiled, so at once): each program is complete, and two programs
/// of a chapter often define the same names (`CAPACITY`, an `Op` enum) differently, which evcxr
/// would otherwise mix into one crate.
fn cells(source: &ChapterSource, deps: &str) -> Result<Vec<Cell>> {
    let mut out = Vec::new();
    let mut code_seen = false;
    let reset = |out: &mut Vec<Cell>, code_seen: &mut bool| {
        if std::mem::replace(code_seen, true) {
            out.push(Cell {
                kind: Kind::Code,
                source: format!(":clear\n{deps}"),
                origin: None,
            });
        }
    };
    for segment in &source.segments {
        match segment {
            Segment::Prose(text) => out.push(Cell::markdown(&link_notebooks(text))),
            Segment::Example { code, line } => {
                let program = program_cells(&source.chapter, *line, &unhide(code))?;
                if program.len() > 1 {
                    reset(&mut out, &mut code_seen);
                }
                code_seen = true;
                out.extend(program);
            }
            Segment::Snippet { path, .. } => {
                let text = source
                    .snippets
                    .get(path)
                    .with_context(|| format!("no source for {}", path.display()))?;
                out.push(description(path, text, code_seen));
                reset(&mut out, &mut code_seen);
                out.extend(program_cells(path, 1, text)?);
            }
        }
    }
    Ok(out)
}

/// The `:dep` lines: the library from the repository and the crates the chapter's code names.
fn dep_lines(to_root: &str, crates: &[(String, String)]) -> String {
    let mut text = format!(":dep sysdesign = {{ path = \"{to_root}\" }}");
    for (name, spec) in crates {
        text.push_str(&format!("\n:dep {name} = {spec}"));
    }
    text
}

/// The first code cell: the crates, and panics that fail the cell (evcxr otherwise catches
/// them and reports success).
fn setup_cell(deps: &str) -> Cell {
    Cell {
        kind: Kind::Code,
        source: format!("{deps}\n:preserve_vars_on_panic 0"),
        origin: None,
    }
}

fn about_cell(chapter: &Path, to_root: &str) -> Cell {
    Cell::markdown(&format!(
        "*This notebook is generated from `{}` by `cargo book notebooks`, which writes it under \
         `target/notebooks/` in a clone of the book's repository. \
         The first cell compiles the `sysdesign` library from `{to_root}`, the repository's root \
         seen from there: elsewhere, set that path to your clone. \
         Run the cells in order; each one after the setup can be edited and run again. \
         Changes are lost when the notebook is generated again: save a copy to keep them.*",
        chapter.display()
    ))
}

/// The crates of `[preprocessor.run] dependencies` that the chapter's code names (`lru::…`),
/// with their specification from the root `Cargo.toml`, as TOML.
fn crates_used(
    source: &ChapterSource,
    allowed: &[String],
    specs: &toml::Table,
) -> Result<Vec<(String, String)>> {
    let code: Vec<&str> = source
        .segments
        .iter()
        .filter_map(|s| match s {
            Segment::Example { code, .. } => Some(code.as_str()),
            _ => None,
        })
        .chain(source.snippets.values().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    for name in allowed {
        let pattern = Regex::new(&format!(r"\b{}::", regex::escape(name)))
            .expect("an escaped crate name is a valid pattern");
        if !code.iter().any(|c| pattern.is_match(c)) {
            continue;
        }
        let spec = specs.get(name).with_context(|| {
            format!("book.toml allows the crate {name:?}, which Cargo.toml does not list")
        })?;
        let spec = match spec {
            toml::Value::String(version) => toml::Value::String(version.clone()).to_string(),
            toml::Value::Table(table) => {
                let mut inline = toml::Table::new();
                for (k, v) in table {
                    // Paths in Cargo.toml are relative to the root, not to the notebook.
                    if k != "path" && k != "workspace" {
                        inline.insert(k.clone(), v.clone());
                    }
                }
                toml::Value::Table(inline).to_string()
            }
            other => other.to_string(),
        };
        out.push((name.clone(), spec));
    }
    Ok(out)
}

/// The notebook's JSON (nbformat 4.5).
fn notebook_json(chapter: &Path, cells: &[Cell]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let id = format!("cell-{i:03}");
            let source = lines_of(&cell.source);
            match cell.kind {
                Kind::Markdown => json!({
                    "cell_type": "markdown",
                    "id": id,
                    "metadata": {},
                    "source": source,
                }),
                Kind::Code => {
                    let metadata = match &cell.origin {
                        Some(o) => json!({ "sysdesign": { "from": o.to_string() } }),
                        None => json!({}),
                    };
                    json!({
                        "cell_type": "code",
                        "execution_count": null,
                        "id": id,
                        "metadata": metadata,
                        "outputs": [],
                        "source": source,
                    })
                }
            }
        })
        .collect();
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": { "display_name": "Rust", "language": "rust", "name": KERNEL },
            "language_info": {
                "codemirror_mode": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "name": "Rust",
                "pygment_lexer": "rust",
                "version": "",
            },
            "sysdesign": { "chapter": chapter.display().to_string() },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    })
}

/// nbformat's usual multi-line string: one string per line, each but the last ending in `\n`.
fn lines_of(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// Serialises like Jupyter does (one-space indent, a final newline), so a notebook saved by
/// JupyterLab diffs cleanly against a generated one.
fn to_text(notebook: &Value) -> Result<String> {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(notebook, &mut ser).context("cannot write a notebook as JSON")?;
    out.push(b'\n');
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// One generated notebook.
pub struct Generated {
    /// The chapter, relative to the root (`book/x/y.md`).
    pub chapter: PathBuf,
    /// The notebook's path under its output folder (`x/y.ipynb`).
    pub relative: PathBuf,
    /// All its cells, the setup cell first.
    pub cells: Vec<Cell>,
    /// The `.ipynb` text.
    pub text: String,
}

/// Reads every chapter listed in `SUMMARY.md` with its snippets, `{{#include}}` expanded by
/// mdBook's own `links` preprocessor, as the page has it.
pub fn sources(project: &Project) -> Result<Vec<ChapterSource>> {
    let book =
        MDBook::load(&project.root).context("cannot load the book (book.toml, SUMMARY.md)")?;
    let src_dir = project.root.join(&book.config.book.src);
    let src_rel = project.relative(&src_dir).to_path_buf();
    let mut found: Vec<ChapterSource> = Vec::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(source_path) = &chapter.source_path else {
            continue;
        };
        let rel = src_rel.join(source_path);
        let directives = snippets::find_directives(project, &rel, &chapter.content)?;
        let mut by_text = BTreeMap::new();
        let mut texts = BTreeMap::new();
        for d in directives {
            let text = std::fs::read_to_string(project.root.join(&d.snippet))
                .with_context(|| format!("{}: cannot read {}", d.location, d.snippet.display()))?;
            texts.insert(d.snippet.clone(), text);
            by_text.insert(d.text, d.snippet);
        }
        found.push(ChapterSource {
            segments: segments(&rel, &chapter.content, &by_text)?,
            chapter: rel,
            in_book: source_path.clone(),
            snippets: texts,
        });
    }

    // Expand includes in every prose and example segment at once: each becomes a chapter of a
    // scratch book at the real chapter's path, so relative includes resolve as on the page.
    let mut scratch = Book::new();
    for source in &found {
        for segment in &source.segments {
            let text = match segment {
                Segment::Prose(t) | Segment::Example { code: t, .. } => t.clone(),
                Segment::Snippet { .. } => String::new(),
            };
            scratch.push_item(Chapter::new("segment", text, &source.in_book, Vec::new()));
        }
    }
    let ctx = PreprocessorContext::new(project.root.clone(), book.config.clone(), "html".into());
    let expanded = LinkPreprocessor::new()
        .run(&ctx, scratch)
        .context("mdBook's links preprocessor failed")?;
    let mut expanded = expanded.items.into_iter().filter_map(|item| match item {
        BookItem::Chapter(c) => Some(c.content),
        _ => None,
    });
    for source in &mut found {
        for segment in &mut source.segments {
            let text = expanded.next().expect("one scratch chapter per segment");
            match segment {
                Segment::Prose(t) | Segment::Example { code: t, .. } => *t = text,
                Segment::Snippet { .. } => {}
            }
        }
    }
    Ok(found)
}

/// Generates every chapter's notebook for the folder `out_dir` (nothing is written): the
/// `:dep` path of each is the project root relative to the notebook's own folder.
pub fn generate(project: &Project, out_dir: &Path) -> Result<Vec<Generated>> {
    let settings = project.run_settings()?;
    let specs = project.root_dependencies()?;
    let mut out = Vec::new();
    for source in sources(project)? {
        let relative = source.in_book.with_extension("ipynb");
        let folder = out_dir.join(&relative);
        let folder = folder.parent().expect("a notebook path has a folder");
        let to_root = relative_path(folder, &project.root);
        let crates = crates_used(&source, &settings.dependencies, &specs)?;
        let deps = dep_lines(&to_root, &crates);
        let mut all = vec![setup_cell(&deps), about_cell(&source.chapter, &to_root)];
        all.extend(cells(&source, &deps)?);
        let text = to_text(&notebook_json(&source.chapter, &all))?;
        out.push(Generated {
            chapter: source.chapter,
            relative,
            cells: all,
            text,
        });
    }
    Ok(out)
}

/// Writes every chapter's notebook under `out_dir`, mirroring the chapters' folders.
pub fn write(project: &Project, out_dir: &Path) -> Result<Vec<Generated>> {
    let generated = generate(project, out_dir)?;
    for nb in &generated {
        let path = out_dir.join(&nb.relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &nb.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(generated)
}

/// `cargo book notebooks`: writes them to `target/notebooks/` and says where.
pub fn command(project: &Project) -> Result<()> {
    let out_dir = project.target_dir().join("notebooks");
    let generated = write(project, &out_dir)?;
    for nb in &generated {
        let code = nb.cells.iter().filter(|c| c.kind == Kind::Code).count();
        eprintln!(
            "sysdesign-book: {} ({code} code cells) from {}",
            project.relative(&out_dir.join(&nb.relative)).display(),
            nb.chapter.display()
        );
    }
    eprintln!(
        "sysdesign-book: open {} in JupyterLab with the Rust (evcxr) kernel",
        project.relative(&out_dir).display()
    );
    Ok(())
}

/// `to` relative to the folder `from`, both absolute (`../../..` from `target/notebooks/x`).
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The preprocessor that puts an "Open as a notebook" link under each chapter's title.
///
/// The link points into the site's `notebooks/` folder, which `cargo book build` fills with
/// the generated notebooks and `cargo book test` replaces with executed ones, so it never
/// dangles.
pub struct PageLink;

impl Preprocessor for PageLink {
    fn name(&self) -> &str {
        "notebook-link"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        book.for_each_chapter_mut(|chapter| {
            if let Some(path) = &chapter.path {
                chapter.content = with_link(&chapter.content, path);
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// The chapter with the link after its first `# ` title (or at the top when it has none).
fn with_link(content: &str, chapter: &Path) -> String {
    let depth = chapter.components().count().saturating_sub(1);
    let href = format!(
        "{}{SITE_FOLDER}/{}",
        "../".repeat(depth),
        chapter.with_extension("ipynb").display()
    );
    let link = format!(
        "<p class=\"notebook-link\"><a href=\"{href}\" download>Open as a notebook</a> \
         (Jupyter, Rust kernel evcxr; see the introduction)</p>\n\n"
    );
    let mut at = 0;
    for line in content.split_inclusive('\n') {
        at += line.len();
        if line.starts_with("# ") {
            return format!("{}\n{link}{}", &content[..at], &content[at..]);
        }
    }
    format!("{link}{content}")
}

/// Writes the generated notebooks into a built site's `notebooks/` folder (called by the build
/// before the site is moved into place).
pub fn publish(project: &Project, site: &Path) -> Result<()> {
    write(project, &site.join(SITE_FOLDER)).map(|_| ())
}

#[cfg(test)]
mod tests;
