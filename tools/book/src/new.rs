//! `cargo book new <part>/<chapter>`: a new chapter that builds and passes `cargo book test`
//! before its author has written a word.
//!
//! It writes the page (from `tools/book/templates/chapter.md`), a library module with one small
//! public function behind an anchor, a first snippet that uses it, a test file, and the lines
//! that register them: `pub mod` and a `# Layout` row in `src/lib.rs`, an entry in
//! `book/SUMMARY.md`. Then it runs the snippet once to write its expected output, as
//! `cargo book bless` would.
//!
//! Every check comes first and every file's new text is made in memory ([`plan`]); only then is
//! anything written ([`Plan::apply`]), so a bad or taken name changes nothing.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

use crate::project::Project;

/// The page template, also what contributors read to learn a chapter's shape.
const TEMPLATE: &str = include_str!("../templates/chapter.md");

/// The anchor that marks the module's first piece, shown by the page's `{{#include}}`.
const ANCHOR: &str = "first_piece";

/// Words a module cannot be named: Rust's keywords, reserved words, and the crates every
/// module sees (a module `std` would make `use std::...` ambiguous).
const RESERVED: &[&str] = &[
    "abstract", "alloc", "as", "async", "await", "become", "box", "break", "const", "continue",
    "core", "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
    "pub", "ref", "return", "self", "static", "std", "struct", "super", "trait", "true", "try",
    "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The names a chapter is known by, all derived from `<part>/<chapter>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Names {
    /// The part's folder under `book/`, e.g. `caching-and-hashing`.
    pub part: String,
    /// The chapter's file stem and snippet folder, e.g. `load-balancing`.
    pub chapter: String,
    /// The library module, e.g. `load_balancing`.
    pub module: String,
    /// The chapter's title, e.g. `Load balancing`.
    pub title: String,
    /// The part's title, used when the part is new, e.g. `Caching and hashing`.
    pub part_title: String,
}

/// Reads `<part>/<chapter>` and checks both names.
pub(crate) fn parse(spec: &str) -> Result<Names> {
    let example = "for example `cargo book new caching-and-hashing/hashing`";
    let Some((part, chapter)) = spec.split_once('/') else {
        bail!(
            "{spec:?} names no part: write <part>/<chapter>, {example} (the part is the folder under book/)"
        );
    };
    if chapter.contains('/') {
        bail!(
            "{spec:?} has more than one `/`: write exactly <part>/<chapter>, {example} (parts hold chapters, not folders)"
        );
    }
    check_name("part", part)?;
    check_name("chapter", chapter)?;
    let module = chapter.replace('-', "_");
    if RESERVED.contains(&module.as_str()) {
        bail!(
            "the chapter name {chapter:?} would make a module `{module}`, which Rust reserves; choose another chapter name"
        );
    }
    Ok(Names {
        part: part.into(),
        chapter: chapter.into(),
        module,
        title: title(chapter),
        part_title: title(part),
    })
}

/// A part or chapter name: lower-case ASCII letters, digits and single `-` between words,
/// starting with a letter.
fn check_name(what: &str, name: &str) -> Result<()> {
    let rule = "lower-case ASCII letters, digits and `-` between words, starting with a letter, e.g. load-balancing";
    if name.is_empty() {
        bail!("the {what} name is empty; use {rule}");
    }
    if let Some(stem) = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".rs"))
    {
        bail!("the {what} name {name:?} has an extension; write it without, e.g. {stem:?}");
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let hint = if bad.is_ascii_uppercase() {
            format!(" (write {:?})", name.to_ascii_lowercase())
        } else if bad == '_' || bad == ' ' {
            format!(" (write {:?})", name.replace(['_', ' '], "-"))
        } else {
            String::new()
        };
        bail!("the {what} name {name:?} contains {bad:?}{hint}; use {rule}");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        bail!("the {what} name {name:?} does not start with a letter; use {rule}");
    }
    if name.contains("--") {
        bail!("the {what} name {name:?} has `--`; use a single `-` between words");
    }
    if name.ends_with('-') {
        bail!("the {what} name {name:?} ends with `-`; use {rule}");
    }
    Ok(())
}

