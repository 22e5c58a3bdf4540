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
//! beside each page of the site and links the page to it; `cargo book test` executes the site's
//! copies with the real kernel (see [`run`]), so the published notebooks carry their outputs.

mod cells;
pub mod run;

use anyhow::{Context, Result};
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem, Chapter};
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::project::Project;
use crate::snippets;
use cells::{
    ChapterSource, Segment, about_cell, cells, crates_used, dep_lines, segments, setup_cell,
};
#[cfg(test)]
use cells::{description, line_range, program_cells};

/// The kernelspec name that `evcxr_jupyter --install` registers.
pub const KERNEL: &str = "rust";

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
fn sources(project: &Project) -> Result<Vec<ChapterSource>> {
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
        let content =
            crate::pages::notebook_text(project, &book.book, &src_dir, &rel, &chapter.content)?;
        let directives = snippets::find_directives(project, &rel, &content)?;
        let mut by_text = BTreeMap::new();
        let mut texts = BTreeMap::new();
        for d in directives {
            let text = std::fs::read_to_string(project.root.join(&d.snippet))
                .with_context(|| format!("{}: cannot read {}", d.location, d.snippet.display()))?;
            texts.insert(d.snippet.clone(), text);
            by_text.insert(d.text, d.snippet);
        }
        found.push(ChapterSource {
            segments: segments(&rel, &content, &by_text)?,
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

/// Generates every chapter's notebook for the folder `out_dir` (nothing is written), at the
/// chapter's path in the book (`x/y.ipynb`): the `:dep` path of each is the project root seen
/// from the notebook's own folder.
///
/// With `index_copy`, the first chapter's notebook comes twice: also at the top of `out_dir`,
/// for the site's `index.html`, which mdBook renders from the first chapter (see [`with_link`]).
pub fn generate(project: &Project, out_dir: &Path, index_copy: bool) -> Result<Vec<Generated>> {
    let settings = project.run_settings()?;
    let specs = project.root_dependencies()?;
    let mut out = Vec::new();
    for (i, source) in sources(project)?.into_iter().enumerate() {
        let mut places = vec![source.in_book.with_extension("ipynb")];
        let nested = source
            .in_book
            .parent()
            .is_some_and(|p| !p.as_os_str().is_empty());
        if index_copy && i == 0 && nested {
            let name = source.in_book.file_name().expect("a chapter is a file");
            places.push(Path::new(name).with_extension("ipynb"));
        }
        let crates = crates_used(&source, &settings.dependencies, &specs)?;
        for relative in places {
            let folder = out_dir.join(&relative);
            let folder = folder.parent().expect("a notebook path has a folder");
            let to_root = relative_path(folder, &project.root);
            let deps = dep_lines(&to_root, &crates);
            let mut all = vec![setup_cell(&deps), about_cell(&source.chapter, &to_root)];
            all.extend(cells(&source, &deps)?);
            let text = to_text(&notebook_json(&source.chapter, &all))?;
            out.push(Generated {
                chapter: source.chapter.clone(),
                relative,
                cells: all,
                text,
            });
        }
    }
    Ok(out)
}

/// Writes the notebooks of [`generate`] under `out_dir`.
pub fn write(project: &Project, out_dir: &Path, index_copy: bool) -> Result<Vec<Generated>> {
    let generated = generate(project, out_dir, index_copy)?;
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
    let generated = write(project, &out_dir, false)?;
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
/// The link points at the notebook beside the page (`caching.ipynb` next to `caching.html`),
/// which `cargo book build` writes with the site and `cargo book test` replaces with the
/// executed one, so it never dangles.
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
///
/// The link is relative to the page's own folder and names the file alone: mdBook renders the
/// first chapter twice, as its page and as the site's `index.html` one folder up, with the same
/// content, and a bare file name is the one link that resolves from both (the first chapter's
/// notebook is published in both folders).
fn with_link(content: &str, chapter: &Path) -> String {
    let name = chapter.with_extension("ipynb");
    let name = name
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let href = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_");
    let link = format!(
        "<p class=\"notebook-link\"><a href=\"{href}\" download>Open as a notebook</a> \
         (Jupyter, Rust kernel evcxr)</p>\n\n"
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

/// Writes the notebooks into a built site, each beside its page, and the first chapter's also
/// beside `index.html`; returns their paths. The build calls it before the site is moved into
/// place; `cargo book test` calls it again on the built site and executes what it wrote.
pub fn publish(project: &Project, site: &Path) -> Result<Vec<PathBuf>> {
    Ok(write(project, site, true)?
        .iter()
        .map(|nb| site.join(&nb.relative))
        .collect())
}

#[cfg(test)]
mod tests;
