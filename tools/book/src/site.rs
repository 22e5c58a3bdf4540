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
    /// How long the build waited for another build of the checkout, if it had to.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "the tests read it; a build says itself that it waited"
        )
    )]
    pub waited: Option<std::time::Duration>,
}

/// Builds the book into its build folder (`target/book`).
///
/// One build of a checkout at a time ([`BuildLock`]; `serve`'s rebuilds take it too). mdBook
/// renders into a staging folder of this build's own beside the site; only when everything
/// succeeded is it swapped with the old site in one atomic `renameat2(RENAME_EXCHANGE)`, so no
/// interruption, at any moment, leaves no site.
pub(crate) fn build(project: &Project) -> Result<Built> {
    let started = Instant::now();
    let lock = BuildLock::take(project)?;
    check_summary(project)?;
    check_links(project)?;
    let mut book = MDBook::load(&project.root).with_context(|| {
        format!(
            "cannot load the book from {} (book.toml and the SUMMARY.md it points to)",
            project.root.display()
        )
    })?;
    let site = project.root.join(&book.config.build.build_dir);
    recover(&site)?;
    let staging = sibling(&site, &format!("staging-{}", std::process::id()));
    remove_if_present(&staging)?;
    book.config.build.build_dir = staging.clone();
    // The snippets run first (or come from the cache): the notebooks, generated next, quote
    // their figures, so this is where a build's runs happen and are counted.
    let snippets_started = Instant::now();
    let uses = crate::preprocessor::uses(&crate::preprocessor::directives(
        project,
        &book.book,
        &book.source_dir(),
    )?);
    let (_, early) = crate::preprocessor::get_or_run(project, &project.run_settings()?, &uses)?;
    let early_elapsed = snippets_started.elapsed();
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
    swap_in(&staging, &site)?;
    let mut snippets = stats
        .lock()
        .expect("the preprocessor does not panic")
        .clone();
    snippets.cached.retain(|p| !early.ran.contains(p));
    snippets.ran.extend(early.ran);
    snippets.elapsed += early_elapsed;
    let built = Built {
        site,
        snippets,
        waited: lock.waited,
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

/// The lock that serialises the builds of one checkout (the site, the snippets' package and
/// their binaries, the output cache): `target/sysdesign-book.lock`, held with
/// `std::fs::File::lock` until dropped, so the kernel releases it when a build dies. A second
/// build waits and says so.
pub(crate) struct BuildLock {
    _file: std::fs::File,
    /// How long this build waited for another one, if it had to.
    pub waited: Option<std::time::Duration>,
}

impl BuildLock {
    /// Takes the lock, waiting (and saying so) while another build of this checkout holds it.
    pub(crate) fn take(project: &Project) -> Result<BuildLock> {
        let dir = project.target_dir();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("sysdesign-book.lock");
        let busy = format!(
            "another build of this checkout is running (it holds {}); waiting for it to finish",
            project.relative(&path).display()
        );
        let (file, waited) = crate::project::lock_file(&path, &busy)?;
        if let Some(waited) = waited {
            eprintln!(
                "sysdesign-book: the other build finished; waited {:.1} s",
                waited.as_secs_f64()
            );
        }
        Ok(BuildLock {
            _file: file,
            waited,
        })
    }
}

/// Puts the staging folder in the site's place in one step: an atomic exchange of the two
/// names, then the old site (now under the staging name) is removed. File systems without
/// `RENAME_EXCHANGE` get two renames, which [`recover`] completes if a build dies between them.
fn swap_in(staging: &Path, site: &Path) -> Result<()> {
    if !site.exists() {
        return std::fs::rename(staging, site)
            .with_context(|| format!("cannot move the new site into {}", site.display()));
    }
    match exchange(staging, site) {
        Ok(()) => return remove_if_present(staging),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {}
        Err(e) => {
            return Err(e).with_context(|| {
                format!("cannot swap {} into {}", staging.display(), site.display())
            });
        }
    }
    let old = sibling(site, "old");
    remove_if_present(&old)?;
    std::fs::rename(site, &old).with_context(|| format!("cannot move {} aside", site.display()))?;
    std::fs::rename(staging, site)
        .with_context(|| format!("cannot move the new site into {}", site.display()))?;
    remove_if_present(&old)
}

/// `renameat2(a, b, RENAME_EXCHANGE)`: both names stay, each now naming the other's folder.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Under the lock: what an interrupted build left beside the site goes. A site moved aside by
/// the two-rename fallback, with no site in its place, is moved back.
fn recover(site: &Path) -> Result<()> {
    let old = sibling(site, "old");
    if !site.exists() && old.is_dir() {
        std::fs::rename(&old, site)
            .with_context(|| format!("cannot move {} back into place", old.display()))?;
    }
    remove_if_present(&old)?;
    let (Some(parent), Some(name)) = (site.parent(), site.file_name()) else {
        return Ok(());
    };
    let prefix = format!("{}.staging", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
}

/// The folders whose files reach the site or the snippets' build: a symbolic link there that
/// leaves the repository (or leads nowhere) would copy an outside file into the published
/// site, or compile one. Each is refused, named with its target.
pub(crate) fn check_links(project: &Project) -> Result<()> {
    let root = &project.root;
    for top in ["book", "snippets", "theme"] {
        let mut stack = vec![root.join(top)];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
            };
            for entry in entries {
                let path = entry?.path();
                let meta = std::fs::symlink_metadata(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                if meta.is_dir() {
                    stack.push(path);
                } else if meta.file_type().is_symlink() {
                    let target = std::fs::read_link(&path).unwrap_or_default();
                    match path.canonicalize() {
                        Ok(real) if real.starts_with(root) => {}
                        Ok(real) => bail!(
                            "{} is a symbolic link to {}, outside the repository; the build copies only the repository's own files (replace the link with the file, or remove it)",
                            project.relative(&path).display(),
                            real.display()
                        ),
                        Err(_) => bail!(
                            "{} is a symbolic link to {}, which does not exist",
                            project.relative(&path).display(),
                            target.display()
                        ),
                    }
                }
            }
        }
    }
    Ok(())
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