/// `load-balancing` → `Load balancing`.
fn title(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Everything `new` will write, with every check already passed.
#[derive(Debug)]
pub(crate) struct Plan {
    /// New files, relative to the root, with their text.
    pub create: Vec<(PathBuf, String)>,
    /// Existing files to rewrite, relative to the root, with their new text.
    pub edit: Vec<(PathBuf, String)>,
    /// The first snippet, relative to the root, whose expected output is written last.
    pub snippet: PathBuf,
}

/// Checks that the chapter can be added and makes every file's text; writes nothing.
pub(crate) fn plan(project: &Project, names: &Names) -> Result<Plan> {
    let root = &project.root;
    let src = book_src(project)?;
    let page = src.join(&names.part).join(format!("{}.md", names.chapter));
    let summary_path = src.join("SUMMARY.md");
    let module_file = PathBuf::from("src").join(format!("{}.rs", names.module));
    let module_dir = PathBuf::from("src").join(&names.module);
    let snippet_dir = PathBuf::from("snippets").join(&names.chapter);
    let snippet = snippet_dir.join("first.rs");
    let test = PathBuf::from("tests").join(format!("{}.rs", names.module));
    let lib = PathBuf::from("src/lib.rs");

    let mut taken = Vec::new();
    for path in [&page, &module_file, &module_dir, &snippet_dir, &test] {
        if root.join(path).exists() {
            taken.push(path.display().to_string());
        }
    }
    if !taken.is_empty() {
        bail!(
            "cannot create chapter {}/{}: {} already exist(s); choose another chapter name, or edit the existing chapter",
            names.part,
            names.chapter,
            taken.join(", ")
        );
    }

    let read = |path: &Path| {
        std::fs::read_to_string(root.join(path))
            .with_context(|| format!("cannot read {}", path.display()))
    };
    let summary_text = read(&summary_path)?;
    let entry = format!("{}/{}.md", names.part, names.chapter);
    // A planned chapter listed as a draft (`- [Replication and sharding]()`) is filled in, and
    // its title, chosen with the outline, is the page's.
    let names = &match draft_entry(&summary_text, names) {
        Some((_, title)) => Names {
            title,
            ..names.clone()
        },
        None => names.clone(),
    };
    let summary_text = add_to_summary(&summary_text, names, &entry)
        .with_context(|| format!("cannot add the chapter to {}", summary_path.display()))?;
    let lib_text = read(&lib)?;
    let lib_text = add_module(&lib_text, names)
        .with_context(|| format!("cannot register the module in {}", lib.display()))?;
    let manifest = PathBuf::from("Cargo.toml");
    let manifest_text = add_feature(&read(&manifest)?, &names.module)
        .with_context(|| format!("cannot add the module's feature to {}", manifest.display()))?;

    // From the page's folder (book/<part>/) back up to the root.
    let up = "../".repeat(src.components().count() + 1);
    Ok(Plan {
        create: vec![
            (page, page_text(names, &up)?),
            (module_file, module_text(names)),
            (snippet.clone(), snippet_text(names)),
            (test, test_text(names)),
        ],
        edit: vec![
            (lib, lib_text),
            (manifest, manifest_text),
            (summary_path, summary_text),
        ],
        snippet,
    })
}

/// The book's source folder relative to the root (`book`), from `book.toml`.
fn book_src(project: &Project) -> Result<PathBuf> {
    let config = mdbook_driver::config::Config::from_disk(project.root.join("book.toml"))
        .context("cannot read book.toml")?;
    let src = config.book.src;
    if src.is_absolute()
        || src
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        bail!(
            "book.toml: [book] src = {:?} must be a folder inside the repository, like \"book\"",
            src.display()
        );
    }
    Ok(src)
}

impl Plan {
    /// Writes the plan. If a write fails, what was written is undone, and the error names the file.
    pub(crate) fn apply(&self, project: &Project) -> Result<()> {
        let mut undo: Vec<Undo> = Vec::new();
        let result = self.write(project, &mut undo);
        if result.is_err() {
            for step in undo.into_iter().rev() {
                let _ = match step {
                    Undo::RemoveFile(path) => std::fs::remove_file(path),
                    Undo::RemoveDir(path) => std::fs::remove_dir(path),
                    Undo::Restore(path, text) => std::fs::write(path, text),
                };
            }
        }
        result
    }

    fn write(&self, project: &Project, undo: &mut Vec<Undo>) -> Result<()> {
        use std::io::Write as _;
        for (rel, text) in &self.create {
            let path = project.root.join(rel);
            let parent = path.parent().expect("a file inside the root has a parent");
            let mut missing = Vec::new();
            let mut dir = parent;
            while !dir.exists() {
                missing.push(dir.to_path_buf());
                dir = dir.parent().expect("the root exists");
            }
            for dir in missing.into_iter().rev() {
                std::fs::create_dir(&dir).with_context(|| {
                    format!("cannot create {}", project.relative(&dir).display())
                })?;
                undo.push(Undo::RemoveDir(dir));
            }
            // `create_new`: never overwrite a file that appeared since the checks.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .with_context(|| format!("cannot create {}", rel.display()))?;
            undo.push(Undo::RemoveFile(path.clone()));
            file.write_all(text.as_bytes())
                .with_context(|| format!("cannot write {}", rel.display()))?;
        }
        for (rel, text) in &self.edit {
            let path = project.root.join(rel);
            let old = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", rel.display()))?;
            undo.push(Undo::Restore(path.clone(), old));
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", rel.display()))?;
        }
        Ok(())
    }
}

enum Undo {
    RemoveFile(PathBuf),
    RemoveDir(PathBuf),
    Restore(PathBuf, String),
}

