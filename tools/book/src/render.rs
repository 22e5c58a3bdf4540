//! Turning a snippet and its run into the Markdown that replaces its directive.

use anyhow::{Context, Result};
use std::path::Path;

use crate::snippets::Run;
use sysdesign::show::{Rich, escape_html, figure_html};

/// The Markdown for one snippet, output first and code on demand: the excerpt the page names
/// (`{{#run PATH:anchor}}`, the lines between `// ANCHOR: anchor` and `// ANCHOR_END: anchor`),
/// then what the run printed, then the whole program folded in a `<details>` block that says
/// its path and length. Without an anchor no code is shown open: a chapter written without
/// thinking about it leads with output, and the program is one click away.
pub(crate) fn snippet(
    path: &Path,
    anchor: Option<&str>,
    source: &str,
    run: &Run,
    machine: &str,
) -> Result<String> {
    let shown = escape_html(&path.display().to_string());
    let mut md = String::new();
    if let Some(anchor) = anchor {
        let excerpt = excerpt(source, anchor).with_context(|| {
            format!(
                "{} has no `// ANCHOR: {anchor}` ... `// ANCHOR_END: {anchor}` region",
                path.display()
            )
        })?;
        md.push_str(&code_block(&excerpt));
        md.push_str(&format!(
            "<p class=\"snippet-caption\">An excerpt of <code>{shown}</code>; its output, printed when this book was built:</p>\n\n"
        ));
    } else {
        md.push_str(&format!(
            "<p class=\"snippet-caption\">Output of <code>{shown}</code>, printed when this book was built:</p>\n\n"
        ));
    }
    if run.timing {
        md.push_str(&format!(
            "<p class=\"snippet-note\">The figures below are timings measured on the machine that built this book ({}); on yours they will differ.</p>\n\n",
            escape_html(machine)
        ));
    }
    md.push_str(
        &output(&run.stdout).with_context(|| format!("in the output of {}", path.display()))?,
    );
    let code = strip_anchor_lines(source);
    let code = code.trim_end();
    let lines = code.lines().count();
    md.push_str(&format!(
        "<details class=\"snippet-program\">\n<summary>The whole program, <code>{shown}</code> ({lines} lines)</summary>\n\n{}</details>\n\n",
        code_block(code)
    ));
    Ok(md)
}

/// A fenced Rust block of `code`, with directives in it escaped.
fn code_block(code: &str) -> String {
    let fence = fence_for(code);
    format!(
        "{fence}rust\n{}\n{fence}\n\n",
        escape_links_in_code(code.trim_end())
    )
}

/// An anchor name may hold letters, digits, `_` and `-`, as mdBook's own anchors do.
pub(crate) fn check_anchor_name(anchor: &str) -> Result<()> {
    if anchor.is_empty()
        || !anchor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        anyhow::bail!(
            "{anchor:?} is not an anchor name (letters, digits, `_` and `-`); write {{{{#run PATH:name}}}}"
        );
    }
    Ok(())
}

/// The lines between `// ANCHOR: name` and `// ANCHOR_END: name`, without other markers and
/// with their common indentation removed; `None` when the region is missing or empty.
pub(crate) fn excerpt(source: &str, name: &str) -> Option<String> {
    let is_marker = |line: &str, kind: &str| {
        line.trim_start()
            .strip_prefix(kind)
            .is_some_and(|rest| rest.trim() == name)
    };
    let mut lines = source.lines();
    lines.by_ref().find(|l| is_marker(l, "// ANCHOR:"))?;
    let mut body = Vec::new();
    let mut closed = false;
    for line in lines {
        if is_marker(line, "// ANCHOR_END:") {
            closed = true;
            break;
        }
        let t = line.trim_start();
        if !(t.starts_with("// ANCHOR:") || t.starts_with("// ANCHOR_END:")) {
            body.push(line);
        }
    }
    if !closed || body.iter().all(|l| l.trim().is_empty()) {
        return None;
    }
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = body
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    Some(format!("{}\n", text.join("\n").trim_matches('\n')))
}

/// The rendered output: plain text in `<pre>` blocks, rich items as tables, figures and diagrams.
pub(crate) fn output(stdout: &str) -> Result<String> {
    let mut md = String::new();
    let mut text = String::new();
    let flush = |md: &mut String, text: &mut String| {
        if !text.trim().is_empty() {
            md.push_str(&format!(
                "<pre class=\"snippet-output\"><code>{}</code></pre>\n\n",
                escape_links_in_html(&escape_html(text.trim_end_matches('\n')))
            ));
        }
        text.clear();
    };
    for line in stdout.split_inclusive('\n') {
        match Rich::from_marker_line(line)? {
            None => text.push_str(line),
            Some(item) => {
                flush(&mut md, &mut text);
                md.push_str(&rich(&item));
            }
        }
    }
    flush(&mut md, &mut text);
    if md.is_empty() {
        md.push_str("<pre class=\"snippet-output\"><code>(no output)</code></pre>\n\n");
    }
    Ok(md)
}

