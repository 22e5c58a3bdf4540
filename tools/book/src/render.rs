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

/// A fenced Rust block of `code`, with directives in it escaped; or, when mdBook's escape
/// cannot cover a directive (its `{{` and `}}` on different lines, which mdBook's `links` still
/// reads as one), the same block as HTML, where every brace is a character reference.
fn code_block(code: &str) -> String {
    let code = code.trim_end();
    let escaped = escape_links_in_code(code);
    if LINK_LEFT.is_match(&escaped) {
        let html = code
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('{', "&#123;");
        return format!("<pre><code class=\"language-rust\">{html}\n</code></pre>\n\n");
    }
    let fence = fence_for(code);
    format!("{fence}rust\n{escaped}\n{fence}\n\n")
}

/// A `{{#` that mdBook's `links` would read (it allows white space, line ends included, after
/// the braces) and that no backslash escapes.
static LINK_LEFT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(^|[^\\])\{\{\s*#").expect("the pattern is valid")
});

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
///
/// Output is data, never markup: every text a run printed is escaped, its line breaks
/// included (see [`escape_html`]), so each block we emit is HTML on lines with no blank line
/// between them, which Markdown passes through whole; and a `{{` is written as a character
/// reference, so mdBook's `links` finds no directive in it. An SVG must be a picture and
/// nothing else ([`check_svg`]).
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
                md.push_str(&rich(&item)?);
            }
        }
    }
    flush(&mut md, &mut text);
    if md.is_empty() {
        md.push_str("<pre class=\"snippet-output\"><code>(no output)</code></pre>\n\n");
    }
    Ok(md)
}

fn rich(item: &Rich) -> Result<String> {
    Ok(match item {
        // `from_marker_line` has checked that every row has one cell per header.
        Rich::Table(table) => format!("{}\n", escape_links_in_html(&table.to_html())),
        Rich::Svg { caption, svg, .. } => {
            check_svg(svg).with_context(|| format!("in the chart captioned {caption:?}"))?;
            format!("{}\n\n", escape_links_in_html(&figure_html(caption, svg)))
        }
        // What mdbook-mermaid makes of a ```mermaid fence, with the source escaped on one line:
        // a fence could be closed or left by the source, and mdBook's `links` would read a
        // `{{#include` whose `}}` is on the next line.
        Rich::Mermaid { source } => format!(
            "<pre class=\"mermaid\">{}</pre>\n\n",
            escape_links_in_html(&escape_html(source.trim_end()))
        ),
    })
}

/// The SVG elements a chart may use: what plotters draws, and text.
const SVG_ELEMENTS: &[&str] = &[
    "svg", "g", "rect", "line", "polyline", "polygon", "circle", "ellipse", "path", "text",
    "tspan", "title", "desc",
];

/// The attributes a chart may use: geometry and presentation, nothing that links, loads or
/// runs (no `href`, no `style`, no `on...` handler).
const SVG_ATTRIBUTES: &[&str] = &[
    "xmlns",
    "version",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "class",
    "id",
];

