//! Rich output: tables, charts and diagrams that a run produces.
//!
//! A snippet prints plain text with `println!` and calls this module for anything richer.
//! The same call renders three ways, depending on where the program runs:
//!
//! | where | what [`table`], [`svg`] and [`mermaid`] do |
//! | --- | --- |
//! | the book tool (`SYSDESIGN_SHOW=book`) | print one marker line carrying the item as JSON; the tool turns it into an HTML table, a figure or a Mermaid diagram in the page |
//! | the evcxr Jupyter kernel (`EVCXR_IS_RUNTIME` set) | print evcxr's rich-content block, so the notebook shows HTML, an SVG image or a diagram (see [`render_kernel`]) |
//! | a terminal | print the table as aligned text, write the SVG to a file and say where, print the diagram source |
//!
//! The design decision is that a snippet never knows which of the three it is in:
//! the book, the notebook and the terminal all run the very same code.
//!
//! ```
//! use sysdesign::show::{Rich, Table};
//!
//! let table = Table::new(["policy", "hit ratio"])
//!     .row(["LRU", "0.61"])
//!     .row(["FIFO", "0.55"]);
//! assert_eq!(table.rows().len(), 2);
//!
//! // What the book tool reads back from a marker line is what was shown.
//! let line = Rich::Table(table.clone()).to_marker_line();
//! assert_eq!(Rich::from_marker_line(&line).unwrap().unwrap(), Rich::Table(table));
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

/// The environment variable the book tool sets to `book` when it runs a snippet.
pub const MODE_VAR: &str = "SYSDESIGN_SHOW";

/// Where terminal mode writes SVG files; defaults to `sysdesign-show` in the system's temporary folder.
pub const DIR_VAR: &str = "SYSDESIGN_SHOW_DIR";

/// The prefix of a line that carries a rich item to the book tool.
pub const MARKER: &str = "\u{1e}sysdesign-show ";

/// A table: a header row and rows of cells, all plain text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    caption: Option<String>,
}

impl Table {
    /// A table with these column headers and no rows yet.
    pub fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: fmt::Display,
    {
        Table {
            headers: headers.into_iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            caption: None,
        }
    }

    /// Adds a row; each cell is formatted with `Display`.
    ///
    /// # Panics
    /// If the row does not have one cell per header: a ragged table is a bug in the caller.
    pub fn row<I, S>(mut self, cells: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: fmt::Display,
    {
        self.push(cells);
        self
    }

    /// Adds a row in place; see [`Table::row`].
    pub fn push<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: fmt::Display,
    {
        let row: Vec<String> = cells.into_iter().map(|c| c.to_string()).collect();
        assert_eq!(
            row.len(),
            self.headers.len(),
            "row {row:?} has {} cells but the table has {} columns",
            row.len(),
            self.headers.len()
        );
        self.rows.push(row);
    }

    /// Sets a caption shown under the table.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// The column headers.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The caption, if any.
    pub fn caption_text(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// Checks that every row has one cell per header. [`Table::row`] makes sure of it, but a
    /// table read back from a marker line holds whatever the line said.
    ///
    /// ```
    /// let t = sysdesign::show::Table::new(["a", "b"]).row(["1", "2"]);
    /// assert!(t.check().is_ok());
    /// ```
    pub fn check(&self) -> Result<(), String> {
        let columns = self.headers.len();
        for (i, row) in self.rows.iter().enumerate() {
            if row.len() != columns {
                return Err(format!(
                    "row {} has {} cell{} but the table has {columns} column{}",
                    i + 1,
                    row.len(),
                    if row.len() == 1 { "" } else { "s" },
                    if columns == 1 { "" } else { "s" },
                ));
            }
        }
        Ok(())
    }

    /// The table as an HTML `<table>` on lines with no blank line between them
    /// (so Markdown keeps it as one HTML block). Every header, cell and caption is escaped with
    /// [`escape_html`], line breaks included, so no text can end the block or add markup.
    ///
    /// ```
    /// let t = sysdesign::show::Table::new(["a"]).row(["<b>\n\n# not a heading"]);
    /// assert!(t.to_html().contains("<td>&lt;b&gt;&#10;&#10;# not a heading</td>"));
    /// assert!(!t.to_html().contains("\n\n"));
    /// ```
    pub fn to_html(&self) -> String {
        let mut html = String::from("<table class=\"sysdesign-table\">\n");
        if let Some(caption) = &self.caption {
            html.push_str(&format!("<caption>{}</caption>\n", escape_html(caption)));
        }
        html.push_str("<thead><tr>");
        for h in &self.headers {
            html.push_str(&format!("<th>{}</th>", escape_html(h)));
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            html.push_str("<tr>");
            for cell in row {
                html.push_str(&format!("<td>{}</td>", escape_html(cell)));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody>\n</table>\n");
        html
    }
}

/// Aligned plain text: numbers right-aligned, everything else left-aligned.
impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.headers.len();
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                !self.rows.is_empty()
                    && self
                        .rows
                        .iter()
                        .all(|r| r.get(c).is_some_and(|cell| looks_numeric(cell)))
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let mut parts = Vec::with_capacity(columns);
            // A ragged row (read back from a marker line, see `check`) shows the cells it has.
            for (c, cell) in cells.iter().enumerate() {
                let w = width.get(c).copied().unwrap_or(0);
                parts.push(if numeric.get(c).copied().unwrap_or(false) {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                });
            }
            writeln!(f, "{}", parts.join("  ").trim_end())
        };
        line(f, &self.headers)?;
        let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "{}", rule.join("  "))?;
        for row in &self.rows {
            line(f, row)?;
        }
        if let Some(caption) = &self.caption {
            writeln!(f, "({caption})")?;
        }
        Ok(())
    }
}

