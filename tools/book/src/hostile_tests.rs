//! Hostile and broken input: each case fails with a message that names the file and line (or
//! the setting), and leaves the previously built site as it was.

use std::path::PathBuf;

use crate::project::Project;
use crate::site::build;
use crate::site::tests_support::{chapter, fixture};

/// A fixture with a good build in place; returns the project and the built page's text.
fn built(name: &str) -> (Project, PathBuf, String) {
    let project = fixture(name);
    chapter(&project, "{{#run ../snippets/demo/good.rs}}");
    let page = build(&project)
        .expect("the good book builds")
        .site
        .join("demo.html");
    let text = std::fs::read_to_string(&page).unwrap();
    (project, page, text)
}

/// Builds, expects failure, checks the old page is untouched, returns the message.
fn fails(project: &Project, page: &PathBuf, good: &str) -> String {
    let err = format!("{:#}", build(project).expect_err("the build must fail"));
    assert_eq!(
        &std::fs::read_to_string(page).unwrap(),
        good,
        "the previous site is untouched"
    );
    err
}

fn snippet(project: &Project, name: &str, source: &str) {
    std::fs::write(project.root.join("snippets/demo").join(name), source).unwrap();
}

fn done(project: Project) {
    std::fs::remove_dir_all(&project.root).unwrap();
}

#[test]
fn a_missing_snippet_is_named_with_the_directive_line() {
    let (project, page, good) = built("missing");
    chapter(&project, "Text.\n\n{{#run ../snippets/demo/nowhere.rs}}");
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book/demo.md:5: the snippet snippets/demo/nowhere.rs does not exist"),
        "{err}"
    );
    done(project);
}

#[test]
fn a_path_outside_the_repository_is_refused() {
    let (project, page, good) = built("outside");
    chapter(&project, "{{#run ../../etc/passwd}}");
    let err = fails(&project, &page, &good);
    assert!(
        err.contains(
            "book/demo.md:3: the snippet path \"../../etc/passwd\" leaves the project folder"
        ),
        "{err}"
    );
    chapter(&project, "{{#run ../book.toml}}");
    let err = fails(&project, &page, &good);
    assert!(err.contains("book/demo.md:3: \"../book.toml\" resolves to book.toml, but a snippet must be a .rs file under snippets/"), "{err}");
    done(project);
}

#[test]
fn output_that_is_not_utf8_is_refused() {
    let (project, page, good) = built("utf8");
    snippet(
        &project,
        "bytes.rs",
        "use std::io::Write;\n\nfn main() {\n    std::io::stdout().write_all(&[b'o', b'k', 0xff, b'\\n']).unwrap();\n}\n",
    );
    chapter(&project, "{{#run ../snippets/demo/bytes.rs}}");
    let err = fails(&project, &page, &good);
    assert!(err.contains("book/demo.md:3: snippet snippets/demo/bytes.rs: printed bytes that are not UTF-8 on stdout (first bad byte at offset 2)"), "{err}");
    done(project);
}

#[test]
fn megabytes_of_output_are_refused() {
    let (project, page, good) = built("flood");
    snippet(
        &project,
        "flood.rs",
        "fn main() {\n    let line = \"x\".repeat(1023);\n    for _ in 0..4096 {\n        println!(\"{line}\");\n    }\n}\n",
    );
    chapter(&project, "{{#run ../snippets/demo/flood.rs}}");
    let err = fails(&project, &page, &good);
    assert!(err.contains("book/demo.md:3: snippet snippets/demo/flood.rs: printed more than 1048576 bytes on stdout"), "{err}");
    done(project);
}

#[test]
fn script_tags_in_output_are_shown_as_text() {
    let (project, _, _) = built("script");
    snippet(
        &project,
        "script.rs",
        "fn main() {\n    println!(\"<script>alert('x')</script>\");\n}\n",
    );
    chapter(&project, "{{#run ../snippets/demo/script.rs}}");
    let page = std::fs::read_to_string(build(&project).unwrap().site.join("demo.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(") && page.contains(")&lt;/script&gt;"),
        "escaped: {page}"
    );
    assert!(!page.contains("<script>alert"), "never live");
    done(project);
}

