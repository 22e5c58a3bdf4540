//! The glossary: the book's key terms, each linking to the place it is defined.
//!
//! A chapter defines a term by writing it in bold where it first explains it (`A **cache** is
//! ...`). The glossary page lists terms with a one-line gloss, `- **hit ratio**: the share of
//! lookups that hit.`, and `{{#glossary}}` on that page becomes the list with each term linked
//! to its definition site, where the tool puts an anchor (`#term-hit-ratio`).
//!
//! Two rules keep the glossary and the chapters in step, and the build fails on either:
//! every glossary term has a definition site, and every term a chapter defines in the middle of
//! a sentence (bold, at most five words, no closing punctuation inside) is in the glossary. Bold
//! at the start of a line or list item is a label ("**Which metric.**"), and counts as a
//! definition site only.

use anyhow::{Result, bail};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*([^*\n]+)\*\*").expect("the bold pattern is valid"));
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^- \*\*([^*\n]+)\*\*:\s*(.+)$").expect("the entry pattern is valid")
});

/// Where a term is first written in bold: the chapter (under the source folder) and line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Site {
    /// The chapter's path under the source folder, e.g. `caching-and-hashing/caching.md`.
    pub chapter: PathBuf,
    /// The 1-based line.
    pub line: usize,
    /// Whether the bold sat in the middle of a sentence, the sign of a definition.
    pub in_sentence: bool,
}

/// The anchor id of a term's definition site.
pub(crate) fn anchor(term: &str) -> String {
    let mut id = String::from("term-");
    let mut dash = false;
    for c in term.to_lowercase().chars() {
        if c.is_alphanumeric() {
            id.push(c);
            dash = false;
        } else if !dash && !id.ends_with('-') {
            id.push('-');
            dash = true;
        }
    }
    id.trim_end_matches('-').to_string()
}

fn is_term(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !t.ends_with(['.', ':', '?', '!', ','])
        && t.split_whitespace().count() <= 5
        && !t.contains('`')
}

/// The text of a list item after its marker (`- `, `* `, `+ `, `1. `, `1) `), or the line.
fn list_item_text(line: &str) -> &str {
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return rest.trim_start();
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0
        && let Some(rest) = line[digits..]
            .strip_prefix(". ")
            .or_else(|| line[digits..].strip_prefix(") "))
    {
        return rest.trim_start();
    }
    line
}

/// Every bold term of one chapter's text with its first line, outside code, block quotes and
/// HTML comments.
pub(crate) fn bold_terms(text: &str) -> Vec<(String, usize, bool)> {
    let mut found = Vec::new();
    for (i, line) in crate::planned::prose_lines(text) {
        let line = line.as_str();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('>') || t.starts_with('#') || t.starts_with('|') {
            continue;
        }
        // The start of the line or of a list item: a label rather than a definition.
        let lead = list_item_text(t);
        let lead_at = line.len() - lead.len();
        for caps in BOLD.captures_iter(line) {
            let whole = caps.get(0).expect("whole");
            if is_term(&caps[1]) {
                found.push((
                    caps[1].trim().to_lowercase(),
                    i + 1,
                    whole.start() != lead_at,
                ));
            }
        }
    }
    found
}

/// The first bold occurrence of every term in the chapters, in book order.
pub(crate) fn sites(chapters: &[(PathBuf, String)]) -> BTreeMap<String, Site> {
    let mut sites = BTreeMap::new();
    for (chapter, text) in chapters {
        for (term, line, in_sentence) in bold_terms(text) {
            sites.entry(term).or_insert(Site {
                chapter: chapter.clone(),
                line,
                in_sentence,
            });
        }
    }
    sites
}

/// One glossary entry as its page writes it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// The term in lower case, as definition sites are matched.
    pub key: String,
    /// The term as the glossary writes it (`LRU`, `write-back`).
    pub term: String,
    /// The one-line gloss.
    pub gloss: String,
}

/// The glossary's entries, from its page as written.
pub(crate) fn entries(page: &str) -> Vec<Entry> {
    page.lines()
        .filter_map(|l| ENTRY.captures(l))
        .map(|c| Entry {
            key: c[1].trim().to_lowercase(),
            term: c[1].trim().to_string(),
            gloss: c[2].trim().to_string(),
        })
        .collect()
}