fn looks_numeric(cell: &str) -> bool {
    let t = cell.trim().trim_end_matches('%').trim_end_matches('x');
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// One item of rich output, as it travels from a snippet to the book tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Rich {
    /// A table of text cells.
    Table(Table),
    /// An SVG image; `name` is a file stem (`hit_ratio`), `caption` the figure's caption.
    Svg {
        /// A short file-name-safe name.
        name: String,
        /// The caption under the figure.
        caption: String,
        /// The SVG document.
        svg: String,
    },
    /// A Mermaid diagram's source.
    Mermaid {
        /// The diagram source, as written inside a ```mermaid fence.
        source: String,
    },
}

/// A marker line that does not hold a well-formed item.
#[derive(Debug)]
pub struct MarkerError {
    line: String,
    reason: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.line.chars().take(80).collect();
        write!(f, "malformed rich-output line {shown:?}: {}", self.reason)
    }
}

impl std::error::Error for MarkerError {}

impl Rich {
    /// The single line (ending in `\n`) that carries this item to the book tool.
    pub fn to_marker_line(&self) -> String {
        let json = serde_json::to_string(self).expect("a Rich item always serializes to JSON");
        format!("{MARKER}{json}\n")
    }

    /// Reads a line printed by [`Rich::to_marker_line`]: `Ok(None)` when the line is plain text.
    /// A table whose rows do not all have one cell per header is an error ([`Table::check`]).
    pub fn from_marker_line(line: &str) -> Result<Option<Rich>, MarkerError> {
        let Some(json) = line.strip_prefix(MARKER) else {
            return Ok(None);
        };
        let error = |reason: String| MarkerError {
            line: line.to_string(),
            reason,
        };
        let item: Rich = serde_json::from_str(json.trim_end_matches(['\n', '\r']))
            .map_err(|e| error(e.to_string()))?;
        if let Rich::Table(table) = &item {
            table.check().map_err(error)?;
        }
        Ok(Some(item))
    }
}

/// Where rich output goes, read from the environment once per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Running under the book tool: marker lines.
    Book,
    /// Running inside the evcxr Jupyter kernel: rich-content blocks.
    Kernel,
    /// Anywhere else: text, and SVG files on disk.
    Terminal,
}

impl Target {
    /// The target for the current process.
    pub fn current() -> Target {
        if std::env::var(MODE_VAR).is_ok_and(|v| v == "book") {
            Target::Book
        } else if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
            Target::Kernel
        } else {
            Target::Terminal
        }
    }
}

/// Shows a table.
pub fn table(table: &Table) {
    emit(Rich::Table(table.clone()));
}

