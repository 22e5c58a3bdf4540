use super::*;

fn project() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Project {
        root: root.canonicalize().expect("the repository root exists"),
    }
}

fn code(cells: &[Cell]) -> Vec<&str> {
    cells
        .iter()
        .filter(|c| c.kind == Kind::Code)
        .map(|c| c.source.as_str())
        .collect()
}

const PROGRAM: &str = r#"//! Counts to three.
//! Twice.

use std::fmt::Write as _;

const N: u32 = 3;
const M: u32 = 2;

/// Adds one.
fn next(x: u32) -> u32 {
    let y = x;

    y + 1
}

fn main() {
    // Start at zero.
    let mut x = 0;
    let mut s = String::new();

    // Count.
    for _ in 0..N * M {
        x = next(x);

        write!(s, "{x}").unwrap();
    }
    println!("{s}");
}
"#;

#[test]
fn a_program_becomes_its_items_then_the_body_of_main() {
    let file = Path::new("snippets/demo/count.rs");
    let cells = program_cells(file, 1, PROGRAM).unwrap();
    assert_eq!(
        code(&cells),
        [
            "use std::fmt::Write as _;",
            "const N: u32 = 3;\nconst M: u32 = 2;",
            "/// Adds one.\nfn next(x: u32) -> u32 {\n    let y = x;\n\n    y + 1\n}",
            "// Start at zero.\nlet mut x = 0;\nlet mut s = String::new();\n\n// Count.\nfor _ in 0..N * M {\n    x = next(x);\n\n    write!(s, \"{x}\").unwrap();\n}\nprintln!(\"{s}\");",
        ]
    );
    let lines: Vec<usize> = cells
        .iter()
        .map(|c| c.origin.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [4, 6, 9, 17], "each cell knows its first line");
    assert_eq!(
        description(file, PROGRAM, false).source,
        "The program `snippets/demo/count.rs`: Counts to three.\nTwice."
    );
}

#[test]
fn anchor_markers_are_left_out_but_lines_still_count() {
    let source = "use std::fmt;\n\nfn main() {\n    // ANCHOR: a\n    let x = 1;\n    // ANCHOR_END: a\n    println!(\"{x}\");\n}\n";
    let cells = program_cells(Path::new("s.rs"), 1, source).unwrap();
    assert_eq!(
        code(&cells),
        ["use std::fmt;", "let x = 1;\nprintln!(\"{x}\");"]
    );
    assert_eq!(cells[1].origin.as_ref().unwrap().line, 5);
}

#[test]
fn a_chapter_keeps_its_prose_and_runs_its_code() {
    let chapter = Path::new("book/part/demo.md");
    let text = "# Demo\n\nProse with [a link](../other/page.md#x).\n\n\
                ```mermaid\nflowchart LR\n  A --> B\n```\n\n\
                ```rust,ignore\nnot run\n```\n\n\
                ```rust\n# use std::fmt::Write as _;\nlet x = 1;\n## not a hidden line\n```\n\n\
                {{#run ../../snippets/demo/count.rs}}\n\n\
                ```text\n\\{{#run ../../snippets/demo/count.rs}}\n```\n\nThe end.\n";
    let directives = BTreeMap::from([(
        "{{#run ../../snippets/demo/count.rs}}".to_string(),
        PathBuf::from("snippets/demo/count.rs"),
    )]);
    let segments = segments(chapter, text, &directives).unwrap();
    let source = ChapterSource {
        chapter: chapter.into(),
        in_book: "part/demo.md".into(),
        segments,
        snippets: BTreeMap::from([(PathBuf::from("snippets/demo/count.rs"), PROGRAM.into())]),
    };
    let cells = cells(&source, ":dep sysdesign = { path = \"..\" }").unwrap();
    let kinds: Vec<Kind> = cells.iter().map(|c| c.kind).collect();
    use Kind::{Code, Markdown};
    assert_eq!(
        kinds,
        [
            Markdown, Code, Markdown, Code, Code, Code, Code, Code, Markdown
        ]
    );
    assert!(cells[0].source.contains("(../other/page.ipynb#x)"));
    assert!(cells[0].source.contains("```mermaid\nflowchart LR"));
    assert!(cells[0].source.contains("```rust,ignore\nnot run\n```"));
    assert_eq!(
        cells[1].source,
        "use std::fmt::Write as _;\nlet x = 1;\n# not a hidden line"
    );
    assert_eq!(
        cells[1].origin.as_ref().unwrap().to_string(),
        "book/part/demo.md:15"
    );
    assert!(
        cells[2]
            .source
            .starts_with("The program `snippets/demo/count.rs`")
    );
    assert!(
        cells[8].source.contains("\\{{#run") && cells[8].source.ends_with("The end."),
        "an escaped directive is prose (mdBook's links preprocessor unescapes it later)"
    );
}