/// `cargo book new <spec>`: checks, writes, then writes the first snippet's expected output.
pub(crate) fn run(project: &Project, spec: &str) -> Result<()> {
    let names = parse(spec)?;
    let plan = plan(project, &names)?;
    plan.apply(project)?;
    for (path, _) in &plan.create {
        eprintln!("sysdesign-book: created {}", path.display());
    }
    for (path, _) in &plan.edit {
        eprintln!("sysdesign-book: updated {}", path.display());
    }
    eprintln!(
        "sysdesign-book: running {} to write its expected output",
        plan.snippet.display()
    );
    write_expected_output(project, &plan.snippet).with_context(|| {
        format!(
            "the chapter's files are written, but {} did not run, so its expected output is not written; \
             fix the error, then run `cargo book bless {}`",
            plan.snippet.display(),
            plan.snippet.display()
        )
    })?;
    let page = &plan.create[0].0;
    eprintln!(
        "\nsysdesign-book: chapter {title:?} added. Next:\n  \
         1. write the page {page}, following its comments;\n  \
         2. replace the placeholder in src/{module}.rs, its row in src/lib.rs's `# Layout`, and tests/{module}.rs;\n  \
         3. write the programs under snippets/{chapter}/ and `cargo book bless` their outputs;\n  \
         4. `cargo book serve` to read it, `cargo book test` before the pull request.",
        title = names.title,
        page = page.display(),
        module = names.module,
        chapter = names.chapter,
    );
    Ok(())
}

/// Runs the new snippet and commits its output beside it, with the same code as
/// `cargo book bless <snippet>`.
fn write_expected_output(project: &Project, snippet: &Path) -> Result<()> {
    let runs = crate::preprocessor::book_runs(project, &[snippet.to_path_buf()])?;
    for path in crate::expect::bless(project, &runs)? {
        eprintln!("sysdesign-book: wrote {}", path.display());
    }
    Ok(())
}

/// The page: the template with its title, and a "Build it" section that shows the module's
/// first piece and runs the first snippet.
fn page_text(names: &Names, up: &str) -> Result<String> {
    let Some(rest) = TEMPLATE.strip_prefix("# TITLE\n") else {
        bail!("tools/book/templates/chapter.md must start with the line `# TITLE`");
    };
    let start = rest
        .find("\n## Build it\n")
        .context("tools/book/templates/chapter.md has no `## Build it` section")?;
    let end = rest[start + 1..]
        .find("\n## ")
        .map_or(rest.len(), |i| start + 1 + i);
    let build_it = format!(
        "\n## Build it\n\n\
         <!-- The library code, piece by piece, through anchors (`// ANCHOR: name` and\n\
         `// ANCHOR_END: name` in the module), each piece followed by a program that uses it.\n\
         `cargo book new` wrote a placeholder piece and program to start from: replace both. -->\n\n\
         The first piece of `sysdesign::{module}`:\n\n\
         ```rust,ignore\n\
         {{{{#include {up}src/{module}.rs:{ANCHOR}}}}}\n\
         ```\n\n\
         A program that uses it, and what it printed (the page shows its `core` excerpt and its\n\
         output; the whole program is folded under them, and is whole in the notebook):\n\n\
         {{{{#run {up}snippets/{chapter}/first.rs:core}}}}\n",
        module = names.module,
        chapter = names.chapter,
    );
    Ok(format!(
        "# {}\n{}{}{}",
        names.title,
        &rest[..start],
        build_it,
        &rest[end..]
    ))
}

fn module_text(names: &Names) -> String {
    let Names { module, title, .. } = names;
    format!(
        r#"//! {title}: say the idea in plain words here, in a sentence or two.
//!
//! Then the design decision: what this module builds, and why this way rather than another.
//! Then an example that asserts, like this one (replace it with one of the real thing):
//!
//! ```
//! use sysdesign::{module}::running_totals;
//!
//! assert_eq!(running_totals(&[3, 4, 5]), [3, 7, 12]);
//! ```

// ANCHOR: {ANCHOR}
/// A placeholder for the chapter's first piece, so that the page, the snippet and the tests
/// have something real to show: the running totals of `values`, saturating at `u64::MAX`.
///
/// ```
/// use sysdesign::{module}::running_totals;
///
/// assert_eq!(running_totals(&[120, 80, 200]), [120, 200, 400]);
/// assert!(running_totals(&[]).is_empty());
/// ```
pub fn running_totals(values: &[u64]) -> Vec<u64> {{
    values
        .iter()
        .scan(0u64, |total, &value| {{
            *total = total.saturating_add(value);
            Some(*total)
        }})
        .collect()
}}
// ANCHOR_END: {ANCHOR}
"#
    )
}

fn snippet_text(names: &Names) -> String {
    let Names { module, title, .. } = names;
    format!(
        r#"//! The first program of the {title} chapter: replace it with one that shows the idea at work.

use sysdesign::{module}::running_totals;

fn main() {{
    let requests_per_second = [120, 80, 200];
    // ANCHOR: core
    let totals = running_totals(&requests_per_second);
    // ANCHOR_END: core
    println!("requests per second: {{requests_per_second:?}}");
    println!("running totals:      {{totals:?}}");
}}
"#
    )
}

fn test_text(names: &Names) -> String {
    let module = &names.module;
    format!(
        r#"//! Tests of `sysdesign::{module}`. Name each test after the behaviour it checks; add a
//! model-based test (proptest) and a differential test against a well-known crate where one exists.

use sysdesign::{module}::running_totals;

#[test]
fn each_total_adds_its_value_to_the_total_before_it() {{
    assert_eq!(running_totals(&[3, 4, 5]), [3, 7, 12]);
}}
"#
    )
}