/// Shows an SVG image (a chart from [`crate::chart`], say) with a caption.
/// `name` becomes the file name in a terminal, so keep it to letters, digits, `-` and `_`.
pub fn svg(name: &str, caption: &str, svg: String) {
    emit(Rich::Svg {
        name: name.to_string(),
        caption: caption.to_string(),
        svg,
    });
}

/// Shows a Mermaid diagram that the program built, for example from a trace it ran.
pub fn mermaid(source: &str) {
    emit(Rich::Mermaid {
        source: source.to_string(),
    });
}

/// Prints a named value as its own line, `name = value`: the reader sees it in the output, and
/// the book's prose quotes it with `{{#value PATH name}}`, so a figure in a sentence is the one
/// the run printed. Use a name of letters, digits and `_`.
pub fn value(name: &str, value: impl std::fmt::Display) {
    println!("{}", value_line(name, value));
}

/// The line [`value`] prints.
///
/// ```
/// assert_eq!(sysdesign::show::value_line("opened_at", "2.5 s"), "opened_at = 2.5 s");
/// ```
pub fn value_line(name: &str, value: impl std::fmt::Display) -> String {
    format!("{name} = {value}")
}

/// Renders one item for the current [`Target`].
pub fn emit(item: Rich) {
    let target = Target::current();
    let out = match target {
        Target::Kernel => {
            let mut shown = SHOWN_IN_THIS_CELL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            shown.push(item);
            render_kernel(&shown)
        }
        _ => render(&item, target),
    };
    let mut stdout = std::io::stdout().lock();
    // Ignore a closed pipe the way println! would not: a reader that went away is not our bug.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

/// Everything shown so far in the current notebook cell.
///
/// evcxr keeps, for each cell, one piece of rich output per MIME type: the last one printed.
/// So each item shown re-sends every item of the cell so far, combined (see [`render_kernel`]).
/// The list starts empty in every cell because evcxr links this crate statically into each
/// cell's shared object (its default), which gives every cell its own copy of this static.
static SHOWN_IN_THIS_CELL: std::sync::Mutex<Vec<Rich>> = std::sync::Mutex::new(Vec::new());

/// What [`emit`] prints for `item` on `target` (writing the SVG file as a side effect in a terminal).
pub fn render(item: &Rich, target: Target) -> String {
    match target {
        Target::Book => item.to_marker_line(),
        Target::Kernel => render_kernel(std::slice::from_ref(item)),
        Target::Terminal => match item {
            Rich::Table(t) => t.to_string(),
            Rich::Svg { name, caption, svg } => match write_svg_file(name, svg) {
                Ok(path) => format!("[figure: {caption}: written to {}]\n", path.display()),
                Err(e) => format!("[figure: {caption}: could not be written: {e}]\n"),
            },
            Rich::Mermaid { source } => mermaid_fence(source),
        },
    }
}

/// evcxr's rich-content block (`EVCXR_BEGIN_CONTENT mime` ... `EVCXR_END_CONTENT`) for the
/// items a cell has shown so far.
///
/// A chart alone goes as `image/svg+xml`. Anything else goes as one `text/markdown` block
/// holding every item in order: tables as HTML, charts as images, diagrams as
/// ```` ```mermaid ```` fences, which JupyterLab draws. One block, because evcxr keeps only
/// the last block of each type in a cell; Markdown, because Jupyter shows one type of a cell's
/// result, the one it ranks highest, and it ranks HTML above Markdown above SVG: a cell that
/// had sent HTML could never show a later diagram, while Markdown shows all three kinds.
///
/// ```
/// use sysdesign::show::{Rich, Table, render_kernel};
///
/// let a = Rich::Table(Table::new(["a"]).row(["1"]));
/// let b = Rich::Mermaid { source: "flowchart LR\n  A --> B".into() };
/// let out = render_kernel(&[a, b]);
/// assert!(out.starts_with("EVCXR_BEGIN_CONTENT text/markdown\n<table"));
/// assert!(out.contains("<td>1</td>") && out.contains("```mermaid\nflowchart LR"));
/// ```
pub fn render_kernel(items: &[Rich]) -> String {
    match items {
        [] => String::new(),
        [Rich::Svg { svg, .. }] => kernel_block("image/svg+xml", svg),
        several => {
            let mut markdown = String::new();
            for item in several {
                match item {
                    Rich::Table(t) => markdown.push_str(&t.to_html()),
                    // An <img>, not inline <svg>: Jupyter strips <svg> from HTML it does not trust.
                    Rich::Svg { caption, svg, .. } => {
                        markdown.push_str(&figure_html(caption, svg));
                        markdown.push('\n');
                    }
                    Rich::Mermaid { source } => markdown.push_str(&mermaid_fence(source)),
                }
                // A blank line ends an HTML block in Markdown.
                markdown.push('\n');
            }
            kernel_block("text/markdown", &markdown)
        }
    }
}

/// A chart as an HTML figure: the SVG in an `<img>` data URI (so no page style or script
/// reaches into it, and Jupyter keeps it in HTML it does not trust) with its caption.
/// The book and the notebook both show charts this way.
///
/// ```
/// let html = sysdesign::show::figure_html("a <chart>", "<svg/>");
/// assert_eq!(
///     html,
///     "<figure class=\"sysdesign-figure\"><img src=\"data:image/svg+xml;base64,PHN2Zy8+\" \
///      alt=\"a &lt;chart&gt;\"><figcaption>a &lt;chart&gt;</figcaption></figure>"
/// );
/// ```
pub fn figure_html(caption: &str, svg: &str) -> String {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(svg.as_bytes());
    let caption = escape_html(caption);
    format!(
        "<figure class=\"sysdesign-figure\"><img src=\"data:image/svg+xml;base64,{data}\" \
         alt=\"{caption}\"><figcaption>{caption}</figcaption></figure>"
    )
}

/// A ```` ```mermaid ```` fence around `source`, longer than any run of backticks in it, so no
/// line of the source can close it (and what follows be read as Markdown).
fn mermaid_fence(source: &str) -> String {
    let longest = source.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}mermaid\n{}\n{fence}\n", source.trim_end())
}