#[test]
fn a_directive_must_stand_alone_on_its_line() {
    let directives = BTreeMap::from([(
        "{{#run ../x.rs}}".to_string(),
        PathBuf::from("snippets/x.rs"),
    )]);
    let err = segments(
        Path::new("book/a.md"),
        "# A\n\nsee {{#run ../x.rs}}\n",
        &directives,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("book/a.md:3: write {{#run ../x.rs}} alone"),
        "{err}"
    );
}

#[test]
fn the_setup_cell_finds_the_root_from_the_notebook_folder() {
    assert_eq!(
        relative_path(Path::new("/r/target/notebooks/part"), Path::new("/r")),
        "../../.."
    );
    assert_eq!(relative_path(Path::new("/r"), Path::new("/r")), ".");
    assert_eq!(
        relative_path(Path::new("/a/b"), Path::new("/c/d")),
        "../../c/d"
    );
    let cell = setup_cell(&dep_lines(
        &Origin::Path("../../..".into()),
        &["sqlite".into()],
        &[("lru".into(), "\"0.19\"".into())],
    ));
    assert_eq!(
        cell.source,
        ":dep sysdesign = { path = \"../../..\", default-features = false, features = [\"sqlite\"] }\n\
         :dep lru = \"0.19\"\n:preserve_vars_on_panic 0"
    );
    let git = dep_lines(
        &Origin::Git {
            url: "https://example.org/x".into(),
            rev: "0123".into(),
        },
        &[],
        &[],
    );
    assert_eq!(
        git,
        ":dep sysdesign = { git = \"https://example.org/x\", rev = \"0123\", default-features = false, features = [] }"
    );
}

#[test]
fn the_page_links_to_its_notebook_under_its_title() {
    let page = with_link(
        "# Caching\n\nText.\n",
        Path::new("caching-and-hashing/caching.md"),
        true,
    );
    assert!(
        page.starts_with(
            "# Caching\n\n<p class=\"notebook-link\"><a href=\"caching.ipynb\" download>"
        ),
        "{page}"
    );
    assert!(page.ends_with("\nText.\n"));
}

#[test]
fn the_first_chapter_is_published_beside_index_html_too() {
    let project = project();
    let site = project.target_dir().join("notebook-tests/site");
    let generated = generate(
        &project,
        &load_book(&project).unwrap(),
        &site,
        true,
        &Origin::Path(String::new()),
    )
    .unwrap();
    let first = &generated[0];
    let copies: Vec<&Generated> = generated
        .iter()
        .filter(|nb| nb.chapter == first.chapter)
        .collect();
    let nested = first
        .relative
        .parent()
        .is_some_and(|p| !p.as_os_str().is_empty());
    if !nested {
        assert_eq!(copies.len(), 1, "a first chapter at the top needs no copy");
        return;
    }
    assert_eq!(copies.len(), 2);
    assert_eq!(
        copies[1].relative,
        Path::new(first.relative.file_name().unwrap())
    );
    let dep = |nb: &Generated| nb.cells[0].source.lines().next().unwrap().to_string();
    assert_eq!(
        dep(first).matches("..").count(),
        dep(copies[1]).matches("..").count() + 1,
        "each copy finds the root from its own folder"
    );
}

