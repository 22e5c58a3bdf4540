//! Checks on the book as built, run by hand while the full `cargo book test` is not: the link
//! check and the browser check (pages load, diagrams render, diagram text at least 11 px) over
//! `target/book`, and the page rules over the chapters on disk.
//!
//! ```sh
//! cargo book build
//! cargo test -p sysdesign-book -- --ignored built_site_
//! ```

use crate::project::Project;

fn project() -> Project {
    Project::discover().expect("the tests run inside the repository")
}

#[test]
#[ignore = "needs `cargo book build` first"]
fn built_site_links_and_anchors_resolve() {
    let site = project().target_dir().join("book");
    let n = crate::check::links(&site).unwrap_or_else(|e| panic!("{e:#}"));
    eprintln!("{n} internal links resolve");
}

#[test]
#[ignore = "needs `cargo book build` first, and Chromium"]
fn built_site_loads_in_chromium_with_legible_diagrams() {
    let project = project();
    let site = project.target_dir().join("book");
    let chromium = crate::check::find_chromium().expect("Chromium is installed");
    let reports = crate::check::browser(&chromium, &site, &project.target_dir())
        .unwrap_or_else(|e| panic!("{e:#}"));
    let diagrams: usize = reports.iter().map(|r| r.diagrams).sum();
    eprintln!(
        "{} pages, {diagrams} diagrams, every one drawn with its text at 11 px or more",
        reports.len()
    );
}

/// The book on disk keeps its own rules: no benchmark figure typed by hand, and the glossary in
/// step with the chapters' definitions (both also fail the build).
#[test]
fn the_chapters_type_no_benchmark_figure_and_agree_with_the_glossary() {
    let project = project();
    let book = mdbook_driver::MDBook::load(&project.root).expect("the book loads");
    let src = book.source_dir();
    let mut chapters = Vec::new();
    let mut glossary = None;
    for item in book.iter() {
        if let mdbook_preprocessor::book::BookItem::Chapter(ch) = item
            && let Some(path) = &ch.source_path
        {
            let text = std::fs::read_to_string(src.join(path)).unwrap();
            let rel = project.relative(&src.join(path)).to_path_buf();
            if !path.starts_with("appendix") {
                let typed = crate::quote::hand_typed(&rel, &text);
                assert!(typed.is_empty(), "{}", typed.join("\n"));
                chapters.push((path.clone(), text));
            } else if text.contains("{{#glossary}}") {
                glossary = Some((rel, text));
            }
        }
    }
    let (rel, page) = glossary.expect("the book has a glossary page");
    crate::glossary::check(&rel, &page, &chapters, project.relative(&src))
        .unwrap_or_else(|e| panic!("{e:#}"));
}

#[test]
#[ignore = "compiles every snippet with clippy (minutes)"]
fn built_site_snippets_pass_clippy() {
    let project = project();
    let settings = project.run_settings().unwrap();
    let uses = crate::preprocessor::book_uses(&project).unwrap();
    crate::snippets::lint(&project, &settings, &uses).unwrap_or_else(|e| panic!("{e:#}"));
}
