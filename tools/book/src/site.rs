//! Building the site: mdBook in-process, with our preprocessor and Mermaid's, written
//! atomically so that a failed build leaves the previous site as it was.

use anyhow::{Context, Result};
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::preprocessor::RunSnippets;
use crate::project::Project;

/// Builds the book into its build folder (`target/book`) and returns that folder.
///
/// mdBook renders into a staging folder beside it; only when everything succeeded is the old
/// site moved aside and the new one moved in (two renames on the same file system).
pub fn build(project: &Project) -> Result<PathBuf> {
    let started = Instant::now();
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
    book.with_preprocessor(RunSnippets::new(project.clone()));
    book.with_preprocessor(mdbook_mermaid::Mermaid);
    if let Err(e) = book.build() {
        let _ = std::fs::remove_dir_all(&staging);
        eprintln!(
            "sysdesign-book: the book was not built; the site in {} is unchanged",
            project.relative(&site).display()
        );
        return Err(e);
    }
    let old = sibling(&site, "old");
    remove_if_present(&old)?;
    if site.exists() {
        std::fs::rename(&site, &old)
            .with_context(|| format!("cannot move {} aside", site.display()))?;
    }
    std::fs::rename(&staging, &site)
        .with_context(|| format!("cannot move the new site into {}", site.display()))?;
    remove_if_present(&old)?;
    eprintln!(
        "sysdesign-book: built the book into {} in {:.1} s",
        project.relative(&site).display(),
        started.elapsed().as_secs_f64()
    );
    Ok(site)
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
