//! Corrections of the study notes, as one consistent callout, and the generated appendix
//! "Common claims corrected" that collects them.
//!
//! A chapter writes a correction as a block quote that opens with a marker; the comment keeps
//! the notes' file and line for maintainers and is not shown to readers:
//!
//! ```text
//! > [!CORRECTION] <!-- notes 001:841 -->
//! > **Common claim:** what the notes say, in our words.
//! >
//! > **What is right:** the correction, with its primary source.
//! >
//! > **The run that shows it:** which program, and what its output shows.
//! ```
//!
//! The first two parts are required; the run is left out only where no run can show the
//! point (a definition, say), and then the correction cites its source.
//!
//! Each callout gets an id (`correction-caching-1`, ...), and `{{#corrections}}` in the appendix page
//! becomes the list of every callout of the book, chapter by chapter, each linking back.

use anyhow::{Result, bail};
use std::path::{Component, Path, PathBuf};

/// The labels every callout carries, in order.
pub(crate) const PARTS: [&str; 3] = [
    "**Common claim:**",
    "**What is right:**",
    "**The run that shows it:**",
];

const MARKER: &str = "[!CORRECTION]";

/// One correction, as written in its chapter.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Callout {
    /// Its id in the chapter's page.
    pub id: String,
    /// The notes' file and line, for maintainers (from the marker's comment), if given.
    pub notes: Option<String>,
    /// The claim, in our words (Markdown).
    pub claim: String,
    /// What is right (Markdown).
    pub right: String,
    /// The run that shows it (Markdown), empty when the callout names none.
    pub run: String,
    /// The first line of the block quote, 1-based.
    pub line: usize,
}

/// Finds the callouts of a chapter and returns the chapter with each rendered, or an error
/// naming the chapter and line of a callout that lacks a part.
pub(crate) fn expand(chapter: &Path, text: &str) -> Result<(String, Vec<Callout>)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut callouts = Vec::new();
    let mut i = 0;
    let mut fence: Option<String> = None;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if let Some(open) = &fence {
            if t.starts_with(open.as_str()) {
                fence = None;
            }
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t.chars().take_while(|c| *c == '`' || *c == '~').collect());
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let Some(rest) = t
            .strip_prefix('>')
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix(MARKER))
        else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let start = i + 1;
        let notes = rest
            .trim()
            .strip_prefix("<!--")
            .and_then(|r| r.strip_suffix("-->"))
            .map(|r| r.trim().trim_start_matches("notes").trim().to_string());
        i += 1;
        let mut body = String::new();
        while i < lines.len() && lines[i].trim_start().starts_with('>') {
            let l = lines[i].trim_start()[1..]
                .strip_prefix(' ')
                .unwrap_or(&lines[i].trim_start()[1..]);
            body.push_str(l);
            if !l.ends_with('\n') {
                body.push('\n');
            }
            i += 1;
        }
        let mut found_at = Vec::new();
        for (k, label) in PARTS.iter().enumerate() {
            match body.find(label) {
                Some(at) => found_at.push(Some(at)),
                // The run is optional: some corrections are of definitions, with a source.
                None if k == 2 => found_at.push(None),
                None => bail!(
                    "{}:{start}: the correction callout has no {label} part; a callout says {}, {} and, where a run shows it, {}",
                    chapter.display(),
                    PARTS[0],
                    PARTS[1],
                    PARTS[2]
                ),
            }
        }
        let present: Vec<usize> = found_at.iter().flatten().copied().collect();
        if present.windows(2).any(|w| w[0] > w[1]) {
            bail!(
                "{}:{start}: the parts of the correction callout are out of order; write {}",
                chapter.display(),
                PARTS.join(", ")
            );
        }
        let mut parts = Vec::new();
        for (k, at) in found_at.iter().enumerate() {
            let Some(at) = at else {
                parts.push(String::new());
                continue;
            };
            let from = at + PARTS[k].len();
            let to = found_at[k + 1..]
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(body.len());
            parts.push(body[from..to].trim().to_string());
        }
        // Unique in the whole book, since the print page holds every chapter.
        let stem = chapter
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let id = format!("correction-{stem}-{}", callouts.len() + 1);
        out.push_str(&render(&id, notes.as_deref(), &parts));
        let [claim, right, run]: [String; 3] = parts.try_into().expect("three parts");
        callouts.push(Callout {
            id,
            notes,
            claim,
            right,
            run,
            line: start,
        });
    }
    Ok((out, callouts))
}

fn render(id: &str, notes: Option<&str>, parts: &[String]) -> String {
    let notes = notes.map_or(String::new(), |n| {
        format!(" data-notes=\"{}\"", sysdesign::show::escape_html(n))
    });
    let mut html = format!(
        "<div class=\"correction\" id=\"{id}\"{notes}>\n<p class=\"correction-title\"><a href=\"#{id}\">Correcting a common claim</a></p>\n\n"
    );
    for (label, text) in PARTS.iter().zip(parts) {
        if !text.is_empty() {
            html.push_str(&format!("{label} {text}\n\n"));
        }
    }
    html.push_str("</div>\n");
    html
}

