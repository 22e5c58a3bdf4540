//! Where a directive means what it looks like: the one reading of a chapter's Markdown that
//! every part of the tool uses to find `{{#run ...}}`, `{{#value ...}}`, `{{#bench ...}}`,
//! `{{#corrections}}` and `{{#glossary}}` (the page's preprocessors, the notebooks and the
//! output cache, which runs what the directives name).
//!
//! A directive counts only where Markdown would show it as text: not in a code block (fenced
//! or indented), not in a code span, not in raw HTML (an HTML block, an inline tag or an
//! `<!-- comment -->`), and not when escaped with a backslash, `\{{#run ...}}`, which shows
//! the directive literally, without the backslash, as mdBook's own escape does for
//! `{{#include}}`.
//!
//! The text is read with pulldown-cmark, the parser mdBook renders with, without the table
//! extension: a directive is expanded before Markdown is read (as mdBook's are), so a `|`
//! inside `{{#bench ratio GROUP | FUNCTION}}` in a table row is part of the directive, not a
//! cell border.

use anyhow::Result;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// `{{#name ...}}`, with the backslash of mdBook's escape if there is one.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\\)?\{\{#([A-Za-z0-9_]+)([^}]*)\}\}").expect("the directive pattern is valid")
});

/// One directive where Markdown shows text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found<'a> {
    /// The directive's bytes in the text, the escaping backslash included.
    pub range: Range<usize>,
    /// The directive as written, without the escaping backslash: `{{#run ../x.rs}}`.
    pub text: &'a str,
    /// Its name: `run`.
    pub name: &'a str,
    /// What follows the name, untrimmed: ` ../x.rs`.
    pub args: &'a str,
    /// Written `\{{#...}}`: shown as text, never expanded.
    pub escaped: bool,
    /// The 1-based line it starts on.
    pub line: usize,
}

/// A chapter's text, read as Markdown once.
pub(crate) struct Markdown<'a> {
    text: &'a str,
    /// The bytes Markdown shows as text (outside code and raw HTML), in order.
    prose: Vec<Range<usize>>,
    /// Code blocks, code spans and raw HTML, in order.
    literal: Vec<Range<usize>>,
}

impl<'a> Markdown<'a> {
    /// Reads `text`.
    pub(crate) fn read(text: &'a str) -> Self {
        let mut prose = Vec::new();
        let mut literal = Vec::new();
        let mut in_code = false;
        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code = true;
                    literal.push(range);
                }
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::HtmlBlock)
                | Event::Code(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_) => literal.push(range),
                Event::Text(_) if !in_code => prose.push(range),
                _ => {}
            }
        }
        Markdown {
            text,
            prose,
            literal,
        }
    }

    /// Whether the byte at `at` is shown as text.
    fn is_prose(&self, at: usize) -> bool {
        self.prose.iter().any(|r| r.contains(&at))
    }

    /// Whether any byte of `range` is code or raw HTML.
    pub(crate) fn touches_literal(&self, range: &Range<usize>) -> bool {
        self.literal
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
    }

    /// The directives named `names` that count, escaped ones included, in order.
    pub(crate) fn directives(&self, names: &[&str]) -> Vec<Found<'a>> {
        let text = self.text;
        DIRECTIVE
            .captures_iter(text)
            .filter(|caps| names.contains(&&caps[2]))
            .filter_map(|caps| {
                let whole = caps.get(0).expect("group 0 always matches");
                let escaped = caps.get(1).is_some();
                let open = whole.start() + usize::from(escaped);
                // The opening braces are text (an escaped `\{` is text too), and nothing of the
                // directive is code or HTML.
                if !(self.is_prose(open) || escaped && self.is_prose(whole.start()))
                    || self.touches_literal(&whole.range())
                {
                    return None;
                }
                let name = caps.get(2).expect("the name group");
                Some(Found {
                    range: whole.range(),
                    text: &text[open..whole.end()],
                    name: name.as_str(),
                    args: caps.get(3).map_or("", |m| m.as_str()),
                    escaped,
                    line: text[..whole.start()].matches('\n').count() + 1,
                })
            })
            .collect()
    }

    /// The text with each directive named `names` that counts replaced: an escaped one by the
    /// directive as written without its backslash, the others by what `expand` returns.
    pub(crate) fn expand(
        &self,
        names: &[&str],
        mut expand: impl FnMut(&Found<'a>) -> Result<String>,
    ) -> Result<String> {
        let mut out = String::with_capacity(self.text.len());
        let mut last = 0;
        for found in self.directives(names) {
            out.push_str(&self.text[last..found.range.start]);
            if found.escaped {
                out.push_str(found.text);
            } else {
                out.push_str(&expand(&found)?);
            }
            last = found.range.end;
        }
        out.push_str(&self.text[last..]);
        Ok(out)
    }

    /// Every line of the text with its 0-based number, with code blocks and raw HTML (HTML
    /// blocks, tags and comments) taken out: the Markdown a reader sees. A line that was all
    /// code or HTML is empty, so paragraphs stay apart. Code spans are kept.
    pub(crate) fn prose_lines(&self) -> Vec<(usize, String)> {
        let text = self.text;
        let mut hidden: Vec<Range<usize>> = Vec::new();
        for r in &self.literal {
            // Code spans are prose here: a bold term may be written in code.
            if !text[r.clone()].starts_with('`') || text[r.clone()].contains('\n') {
                hidden.push(r.clone());
            }
        }
        let mut out = Vec::new();
        let mut start = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let end = start + line.len();
            let mut visible = String::new();
            let mut at = start;
            for r in hidden.iter().filter(|r| r.start < end && start < r.end) {
                if r.start > at {
                    visible.push_str(&text[at..r.start]);
                }
                at = at.max(r.end);
            }
            if at < end {
                visible.push_str(&text[at..end]);
            }
            out.push((i, visible.trim_end_matches(['\n', '\r']).to_string()));
            start = end;
        }
        out
    }
}