/// Checks the two rules; the error lists every term that breaks one, with where to look.
/// `glossary` is the glossary page's path relative to the root, for the messages.
pub(crate) fn check(
    glossary: &Path,
    page: &str,
    chapters: &[(PathBuf, String)],
    src: &Path,
) -> Result<()> {
    let sites = sites(chapters);
    let entries: BTreeMap<String, Entry> = entries(page)
        .into_iter()
        .map(|e| (e.key.clone(), e))
        .collect();
    let mut problems = Vec::new();
    for term in entries.keys() {
        if !sites.contains_key(term) {
            problems.push(format!(
                "{}: the term {term:?} is defined nowhere: no chapter writes **{term}** in bold",
                glossary.display()
            ));
        }
    }
    for (term, site) in &sites {
        if site.in_sentence && !entries.contains_key(term) {
            problems.push(format!(
                "{}:{}: **{term}** is defined here but missing from {}; add `- **{term}**: ...` there",
                src.join(&site.chapter).display(),
                site.line,
                glossary.display()
            ));
        }
    }
    if !problems.is_empty() {
        bail!(
            "the glossary and the chapters disagree:\n  {}",
            problems.join("\n  ")
        );
    }
    Ok(())
}

/// The glossary list, each term linked to its definition site, from the page at `page_path`
/// (under the source folder).
pub(crate) fn render(page_path: &Path, page: &str, chapters: &[(PathBuf, String)]) -> String {
    let sites = sites(chapters);
    let depth = page_path.parent().map_or(0, |p| p.components().count());
    let mut md = String::new();
    let mut entries = entries(page);
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    for e in entries {
        let Some(site) = sites.get(&e.key) else {
            continue;
        };
        md.push_str(&format!(
            "- [**{}**]({}{}#{}): {}\n",
            e.term,
            "../".repeat(depth),
            site.chapter.display(),
            anchor(&e.key),
            e.gloss
        ));
    }
    md
}

/// Puts the anchor of each of `terms` (those whose definition site is this chapter) on its
/// first bold occurrence in `text`, which becomes `<strong id="term-...">`.
pub(crate) fn mark_sites(text: &str, terms: &[&String]) -> String {
    if terms.is_empty() {
        return text.to_string();
    }
    let mut at_line: BTreeMap<usize, Vec<&String>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for (term, line, _) in bold_terms(text) {
        if let Some(t) = terms.iter().find(|t| ***t == term)
            && seen.insert(term.clone())
        {
            at_line.entry(line).or_default().push(t);
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut line = line.to_string();
        for term in at_line.get(&(i + 1)).into_iter().flatten() {
            let marked = BOLD
                .find_iter(&line)
                .find(|m| m.as_str()[2..m.as_str().len() - 2].trim().to_lowercase() == **term)
                .map(|m| {
                    (
                        m.start(),
                        m.end(),
                        m.as_str()[2..m.as_str().len() - 2].to_string(),
                    )
                });
            if let Some((start, end, inner)) = marked {
                line.replace_range(
                    start..end,
                    &format!("<strong id=\"{}\">{inner}</strong>", anchor(term)),
                );
            }
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Vec<(PathBuf, String)> {
        vec![
            (
                PathBuf::from("c/a.md"),
                "# A\n\nA **cache** keeps copies; its **hit ratio** matters.\n\n- **Which metric.** A label.\n- **Write-through**: a list definition.\n**Memory** starts a line.\n\n```text\n**not a term**\n```\n".into(),
            ),
            (PathBuf::from("c/b.md"), "The **cache** again.\n".into()),
        ]
    }

    #[test]
    fn definition_sites_are_first_bold_uses_and_labels_are_not_required() {
        let s = sites(&book());
        assert_eq!(s["cache"].chapter, PathBuf::from("c/a.md"));
        assert!(s["cache"].in_sentence && s["hit ratio"].in_sentence);
        assert!(!s["write-through"].in_sentence && !s["memory"].in_sentence);
        assert!(!s.contains_key("which metric.") && !s.contains_key("not a term"));
    }

    #[test]
    fn the_check_fails_on_an_undefined_glossary_term_and_on_a_missing_defined_term() {
        let page = "- **cache**: a copy.\n- **write-through**: both.\n- **quorum**: a majority.\n";
        let err = check(Path::new("book/g.md"), page, &book(), Path::new("book"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the term \"quorum\" is defined nowhere"),
            "{err}"
        );
        assert!(
            err.contains("book/c/a.md:3: **hit ratio** is defined here but missing"),
            "{err}"
        );
        let full = "- **cache**: a copy.\n- **hit ratio**: hits over lookups.\n";
        check(Path::new("book/g.md"), full, &book(), Path::new("book")).unwrap();
    }

    #[test]
    fn the_list_links_each_term_to_an_anchor_on_its_site() {
        let page = "- **hit ratio**: hits over lookups.\n";
        let md = render(Path::new("appendix/glossary.md"), page, &book());
        assert_eq!(
            md,
            "- [**hit ratio**](../c/a.md#term-hit-ratio): hits over lookups.\n"
        );
        let term = "hit ratio".to_string();
        let marked = mark_sites(&book()[0].1, &[&term]);
        assert!(
            marked.contains("its <strong id=\"term-hit-ratio\">hit ratio</strong> matters"),
            "{marked}"
        );
    }
}
