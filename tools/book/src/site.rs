//! Building the site: mdBook in-process, with our preprocessor and Mermaid's, written
//! atomically so that a failed build leaves the previous site as it was.

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::preprocessor::{RunSnippets, RunStats};
use crate::project::{Project, files_with_extension};

/// What a successful build produced.
#[derive(Debug)]
pub(crate) struct Built {
    /// The site folder, e.g. `target/book`.
    pub site: PathBuf,
    /// Which snippets were run and which were taken from the output cache.
    pub snippets: RunStats,
}

/// Builds the book into its build folder (`target/book`).
///
/// mdBook renders into a staging folder beside it; only when everything succeeded is the old
/// site moved aside and the new one moved in (two renames on the same file system).
pub(crate) fn build(project: &Project) -> Result<Built> {
    let started = Instant::now();
    check_summary(project)?;
    let mut book = MDBook::load(&project.root).with_context(|| {
        format!(
            "cannot load the book from {} (book.toml and the SUMMARY.md it points to)",
            project.root.display()
        )
    })?;
    let site = project.root.join(&book.config.build.build_dir);
    let staging = sibling(&site, "staging");
    remove_if_present(&staging)?;
    book.config.build.build_dir = staging.clone();
    // The notebooks come from the book as written, before any preprocessor runs; each carries
    // the outputs of its last execution when one with the same inputs is stored.
    let notebooks = crate::notebooks::SiteNotebooks::generate(project, &book, &staging)?;
    let stats = Arc::new(Mutex::new(RunStats::default()));
    book.with_preprocessor(RunSnippets::new(project.clone(), Arc::clone(&stats)));
    book.with_preprocessor(crate::pages::Pages::new(project.clone()));
    book.with_preprocessor(mdbook_mermaid::Mermaid);
    book.with_preprocessor(notebooks.page_link());
    if let Err(e) = book.build() {
        let _ = std::fs::remove_dir_all(&staging);
        eprintln!(
            "sysdesign-book: the book was not built; the site in {} is unchanged",
            project.relative(&site).display()
        );
        return Err(e);
    }
    // The notebooks the pages link to.
    notebooks.write(&staging)?;
    let old = sibling(&site, "old");
    remove_if_present(&old)?;
    if site.exists() {
        std::fs::rename(&site, &old)
            .with_context(|| format!("cannot move {} aside", site.display()))?;
    }
    std::fs::rename(&staging, &site)
        .with_context(|| format!("cannot move the new site into {}", site.display()))?;
    remove_if_present(&old)?;
    let built = Built {
        site,
        snippets: stats
            .lock()
            .expect("the preprocessor does not panic")
            .clone(),
    };
    let (executed, chapters) = notebooks.counts();
    eprintln!(
        "sysdesign-book: built the book into {} in {:.1} s ({}; {executed} of {chapters} notebooks carry the outputs of a run)",
        project.relative(&built.site).display(),
        started.elapsed().as_secs_f64(),
        built.snippets
    );
    Ok(built)
}

/// `SUMMARY.md` and the chapter files agree: every entry names a file that exists (mdBook
/// would say only "not found", without the line), and every Markdown file under the source
/// folder is listed (an unlisted chapter would silently be left out of the book and its tests).
pub(crate) fn check_summary(project: &Project) -> Result<()> {
    let config = mdbook_driver::config::Config::from_disk(project.root.join("book.toml"))
        .context("book.toml is not valid")?;
    let src = project.root.join(&config.book.src);
    let summary_path = src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", project.relative(&summary_path).display()))?;
    let shown = project.relative(&summary_path).to_path_buf();
    let mut listed = std::collections::BTreeSet::new();
    for (i, line) in summary.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].trim();
            rest = &after[end..];
            if target.is_empty() || target.contains("://") || !target.ends_with(".md") {
                continue;
            }
            let file = src.join(target);
            if !file.is_file() {
                bail!(
                    "{}:{}: lists {target}, but {} does not exist",
                    shown.display(),
                    i + 1,
                    project.relative(&file).display()
                );
            }
            listed.insert(file.canonicalize()?);
        }
    }
    for path in files_with_extension(&src, "md")? {
        if path != summary_path && !listed.contains(&path.canonicalize()?) {
            bail!(
                "{} is not listed in {}; add it there, or remove it",
                project.relative(&path).display(),
                shown.display()
            );
        }
    }
    Ok(())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!("{name}.{suffix}"))
}