/// `text` escaped for Markdown prose: every ASCII punctuation character behind a backslash, so
/// Markdown reads no link, emphasis, code, HTML, heading, list or directive in it and shows the
/// characters as they are; line breaks become spaces. For text a run printed that the prose
/// quotes, such as a `{{#value}}`.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(usize, bool)> {
        Markdown::read(text)
            .directives(&["run"])
            .iter()
            .map(|f| (f.line, f.escaped))
            .collect()
    }

    #[test]
    fn a_directive_counts_where_markdown_shows_text() {
        assert_eq!(runs("# A\n\n{{#run ../x.rs}}\n"), [(3, false)]);
        assert_eq!(runs("- in a list: {{#run ../x.rs}}\n"), [(1, false)]);
        assert_eq!(runs("> {{#run ../x.rs}}\n"), [(1, false)]);
        assert_eq!(runs("| a |\n| - |\n| {{#run ../x.rs}} |\n"), [(3, false)]);
        assert_eq!(
            runs("<details>\n<summary>s</summary>\n\n{{#run ../x.rs}}\n\n</details>\n"),
            [(4, false)],
            "Markdown between HTML blocks is Markdown"
        );
    }

    #[test]
    fn no_directive_in_code_html_or_comments() {
        for text in [
            "```text\n{{#run ../x.rs}}\n```\n",
            "~~~\n{{#run ../x.rs}}\n~~~\n",
            "- item\n\n  ```\n  {{#run ../x.rs}}\n  ```\n",
            "para\n\n    {{#run ../x.rs}}\n",
            "see `{{#run ../x.rs}}` here\n",
            "see `` {{#run ../x.rs}} `` here\n",
            "<!-- {{#run ../x.rs}} -->\n",
            "<!--\n{{#run ../x.rs}}\n-->\n",
            "text <!-- {{#run ../x.rs}} --> text\n",
            "<div>\n{{#run ../x.rs}}\n</div>\n",
            "<pre>\n\n{{#run ../x.rs}}\n</pre>\n",
            "[link](<{{#run ../x.rs}}>)\n",
        ] {
            assert_eq!(runs(text), [], "{text}");
        }
    }

    #[test]
    fn an_escaped_directive_is_shown_without_its_backslash() {
        let text = "\\{{#run ../x.rs}} and {{#run ../y.rs}}\n";
        assert_eq!(runs(text), [(1, true), (1, false)]);
        let md = Markdown::read(text);
        let out = md
            .expand(&["run"], |f| Ok(format!("<{}>", f.args.trim())))
            .unwrap();
        assert_eq!(out, "{{#run ../x.rs}} and <../y.rs>\n");
    }

    #[test]
    fn a_pipe_inside_a_directive_in_a_table_row_is_part_of_it() {
        let text = "| a | b |\n| - | - |\n| x | {{#bench ratio g | f}} |\n";
        let found = Markdown::read(text).directives(&["bench"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].args, " ratio g | f");
    }

    #[test]
    fn prose_lines_leave_out_code_and_html() {
        let text = "a **b**\n```\n**c**\n```\n<div>\n**d**\n</div>\n\ne <!-- **f** --> `g`\n";
        let lines = Markdown::read(text).prose_lines();
        let shown: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(shown, ["a **b**", "", "", "", "", "", "", "", "e  `g`"]);
    }

    #[test]
    fn escaped_text_is_read_back_as_the_same_characters() {
        let text = "[a](javascript:x) <b> **c** {{#include x}} # d\r\n- e & f";
        let escaped = escape_text(text);
        let events: String = Parser::new(&escaped)
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.into_string()),
                Event::SoftBreak => Some("\n".into()),
                _ => None,
            })
            .collect();
        assert_eq!(
            events,
            "[a](javascript:x) <b> **c** {{#include x}} # d  - e & f"
        );
        assert!(!escaped.contains("{{"), "mdBook's links finds no directive");
    }
}