/// `src/lib.rs` with `pub mod <module>;` among the other `pub mod` lines (kept sorted) and a row
/// for it in the `# Layout` table, after the chapters' rows and before the shared modules'
/// (those whose chapter column says "every chapter").
fn add_module(lib: &str, names: &Names) -> Result<String> {
    let module = &names.module;
    let mut lines: Vec<String> = lib.lines().map(str::to_string).collect();
    let declared = |l: &str| {
        let l = l.trim();
        l.strip_prefix("pub mod ")
            .or_else(|| l.strip_prefix("mod "))
            .map(|rest| rest.trim_end_matches([';', '{', ' ']).to_string())
    };
    if lines
        .iter()
        .any(|l| declared(l).as_deref() == Some(module.as_str()))
    {
        bail!("src/lib.rs already declares a module `{module}`; choose another chapter name");
    }
    let mods: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("pub mod ") && l.ends_with(';'))
        .map(|(i, _)| i)
        .collect();
    let Some(&last) = mods.last() else {
        bail!("src/lib.rs has no `pub mod name;` line to put `pub mod {module};` beside");
    };
    let mut at = mods
        .iter()
        .copied()
        .find(|&i| declared(&lines[i]).is_some_and(|m| m.as_str() > module.as_str()))
        .unwrap_or(last + 1);
    // Above the attributes (`#[cfg(feature = "linalg")]`) and doc comments of the module we
    // go before, never between them and it: that would gate our module, not theirs.
    while at > 0 && {
        let above = lines[at - 1].trim_start();
        above.starts_with("#[") || above.starts_with("///")
    } {
        at -= 1;
    }
    lines.insert(at, format!("pub mod {module};"));
    lines.insert(at, format!("#[cfg(feature = \"{module}\")]"));

    let heading = lines
        .iter()
        .position(|l| l.trim() == "//! # Layout")
        .context("src/lib.rs has no `//! # Layout` section")?;
    let is_row = |l: &str| l.starts_with("//! |");
    let first = (heading + 1..lines.len())
        .find(|&i| is_row(&lines[i]))
        .context("the `# Layout` section of src/lib.rs has no table")?;
    let mut end = first;
    while end < lines.len() && is_row(&lines[end]) {
        end += 1;
    }
    if end - first < 2 {
        bail!("the `# Layout` table of src/lib.rs has no header and `| --- |` line");
    }
    let columns = lines[first].matches('|').count().saturating_sub(1);
    let mut cells = vec![format!("[`{module}`]")];
    if columns >= 2 {
        cells.push("to write: the idea in a few words".into());
    }
    for _ in 3..columns {
        cells.push(String::new());
    }
    if columns >= 3 {
        cells.push(names.title.clone());
    }
    let row = format!("//! | {} |", cells.join(" | "));
    let after = (first + 2..end)
        .rev()
        .find(|&i| !lines[i].contains("every chapter"))
        .unwrap_or(first + 1);
    lines.insert(after + 1, row);
    Ok(join(lines, lib))
}

/// The root `Cargo.toml` with the module's feature: `<module> = []` among the other modules'
/// features (in order), and `"<module>"` in the `chapters` list, which the default features
/// turn on. The new module uses no other yet; when it does, its line lists them (`cargo book
/// test` names any it misses).
fn add_feature(manifest: &str, module: &str) -> Result<String> {
    let mut lines: Vec<String> = manifest.lines().map(str::to_string).collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "[features]")
        .context("Cargo.toml has no [features] table")?;
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('['))
        .unwrap_or(lines.len());
    let open = (start..end)
        .find(|&i| lines[i].replace(' ', "").starts_with("chapters=["))
        .context("Cargo.toml's [features] has no `chapters = [` list")?;
    let close = (open..end)
        .find(|&i| lines[i].trim_end().ends_with(']'))
        .context("Cargo.toml's `chapters = [` list is not closed")?;
    let quoted = |l: &str| -> Option<String> {
        let l = l.trim().trim_end_matches(',');
        Some(l.strip_prefix('"')?.strip_suffix('"')?.to_string())
    };
    let listed: Vec<(usize, String)> = (open + 1..close)
        .filter_map(|i| quoted(&lines[i]).map(|m| (i, m)))
        .collect();
    if listed.is_empty() {
        bail!("Cargo.toml's `chapters` list must have one module a line, like `    \"caching\",`");
    }
    if listed.iter().any(|(_, m)| m == module) {
        bail!(
            "Cargo.toml's `chapters` feature already lists \"{module}\"; choose another chapter name"
        );
    }
    // The modules' own lines (`caching = []`), after the list.
    let is_feature_of =
        |l: &str, m: &str| l.split_once('=').is_some_and(|(name, _)| name.trim() == m);
    let feature_lines: Vec<(usize, &String)> = (close + 1..end)
        .filter_map(|i| {
            listed
                .iter()
                .find(|(_, m)| is_feature_of(&lines[i], m))
                .map(|(_, m)| (i, m))
        })
        .collect();
    if (start + 1..end).any(|i| is_feature_of(&lines[i], module)) {
        bail!("Cargo.toml already has a feature `{module}`; choose another chapter name");
    }
    let feature_at = feature_lines
        .iter()
        .find(|(_, m)| m.as_str() > module)
        .map(|(i, _)| *i)
        .or_else(|| feature_lines.last().map(|(i, _)| i + 1))
        .unwrap_or(close + 1);
    lines.insert(feature_at, format!("{module} = []"));
    let list_at = listed
        .iter()
        .find(|(_, m)| m.as_str() > module)
        .map_or(close, |(i, _)| *i);
    lines.insert(list_at, format!("    \"{module}\","));
    Ok(join(lines, manifest))
}

