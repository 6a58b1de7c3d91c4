//! Workspace automation, run as `cargo xtask <command>`.
//!
//! * `demo` — each provider's main documented flow end to end against the crate's mock
//!   gateway (or `--live` against the sandboxes), printing a scrubbed transcript.
//! * `fixtures` — extract the documented examples from `docs/providers/*.md` into
//!   `fixtures/<provider>/`, then regenerate the insta snapshots of the whole workspace.
//! * `fixtures --check` — fail, naming the file, when a fixture differs from its docs block,
//!   a fixture has no docs block, a snapshot is stale, or a snapshot is unreferenced.
//!
//! The fixture convention is described in `docs/architecture.md`.

// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench_report;
mod demo;
mod fixtures;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo               run each provider's main flow against its mock gateway, with a transcript
  demo --provider <name> [--live]
  bench-report       run the benchmarks and print the ratio table (--no-run: table only)
  fixtures           write fixtures/ from docs/providers/*.md, then regenerate snapshots
  fixtures --check   fail if fixtures or snapshots are stale (what CI runs)

options of fixtures:
  -p, --package <crate>   run (and clean up) only that crate's snapshot tests
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["fixtures", rest @ ..] => fixtures_command(rest),
        ["demo", rest @ ..] => demo::run(rest),
        ["bench-report", rest @ ..] => bench_report::run(&workspace_root(), rest),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command {args:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn fixtures_command(args: &[&str]) -> Result<(), String> {
    let mut mode = fixtures::Mode::Write;
    let mut package = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--check" => mode = fixtures::Mode::Check,
            "-p" | "--package" => {
                let name = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a crate name\n\n{USAGE}"))?;
                package = Some((*name).to_owned());
            }
            other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
        }
    }
    fixtures::run(&workspace_root(), mode, package.as_deref())
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.to_path_buf())
}