/// An SVG from a run must be a picture: elements and attributes from the lists above, values
/// with no `javascript:` and no `url(`, no declarations (`<!DOCTYPE`, `<!ENTITY`, CDATA) or
/// processing instructions but the XML declaration. So no `<script>`, no `on...` handler, no
/// link, no `<foreignObject>` (HTML inside the picture), nothing fetched from elsewhere. The
/// book shows it as an image (which runs no script) anyway; refusing keeps a chart from
/// carrying what a reader who saves it and opens it would run.
pub(crate) fn check_svg(svg: &str) -> Result<()> {
    let refuse = |what: String| -> Result<()> {
        anyhow::bail!("the SVG has {what}, which a chart never needs; the book shows only pictures")
    };
    let mut rest = svg.trim_start();
    if let Some(after) = rest.strip_prefix("<?xml") {
        match after.find("?>") {
            Some(end) => rest = &after[end + 2..],
            None => return refuse("an unclosed XML declaration".into()),
        }
    }
    let mut root = true;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let Some(end) = after.find("-->") else {
                return refuse("an unclosed comment".into());
            };
            rest = &after[end + 3..];
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let shown: String = rest.chars().take(12).collect();
            return refuse(format!("a declaration or instruction, {shown:?}"));
        }
        let closing = rest.starts_with("</");
        let tag = &rest[if closing { 2 } else { 1 }..];
        let name_len = tag
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-' || c == '_'))
            .unwrap_or(tag.len());
        let name = &tag[..name_len];
        if !SVG_ELEMENTS.contains(&name) {
            return refuse(format!("<{name}>"));
        }
        if root && !closing && name != "svg" {
            return refuse(format!("<{name}> where the <svg> element should be"));
        }
        root = false;
        let mut attrs = &tag[name_len..];
        loop {
            attrs = attrs.trim_start();
            if let Some(after) = attrs.strip_prefix("/>").or_else(|| attrs.strip_prefix('>')) {
                rest = after;
                break;
            }
            if closing {
                return refuse(format!("a malformed closing tag </{name}"));
            }
            let attr_len = attrs
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(attrs.len());
            let attr = &attrs[..attr_len];
            if attr.is_empty() {
                return refuse(format!("a malformed <{name}> tag"));
            }
            if !SVG_ATTRIBUTES.contains(&attr) {
                return refuse(format!("the attribute {attr:?} on <{name}>"));
            }
            let after_name = attrs[attr_len..].trim_start();
            let Some(value) = after_name.strip_prefix('=').map(str::trim_start) else {
                return refuse(format!("the attribute {attr:?} on <{name}> with no value"));
            };
            let Some(quote) = value.chars().next().filter(|q| *q == '"' || *q == '\'') else {
                return refuse(format!("an unquoted value of {attr:?} on <{name}>"));
            };
            let Some(end) = value[1..].find(quote) else {
                return refuse(format!("an unclosed value of {attr:?} on <{name}>"));
            };
            let text = value[1..1 + end].to_ascii_lowercase();
            if text.contains("javascript:") || text.contains("url(") || text.contains('&') {
                return refuse(format!(
                    "the value {:?} of {attr:?} on <{name}>",
                    &value[1..1 + end]
                ));
            }
            attrs = &value[1 + end + 1..];
        }
    }
    if root {
        return refuse("no <svg> element".into());
    }
    Ok(())
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
    fn a_directive_split_over_lines_in_source_code_is_never_read() {
        for code in [
            "fn main() {\n    let s = \"{{#include\n/etc/passwd}}\";\n}",
            "fn main() {\n    let s = \"{{\n#include /etc/passwd}}\";\n}",
        ] {
            let block = code_block(code);
            assert!(!block.contains("{{"), "{block}");
            assert!(
                block.starts_with("<pre><code class=\"language-rust\">"),
                "{block}"
            );
            assert!(
                block.contains("&#123;&#123;#include\n/etc/passwd}}")
                    || block.contains("&#123;&#123;\n#include"),
                "{block}"
            );
        }
        // The ordinary case stays a fence, escaped the way mdBook undoes.
        let block = code_block("let s = \"{{#include x}}\";");
        assert!(block.starts_with("```rust\n"), "{block}");
        assert!(block.contains("\\{{#include x}}"), "{block}");
    }

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
    fn a_chart_from_the_library_is_a_picture() {
        let svg = sysdesign::chart::LineChart::new("A <title> & \"quotes\"")
            .x_label("x <axis>")
            .y_label("y")
            .series("a & b", [(1.0, 0.5), (10.0, 0.7), (100.0, 0.9)])
            .series("c", [(1.0, 0.1), (10.0, 0.2), (100.0, 0.4)])
            .log_x()
            .to_svg()
            .unwrap();
        check_svg(&svg).unwrap_or_else(|e| panic!("{e:#}\n{svg}"));
        check_svg("<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text x='1'>a &amp; b</text></svg>").unwrap();
    }

    #[test]
    fn an_svg_that_could_run_link_or_fetch_is_refused_saying_what() {
        let svg = |inner: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{inner}</svg>");
        for (bad, what) in [
            (svg("<script>alert(1)</script>"), "<script>"),
            (svg("<SCRIPT>alert(1)</SCRIPT>"), "<SCRIPT>"),
            ("<svg onload=\"alert(1)\"></svg>".to_string(), "\"onload\""),
            ("<svg\nonload='alert(1)'/>".to_string(), "\"onload\""),
            (
                svg("<a href=\"javascript:alert(1)\"><text>x</text></a>"),
                "<a>",
            ),
            (
                svg("<text xlink:href=\"javascript:alert(1)\">x</text>"),
                "\"xlink:href\"",
            ),
            (
                svg("<foreignObject><div>x</div></foreignObject>"),
                "<foreignObject>",
            ),
            (
                svg("<image href=\"https://example.com/i.png\"/>"),
                "<image>",
            ),
            (svg("<use href=\"data:image/svg+xml,...\"/>"), "<use>"),
            (
                svg("<style>@import url(https://example.com/x.css)</style>"),
                "<style>",
            ),
            (svg("<rect fill=\"url(https://example.com/#g)\"/>"), "url("),
            (svg("<rect style=\"fill:red\"/>"), "\"style\""),
            (svg("<rect fill=\"&#106;avascript:x\"/>"), "&#106;"),
            (svg("<rect fill=red/>"), "unquoted"),
            (
                "<!DOCTYPE svg [<!ENTITY a \"b\">]><svg/>".to_string(),
                "declaration",
            ),
            (svg("<![CDATA[<script>]]>"), "declaration"),
            (svg("<?xml-stylesheet href=\"x.css\"?>"), "instruction"),
            ("<html><svg/></html>".to_string(), "<html>"),
            ("not a picture".to_string(), "no <svg> element"),
        ] {
            let err = format!("{:#}", check_svg(&bad).expect_err(&bad));
            assert!(err.contains(what), "{bad}: {err}");
        }
    }

    #[test]
    fn a_hostile_svg_fails_the_output_naming_the_chart() {
        let line = Rich::Svg {
            name: "n".into(),
            caption: "hit ratio".into(),
            svg: "<svg><script>alert(1)</script></svg>".into(),
        }
        .to_marker_line();
        let err = format!("{:#}", output(&line).unwrap_err());
        assert!(
            err.contains("in the chart captioned \"hit ratio\": the SVG has <script>"),
            "{err}"
        );
    }

    #[test]
    fn a_diagram_from_a_run_is_escaped_on_one_line() {
        let line = Rich::Mermaid {
            source: "flowchart LR\n  A --> B\n\n```\n</pre><script>x</script>\n{{#include\n/etc/passwd}}".into(),
        }
        .to_marker_line();
        let md = output(&line).unwrap();
        assert_eq!(
            md,
            "<pre class=\"mermaid\">flowchart LR&#10;  A --&gt; B&#10;&#10;```&#10;&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;&#10;&#123;&#123;#include&#10;/etc/passwd}}</pre>\n\n"
        );
    }

    #[test]
    fn anchors_are_hidden_from_readers() {
        assert_eq!(
            strip_anchor_lines("a\n    // ANCHOR: x\nb\n// ANCHOR_END: x\n"),
            "a\nb\n"
        );
    }
}