fn remove_if_present(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", dir.display())),
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A tiny project of its own: a `sysdesign` crate with nothing in it, one chapter, and
    /// snippets that we break one way after another.
    pub(crate) fn fixture(name: &str) -> Project {
        let root =
            std::env::temp_dir().join(format!("sysdesign-book-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["src", "book", "snippets/demo"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        let files = [
            (
                "Cargo.toml",
                "[package]\nname = \"sysdesign\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
            ),
            ("src/lib.rs", ""),
            (
                "book.toml",
                "[book]\ntitle = \"t\"\nsrc = \"book\"\n\n[build]\nbuild-dir = \"target/book\"\ncreate-missing = false\n\n\
                 [preprocessor.run]\nbefore = [\"links\"]\ntimeout = 3\n",
            ),
            ("book/SUMMARY.md", "# Summary\n\n- [Demo](demo.md)\n"),
            (
                "snippets/demo/good.rs",
                "fn main() {\n    println!(\"<b>{}</b>\", 6 * 7);\n}\n",
            ),
        ];
        for (path, text) in files {
            std::fs::write(root.join(path), text).unwrap();
        }
        Project { root }
    }

    pub(crate) fn chapter(project: &Project, body: &str) {
        std::fs::write(
            project.root.join("book/demo.md"),
            format!("# Demo\n\n{body}\n"),
        )
        .unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;

    #[test]
    fn a_broken_snippet_fails_the_build_at_its_directive_and_keeps_the_old_site() {
        let project = fixture("broken");
        chapter(&project, "{{#run ../snippets/demo/good.rs}}");
        let built = build(&project).expect("the good book builds");
        assert_eq!(built.snippets.ran, [PathBuf::from("snippets/demo/good.rs")]);
        let site = built.site;
        let page = site.join("demo.html");
        let good = std::fs::read_to_string(&page).unwrap();
        assert!(
            good.contains("&lt;b&gt;42&lt;/b&gt;"),
            "the run's output is on the page, escaped"
        );

        let broken = [
            (
                "no_compile.rs",
                "fn main() {\n    let x: u32 = \"text\";\n}\n",
                "does not compile",
            ),
            (
                "panics.rs",
                "fn main() {\n    panic!(\"boom\");\n}\n",
                "boom",
            ),
            (
                "forever.rs",
                "fn main() {\n    loop {\n        std::hint::spin_loop();\n    }\n}\n",
                "time limit of 3 s",
            ),
        ];
        for (file, source, expected) in broken {
            std::fs::write(project.root.join("snippets/demo").join(file), source).unwrap();
            // The directive sits on line 5 of the chapter.
            chapter(
                &project,
                &format!("Some prose.\n\n{{{{#run ../snippets/demo/{file}}}}}"),
            );
            let err = format!("{:#}", build(&project).expect_err(file));
            assert!(
                err.contains(&format!("book/demo.md:5: snippet snippets/demo/{file}")),
                "{err}"
            );
            assert!(err.contains(expected), "{file}: {err}");
            assert_eq!(
                std::fs::read_to_string(&page).unwrap(),
                good,
                "{file}: the old site is untouched"
            );
        }
        std::fs::remove_dir_all(&project.root).unwrap();
    }
}

#[cfg(test)]
mod cache_tests {
    use super::tests_support::*;
    use super::*;

    fn ran(project: &Project) -> Vec<String> {
        let built = build(project).expect("the book builds");
        built
            .snippets
            .ran
            .iter()
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_rebuild_runs_exactly_the_snippets_whose_inputs_changed() {
        let project = fixture("cache");
        let write = |path: &str, text: &str| std::fs::write(project.root.join(path), text).unwrap();
        write("src/lib.rs", "pub mod alpha;\npub mod beta;\n");
        write("src/alpha.rs", "pub fn a() -> u32 {\n    1\n}\n");
        write("src/beta.rs", "pub fn b() -> u32 {\n    2\n}\n");
        write(
            "snippets/demo/uses_alpha.rs",
            "fn main() {\n    println!(\"{}\", sysdesign::alpha::a());\n}\n",
        );
        write(
            "snippets/demo/uses_beta.rs",
            "fn main() {\n    println!(\"{}\", sysdesign::beta::b());\n}\n",
        );
        write(
            "snippets/demo/uses_both.rs",
            "use sysdesign::{alpha, beta::b};\n\nfn main() {\n    println!(\"{}\", alpha::a() + b());\n}\n",
        );
        chapter(
            &project,
            "{{#run ../snippets/demo/uses_alpha.rs}}\n\n{{#run ../snippets/demo/uses_beta.rs}}\n\n{{#run ../snippets/demo/uses_both.rs}}",
        );

        assert_eq!(ran(&project), ["uses_alpha", "uses_beta", "uses_both"]);
        assert_eq!(
            ran(&project),
            Vec::<String>::new(),
            "nothing changed, nothing runs"
        );

        write(
            "snippets/demo/uses_alpha.rs",
            "fn main() {\n    // touched\n    println!(\"{}\", sysdesign::alpha::a());\n}\n",
        );
        assert_eq!(ran(&project), ["uses_alpha"], "one snippet changed");

        write("src/beta.rs", "pub fn b() -> u32 {\n    20\n}\n");
        assert_eq!(
            ran(&project),
            ["uses_beta", "uses_both"],
            "the module beta changed"
        );
        let page = std::fs::read_to_string(project.root.join("target/book/demo.html")).unwrap();
        assert!(
            page.contains("<code>21</code>"),
            "the page shows the new output"
        );

        // A damaged cache entry is noticed and run again, never shown.
        let dir = crate::cache::dir(&project);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("uses_alpha.rs") {
                std::fs::write(&path, &text[..text.len() / 2]).unwrap();
            }
        }
        assert_eq!(ran(&project), ["uses_alpha"], "the damaged entry is re-run");
        std::fs::remove_dir_all(&project.root).unwrap();
    }
}