/// `SUMMARY.md` with `- [Title](part/chapter.md)` added at the end of the part whose chapters
/// live in `book/<part>/`, or under a new `# Part title` heading after the last numbered chapter.
fn add_to_summary(summary: &str, names: &Names, entry: &str) -> Result<String> {
    if summary.contains(&format!("]({entry})")) {
        bail!("SUMMARY.md already lists {entry}; choose another chapter name");
    }
    let mut lines: Vec<String> = summary.lines().map(str::to_string).collect();
    if let Some((at, title)) = draft_entry(summary, names) {
        let indent = &lines[at][..lines[at].len() - lines[at].trim_start().len()];
        lines[at] = format!("{indent}- [{title}]({entry})");
        return Ok(join(lines, summary));
    }
    let item = format!("- [{}]({entry})", names.title);
    let is_item = |l: &str| {
        let l = l.trim_start();
        l.starts_with("- ") || l.starts_with("* ")
    };
    let target = |l: &str| {
        l.split_once("](")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(t, _)| t.trim().to_string())
    };
    // Part headings: every `# ` line after the title line.
    let headings: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("# "))
        .map(|(i, _)| i)
        .skip(1)
        .collect();
    let prefix = format!("{}/", names.part);
    for (n, &h) in headings.iter().enumerate() {
        let end = headings.get(n + 1).copied().unwrap_or(lines.len());
        let section = h + 1..end;
        let ours = section.clone().any(|i| {
            is_item(&lines[i]) && target(&lines[i]).is_some_and(|t| t.starts_with(&prefix))
        });
        if ours {
            let last_item = section
                .rev()
                .find(|&i| is_item(&lines[i]))
                .expect("the section has an item");
            lines.insert(last_item + 1, item);
            return Ok(join(lines, summary));
        }
    }
    // A new part goes before the appendices, which stay last; without them, after the last
    // numbered chapter or heading (suffix chapters stay last).
    let appendices = headings.iter().copied().find(|&h| {
        lines[h]
            .trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case("appendices")
    });
    let at = match appendices {
        // Before the heading and the blank lines above it.
        Some(h) => {
            let mut at = h;
            while at > 0 && lines[at - 1].trim().is_empty() {
                at -= 1;
            }
            at
        }
        None => {
            let last_item = lines.iter().rposition(|l| is_item(l));
            last_item
                .max(headings.last().copied())
                .map_or(lines.len(), |i| i + 1)
        }
    };
    let new = [
        String::new(),
        format!("# {}", names.part_title),
        String::new(),
        item,
    ];
    lines.splice(at..at, new);
    Ok(join(lines, summary))
}

/// The draft entry (`- [Title]()`, a planned chapter) that this chapter fills, if any: its line
/// index and title. A draft matches when its title has the chapter name's words, in order,
/// ignoring case, punctuation and the word "and" (`replication-sharding` fills
/// `[Replication and sharding]()`, `cap-pacelc` fills `[CAP and PACELC]()`).
fn draft_entry(summary: &str, names: &Names) -> Option<(usize, String)> {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("and"))
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let wanted = words(&names.chapter);
    summary.lines().enumerate().find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix("- [")?;
        let (title, target) = rest.split_once("](")?;
        (target.trim_end() == ")" && words(title) == wanted).then(|| (i, title.to_string()))
    })
}

