//! `cargo book synthetic --chapters N OUT`: a scratch copy of the book whose chapters are
//! repeated until it has N, to measure now how the pipeline will scale when the book is that
//! long (CONTRIBUTING.md states the budget). Not part of CI.
//!
//! The copy holds the repository's tracked files. Each extra chapter is a real chapter copied
//! beside the original (`x-copy-2.md`, so its relative links and includes still resolve) with its snippets copied to a folder of their own (`snippets/<dir>-copy-K/`, their
//! expected outputs too), so every extra chapter compiles, runs and executes its notebook like
//! a new one would. Then `cargo book test` inside the copy measures it.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project::Project;
use crate::snippets;

/// Writes the synthetic book into `out`.
pub(crate) fn write(project: &Project, chapters: usize, out: &Path) -> Result<()> {
    if out.exists() {
        bail!("{} exists; name a folder that does not", out.display());
    }
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&project.root)
        .output()
        .context("cannot run git ls-files")?;
    if !listed.status.success() {
        bail!("git ls-files failed: the synthetic book copies a git checkout's tracked files");
    }
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let rel = PathBuf::from(String::from_utf8_lossy(file).into_owned());
        copy(&project.root.join(&rel), &out.join(&rel))?;
    }
    let summary_path = out.join("book/SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", summary_path.display()))?;
    // The chapters to repeat: the numbered ones that run snippets, in order.
    let mut originals = Vec::new();
    let mut present = 0;
    for line in summary.lines() {
        let Some(target) = line
            .trim_start()
            .strip_prefix("- [")
            .and_then(|l| l.split_once("]("))
            .and_then(|(_, rest)| rest.strip_suffix(')'))
        else {
            continue;
        };
        if target.is_empty() {
            continue; // a planned chapter (a draft entry)
        }
        present += 1;
        let rel = Path::new("book").join(target);
        let text = std::fs::read_to_string(out.join(&rel)).unwrap_or_default();
        let dirs = snippet_dirs(project, &rel, &text)?;
        if !dirs.is_empty() {
            originals.push((target.to_string(), text, dirs));
        }
    }
    if originals.is_empty() || chapters <= present {
        bail!(
            "the book has {present} entries and {} chapters that run snippets; ask for more chapters than it has",
            originals.len()
        );
    }
    let mut entries = String::from("\n# Synthetic copies\n\n");
    let mut added = 0;
    'copies: for k in 1.. {
        for (target, text, dirs) in &originals {
            if present + added >= chapters {
                break 'copies;
            }
            let stem = Path::new(target).with_extension("");
            let mut copy_text = text.clone();
            for dir in dirs {
                let from = out.join("snippets").join(dir);
                let to = format!("{dir}-copy-{k}");
                copy_tree(&from, &out.join("snippets").join(&to))?;
                copy_text =
                    copy_text.replace(&format!("snippets/{dir}/"), &format!("snippets/{to}/"));
            }
            let title = copy_text.lines().next().unwrap_or("# Chapter").to_string();
            copy_text = copy_text.replacen(&title, &format!("{title} (copy {k})"), 1);
            // Beside the original, so its relative links and includes resolve the same way.
            let name = format!("{}-copy-{k}.md", stem.display());
            std::fs::write(out.join("book").join(&name), copy_text)?;
            entries.push_str(&format!(
                "- [{} (copy {k})]({name})\n",
                title.trim_start_matches("# ")
            ));
            added += 1;
        }
    }
    // Before the appendices, so suffix chapters stay last.
    let summary = match summary.find("\n# Appendices") {
        Some(at) => format!("{}{entries}{}", &summary[..at], &summary[at..]),
        None => format!("{summary}{entries}"),
    };
    std::fs::write(&summary_path, summary)?;
    eprintln!(
        "sysdesign-book: wrote {} with {} chapters ({added} copies); run `cargo book test` inside it",
        out.display(),
        present + added
    );
    Ok(())
}

/// The snippet folders a chapter runs (`caching` for `snippets/caching/x.rs`).
fn snippet_dirs(project: &Project, chapter: &Path, text: &str) -> Result<BTreeSet<String>> {
    let Ok(directives) = snippets::find_directives(project, chapter, text) else {
        return Ok(BTreeSet::new());
    };
    Ok(directives
        .iter()
        .filter_map(|d| {
            d.snippet
                .components()
                .nth(1)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        })
        .collect())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().expect("an entry has a name");
        if path.is_dir() {
            copy_tree(&path, &to.join(name))?;
        } else {
            copy(&path, &to.join(name))?;
        }
    }
    Ok(())
}
