//! Links to planned chapters. A planned chapter is a draft entry in `SUMMARY.md`
//! (`- [Load balancing]()`); a chapter links to it the same way, `[Load balancing]()` (the
//! title in any case), and the link renders as the title followed by "(planned)", so nobody
//! types that word. An empty link whose text is no draft's title fails the build, as does a
//! hand-typed "(planned)"; a link to a written chapter must name its file.

use anyhow::{Result, bail};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use crate::markdown::Markdown;

/// `[text]()`, not preceded by `!` (an image) or a backslash.
static EMPTY_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|[^!\\])\[([^\]\[]+)\]\(\)").expect("the link pattern is valid")
});

/// `*Title*`, emphasis that is not bold.
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^*\\])\*([^*\n]+)\*(?:[^*]|$)").expect("the emphasis pattern is valid")
});

/// Titles, lower-cased, to how they are written: the drafts, and the written chapters with
/// their paths under the source folder.
#[derive(Debug, Default)]
pub(crate) struct Chapters {
    /// Draft chapters (no file yet), lower-cased title to title.
    pub drafts: BTreeMap<String, String>,
    /// Written chapters, lower-cased title to the file under the source folder.
    pub written: BTreeMap<String, String>,
}

/// Replaces every `[Title]()` in `text` (a chapter at `chapter`, relative to the root) with the
/// planned-chapter rendering; errors name the chapter and line.
pub(crate) fn expand(chapter: &Path, text: &str, chapters: &Chapters) -> Result<String> {
    for (i, line) in prose_lines(text) {
        if line.contains("(planned)") {
            bail!(
                "{}:{}: \"(planned)\" is typed by hand; link the draft chapter as [Title]() and the tool adds it",
                chapter.display(),
                i + 1
            );
        }
        let line = line.as_str();
        for caps in EMPHASIS.captures_iter(line) {
            let key = caps[1].trim().to_lowercase();
            if chapters.drafts.contains_key(&key) || chapters.written.contains_key(&key) {
                bail!(
                    "{}:{}: *{}* names a chapter without linking it; write a link, [{}](PATH.md), or [{}]() for a planned chapter",
                    chapter.display(),
                    i + 1,
                    &caps[1],
                    &caps[1],
                    &caps[1]
                );
            }
        }
        for caps in EMPTY_LINK.captures_iter(line) {
            let title = &caps[2];
            let key = title.trim().to_lowercase();
            if chapters.drafts.contains_key(&key) {
                continue;
            }
            if let Some(file) = chapters.written.get(&key) {
                bail!(
                    "{}:{}: [{title}]() names a written chapter; link its file, {file}, relative to this chapter",
                    chapter.display(),
                    i + 1
                );
            }
            let drafts: Vec<&String> = chapters.drafts.values().collect();
            bail!(
                "{}:{}: [{title}]() is a link to no chapter: add a draft entry `- [{title}]()` to SUMMARY.md, or use one of {drafts:?}",
                chapter.display(),
                i + 1
            );
        }
    }
    // Links in code or raw HTML (a run's output among them) are text, not links.
    let markdown = Markdown::read(text);
    Ok(EMPTY_LINK
        .replace_all(text, |caps: &regex::Captures| {
            let whole = caps.get(0).expect("group 0 always matches");
            if markdown.touches_literal(&whole.range()) {
                return whole.as_str().to_string();
            }
            format!(
                "{}<span class=\"planned-chapter\" title=\"A chapter the book plans but has not written yet\">{}</span> <span class=\"planned-note\">(planned)</span>",
                &caps[1], &caps[2]
            )
        })
        .into_owned())
}

/// The lines of `text` outside code blocks and raw HTML (comments included), with their
/// 0-based numbers: the text a reader sees ([`Markdown::prose_lines`]).
pub(crate) fn prose_lines(text: &str) -> Vec<(usize, String)> {
    Markdown::read(text).prose_lines()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapters() -> Chapters {
        Chapters {
            drafts: [("load balancing".into(), "Load balancing".into())].into(),
            written: [("hashing".into(), "caching-and-hashing/hashing.md".into())].into(),
        }
    }

    #[test]
    fn a_link_to_a_draft_renders_planned_by_itself() {
        let md = expand(
            Path::new("book/a.md"),
            "See [load balancing]().\n",
            &chapters(),
        )
        .unwrap();
        assert!(
            md.contains(">load balancing</span> <span class=\"planned-note\">(planned)</span>."),
            "{md}"
        );
        let code = "```text\n[load balancing]()\n```\n";
        assert_eq!(
            expand(Path::new("book/a.md"), code, &chapters()).unwrap(),
            code
        );
    }

    #[test]
    fn unknown_titles_written_chapters_and_typed_planned_fail_with_the_line() {
        let fail = |text: &str| {
            expand(Path::new("book/a.md"), text, &chapters())
                .unwrap_err()
                .to_string()
        };
        assert!(fail("x\n[CDN]()\n").starts_with("book/a.md:2: [CDN]() is a link to no chapter"));
        assert!(fail("[Hashing]()\n").contains("link its file, caching-and-hashing/hashing.md"));
        assert!(fail("the *CDN* chapter (planned)\n").contains("typed by hand"));
        assert!(
            fail("see the *Hashing* chapter\n")
                .contains("*Hashing* names a chapter without linking it")
        );
        assert!(
            expand(
                Path::new("book/a.md"),
                "**Hashing** and *hash* \n",
                &chapters()
            )
            .is_ok()
        );
        let commented =
            "<!-- a note\n never type (planned) or [CDN]() -->\ntext <!-- (planned) --> here\n";
        assert!(expand(Path::new("book/a.md"), commented, &chapters()).is_ok());
    }
}
