//! Lists the book's chapters from `book/SUMMARY.md` so that rustdoc tests each one.
//!
//! The generated file holds one empty module per chapter whose doc comment is the chapter
//! itself (`#[doc = include_str!(...)]`); `src/lib.rs` of this crate includes it under
//! `cfg(doctest)`. The library has no build script: prose edits never recompile it.
//! A new chapter is tested as soon as it is listed in `SUMMARY.md`, with no other registration.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    // This crate lives in tools/chapters; the book is two folders up.
    let book = Path::new(&root).join("../../book");
    let book = book.canonicalize().unwrap_or(book);
    let summary = book.join("SUMMARY.md");
    println!("cargo:rerun-if-changed={}", summary.display());
    let mut out = String::new();
    // The published crate has no book: then there is nothing to test.
    if let Ok(text) = std::fs::read_to_string(&summary) {
        for (i, target) in chapter_links(&text).into_iter().enumerate() {
            let file = book.join(&target);
            println!("cargo:rerun-if-changed={}", file.display());
            if !file.is_file() {
                // The book tool reports this with the SUMMARY line; here just skip it.
                continue;
            }
            let ident: String = target
                .trim_end_matches(".md")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            writeln!(
                out,
                "#[doc = include_str!({:?})]\npub mod c{i:02}_{ident} {{}}",
                file.display().to_string()
            )
            .expect("writing to a String cannot fail");
        }
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("chapters.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// The targets of `[title](target.md)` links in SUMMARY.md, in order (draft chapters have none).
fn chapter_links(summary: &str) -> Vec<String> {
    let mut links = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].trim();
            if target.ends_with(".md") && !target.contains("://") {
                links.push(target.to_string());
            }
            rest = &after[end..];
        }
    }
    links
}
