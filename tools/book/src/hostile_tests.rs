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