/// Lines back into a file, ending with a newline as the original did.
fn join(lines: Vec<String>, original: &str) -> String {
    let mut text = lines.join("\n");
    if original.ends_with('\n') || original.is_empty() {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(spec: &str) -> Names {
        parse(spec).unwrap()
    }

    fn error(spec: &str) -> String {
        format!("{:#}", parse(spec).expect_err(spec))
    }

    #[test]
    fn a_good_name_gives_the_module_and_titles() {
        assert_eq!(
            names("scaling-out/load-balancing"),
            Names {
                part: "scaling-out".into(),
                chapter: "load-balancing".into(),
                module: "load_balancing".into(),
                title: "Load balancing".into(),
                part_title: "Scaling out".into(),
            }
        );
        assert_eq!(names("p2/raft-2pc").module, "raft_2pc");
    }

    #[test]
    fn bad_names_are_refused_with_the_reason() {
        let cases = [
            ("hashing", "names no part"),
            ("a/b/c", "more than one `/`"),
            ("/hashing", "the part name is empty"),
            ("caching/", "the chapter name is empty"),
            ("caching/Hashing", "contains 'H' (write \"hashing\")"),
            (
                "caching/consistent_hashing",
                "(write \"consistent-hashing\")",
            ),
            (
                "caching/hashing.md",
                "has an extension; write it without, e.g. \"hashing\"",
            ),
            ("caching/2pc", "does not start with a letter"),
            ("caching/-x", "does not start with a letter"),
            ("caching/a--b", "has `--`"),
            ("caching/ab-", "ends with `-`"),
            ("caching/é", "contains 'é'"),
            ("../etc/passwd", "more than one `/`"),
            ("../passwd", "the part name \"..\" contains '.'"),
            ("caching/self", "module `self`, which Rust reserves"),
            ("caching/async", "Rust reserves"),
            ("caching/std", "Rust reserves"),
        ];
        for (spec, expected) in cases {
            let err = error(spec);
            assert!(err.contains(expected), "{spec}: {err}");
        }
    }

    fn both_ways(summary: &str, spec: &str) -> String {
        let n = names(spec);
        add_to_summary(summary, &n, &format!("{}/{}.md", n.part, n.chapter)).unwrap()
    }

    const SUMMARY: &str = "# Summary\n\n[Introduction](how-to-use/introduction.md)\n\n\
        # Caching, proxies, load balancing, hashing\n\n\
        - [Caching](caching-and-hashing/caching.md)\n    - [Eviction](caching-and-hashing/eviction.md)\n\n\
        # Storage\n\n- [ACID](storage/acid.md)\n\n[Glossary](glossary.md)\n";

    #[test]
    fn a_chapter_joins_the_end_of_its_part() {
        assert_eq!(
            both_ways(SUMMARY, "caching-and-hashing/hashing"),
            "# Summary\n\n[Introduction](how-to-use/introduction.md)\n\n\
             # Caching, proxies, load balancing, hashing\n\n\
             - [Caching](caching-and-hashing/caching.md)\n    - [Eviction](caching-and-hashing/eviction.md)\n\
             - [Hashing](caching-and-hashing/hashing.md)\n\n\
             # Storage\n\n- [ACID](storage/acid.md)\n\n[Glossary](glossary.md)\n"
        );
        assert_eq!(
            both_ways(SUMMARY, "storage/indexes"),
            SUMMARY.replace(
                "- [ACID](storage/acid.md)\n",
                "- [ACID](storage/acid.md)\n- [Indexes](storage/indexes.md)\n"
            )
        );
    }

    #[test]
    fn a_new_part_goes_after_the_last_part_and_before_suffix_chapters() {
        assert_eq!(
            both_ways(SUMMARY, "machine-learning/metrics"),
            SUMMARY.replace(
                "- [ACID](storage/acid.md)\n",
                "- [ACID](storage/acid.md)\n\n# Machine learning\n\n- [Metrics](machine-learning/metrics.md)\n"
            )
        );
        // The introduction is a prefix chapter, under no heading: its part gets a heading.
        let out = both_ways(
            "# Summary\n\n[Introduction](how-to-use/introduction.md)\n",
            "how-to-use/reading",
        );
        assert_eq!(
            out,
            "# Summary\n\n[Introduction](how-to-use/introduction.md)\n\n# How to use\n\n- [Reading](how-to-use/reading.md)\n"
        );
    }

    #[test]
    fn a_new_part_goes_before_the_appendices() {
        let summary = "# Summary\n\n# Caching\n\n- [Caching](caching-and-hashing/caching.md)\n\n\
            # Appendices\n\n- [Benchmarks](appendix/benchmarks.md)\n";
        assert_eq!(
            both_ways(summary, "data/acid"),
            "# Summary\n\n# Caching\n\n- [Caching](caching-and-hashing/caching.md)\n\n# Data\n\n\
             - [Acid](data/acid.md)\n\n# Appendices\n\n- [Benchmarks](appendix/benchmarks.md)\n"
        );
    }

    #[test]
    fn a_chapter_already_listed_is_refused() {
        let n = names("storage/acid");
        let err = add_to_summary(SUMMARY, &n, "storage/acid.md").unwrap_err();
        assert!(
            err.to_string().contains("already lists storage/acid.md"),
            "{err}"
        );
    }

    #[test]
    fn a_draft_entry_is_filled_in_place_and_keeps_its_title() {
        let summary = "# Summary\n\n# Data\n\n- [Indexes](data/indexes.md)\n\
                       - [Replication and sharding]()\n- [Locking]()\n\n# Appendices\n";
        let n = names("data/replication-sharding");
        let out = add_to_summary(summary, &n, "data/replication-sharding.md").unwrap();
        assert_eq!(
            out,
            "# Summary\n\n# Data\n\n- [Indexes](data/indexes.md)\n\
             - [Replication and sharding](data/replication-sharding.md)\n- [Locking]()\n\n\
             # Appendices\n"
        );
        assert_eq!(
            draft_entry(summary, &names("coordination/locking")),
            Some((6, "Locking".to_string()))
        );
        // Only the same words in the same order fill a draft.
        assert_eq!(draft_entry(summary, &names("data/sharding")), None);
        assert_eq!(
            draft_entry(summary, &names("data/sharding-replication")),
            None
        );
    }

    #[test]
    fn a_module_goes_above_the_attributes_of_the_one_it_precedes() {
        let lib = "//! # Layout\n//!\n//! | module | idea | chapter |\n//! | --- | --- | --- |\n\
                   //! | [`caching`] | eviction | Caching |\n\npub mod availability;\n\
                   #[cfg(feature = \"linalg\")]\npub mod bias_variance;\npub mod caching;\n";
        let out = add_module(lib, &names("foundations/backpressure")).unwrap();
        assert!(
            out.contains(
                "pub mod availability;\n#[cfg(feature = \"backpressure\")]\npub mod backpressure;\n\
                 #[cfg(feature = \"linalg\")]\npub mod bias_variance;\n"
            ),
            "{out}"
        );
    }

    const LIB: &str = "//! # Layout\n//!\n//! | module | idea | chapter |\n//! | --- | --- | --- |\n\
        //! | [`caching`] | eviction | Caching |\n//! | [`show`] | rich output | every chapter |\n\
        //!\n//! More.\n\n#![warn(missing_docs)]\n\npub mod caching;\npub mod chart;\npub mod show;\n\n\
        #[cfg(doctest)]\npub mod chapters {\n}\n";

    #[test]
    fn the_module_is_declared_in_order_and_gets_a_layout_row() {
        let out = add_module(LIB, &names("caching-and-hashing/hashing")).unwrap();
        assert!(
            out.contains(
                "pub mod caching;\npub mod chart;\n#[cfg(feature = \"hashing\")]\npub mod hashing;\npub mod show;\n"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "//! | [`caching`] | eviction | Caching |\n\
                 //! | [`hashing`] | to write: the idea in a few words | Hashing |\n\
                 //! | [`show`] | rich output | every chapter |\n"
            ),
            "{out}"
        );
        let first = add_module(LIB, &names("a/aaa")).unwrap();
        assert!(
            first.contains("\n#[cfg(feature = \"aaa\")]\npub mod aaa;\npub mod caching;\n"),
            "{first}"
        );
        let last = add_module(LIB, &names("a/zeta")).unwrap();
        assert!(
            last.contains("pub mod show;\n#[cfg(feature = \"zeta\")]\npub mod zeta;\n"),
            "{last}"
        );
        // The doctest-only module of chapters is taken too.
        let err = add_module(LIB, &names("a/chapters")).unwrap_err();
        assert!(
            err.to_string()
                .contains("already declares a module `chapters`"),
            "{err}"
        );
    }

    const MANIFEST: &str = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"chapters\", \"sqlite\"]\n\
        chapters = [\n    \"caching\",\n    \"quorum\",\n    \"replicated\",\n]\ncaching = []\n\
        quorum = [\"replicated\"]\nreplicated = []\n# SQLite.\nsqlite = [\"dep:rusqlite\"]\n\n\
        [dependencies]\nrand = \"0.10\"\n";

    #[test]
    fn the_module_gets_a_feature_listed_among_the_chapters() {
        let out = add_feature(MANIFEST, "hashing").unwrap();
        assert!(
            out.contains("chapters = [\n    \"caching\",\n    \"hashing\",\n    \"quorum\",\n"),
            "{out}"
        );
        assert!(
            out.contains("caching = []\nhashing = []\nquorum = [\"replicated\"]\n"),
            "{out}"
        );
        let last = add_feature(MANIFEST, "zeta").unwrap();
        assert!(
            last.contains("    \"replicated\",\n    \"zeta\",\n]\n"),
            "{last}"
        );
        assert!(
            last.contains("replicated = []\nzeta = []\n# SQLite."),
            "{last}"
        );
        let toml: toml::Table = toml::from_str(&last).unwrap();
        assert_eq!(toml["features"]["zeta"].as_array().unwrap().len(), 0);
        let taken = add_feature(MANIFEST, "sqlite").unwrap_err().to_string();
        assert!(taken.contains("already has a feature `sqlite`"), "{taken}");
        let no_list = add_feature("[features]\ndefault = []\n", "x").unwrap_err();
        assert!(
            no_list.to_string().contains("no `chapters = [` list"),
            "{no_list}"
        );
    }

    #[test]
    fn the_page_is_the_template_with_a_working_build_it_section() {
        let page = page_text(&names("caching-and-hashing/load-balancing"), "../../").unwrap();
        assert!(page.starts_with("# Load balancing\n"));
        for section in [
            "## The problem",
            "## The design",
            "## Measure it",
            "## See also",
        ] {
            assert_eq!(page.matches(section).count(), 1, "{section}");
        }
        assert!(page.contains("\n{{#include ../../src/load_balancing.rs:first_piece}}\n"));
        assert!(page.contains("\n{{#run ../../snippets/load-balancing/first.rs:core}}\n"));
        // No placeholder of the template is left for the preprocessor to trip on.
        for placeholder in ["TITLE", "MODULE", "CHAPTER", "FILE.rs"] {
            assert!(
                !page.contains(placeholder),
                "{placeholder} left in:\n{page}"
            );
        }
        // Two directives; the template's comment shows others escaped (`\{{#`), left as text.
        assert_eq!(
            page.matches("{{#").count() - page.matches("\\{{#").count(),
            2,
            "{page}"
        );
        // Every fence opens with a language tag (rustdoc compiles an untagged fence as Rust).
        let mut open = false;
        for line in page.lines().filter(|l| l.trim_start().starts_with("```")) {
            if !open {
                assert!(line.trim_start().len() > 3, "untagged fence in:\n{page}");
            }
            open = !open;
        }
        assert!(!open, "every fence is closed");
        let module = module_text(&names("caching-and-hashing/load-balancing"));
        assert!(
            module.contains("// ANCHOR: first_piece\n")
                && module.contains("// ANCHOR_END: first_piece\n")
        );
    }

    /// The generated Rust is as `cargo fmt` and `rustfmt --check` on the snippets want it.
    #[test]
    fn generated_rust_is_rustfmt_clean() {
        use std::io::Write as _;
        let n = names("caching-and-hashing/load-balancing");
        for (what, text) in [
            ("module", module_text(&n)),
            ("snippet", snippet_text(&n)),
            ("test", test_text(&n)),
        ] {
            let child = std::process::Command::new("rustfmt")
                .args(["--edition", "2024", "--emit", "stdout"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn();
            let Ok(mut child) = child else {
                eprintln!("rustfmt is not installed; skipping the format check");
                return;
            };
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{what}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                text,
                "{what} is not rustfmt-clean"
            );
        }
    }

    /// A minimal tree with what `new` reads: book.toml, SUMMARY.md and src/lib.rs.
    fn fixture(name: &str) -> Project {
        let root =
            std::env::temp_dir().join(format!("sysdesign-new-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("book/caching-and-hashing")).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("snippets/caching")).unwrap();
        let files = [
            ("book.toml", "[book]\ntitle = \"t\"\nsrc = \"book\"\n"),
            ("book/SUMMARY.md", SUMMARY),
            ("book/caching-and-hashing/caching.md", "# Caching\n"),
            ("src/lib.rs", LIB),
            ("src/caching.rs", "//! Caching.\n"),
            ("Cargo.toml", MANIFEST),
        ];
        for (path, text) in files {
            std::fs::write(root.join(path), text).unwrap();
        }
        Project { root }
    }

    /// Every file of the tree with its text, to prove that nothing changed.
    fn snapshot(root: &Path) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    out.push((path.clone(), String::from("<dir>")));
                    stack.push(path);
                } else {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path, text));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn new_writes_every_file_of_the_chapter() {
        let project = fixture("writes");
        let names = names("caching-and-hashing/consistent-hashing");
        let plan = plan(&project, &names).unwrap();
        plan.apply(&project).unwrap();
        let root = &project.root;
        for path in [
            "book/caching-and-hashing/consistent-hashing.md",
            "src/consistent_hashing.rs",
            "snippets/consistent-hashing/first.rs",
            "tests/consistent_hashing.rs",
        ] {
            assert!(root.join(path).is_file(), "{path} was not written");
        }
        assert_eq!(
            plan.snippet,
            PathBuf::from("snippets/consistent-hashing/first.rs")
        );
        let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
        assert!(
            lib.contains(
                "#[cfg(feature = \"consistent_hashing\")]\npub mod consistent_hashing;\npub mod show;"
            ),
            "{lib}"
        );
        assert!(lib.contains("[`consistent_hashing`]"), "{lib}");
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("caching = []\nconsistent_hashing = []\nquorum ="),
            "{manifest}"
        );
        let summary = std::fs::read_to_string(root.join("book/SUMMARY.md")).unwrap();
        assert!(
            summary.contains(
                "- [Consistent hashing](caching-and-hashing/consistent-hashing.md)\n\n# Storage"
            ),
            "{summary}"
        );
        let snippet = std::fs::read_to_string(root.join(&plan.snippet)).unwrap();
        assert!(snippet.contains("use sysdesign::consistent_hashing::running_totals;"));

        // The same name again: refused, naming what exists, and nothing changes.
        let before = snapshot(root);
        let err = format!("{:#}", super::plan(&project, &names).unwrap_err());
        for taken in [
            "book/caching-and-hashing/consistent-hashing.md",
            "src/consistent_hashing.rs",
            "snippets/consistent-hashing",
            "tests/consistent_hashing.rs",
        ] {
            assert!(err.contains(taken), "{taken} not named in: {err}");
        }
        assert_eq!(snapshot(root), before);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn one_taken_name_means_nothing_is_written() {
        let project = fixture("taken");
        let before = snapshot(&project.root);
        // Only the snippet folder is taken (by another part's chapter of the same name).
        let err = format!(
            "{:#}",
            plan(&project, &names("storage/caching")).unwrap_err()
        );
        assert!(err.contains("snippets/caching"), "{err}");
        assert!(err.contains("src/caching.rs"), "{err}");
        assert_eq!(snapshot(&project.root), before);
        std::fs::remove_dir_all(&project.root).unwrap();
    }

    #[test]
    fn a_failed_write_undoes_the_others() {
        let project = fixture("undo");
        let before = snapshot(&project.root);
        let mut plan = plan(&project, &names("storage/indexes")).unwrap();
        // A file that cannot be created, after the others were.
        plan.create
            .push((PathBuf::from("src/lib.rs/impossible.rs"), String::new()));
        let err = format!("{:#}", plan.apply(&project).unwrap_err());
        assert!(err.contains("src/lib.rs"), "{err}");
        assert_eq!(snapshot(&project.root), before);
        std::fs::remove_dir_all(&project.root).unwrap();
    }
}
