//! The tool under attack: snippets that try to outlive their run or exhaust the machine, builds
//! that race, links that lead out of the repository, and inputs the output cache could miss.
//! Each case failed (or hung) before the tool contained its runs, locked its builds, checked
//! links and read the compiler's dep-info.

use std::path::{Path, PathBuf};

use crate::contain::tests::processes_with;
use crate::project::Project;
use crate::site::build;
use crate::site::tests_support::{chapter, fixture};

fn write(project: &Project, path: &str, text: &str) {
    let path = project.root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(project: &Project) -> String {
    std::fs::read_to_string(project.root.join("target/book/demo.html")).unwrap()
}

fn done(project: Project) {
    std::fs::remove_dir_all(&project.root).unwrap();
}

/// A snippet that starts `bash -c "exec -a MARKER sleep infinity"` in a session of its own
/// (`setsid`), with the given stdio, then runs `rest`.
fn spawner(marker: &str, null_output: bool, rest: &str) -> String {
    let stdio = if null_output {
        ".stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null())"
    } else {
        ""
    };
    format!(
        "use std::process::{{Command, Stdio}};\n\nfn main() {{\n    let _ = Stdio::null();\n    \
         Command::new(\"setsid\")\n        .args([\"bash\", \"-c\", \"exec -a {marker} sleep infinity\"])\n        \
         {stdio}\n        .spawn()\n        .unwrap();\n    println!(\"started\");\n    {rest}\n}}\n"
    )
}

#[test]
fn a_session_leader_holding_the_pipes_fails_the_build_and_is_killed() {
    let project = fixture("attack-holder");
    let marker = "sysdesign-attack-holder-4410";
    write(
        &project,
        "snippets/demo/holder.rs",
        &spawner(marker, false, ""),
    );
    chapter(&project, "{{#run ../snippets/demo/holder.rs}}");
    let err = format!("{:#}", build(&project).expect_err("the holder must fail"));
    assert!(
        err.contains("snippet snippets/demo/holder.rs: exited but left child processes running"),
        "{err}"
    );
    assert_eq!(processes_with(marker), Vec::<u32>::new(), "nothing is left");
    done(project);
}

#[test]
fn a_run_that_never_ends_fails_at_the_time_limit_with_its_tree() {
    let project = fixture("attack-forever");
    let marker = "sysdesign-attack-forever-7302";
    write(
        &project,
        "snippets/demo/forever.rs",
        &spawner(marker, false, "loop {\n        std::thread::park();\n    }"),
    );
    chapter(&project, "{{#run ../snippets/demo/forever.rs}}");
    let err = format!("{:#}", build(&project).expect_err("it must time out"));
    assert!(
        err.contains(
            "ran past its time limit of 3 s and was killed, with every process it started"
        ),
        "{err}"
    );
    assert_eq!(processes_with(marker), Vec::<u32>::new(), "nothing is left");
    done(project);
}

#[test]
fn a_daemon_with_closed_output_fails_the_build_and_is_killed() {
    let project = fixture("attack-daemon");
    let marker = "sysdesign-attack-daemon-9157";
    write(
        &project,
        "snippets/demo/daemon.rs",
        &spawner(marker, true, ""),
    );
    chapter(&project, "{{#run ../snippets/demo/daemon.rs}}");
    let err = format!("{:#}", build(&project).expect_err("the daemon must fail"));
    assert!(
        err.contains("snippet snippets/demo/daemon.rs: exited but left child processes running"),
        "{err}"
    );
    assert_eq!(processes_with(marker), Vec::<u32>::new(), "nothing is left");
    done(project);
}

#[test]
fn each_resource_limit_stops_a_snippet_and_is_named() {
    let project = fixture("attack-limits");
    let toml = std::fs::read_to_string(project.root.join("book.toml")).unwrap();
    let toml = toml.replace(
        "timeout = 3\n",
        "timeout = 30\nmax-memory-mib = 256\nmax-file-size-mib = 1\nmax-cpu-seconds = 1\n",
    );
    write(&project, "book.toml", &toml);
    let big = project.root.join("big.bin");
    write(
        &project,
        "snippets/demo/big_file.rs",
        &format!(
            "fn main() {{\n    std::fs::write({:?}, vec![7u8; 2 << 20]).unwrap();\n}}\n",
            big.display().to_string()
        ),
    );
    write(
        &project,
        "snippets/demo/big_alloc.rs",
        "fn main() {\n    let v = std::hint::black_box(vec![1u8; 1 << 30]);\n    println!(\"{}\", v.len());\n}\n",
    );
    write(
        &project,
        "snippets/demo/spin.rs",
        "fn main() {\n    let mut x = 0u64;\n    loop {\n        x = std::hint::black_box(x.wrapping_add(1));\n    }\n}\n",
    );
    chapter(
        &project,
        "{{#run ../snippets/demo/big_file.rs}}\n\n{{#run ../snippets/demo/big_alloc.rs}}\n\n{{#run ../snippets/demo/spin.rs}}",
    );
    let err = format!("{:#}", build(&project).expect_err("every limit is hit"));
    for (snippet, key) in [
        ("big_file.rs", "max-file-size-mib"),
        ("big_alloc.rs", "max-memory-mib"),
        ("spin.rs", "max-cpu-seconds"),
    ] {
        let message = err
            .split("\n\n")
            .find(|m| m.contains(&format!("snippets/demo/{snippet}:")))
            .unwrap_or_else(|| panic!("no message for {snippet}: {err}"));
        assert!(
            message.contains(&format!("[preprocessor.run] {key} in book.toml")),
            "{snippet}: {message}"
        );
    }
    let written = std::fs::metadata(&big).map_or(0, |m| m.len());
    assert!(
        written <= 1 << 20,
        "the file stopped at the limit: {written} bytes"
    );
    done(project);
}

#[test]
fn two_builds_at_once_take_turns_and_the_site_survives() {
    let project = fixture("attack-race");
    chapter(&project, "{{#run ../snippets/demo/good.rs}}");
    build(&project).expect("the first build");
    for round in 0..5 {
        let barrier = std::sync::Barrier::new(2);
        let waited: Vec<bool> = std::thread::scope(|s| {
            let builds: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        build(&project)
                            .expect("each build succeeds")
                            .waited
                            .is_some()
                    })
                })
                .collect();
            builds.into_iter().map(|b| b.join().unwrap()).collect()
        });
        assert_eq!(
            waited.iter().filter(|w| **w).count(),
            1,
            "round {round}: exactly one build waited for the other ({waited:?})"
        );
        assert!(
            page(&project).contains("&lt;b&gt;42&lt;/b&gt;"),
            "round {round}: the page is there"
        );
        assert!(project.root.join("target/book/index.html").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(project.root.join("target"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("book."))
            .collect();
        assert_eq!(leftovers, Vec::<String>::new(), "round {round}");
    }
    done(project);
}