fn kernel_block(mime: &str, body: &str) -> String {
    // evcxr reads the block line by line until a line that is exactly EVCXR_END_CONTENT.
    format!(
        "EVCXR_BEGIN_CONTENT {mime}\n{}\nEVCXR_END_CONTENT\n",
        body.trim_end_matches('\n')
    )
}

fn write_svg_file(name: &str, svg: &str) -> std::io::Result<PathBuf> {
    let dir = std::env::var_os(DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("sysdesign-show"));
    std::fs::create_dir_all(&dir)?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{safe}.svg"));
    std::fs::write(&path, svg)?;
    Ok(path)
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values, and line breaks
/// (`\n`, `\r`) as character references, so the escaped text is one line: in Markdown a blank
/// line ends a raw-HTML block, and whatever follows it would be read as Markdown. A browser
/// shows the references as the line breaks they stand for (a space in most elements, a new
/// line in `<pre>`).
///
/// ```
/// assert_eq!(sysdesign::show::escape_html("<a href='x'>&</a>"),
///            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
/// assert_eq!(sysdesign::show::escape_html("a\r\n\n# b"), "a&#13;&#10;&#10;# b");
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_table_right_aligns_numbers() {
        let t = Table::new(["policy", "hits"])
            .row(["LRU", "7"])
            .row(["FIFO", "12"]);
        assert_eq!(
            t.to_string(),
            "policy  hits\n------  ----\nLRU        7\nFIFO      12\n"
        );
    }

    #[test]
    #[should_panic(expected = "has 1 cells but the table has 2 columns")]
    fn ragged_row_is_rejected() {
        let _ = Table::new(["a", "b"]).row(["only one"]);
    }

    #[test]
    fn a_ragged_table_from_a_marker_line_is_an_error_and_never_a_panic() {
        let line = format!(
            "{MARKER}{{\"kind\":\"table\",\"headers\":[\"a\",\"b\"],\"rows\":[[\"1\",\"2\"],[\"3\"],[\"4\",\"5\",\"6\"]],\"caption\":null}}\n"
        );
        let err = Rich::from_marker_line(&line).unwrap_err().to_string();
        assert!(
            err.contains("row 2 has 1 cell but the table has 2 columns"),
            "{err}"
        );
        let json = line.strip_prefix(MARKER).unwrap();
        let Rich::Table(table) = serde_json::from_str::<Rich>(json).unwrap() else {
            panic!("a table")
        };
        assert!(table.check().is_err());
        // Shown in a terminal, it prints the cells it has.
        assert_eq!(table.to_string(), "a  b\n-  -\n1  2\n3\n4  5  6\n");
    }

    #[test]
    fn html_from_any_text_is_one_block_with_no_markup_of_its_own() {
        let hostile = "x\n\n# h\r\r[a](javascript:alert(1))\n \t \n<script>\"'&";
        let t = Table::new([hostile]).row([hostile]).caption(hostile);
        for html in [t.to_html(), figure_html(hostile, "<svg/>")] {
            assert!(!html.contains('\r'), "{html}");
            assert!(
                html.lines().all(|l| !l.trim().is_empty()),
                "no blank line: {html:?}"
            );
            assert!(
                !html.contains("<script>") && !html.contains("\"'"),
                "{html}"
            );
        }
    }

    #[test]
    fn a_diagram_source_cannot_close_its_fence() {
        let fenced = mermaid_fence("flowchart LR\n```\n[a](javascript:x)\n````");
        assert!(fenced.starts_with("`````mermaid\n"), "{fenced}");
        assert!(fenced.ends_with("\n`````\n"), "{fenced}");
        assert_eq!(
            mermaid_fence("flowchart LR\n  A --> B"),
            "```mermaid\nflowchart LR\n  A --> B\n```\n"
        );
    }

    #[test]
    fn marker_line_round_trips_every_kind() {
        for item in [
            Rich::Table(Table::new(["x"]).row(["1\n2"]).caption("c")),
            Rich::Svg {
                name: "n".into(),
                caption: "a <b>".into(),
                svg: "<svg>\n</svg>".into(),
            },
            Rich::Mermaid {
                source: "flowchart LR\n  A --> B".into(),
            },
        ] {
            let line = item.to_marker_line();
            assert_eq!(line.matches('\n').count(), 1, "one line only: {line:?}");
            assert_eq!(Rich::from_marker_line(&line).unwrap(), Some(item));
        }
    }

    #[test]
    fn plain_line_is_not_a_marker_and_broken_marker_is_an_error() {
        assert_eq!(Rich::from_marker_line("hello\n").unwrap(), None);
        let err = Rich::from_marker_line(&format!("{MARKER}{{nope")).unwrap_err();
        assert!(
            err.to_string().contains("malformed rich-output line"),
            "{err}"
        );
    }

    #[test]
    fn kernel_svg_uses_evcxr_rich_content_block() {
        let item = Rich::Svg {
            name: "c".into(),
            caption: "c".into(),
            svg: "<svg/>".into(),
        };
        assert_eq!(
            render(&item, Target::Kernel),
            "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg/>\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn kernel_shows_every_item_of_a_cell_in_one_markdown_block() {
        // evcxr keeps the last block of each MIME type: a second item must carry the first.
        let items = [
            Rich::Table(Table::new(["k"]).row(["v"])),
            Rich::Svg {
                name: "c".into(),
                caption: "a <chart>".into(),
                svg: "<svg/>".into(),
            },
            Rich::Mermaid {
                source: "flowchart LR\n  A --> B".into(),
            },
        ];
        let out = render_kernel(&items);
        assert_eq!(out.matches("EVCXR_BEGIN_CONTENT").count(), 1, "{out}");
        assert!(
            out.starts_with("EVCXR_BEGIN_CONTENT text/markdown\n<table"),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "</table>\n\n{}\n\n",
                figure_html("a <chart>", "<svg/>")
            )),
            "{out}"
        );
        assert!(
            out.ends_with("```mermaid\nflowchart LR\n  A --> B\n```\nEVCXR_END_CONTENT\n"),
            "{out}"
        );
        let table = Table::new(["k"]).row(["v"]);
        assert_eq!(
            render_kernel(&items[..1]),
            format!(
                "EVCXR_BEGIN_CONTENT text/markdown\n{}EVCXR_END_CONTENT\n",
                table.to_html()
            ),
            "a table alone is Markdown too"
        );
    }
}