/// The test the issue asks for: every snippet a chapter runs is in its notebook, whole. The
/// program is rebuilt from the notebook's cells that came from it (items, then `main` around the
/// cells of its body) and compared token by token with the snippet file.
#[test]
fn every_notebook_holds_every_snippet_of_its_chapter() {
    let project = project();
    let out = project.target_dir().join("notebooks");
    let generated = generate(
        &project,
        &load_book(&project).unwrap(),
        &out,
        false,
        &Origin::Path(String::new()),
    )
    .unwrap();
    assert!(!generated.is_empty());
    let mut checked = 0;
    for nb in &generated {
        let text = std::fs::read_to_string(project.root.join(&nb.chapter)).unwrap();
        let directives = snippets::find_directives(&project, &nb.chapter, &text).unwrap();
        assert_eq!(nb.cells[0].kind, Kind::Code);
        assert!(
            nb.cells[0]
                .source
                .starts_with(":dep sysdesign = { path = \"")
        );
        for d in directives {
            let source = std::fs::read_to_string(project.root.join(&d.snippet)).unwrap();
            let file = syn::parse_file(&source).unwrap();
            let main = file
                .items
                .iter()
                .find_map(|i| match i {
                    syn::Item::Fn(f) if f.sig.ident == "main" => Some(f),
                    _ => None,
                })
                .unwrap();
            let main_lines = line_range(&syn::Item::Fn(main.clone()));
            let mine: Vec<&Cell> = nb
                .cells
                .iter()
                .filter(|c| c.kind == Kind::Code)
                .filter(|c| c.origin.as_ref().is_some_and(|o| o.file == d.snippet))
                .collect();
            let (body, items): (Vec<&Cell>, Vec<&Cell>) = mine.iter().partition(|c| {
                (main_lines.0..=main_lines.1).contains(&c.origin.as_ref().unwrap().line)
            });
            let rebuilt = format!(
                "{}\nfn main() {{\n{}\n}}\n",
                items
                    .iter()
                    .map(|c| c.source.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                body.iter()
                    .map(|c| c.source.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            let rebuilt = syn::parse_file(&rebuilt)
                .unwrap_or_else(|e| panic!("{}: cells do not parse: {e}", d.snippet.display()));
            let expected: Vec<syn::Item> = file
                .items
                .iter()
                .filter(|i| !matches!(i, syn::Item::Fn(f) if f.sig.ident == "main"))
                .cloned()
                .chain([syn::Item::Fn(main.clone())])
                .collect();
            // syn's equality compares the syntax, not the spans or the layout.
            assert!(
                rebuilt.items == expected,
                "{}: the notebook's cells differ from the snippet",
                d.snippet.display()
            );
            assert_eq!(body.len(), 1, "{}: main is one cell", d.snippet.display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} snippets checked");
}

#[test]
fn notebooks_are_nbformat_4_for_the_rust_kernel() {
    let project = project();
    for nb in generate(
        &project,
        &load_book(&project).unwrap(),
        &project.target_dir().join("notebooks"),
        true,
        &Origin::Path(String::new()),
    )
    .unwrap()
    {
        let v: Value = serde_json::from_str(&nb.text).unwrap();
        assert_eq!(v["nbformat"], 4);
        assert_eq!(v["metadata"]["kernelspec"]["name"], "rust");
        let cells = v["cells"].as_array().unwrap();
        let mut ids: Vec<&str> = cells.iter().map(|c| c["id"].as_str().unwrap()).collect();
        ids.dedup();
        assert_eq!(ids.len(), cells.len(), "cell ids are unique");
        for c in cells {
            assert!(
                c["source"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|l| l.is_string())
            );
            if c["cell_type"] == "code" {
                assert_eq!(c["outputs"], json!([]));
            }
        }
    }
}

// Tests that need the evcxr kernel (`cargo book test` runs them after installing it). They
// share one evcxr build folder, and `Kernel::execute` makes them take turns.

/// Writes a notebook with these code cells under `target/notebook-tests/NAME/` and runs it.
fn run_cells(name: &str, sources: &[&str]) -> Result<Value> {
    let project = project();
    let dir = project.target_dir().join("notebook-tests").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let cells: Vec<Cell> = sources
        .iter()
        .map(|s| Cell::code(s, Path::new("test"), 1))
        .collect();
    let path = dir.join("test.ipynb");
    std::fs::write(
        &path,
        to_text(&notebook_json(Path::new("test"), &cells)).unwrap(),
    )
    .unwrap();
    let out = dir.join("executed.ipynb");
    let report = run::ensure()?.execute(&project, &[(path, out.clone())])?;
    if let Some(failure) = report.failure {
        anyhow::bail!("{failure}");
    }
    Ok(serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap())
}

#[test]
#[ignore = "needs the evcxr kernel"]
fn a_cell_that_fails_to_compile_fails_the_run_naming_notebook_and_cell() {
    let err = run_cells(
        "compile-error",
        &[
            ":preserve_vars_on_panic 0",
            "let a = 1;",
            "let x: u32 = \"text\";",
            "let b = 2;",
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "compile-error/test.ipynb: cell 2 (`let x: u32 = \"text\";`, from test:1) failed"
        ),
        "{err}"
    );
    assert!(err.contains("mismatched types"), "{err}");
}

#[test]
#[ignore = "needs the evcxr kernel"]
fn a_cell_that_panics_fails_the_run_even_when_evcxr_catches_the_panic() {
    // With `:preserve_vars_on_panic 0`, as in every generated notebook, and without it, when
    // evcxr catches the panic and reports success: both must fail at the panicking cell.
    for (name, setup) in [
        ("panic", ":preserve_vars_on_panic 0"),
        ("caught-panic", ":preserve_vars_on_panic 1"),
    ] {
        let err = run_cells(
            name,
            &[setup, "let a = 1;", "panic!(\"boom {a}\");", "let b = 2;"],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains(&format!(
                "{name}/test.ipynb: cell 2 (`panic!(\"boom {{a}}\");`"
            )),
            "{name}: {err}"
        );
        assert!(err.contains("boom 1"), "{name}: {err}");
    }
}

#[test]
#[ignore = "needs the evcxr kernel"]
fn rich_output_reaches_the_notebook_as_markdown_and_svg() {
    let root = project().root.display().to_string();
    let setup = format!(":dep sysdesign = {{ path = {root:?} }}\n:preserve_vars_on_panic 0");
    let nb = run_cells(
        "rich",
        &[
            &setup,
            "use sysdesign::show::{self, Table};\nprintln!(\"before\");\nshow::table(&Table::new([\"k\"]).row([\"v\"]));",
            "show::svg(\"c\", \"a chart\", \"<svg xmlns=\\\"http://www.w3.org/2000/svg\\\"/>\".to_string());",
            "show::table(&Table::new([\"a\"]).row([\"1\"]));\nshow::table(&Table::new([\"b\"]).row([\"2\"]));",
            "show::table(&Table::new([\"c\"]).row([\"3\"]));",
        ],
    )
    .unwrap();
    let outputs = |i: usize| nb["cells"][i]["outputs"].as_array().unwrap().clone();
    let data = |i: usize| {
        outputs(i)
            .into_iter()
            .find(|o| o["output_type"] == "execute_result" || o["output_type"] == "display_data")
            .map(|o| o["data"].clone())
            .unwrap_or(Value::Null)
    };
    let text = |v: &Value| match v {
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect::<String>(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    };
    assert!(
        text(&data(1)["text/markdown"]).contains("<td>v</td>"),
        "{:#}",
        nb["cells"][1]
    );
    assert!(
        text(&data(2)["image/svg+xml"]).contains("<svg"),
        "{:#}",
        nb["cells"][2]
    );
    let both = text(&data(3)["text/markdown"]);
    assert!(
        both.contains("<td>1</td>") && both.contains("<td>2</td>"),
        "two tables in one cell are both shown: {:#}",
        nb["cells"][3]
    );
    let alone = text(&data(4)["text/markdown"]);
    assert!(
        alone.contains("<td>3</td>") && !alone.contains("<td>2</td>"),
        "a new cell starts afresh: {:#}",
        nb["cells"][4]
    );
}

#[test]
fn a_directive_in_a_comment_or_code_is_prose_in_the_notebook() {
    let directives = BTreeMap::from([(
        "{{#run ../x.rs}}".to_string(),
        PathBuf::from("snippets/x.rs"),
    )]);
    for text in [
        "# A\n\n<!--\n{{#run ../x.rs}}\n-->\n",
        "# A\n\nsee <!-- {{#run ../x.rs}} --> here\n",
        "# A\n\n<!-- {{#run ../x.rs}} -->\n",
        "# A\n\nsee `{{#run ../x.rs}}` here\n",
        "# A\n\n    {{#run ../x.rs}}\n",
        "# A\n\n\\{{#run ../x.rs}}\n",
    ] {
        let found = segments(Path::new("book/a.md"), text, &directives)
            .unwrap_or_else(|e| panic!("{text}: {e:#}"));
        assert!(
            found.iter().all(|s| matches!(s, Segment::Prose(_))),
            "{text}: {found:?}"
        );
    }
}
