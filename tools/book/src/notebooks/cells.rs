//! Cutting a chapter into notebook cells: prose, examples and programs (see the parent module).
//!
//! Everything here is a pure function of the text it is given; reading files is the parent's job.

use anyhow::{Context, Result, bail};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use syn::spanned::Spanned;

use super::{Cell, Kind};
use crate::uses::Uses;

/// A piece of a chapter, before `{{#include}}` is expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Segment {
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
/// Directives are those that count on the page ([`crate::markdown`]): one in code, in a
/// comment or escaped is prose.
pub(super) fn segments(
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
    // The line of each directive that counts, with its text.
    let counted: BTreeMap<usize, &str> = crate::markdown::Markdown::read(text)
        .directives(&["run"])
        .into_iter()
        .filter(|d| !d.escaped)
        .map(|d| (d.line, d.text))
        .collect();
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
        if let Some((text, path)) = counted
            .get(&number)
            .and_then(|t| directives.get_key_value(*t))
        {
            if line.trim() != text {
                bail!(
                    "{}:{number}: write {text} alone on its line (the notebook puts the program in cells of its own)",
                    chapter.display()
                );
            }
            // A page may show one program at several anchors (`{{#run x.rs:budget}}`, then
            // `{{#run x.rs:alerts}}`); the notebook runs it once, at its first directive.
            if out
                .iter()
                .any(|s| matches!(s, Segment::Snippet { path: p, .. } if p == path))
            {
                continue;
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
pub(super) fn program_cells(file: &Path, first_line: usize, source: &str) -> Result<Vec<Cell>> {
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
pub(super) fn description(file: &Path, source: &str, after_another: bool) -> Cell {
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
pub(super) fn line_range(item: &syn::Item) -> (usize, usize) {
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
pub(super) struct ChapterSource {
    /// The chapter file, relative to the project root (`book/x/y.md`).
    pub(super) chapter: PathBuf,
    /// The chapter file, relative to the book's source folder (`x/y.md`).
    pub(super) in_book: PathBuf,
    /// The chapter's segments with `{{#include}}` expanded, as [`cells`] takes them.
    pub(super) segments: Vec<Segment>,
    /// The text of every snippet the chapter runs.
    pub(super) snippets: BTreeMap<PathBuf, String>,
}

/// The cells of a chapter, after the setup cell: a pure function of the chapter's segments, the
/// snippets' sources and the `:dep` lines of the setup.
///
/// Every program after the first starts with a cell that clears the kernel (`:clear`) and loads
/// the crates again (already compiled, so at once): each program is complete, and two programs
/// of a chapter often define the same names (`CAPACITY`, an `Op` enum) differently, which evcxr
/// would otherwise mix into one crate.
pub(super) fn cells(source: &ChapterSource, deps: &str) -> Result<Vec<Cell>> {
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

/// Where a notebook's first cell finds the library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// In a clone: the repository's root, seen from the notebook's own folder (`../../..`).
    Path(String),
    /// Anywhere: the repository at one commit, as a git dependency (the published site's form).
    Git {
        /// The repository, e.g. `https://github.com/sysdesign-book/sysdesign` or `file:///...`.
        url: String,
        /// The commit the site was built from.
        rev: String,
    },
    /// No location: the form the execution cache's key is computed from, so that a notebook
    /// executed in a clone is the same notebook as the one the site publishes.
    Canonical,
}

/// The `:dep` lines: the library with the features the chapter needs, and the other crates its
/// code names (with their specification from the root `Cargo.toml`).
pub(super) fn dep_lines(
    origin: &Origin,
    features: &[String],
    crates: &[(String, String)],
) -> String {
    let location = match origin {
        Origin::Path(to_root) => format!("path = {}", toml::Value::from(to_root.as_str())),
        Origin::Git { url, rev } => format!(
            "git = {}, rev = {}",
            toml::Value::from(url.as_str()),
            toml::Value::from(rev.as_str())
        ),
        Origin::Canonical => "path = \"(the library)\"".to_string(),
    };
    let features: Vec<toml::Value> = features
        .iter()
        .map(|f| toml::Value::from(f.as_str()))
        .collect();
    let mut text = format!(
        ":dep sysdesign = {{ {location}, default-features = false, features = {} }}",
        toml::Value::Array(features)
    );
    for (name, spec) in crates {
        text.push_str(&format!("\n:dep {name} = {spec}"));
    }
    text
}

/// The first code cell: the crates, and panics that fail the cell (evcxr otherwise catches
/// them and reports success).
pub(super) fn setup_cell(deps: &str) -> Cell {
    Cell {
        kind: Kind::Code,
        source: format!("{deps}\n:preserve_vars_on_panic 0"),
        origin: None,
    }
}

pub(super) fn about_cell(chapter: &Path, origin: &Origin) -> Cell {
    let whence = match origin {
        Origin::Path(to_root) => format!(
            "The first cell compiles the `sysdesign` library from `{to_root}`, the repository's \
             root seen from `target/notebooks/` in a clone (`cargo book notebooks` writes it there)."
        ),
        Origin::Git { url, rev } => format!(
            "The first cell compiles the `sysdesign` library from its repository ({url}) at the \
             commit this book was built from ({rev}), so the notebook runs wherever it is saved; \
             in a clone, `cargo book notebooks` writes copies that use your working tree instead."
        ),
        Origin::Canonical => String::new(),
    };
    Cell::markdown(&format!(
        "*This notebook is generated from `{}` by the book's tool. {whence} \
         Run the cells in order; each one after the setup can be edited and run again.*",
        chapter.display()
    ))
}

/// What the chapter's code names, through the one resolver ([`crate::uses`]): its runnable
/// examples (hidden lines included) and the snippets it runs.
pub(super) fn chapter_uses(source: &ChapterSource) -> Uses {
    let mut all = Uses::default();
    let examples = source.segments.iter().filter_map(|s| match s {
        Segment::Example { code, .. } => Some(unhide(code)),
        _ => None,
    });
    for code in examples.chain(source.snippets.values().cloned()) {
        all.merge(Uses::of_code(&code, "sysdesign"));
    }
    all
}

/// The crates of `[preprocessor.run] dependencies` that the chapter's code names (`lru::…`),
/// with their specification from the root `Cargo.toml`, as TOML.
pub(super) fn crates_used(
    uses: &Uses,
    allowed: &[String],
    specs: &toml::Table,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for name in allowed {
        if !uses.crates.contains(&name.replace('-', "_")) {
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