#[test]
fn a_snippet_that_leaves_a_child_running_fails_and_the_child_is_killed() {
    let (project, page, good) = built("fork");
    let pid_file = project.root.join("child.pid");
    // The child writes its pid and sleeps; the parent waits for the pid, then exits.
    snippet(
        &project,
        "fork.rs",
        &format!(
            "fn main() {{
    let pid_file = std::path::Path::new({pid:?});
    std::process::Command::new(\"sh\")
        .args([\"-c\", &format!(\"echo $$ > {{}}; exec sleep 600\", pid_file.display())])
        .spawn()
        .unwrap();
    while !pid_file.exists() {{
        std::thread::yield_now();
    }}
    println!(\"parent exits\");
}}
",
            pid = pid_file.display().to_string()
        ),
    );
    chapter(&project, "{{#run ../snippets/demo/fork.rs}}");
    let err = fails(&project, &page, &good);
    assert!(
        err.contains(
            "book/demo.md:3: snippet snippets/demo/fork.rs: exited but left child processes running"
        ),
        "{err}"
    );
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string();
    // SIGKILL takes effect when the process is next scheduled: poll, with a bound, until it is
    // gone or a zombie waiting to be reaped (either way no longer running).
    let running = |pid: &str| {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        state
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while running(&pid) && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert!(!running(&pid), "the child {pid} was killed");
    done(project);
}

#[test]
fn a_malformed_book_toml_names_the_line() {
    let (project, page, good) = built("toml");
    let path = project.root.join("book.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("timeout = 3", "timeout = three")).unwrap();
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book.toml") && err.contains("line 11"),
        "{err}"
    );
    std::fs::write(&path, text.replace("timeout = 3", "timout = 3")).unwrap();
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("[preprocessor.run]") && err.contains("timout"),
        "{err}"
    );
    done(project);
}

#[test]
fn summary_and_chapter_files_must_agree() {
    let (project, page, good) = built("summary");
    std::fs::write(project.root.join("book/stray.md"), "# Stray\n").unwrap();
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book/stray.md is not listed in book/SUMMARY.md"),
        "{err}"
    );
    std::fs::remove_file(project.root.join("book/stray.md")).unwrap();

    std::fs::write(
        project.root.join("book/SUMMARY.md"),
        "# Summary\n\n- [Demo](demo.md)\n- [Gone](gone.md)\n",
    )
    .unwrap();
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book/SUMMARY.md:4: lists gone.md, but book/gone.md does not exist"),
        "{err}"
    );
    done(project);
}

#[test]
fn a_broken_internal_link_is_reported_with_its_page() {
    let (project, _, _) = built("links");
    chapter(
        &project,
        "See [the other page](other.md) and [a section](#nowhere).",
    );
    let site = build(&project).unwrap().site;
    let err = crate::check::links(&site).unwrap_err().to_string();
    assert!(
        err.contains("demo.html: \"other.html\": there is no other.html"),
        "{err}"
    );
    assert!(
        err.contains("demo.html: \"#nowhere\": demo.html has no element with id \"nowhere\""),
        "{err}"
    );
    done(project);
}

// Output is data, never markup: whatever a snippet prints, in plain text or in any field of
// any `sysdesign::show` item, reaches the page as text.

/// Everything a snippet could print to become markup: blank lines (which end a raw-HTML block
/// in Markdown), whitespace-only lines, carriage returns, Markdown (a heading, a
/// `javascript:` link, a remote image, emphasis, a list, a table), HTML that closes our
/// containers, scripts and event handlers, fences, comments and mdBook directives (on one line
/// and across two).
const PAYLOAD: &str = "ok\n\n# Injected heading\n\n[click me](javascript:alert(1))\n\n\
    ![remote](https://example.com/remote.png)\n\n<script>alert(1)</script>\n\n\
    <img src=x onerror=alert(1)>\n \t \n**bold payload** and _emphasis payload_\r\n\r\n\
    <a href=\"javascript:alert(2)\">anchor payload</a>\r\r- list payload\n\n| a | b |\n| - | - |\n| c | d |\n\n\
    </code></pre></td></tr></tbody></table></figcaption></figure></details></p>\n\n\
    ```\n~~~\n-->\n\n<div onclick=\"alert(3)\">div payload</div>\n\n\
    {{#include ../book.toml}} {{#include\n../book.toml}}\n\n    indented payload\nend";