fn rich(item: &Rich) -> String {
    match item {
        Rich::Table(table) => format!("{}\n", escape_links_in_html(&table.to_html())),
        Rich::Svg { caption, svg, .. } => {
            format!("{}\n\n", escape_links_in_html(&figure_html(caption, svg)))
        }
        Rich::Mermaid { source } => {
            let fence = fence_for(source);
            format!(
                "{fence}mermaid\n{}\n{fence}\n\n",
                escape_links_in_code(source.trim_end())
            )
        }
    }
}

/// Keeps mdBook's `links` preprocessor, which runs after us, from reading `{{#...}}` in code we
/// insert as one of its directives: mdBook's own escape, a backslash before the first `{{#` of
/// a line that closes it with `}}` (mdBook removes the backslash again).
fn escape_links_in_code(code: &str) -> String {
    code.split_inclusive('\n')
        .map(|line| match line.find("{{#") {
            Some(at) if line[at..].contains("}}") => format!("{}\\{}", &line[..at], &line[at..]),
            _ => line.to_string(),
        })
        .collect()
}

/// The same for HTML we insert: a brace as a character reference reads the same in a browser.
fn escape_links_in_html(html: &str) -> String {
    html.replace("{{", "&#123;&#123;")
}

/// A backtick fence longer than any run of backticks in `body`.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Drops mdBook's `ANCHOR:` and `ANCHOR_END:` marker lines, which are for includes, not readers.
pub(crate) fn strip_anchor_lines(source: &str) -> String {
    source
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("// ANCHOR:") || t.starts_with("// ANCHOR_END:"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A one-line description of this machine for timing notes: CPU model, cores, date.
pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores, on {}", today())
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysdesign::show::Table;

    #[test]
    fn script_tags_in_output_are_escaped() {
        let md = output("<script>alert(1)</script>\n").unwrap();
        assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn text_and_rich_items_keep_their_order() {
        let table = Rich::Table(Table::new(["k"]).row(["v"])).to_marker_line();
        let md = output(&format!("before\n{table}after\n")).unwrap();
        let (b, t, a) = (
            md.find("before").unwrap(),
            md.find("<table").unwrap(),
            md.find("after").unwrap(),
        );
        assert!(b < t && t < a, "{md}");
    }

    #[test]
    fn mermaid_from_a_run_becomes_a_fence_longer_than_its_backticks() {
        let line = Rich::Mermaid {
            source: "flowchart LR\n A[```] --> B".into(),
        }
        .to_marker_line();
        let md = output(&line).unwrap();
        assert!(md.starts_with("````mermaid\n"), "{md}");
    }

    #[test]
    fn printed_directives_are_not_left_for_mdbook_to_expand() {
        let md = output("{{#include /etc/passwd}}\n").unwrap();
        assert!(!md.contains("{{#"), "{md}");
        assert_eq!(
            escape_links_in_code("let s = \"{{#include x}}\";\n"),
            "let s = \"\\{{#include x}}\";\n"
        );
        assert_eq!(
            escape_links_in_code("format!(\"{{#\")\n"),
            "format!(\"{{#\")\n"
        );
    }

    fn run(stdout: &str) -> Run {
        Run {
            stdout: stdout.into(),
            stderr: String::new(),
            elapsed: std::time::Duration::ZERO,
            timing: false,
        }
    }

    #[test]
    fn without_an_anchor_the_output_leads_and_the_program_is_folded() {
        let src = "fn main() {\n    println!(\"42\");\n}\n";
        let md = snippet(Path::new("snippets/a/b.rs"), None, src, &run("42\n"), "m").unwrap();
        let (out, details) = (
            md.find("<code>42</code>").unwrap(),
            md.find("<details").unwrap(),
        );
        assert!(out < details, "{md}");
        assert!(
            md.contains(
                "<summary>The whole program, <code>snippets/a/b.rs</code> (3 lines)</summary>"
            ),
            "{md}"
        );
        assert_eq!(
            md.matches("```rust").count(),
            1,
            "only the folded program: {md}"
        );
    }

    #[test]
    fn an_anchor_shows_its_excerpt_open_and_the_whole_program_folded() {
        let src = "use x;\n\nfn main() {\n    // ANCHOR: core\n    let a = 1;\n        let b = 2;\n    // ANCHOR_END: core\n    println!(\"{a}{b}\");\n}\n";
        let md = snippet(Path::new("s/a.rs"), Some("core"), src, &run("12\n"), "m").unwrap();
        assert!(
            md.starts_with("```rust\nlet a = 1;\n    let b = 2;\n```"),
            "{md}"
        );
        assert!(md.contains("(7 lines)"), "markers are not counted: {md}");
        let err = snippet(Path::new("s/a.rs"), Some("nope"), src, &run(""), "m").unwrap_err();
        assert!(
            format!("{err:#}").contains("no `// ANCHOR: nope`"),
            "{err:#}"
        );
        assert!(check_anchor_name("a b").is_err() && check_anchor_name("core_2").is_ok());
    }

    #[test]
    fn anchors_are_hidden_from_readers() {
        assert_eq!(
            strip_anchor_lines("a\n    // ANCHOR: x\nb\n// ANCHOR_END: x\n"),
            "a\nb\n"
        );
    }
}
