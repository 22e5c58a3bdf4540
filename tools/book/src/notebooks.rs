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
pub(crate) mod executed;
pub(crate) mod run;

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
use crate::uses::Library;
pub(crate) use cells::Origin;
use cells::{
    ChapterSource, Segment, about_cell, cells, chapter_uses, crates_used, dep_lines, segments,
    setup_cell,
};
#[cfg(test)]
use cells::{description, line_range, program_cells};

/// The kernelspec name that `evcxr_jupyter --install` registers.
pub(crate) const KERNEL: &str = "rust";

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Markdown: prose, diagrams, code that is shown but not run.
    Markdown,
    /// Rust (or evcxr commands) for the kernel.
    Code,
}

/// One notebook cell, and for code, the file and line its first line comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
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
pub(crate) struct Generated {
    /// The chapter, relative to the root (`book/x/y.md`).
    pub chapter: PathBuf,
    /// The notebook's path under its output folder (`x/y.ipynb`).
    pub relative: PathBuf,
    /// All its cells, the setup cell first.
    pub cells: Vec<Cell>,
    /// The `.ipynb` text.
    pub text: String,
    /// The execution cache's key: what executing this notebook depends on.
    pub key: String,
}

/// Reads every chapter listed in `SUMMARY.md` with its snippets, `{{#include}}` expanded by
/// mdBook's own `links` preprocessor, as the page has it.
fn sources(project: &Project, book: &MDBook) -> Result<Vec<ChapterSource>> {
    let src_dir = project.root.join(&book.config.book.src);
    let src_rel = project.relative(&src_dir).to_path_buf();
    let mut found: Vec<ChapterSource> = Vec::new();
    let notebook_texts = crate::pages::NotebookTexts::new(project, &book.book, &src_dir)?;
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(source_path) = &chapter.source_path else {
            continue;
        };
        let rel = src_rel.join(source_path);
        let content = notebook_texts.text(project, &book.book, &src_dir, &rel, &chapter.content)?;
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

impl Origin {
    /// The published site's form: the repository that the root `Cargo.toml` names, at the
    /// commit checked out here, so a notebook downloaded from the site runs wherever it is
    /// saved. Outside a git checkout (or with no repository named), the path form instead.
    pub(crate) fn published(project: &Project) -> Result<Origin> {
        let manifest = project.root.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        let doc: toml::Table = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
        let url = ["workspace", "package"]
            .iter()
            .try_fold(&doc, |t, k| t.get(*k).and_then(toml::Value::as_table))
            .or_else(|| doc.get("package").and_then(toml::Value::as_table))
            .and_then(|t| t.get("repository"))
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        Ok(match (url, head_commit(project)) {
            (Some(url), Some(rev)) => Origin::Git { url, rev },
            _ => Origin::Path(String::new()),
        })
    }
}

/// The commit checked out at the root (`git rev-parse HEAD`), if it is a git checkout.
pub(crate) fn head_commit(project: &Project) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "HEAD"])
        .current_dir(&project.root)
        .output()
        .ok()?;
    let rev = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && rev.len() == 40).then_some(rev)
}

/// Loads the book as written (for the commands that have not loaded it already).
pub(crate) fn load_book(project: &Project) -> Result<MDBook> {
    MDBook::load(&project.root).context("cannot load the book (book.toml, SUMMARY.md)")
}

/// Generates every chapter's notebook for the folder `out_dir` (nothing is written), at the
/// chapter's path in the book (`x/y.ipynb`), with its first cell finding the library as
/// `origin` says ([`Origin::Path`]'s folder is recomputed for each notebook's own folder).
///
/// With `index_copy`, the first chapter's notebook comes twice: also at the top of `out_dir`,
/// for the site's `index.html`, which mdBook renders from the first chapter (see [`with_link`]).
pub(crate) fn generate(
    project: &Project,
    book: &MDBook,
    out_dir: &Path,
    index_copy: bool,
    origin: &Origin,
) -> Result<Vec<Generated>> {
    let settings = project.run_settings()?;
    let specs = project.root_dependencies()?;
    let library = Library::read(&project.root)?;
    let common = executed::common_key(project)?;
    let mut out = Vec::new();
    for (i, source) in sources(project, book)?.into_iter().enumerate() {
        let mut places = vec![source.in_book.with_extension("ipynb")];
        let nested = source
            .in_book
            .parent()
            .is_some_and(|p| !p.as_os_str().is_empty());
        if index_copy && i == 0 && nested {
            let name = source.in_book.file_name().expect("a chapter is a file");
            places.push(Path::new(name).with_extension("ipynb"));
        }
        let uses = chapter_uses(&source);
        let crates = crates_used(&uses, &settings.dependencies, &specs)?;
        let features: Vec<String> = library.features_used_by(&uses).into_iter().collect();
        // The key is computed from the cells with no location in them, so every copy of the
        // chapter's notebook (in a clone, on the site) shares one execution.
        let canonical = dep_lines(&Origin::Canonical, &features, &crates);
        let mut key_cells = vec![setup_cell(&canonical)];
        key_cells.extend(cells(&source, &canonical)?);
        let modules = library.modules_used_by(&uses);
        let key = executed::key(
            &common,
            &source.chapter,
            &key_cells,
            library.files_of(&modules),
        );
        for relative in places {
            let origin = match origin {
                Origin::Path(_) => {
                    let folder = out_dir.join(&relative);
                    let folder = folder.parent().expect("a notebook path has a folder");
                    Origin::Path(relative_path(folder, &project.root))
                }
                other => other.clone(),
            };
            let deps = dep_lines(&origin, &features, &crates);
            let mut all = vec![setup_cell(&deps), about_cell(&source.chapter, &origin)];
            all.extend(cells(&source, &deps)?);
            let text = to_text(&notebook_json(&source.chapter, &all))?;
            out.push(Generated {
                chapter: source.chapter.clone(),
                relative,
                cells: all,
                text,
                key: key.clone(),
            });
        }
    }
    Ok(out)
}