/// A snippet that prints `text` exactly (marker lines included).
fn printing(text: &str) -> String {
    format!("fn main() {{\n    print!(\"{{}}\", {text:?});\n}}\n")
}

/// Every page of the built site shows `PAYLOAD` as text: no element, attribute or included file
/// came from it.
fn assert_no_injection(site: &std::path::Path) {
    use regex::Regex;
    // A tag whose attribute `attr` has a value starting with `value`, skipping the attributes
    // before it whole (so text inside another attribute's value never matches).
    let attribute = |tag: &str, attr: &str, value: &str| {
        format!(
            r#"(?i)<{tag}\b(?:\s+[^\s=>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*?\s+(?:{attr})\s*=\s*["']?\s*{value}"#
        )
    };
    let forbidden = [
        (
            attribute(
                "[a-z]+",
                "href|src|action|formaction|xlink:href",
                "javascript:",
            ),
            "a javascript: URL",
        ),
        (attribute("[a-z]+", "on[a-z]+", ""), "an event handler"),
        (
            attribute("img", "src", "https?://example"),
            "a remote image",
        ),
        (
            r"(?i)<h[1-6][^>]*>(?:<[^>]*>)*[^<]*Injected".into(),
            "a heading",
        ),
        (r#"(?i)id="injected-heading""#.into(), "a heading"),
        (r"(?i)<script>alert".into(), "a script"),
        (r"(?i)<(?:strong|em|b|i)>[^<]*payload".into(), "emphasis"),
        (r"(?i)<li>[^<]*list payload".into(), "a list"),
        (r"(?i)<a\b[^>]*>[^<]*anchor payload".into(), "a link"),
        (r"(?i)<div\b[^>]*>[^<]*div payload".into(), "a div"),
        (r"(?i)<td>\s*c\s*</td>".into(), "a table"),
        (r"(?i)<code>\s*indented payload".into(), "a code block"),
        ("create-missing|build-dir".into(), "an included file"),
    ];
    let mut seen = false;
    for page in crate::check::pages(site).unwrap() {
        let html = std::fs::read_to_string(site.join(&page)).unwrap();
        seen |= html.contains("Injected heading");
        for (pattern, what) in &forbidden {
            if let Some(m) = Regex::new(pattern).unwrap().find(&html) {
                let from = html.floor_char_boundary(m.start().saturating_sub(300));
                let to = html.ceil_char_boundary((m.end() + 300).min(html.len()));
                panic!(
                    "{}: the output put {what} on the page ({:?}):\n{}",
                    page.display(),
                    m.as_str(),
                    &html[from..to]
                );
            }
        }
    }
    assert!(seen, "the payload reached the page as text");
}

/// Builds the fixture with one snippet that prints `stdout`, expecting success.
fn build_printing(name: &str, stdout: &str) -> (Project, PathBuf) {
    let project = fixture(name);
    snippet(&project, "hostile.rs", &printing(stdout));
    chapter(
        &project,
        "Before.\n\n{{#run ../snippets/demo/hostile.rs}}\n\nAfter.",
    );
    let site = build(&project).unwrap_or_else(|e| panic!("{e:#}")).site;
    (project, site)
}

fn marker(item: sysdesign::show::Rich) -> String {
    item.to_marker_line()
}

#[test]
fn hostile_plain_output_stays_text() {
    let (project, site) = build_printing("hostile-text", &format!("{PAYLOAD}\n"));
    assert_no_injection(&site);
    done(project);
}

#[test]
fn hostile_table_headers_cells_and_captions_stay_text() {
    use sysdesign::show::{Rich, Table};
    let stdout = [
        marker(Rich::Table(Table::new([PAYLOAD]).row(["x"]))),
        marker(Rich::Table(Table::new(["h", "k"]).row([PAYLOAD, "y"]))),
        marker(Rich::Table(Table::new(["h"]).row(["x"]).caption(PAYLOAD))),
    ]
    .concat();
    let (project, site) = build_printing("hostile-table", &stdout);
    assert_no_injection(&site);
    done(project);
}

#[test]
fn hostile_figure_names_and_captions_stay_text() {
    use sysdesign::show::Rich;
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    let stdout = [
        marker(Rich::Svg {
            name: PAYLOAD.into(),
            caption: "c".into(),
            svg: svg.into(),
        }),
        marker(Rich::Svg {
            name: "n".into(),
            caption: PAYLOAD.into(),
            svg: svg.into(),
        }),
    ]
    .concat();
    let (project, site) = build_printing("hostile-figure", &stdout);
    assert_no_injection(&site);
    done(project);
}

#[test]
fn a_hostile_mermaid_source_stays_the_diagram_source() {
    use sysdesign::show::Rich;
    let stdout = marker(Rich::Mermaid {
        source: format!("flowchart LR\n  A --> B\n{PAYLOAD}"),
    });
    let (project, site) = build_printing("hostile-mermaid", &stdout);
    assert_no_injection(&site);
    let page = std::fs::read_to_string(site.join("demo.html")).unwrap();
    assert!(
        page.contains("<pre class=\"mermaid\">flowchart LR"),
        "still a diagram: {page}"
    );
    done(project);
}

#[test]
fn a_hostile_value_is_quoted_as_text() {
    let project = fixture("hostile-value");
    let line = "[click me](javascript:alert(1)) ![remote](https://example.com/remote.png) \
                <script>alert(1)</script> <img src=x onerror=alert(1)> **bold payload** \
                <a href=\"javascript:alert(2)\">anchor payload</a> {{#include ../book.toml}} \
                a\r# Injected heading\r\r- list payload";
    snippet(
        &project,
        "hostile.rs",
        &printing(&format!("hostile = {line}\n")),
    );
    chapter(
        &project,
        "The run printed {{#value ../snippets/demo/hostile.rs hostile}}, quoted.\n\n\
         | quoted in a table |\n| --- |\n| {{#value ../snippets/demo/hostile.rs hostile}} |",
    );
    let site = build(&project).unwrap_or_else(|e| panic!("{e:#}")).site;
    assert_no_injection(&site);
    done(project);
}

#[test]
fn an_svg_that_could_run_or_fetch_anything_is_refused_naming_the_snippet() {
    use sysdesign::show::Rich;
    let (project, page, good) = built("hostile-svg");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    snippet(
        &project,
        "hostile.rs",
        &printing(&marker(Rich::Svg {
            name: "n".into(),
            caption: "c".into(),
            svg: svg.into(),
        })),
    );
    chapter(&project, "{{#run ../snippets/demo/hostile.rs}}");
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book/demo.md:3") && err.contains("snippets/demo/hostile.rs"),
        "{err}"
    );
    assert!(err.contains("<script>"), "says what it refused: {err}");
    done(project);
}