#[test]
fn a_site_left_half_swapped_is_put_back_by_the_next_build() {
    let project = fixture("attack-swap");
    chapter(&project, "{{#run ../snippets/demo/good.rs}}");
    build(&project).expect("the first build");
    let site = project.root.join("target/book");
    // As if a build died between the two renames of the fallback swap, and another mid-render.
    std::fs::rename(&site, project.root.join("target/book.old")).unwrap();
    std::fs::create_dir_all(project.root.join("target/book.staging-1")).unwrap();
    chapter(&project, "{{#run ../snippets/demo/nowhere.rs}}");
    build(&project).expect_err("the chapter is broken");
    assert!(
        site.join("demo.html").is_file(),
        "the failed build still restored the last good site"
    );
    assert!(!project.root.join("target/book.staging-1").exists());
    done(project);
}

#[test]
fn symbolic_links_out_of_the_repository_are_refused_by_name() {
    let project = fixture("attack-links");
    chapter(&project, "{{#run ../snippets/demo/good.rs}}");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let link = |from: &Path, to: &str| {
        let _ = std::fs::remove_file(project.root.join(to));
        std::os::unix::fs::symlink(from, project.root.join(to)).unwrap();
    };
    for (target, name) in [
        (outside.path().join("secret.txt"), "book/leak.txt"),
        (outside.path().to_path_buf(), "book/tree"),
        (PathBuf::from("/etc/passwd"), "snippets/demo/passwd.rs"),
        (PathBuf::from("/nowhere/at/all"), "book/dangling.png"),
    ] {
        link(&target, name);
        let err = format!("{:#}", build(&project).expect_err(name));
        assert!(
            err.contains(&format!("{name} is a symbolic link to")),
            "{err}"
        );
        assert!(!project.root.join("target/book/leak.txt").exists());
        std::fs::remove_file(project.root.join(name)).unwrap();
    }
    // A link that stays inside the repository is fine.
    link(&project.root.join("book.toml"), "book/settings.txt");
    build(&project).expect("a link inside the repository is allowed");
    done(project);
}

#[test]
fn a_file_pulled_in_with_path_reruns_the_snippet_when_it_changes() {
    let project = fixture("attack-path");
    write(
        &project,
        "snippets/demo/common.rs",
        "pub const VALUE: u32 = 1;\n",
    );
    write(
        &project,
        "snippets/demo/uses_common.rs",
        "#[path = \"common.rs\"]\nmod common;\n\nfn main() {\n    println!(\"value {}\", common::VALUE);\n}\n",
    );
    chapter(&project, "{{#run ../snippets/demo/uses_common.rs}}");
    build(&project).expect("builds");
    assert!(page(&project).contains("value 1"));
    write(
        &project,
        "snippets/demo/common.rs",
        "pub const VALUE: u32 = 2;\n",
    );
    let built = build(&project).expect("builds again");
    assert_eq!(
        built.snippets.ran,
        [PathBuf::from("snippets/demo/uses_common.rs")]
    );
    assert!(page(&project).contains("value 2"), "{}", page(&project));
    let again = build(&project).expect("and again");
    assert!(
        again.snippets.ran.is_empty(),
        "nothing changed, nothing runs"
    );
    done(project);
}

#[test]
fn a_compile_error_is_reported_as_itself_when_cargo_writes_no_dep_info() {
    // With one snippet failing to compile, cargo writes no dep-info for the others: the build
    // must report the compile error, not a missing dep-info file.
    let project = fixture("attack-depinfo");
    write(
        &project,
        "snippets/demo/broken.rs",
        "fn main() {\n    let x: u32 = \"text\";\n}\n",
    );
    chapter(
        &project,
        "{{#run ../snippets/demo/good.rs}}\n\n{{#run ../snippets/demo/broken.rs}}",
    );
    let err = format!("{:#}", build(&project).expect_err("one does not compile"));
    assert!(
        err.contains("snippet snippets/demo/broken.rs does not compile"),
        "{err}"
    );
    assert!(!err.contains("dep-info"), "{err}");
    done(project);
}