/// Writes the notebooks of [`generate`] under `out_dir`.
pub(crate) fn write(generated: &[Generated], out_dir: &Path) -> Result<()> {
    for nb in generated {
        write_file(&out_dir.join(&nb.relative), &nb.text)?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// `cargo book notebooks`: writes them to `target/notebooks/` and says where.
/// The book as written and its notebooks in the clone's form, for `target/notebooks/` (the
/// folder is returned too).
pub(crate) fn for_clone(project: &Project) -> Result<(MDBook, PathBuf, Vec<Generated>)> {
    let out_dir = project.target_dir().join("notebooks");
    let book = load_book(project)?;
    let generated = generate(
        project,
        &book,
        &out_dir,
        false,
        &Origin::Path(String::new()),
    )?;
    Ok((book, out_dir, generated))
}

pub(crate) fn command(project: &Project) -> Result<()> {
    let (_, out_dir, generated) = for_clone(project)?;
    let store = executed::Store::open()?;
    let mut with_outputs = 0;
    for nb in &generated {
        let path = out_dir.join(&nb.relative);
        let text = match store.outputs_for(nb)? {
            Some(text) => {
                with_outputs += 1;
                text
            }
            None => nb.text.clone(),
        };
        write_file(&path, &text)?;
        let code = nb.cells.iter().filter(|c| c.kind == Kind::Code).count();
        eprintln!(
            "sysdesign-book: {} ({code} code cells) from {}",
            project.relative(&path).display(),
            nb.chapter.display()
        );
    }
    eprintln!(
        "sysdesign-book: {with_outputs} of {} carry the outputs of an execution with the same inputs; \
         open {} in JupyterLab with the Rust (evcxr) kernel",
        generated.len(),
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

/// The site's notebooks: each chapter's, with its first cell in the published form
/// ([`Origin::published`]) and, when the execution cache holds a run with the same key, the
/// outputs of that run.
pub(crate) struct SiteNotebooks {
    /// Path under the site to the notebook's text.
    files: BTreeMap<PathBuf, String>,
    /// Chapter path under the book's source folder (`x/y.md`) to whether its notebook carries
    /// outputs.
    executed: BTreeMap<PathBuf, bool>,
}

impl SiteNotebooks {
    /// Generates them for the book as loaded, and looks each up in the execution cache.
    pub(crate) fn generate(project: &Project, book: &MDBook, site: &Path) -> Result<SiteNotebooks> {
        let origin = Origin::published(project)?;
        let store = executed::Store::open()?;
        let mut files = BTreeMap::new();
        let mut executed = BTreeMap::new();
        for nb in generate(project, book, site, true, &origin)? {
            let text = store.outputs_for(&nb)?;
            executed
                .entry(nb.relative.with_extension("md"))
                .or_insert(text.is_some());
            files.insert(nb.relative.clone(), text.unwrap_or_else(|| nb.text.clone()));
        }
        Ok(SiteNotebooks { files, executed })
    }

    /// How many chapters' notebooks carry outputs, of how many.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.executed.values().filter(|e| **e).count(),
            self.executed.len(),
        )
    }

    /// The preprocessor that links each page to its notebook.
    pub(crate) fn page_link(&self) -> PageLink {
        PageLink {
            executed: self.executed.clone(),
        }
    }

    /// Writes every notebook into the site folder.
    pub(crate) fn write(&self, site: &Path) -> Result<()> {
        for (relative, text) in &self.files {
            write_file(&site.join(relative), text)?;
        }
        Ok(())
    }
}

/// The preprocessor that puts an "Open as a notebook" link under each chapter's title, and says
/// whether the notebook carries the outputs of a run.
///
/// The link points at the notebook beside the page (`caching.ipynb` next to `caching.html`),
/// which the build writes with the site, so it never dangles.
pub(crate) struct PageLink {
    executed: BTreeMap<PathBuf, bool>,
}

impl Preprocessor for PageLink {
    fn name(&self) -> &str {
        "notebook-link"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        book.for_each_chapter_mut(|chapter| {
            if let Some(path) = &chapter.path {
                let executed = self.executed.get(path).copied().unwrap_or(false);
                chapter.content = with_link(&chapter.content, path, executed);
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
fn with_link(content: &str, chapter: &Path, executed: bool) -> String {
    let name = chapter.with_extension("ipynb");
    let name = name
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let href = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_");
    let state = if executed {
        "with the outputs of its run for this version of the book"
    } else {
        "not executed for this version yet: its cells have no outputs until you run them \
         (<code>cargo book test</code> executes every notebook)"
    };
    let link = format!(
        "<p class=\"notebook-link\"><a href=\"{href}\" download>Open as a notebook</a> \
         (Jupyter, Rust kernel evcxr), {state}.</p>\n\n"
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

#[cfg(test)]
mod tests;