#[test]
fn a_ragged_table_is_an_error_naming_the_snippet() {
    let (project, page, good) = built("ragged");
    let line = format!(
        "{}{{\"kind\":\"table\",\"headers\":[\"a\",\"b\"],\"rows\":[[\"1\",\"2\"],[\"3\"]],\"caption\":null}}\n",
        sysdesign::show::MARKER
    );
    snippet(&project, "ragged.rs", &printing(&line));
    chapter(&project, "{{#run ../snippets/demo/ragged.rs}}");
    let err = fails(&project, &page, &good);
    assert!(
        err.contains("book/demo.md:3")
            && err.contains("snippets/demo/ragged.rs")
            && err.contains("row 2 has 1 cell but the table has 2 columns"),
        "{err}"
    );
    done(project);
}

// Directives mean what they look like: expanded only where Markdown shows them as text.

#[test]
fn run_directives_in_code_comments_or_escaped_are_shown_as_written() {
    let project = fixture("directive-places");
    chapter(
        &project,
        "{{#run ../snippets/demo/good.rs}}\n\n\
         ```text\n{{#run ../snippets/demo/good.rs}}\n```\n\n\
         Indented:\n\n    {{#run ../snippets/demo/indented.rs}}\n\n\
         Inline `{{#run ../snippets/demo/good.rs}}` code.\n\n\
         <!-- {{#run ../snippets/demo/commented.rs}} -->\n\n\
         <!--\n{{#run ../snippets/demo/good.rs}}\n-->\n\n\
         \\{{#run ../snippets/demo/good.rs}}",
    );
    let built = build(&project).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        built.snippets.ran,
        [PathBuf::from("snippets/demo/good.rs")],
        "only the directive that counts runs"
    );
    let page = std::fs::read_to_string(built.site.join("demo.html")).unwrap();
    assert_eq!(
        page.matches("printed when this book was built").count(),
        1,
        "one directive expanded: {page}"
    );
    assert!(
        page.contains("<code class=\"language-text\">{{#run ../snippets/demo/good.rs}}"),
        "the fenced one is code: {page}"
    );
    assert!(
        page.contains("<code>{{#run ../snippets/demo/good.rs}}</code>"),
        "the inline one is code: {page}"
    );
    assert!(
        page.contains("<p>{{#run ../snippets/demo/good.rs}}</p>"),
        "the escaped one is text, without its backslash: {page}"
    );
    assert!(page.contains("{{#run ../snippets/demo/indented.rs}}"));
    assert!(!page.contains("\\{{#run"), "{page}");
    done(project);
}

