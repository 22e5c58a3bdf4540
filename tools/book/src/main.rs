//! The book tool: `cargo book build | serve | test`.
//!
//! Run through the alias in `.cargo/config.toml`. It is a package of its own so that the
//! library, which notebooks compile, never pulls in mdBook or a web server.

#[cfg(test)]
mod attack_tests;
mod bench;
mod cache;
mod callouts;
mod check;
mod contain;
mod expect;
mod glossary;
#[cfg(test)]
mod hostile_tests;
mod markdown;
mod new;
mod notebooks;
#[cfg(test)]
mod page_tests;
mod pages;
mod planned;
mod preprocessor;
mod project;
mod quote;
mod render;
mod serve;
mod site;
mod snippets;
mod synthetic;
mod test;
mod uses;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// Builds, serves and checks the sysdesign book.
#[derive(Parser)]
#[command(name = "cargo book", bin_name = "cargo book", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile and run every snippet, then build the site into target/book.
    Build,
    /// Build, serve the site on http://127.0.0.1:PORT/, rebuild and reload pages on every change.
    Serve {
        /// The port to listen on (loopback only).
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Write the expected outputs (`<snippet>.stdout`) of these snippets, or of all.
    Bless {
        /// Snippets to bless, e.g. snippets/caching/lru_vs_fifo.rs; none means every snippet.
        snippets: Vec<std::path::PathBuf>,
    },
    /// Scaffold a chapter: page, SUMMARY.md entry, library module, first snippet, test file.
    New {
        /// The part folder under book/ and the chapter, e.g. caching-and-hashing/hashing.
        #[arg(value_name = "PART/CHAPTER")]
        name: String,
    },
    /// Compile one snippet and run it here, in the terminal.
    Run {
        /// The snippet, e.g. snippets/caching/lru_vs_fifo.rs.
        snippet: std::path::PathBuf,
    },
    /// Everything CI checks: format, lints, tests, docs, the build, links and a browser check.
    Test,
    /// Write every chapter as a Jupyter notebook (evcxr Rust kernel) into target/notebooks.
    Notebooks {
        /// Also execute every notebook whose inputs changed since its last run (the others are
        /// reused), as `cargo book test` does.
        #[arg(long)]
        execute: bool,
    },
    /// Write a scratch copy of the book with its chapters repeated up to N, to measure how the
    /// pipeline scales (not run in CI): then run `cargo book test` inside it.
    #[command(hide = true)]
    Synthetic {
        /// How many chapters the copy has in all.
        #[arg(long, default_value_t = 45)]
        chapters: usize,
        /// The folder to write (must not exist yet).
        out: std::path::PathBuf,
    },
    /// Run the criterion benchmarks and regenerate book/appendix/benchmarks.md.
    Bench,
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .init();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    let project = project::Project::discover()?;
    match cli.command {
        Cmd::Build => {
            site::build(&project)?;
        }
        Cmd::Serve { port } => serve::serve(&project, port)?,
        Cmd::New { name } => new::run(&project, &name)?,
        Cmd::Run { snippet } => {
            let settings = project.run_settings()?;
            let code = snippets::run_in_terminal(&project, &settings, &snippet)?;
            std::process::exit(code);
        }
        Cmd::Bless { snippets } => {
            let runs = preprocessor::book_runs(&project, &snippets)?;
            let written = expect::bless(&project, &runs)?;
            for path in &written {
                eprintln!("sysdesign-book: wrote {}", path.display());
            }
            eprintln!(
                "sysdesign-book: {} expected output(s) written, {} already up to date",
                written.len(),
                runs.values().filter(|r| !r.timing).count() - written.len()
            );
        }
        Cmd::Test => test::run(&project)?,
        Cmd::Bench => bench::run(&project)?,
        Cmd::Notebooks { execute: false } => notebooks::command(&project)?,
        Cmd::Notebooks { execute: true } => {
            let counts = notebooks::run::execute_changed(&project)?;
            eprintln!("sysdesign-book: {counts}");
        }
        Cmd::Synthetic { chapters, out } => synthetic::write(&project, chapters, &out)?,
    }
    Ok(())
}