/// The appendix's list: for each chapter (its title and path under the source folder, in book
/// order) its callouts, each linking back. `appendix` is the appendix page's path under the
/// source folder; links inside a callout are rewritten to work from there.
pub(crate) fn appendix(appendix: &Path, chapters: &[(String, PathBuf, Vec<Callout>)]) -> String {
    let mut md = String::new();
    let total = chapters
        .iter()
        .flat_map(|(_, _, c)| c)
        .filter(|c| c.notes.as_deref() != Some("example"))
        .count();
    md.push_str(&format!(
        "The book corrects {total} claims of the study notes; each entry below links to the callout in its chapter, which also shows the run.\n\n"
    ));
    for (title, path, callouts) in chapters {
        // A callout marked `<!-- example -->` shows readers what a callout looks like.
        let callouts: Vec<&Callout> = callouts
            .iter()
            .filter(|c| c.notes.as_deref() != Some("example"))
            .collect();
        if callouts.is_empty() {
            continue;
        }
        let link = relative(appendix, path);
        md.push_str(&format!("## [{title}]({link})\n\n"));
        for c in callouts {
            let claim = rebase_links(&c.claim, path, appendix);
            let right = rebase_links(&c.right, path, appendix);
            md.push_str(&format!(
                "- **Common claim:** {}\n\n  **What is right:** {} ([the correction in its chapter]({link}#{}))\n\n",
                indent(&claim),
                indent(&right),
                c.id
            ));
        }
    }
    md
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}

/// `to` (a page under the source folder) as a link from the page `from`.
fn relative(from: &Path, to: &Path) -> String {
    let depth = from.parent().map_or(0, |p| p.components().count());
    let mut s = "../".repeat(depth);
    s.push_str(&to.to_string_lossy());
    s
}

/// Rewrites relative Markdown links `](target)` of text written in `chapter` so they work from
/// `page`.
fn rebase_links(text: &str, chapter: &Path, page: &Path) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        if target.is_empty() || target.contains("://") || target.starts_with('/') {
            out.push_str(target);
        } else if let Some(frag) = target.strip_prefix('#') {
            out.push_str(&format!("{}#{frag}", relative(page, chapter)));
        } else {
            let joined = chapter.parent().unwrap_or(Path::new("")).join(target);
            let mut norm = PathBuf::new();
            for c in joined.components() {
                match c {
                    Component::ParentDir => {
                        norm.pop();
                    }
                    Component::Normal(p) => norm.push(p),
                    _ => {}
                }
            }
            out.push_str(&relative(page, &norm));
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLOUT: &str = "Text.\n\n> [!CORRECTION] <!-- notes 001:841 -->\n> **Common claim:** LRU is FIFO.\n>\n> **What is right:** they differ; see [hashing](hashing.md#x) and [below](#trace).\n>\n> **The run that shows it:** the trace below.\n\nMore.\n";

    #[test]
    fn a_callout_renders_with_an_id_and_keeps_the_notes_reference_out_of_the_text() {
        let (md, found) = expand(Path::new("book/c/a.md"), CALLOUT).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].notes.as_deref(), Some("001:841"));
        assert_eq!(found[0].claim, "LRU is FIFO.");
        assert_eq!(found[0].line, 3);
        assert!(
            md.contains("<div class=\"correction\" id=\"correction-a-1\" data-notes=\"001:841\">"),
            "{md}"
        );
        assert!(
            !md.contains("[!CORRECTION]") && md.ends_with("More.\n"),
            "{md}"
        );
    }

    #[test]
    fn a_callout_without_all_three_parts_fails_with_its_line() {
        let text = "> [!CORRECTION]\n> **Common claim:** x\n";
        let err = expand(Path::new("book/a.md"), text)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("book/a.md:1: the correction callout has no **What is right:**"),
            "{err}"
        );
    }

    #[test]
    fn the_appendix_links_back_and_rebases_the_callouts_links() {
        let (_, found) = expand(Path::new("book/c/a.md"), CALLOUT).unwrap();
        let md = appendix(
            Path::new("appendix/common-claims-corrected.md"),
            &[("A".into(), PathBuf::from("c/a.md"), found)],
        );
        assert!(md.contains("## [A](../c/a.md)"), "{md}");
        assert!(md.contains("(../c/a.md#correction-a-1)"), "{md}");
        assert!(md.contains("[hashing](../c/hashing.md#x)"), "{md}");
        assert!(md.contains("[below](../c/a.md#trace)"), "{md}");
    }
}