#[test]
fn value_directives_in_code_comments_or_escaped_are_shown_as_written() {
    let project = fixture("value-places");
    // The book's own order: pages before mdBook's links.
    let toml = project.root.join("book.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[preprocessor.pages]\nafter = [\"run\"]\nbefore = [\"links\"]\n");
    std::fs::write(&toml, config).unwrap();
    snippet(&project, "v.rs", &printing("answer = 42\n"));
    chapter(
        &project,
        "{{#run ../snippets/demo/v.rs}}\n\n\
         Quoted: {{#value ../snippets/demo/v.rs answer}}.\n\n\
         In code `{{#value ../snippets/demo/v.rs answer}}`, in a comment \
         <!-- {{#value ../snippets/demo/none.rs x}} --> and fenced:\n\n\
         ```text\n{{#value ../snippets/demo/none.rs x}}\n```\n\n\
         Escaped: \\{{#value ../snippets/demo/v.rs answer}}",
    );
    let site = build(&project).unwrap_or_else(|e| panic!("{e:#}")).site;
    let page = std::fs::read_to_string(site.join("demo.html")).unwrap();
    assert!(page.contains("<p>Quoted: 42.</p>"), "{page}");
    assert!(
        page.contains("<code>{{#value ../snippets/demo/v.rs answer}}</code>"),
        "{page}"
    );
    assert!(
        page.contains("<code class=\"language-text\">{{#value ../snippets/demo/none.rs x}}"),
        "{page}"
    );
    assert!(
        page.contains("<p>Escaped: {{#value ../snippets/demo/v.rs answer}}</p>"),
        "{page}"
    );
    done(project);
}

/// The browser check over a site whose snippet prints the payload as text, in every field of
/// a table and a figure, and as a quoted value: Chromium finds no script error, no
/// `javascript:` URL, no event handler and no element the output put on a page.
#[test]
#[ignore = "needs Chromium"]
fn hostile_output_injects_nothing_in_chromium() {
    use sysdesign::show::{Rich, Table};
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    let first = PAYLOAD.lines().find(|l| !l.is_empty()).unwrap_or("ok");
    let stdout = [
        format!("{PAYLOAD}\n"),
        marker(Rich::Table(
            Table::new([PAYLOAD, "k"])
                .row([PAYLOAD, "y"])
                .caption(PAYLOAD),
        )),
        marker(Rich::Svg {
            name: PAYLOAD.into(),
            caption: PAYLOAD.into(),
            svg: svg.into(),
        }),
        format!("hostile = {first} [click me](javascript:alert(1)) <img src=x onerror=alert(1)>\n"),
    ]
    .concat();
    let project = fixture("hostile-browser");
    // As the book does: code is run at build time, never sent to the public playground.
    let toml = project.root.join("book.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[output.html.playground]\nrunnable = false\n");
    std::fs::write(&toml, config).unwrap();
    snippet(&project, "hostile.rs", &printing(&stdout));
    chapter(
        &project,
        "{{#run ../snippets/demo/hostile.rs}}\n\nQuoted: {{#value ../snippets/demo/hostile.rs hostile}}.",
    );
    let site = build(&project).unwrap_or_else(|e| panic!("{e:#}")).site;
    assert_no_injection(&site);
    let chromium = crate::check::find_chromium().expect("Chromium is installed");
    crate::check::browser(&chromium, &site, &project.root.join("target"))
        .unwrap_or_else(|e| panic!("{e:#}"));
    done(project);
}
