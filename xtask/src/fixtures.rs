//! `cargo xtask fixtures [--check]`.
//!
//! A fixture is a fenced block in `docs/providers/<provider>.md` whose info string carries
//! `fixture=<name>`:
//!
//! ````text
//! ```json fixture=debit-request
//! {"merchantTransactionId": "…"}
//! ```
//! ````
//!
//! Its content, byte for byte, becomes `fixtures/<provider>/<name>.json` (a name that already
//! has an extension keeps it). JSON fixtures must parse, unless the block is also marked
//! `invalid-json` (a documented example that is itself broken, kept verbatim).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `run` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write fixtures and regenerate snapshots.
    Write,
    /// Only check; change nothing.
    Check,
}

/// One fixture block found in a docs page.
#[derive(Debug)]
struct Block {
    file_name: String,
    content: String,
    line: usize,
    invalid_json: bool,
}

pub(crate) fn run(root: &Path, mode: Mode, package: Option<&str>) -> Result<(), String> {
    let expected = collect_expected(root)?;
    let problems = sync_fixtures(root, &expected, mode)?;
    if !problems.is_empty() {
        return Err(format!(
            "fixtures are out of date with docs/providers (run `cargo xtask fixtures`):\n  {}",
            problems.join("\n  ")
        ));
    }
    let count: usize = expected.values().map(BTreeMap::len).sum();
    println!(
        "fixtures: {count} files in {} providers {}",
        expected.len(),
        if mode == Mode::Check {
            "match their docs blocks"
        } else {
            "written"
        }
    );
    snapshots(root, mode, package)
}

/// provider -> file name -> block
fn collect_expected(root: &Path) -> Result<BTreeMap<String, BTreeMap<String, Block>>, String> {
    let docs = root.join("docs/providers");
    let mut out = BTreeMap::new();
    let mut pages: Vec<PathBuf> = read_dir(&docs)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    for page in pages {
        let provider = page
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: bad file name", page.display()))?
            .to_owned();
        let text = fs::read_to_string(&page)
            .map_err(|e| format!("{}: cannot read: {e}", page.display()))?;
        let blocks = parse_blocks(&text).map_err(|e| format!("{}: {e}", rel(root, &page)))?;
        let mut by_name = BTreeMap::new();
        for block in blocks {
            if block.file_name.ends_with(".json")
                && !block.invalid_json
                && let Err(e) = serde_json::from_str::<serde_json::Value>(&block.content)
            {
                return Err(format!(
                    "{}:{}: fixture `{}` is not valid JSON ({e}); fix the block or mark it `invalid-json`",
                    rel(root, &page),
                    block.line,
                    block.file_name
                ));
            }
            if let Some(previous) = by_name.get(&block.file_name) {
                let previous: &Block = previous;
                return Err(format!(
                    "{}:{}: fixture `{}` is already defined at line {}",
                    rel(root, &page),
                    block.line,
                    block.file_name,
                    previous.line
                ));
            }
            by_name.insert(block.file_name.clone(), block);
        }
        out.insert(provider, by_name);
    }
    Ok(out)
}

/// Parses the fixture blocks of one page.
fn parse_blocks(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut lines = text.split_inclusive('\n').enumerate();
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let stripped = trimmed.trim_start();
        let Some(info) = stripped.strip_prefix("```") else {
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        let name = words.iter().find_map(|w| w.strip_prefix("fixture="));
        let fence_indent = trimmed.len() - stripped.len();
        let mut content = String::new();
        let mut closed = false;
        for (_, body_line) in lines.by_ref() {
            let body_trimmed = body_line.trim_end_matches(['\n', '\r']);
            if body_trimmed.trim_start().starts_with("```") && body_trimmed.trim() == "```" {
                closed = true;
                break;
            }
            content.push_str(body_line);
        }
        let line_no = index + 1;
        if !closed {
            return Err(format!("line {line_no}: fenced block is never closed"));
        }
        let Some(name) = name else { continue };
        if fence_indent != 0 {
            return Err(format!(
                "line {line_no}: fixture blocks must start at column 0"
            ));
        }
        let valid_name = !name.is_empty()
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
            })
            && !name.starts_with('.');
        if !valid_name {
            return Err(format!(
                "line {line_no}: fixture name `{name}` must be lower-case letters, digits, `-`, `_` or `.`"
            ));
        }
        let file_name = if name.contains('.') {
            name.to_owned()
        } else {
            format!("{name}.json")
        };
        blocks.push(Block {
            file_name,
            content,
            line: line_no,
            invalid_json: words.contains(&"invalid-json"),
        });
    }
    Ok(blocks)
}

/// Compares (Check) or writes (Write) `fixtures/`; returns the problems found in Check mode.
fn sync_fixtures(
    root: &Path,
    expected: &BTreeMap<String, BTreeMap<String, Block>>,
    mode: Mode,
) -> Result<Vec<String>, String> {
    let fixtures = root.join("fixtures");
    let mut problems = Vec::new();
    for (provider, blocks) in expected {
        let dir = fixtures.join(provider);
        if mode == Mode::Write {
            fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        for (file_name, block) in blocks {
            let path = dir.join(file_name);
            let on_disk = fs::read(&path).ok();
            if on_disk.as_deref() == Some(block.content.as_bytes()) {
                continue;
            }
            match mode {
                Mode::Check => problems.push(format!(
                    "{}: {} (docs/providers/{provider}.md line {})",
                    rel(root, &path),
                    if on_disk.is_some() {
                        "differs from its docs block"
                    } else {
                        "missing"
                    },
                    block.line
                )),
                Mode::Write => fs::write(&path, &block.content)
                    .map_err(|e| format!("{}: {e}", path.display()))?,
            }
        }
    }
    // Anything in fixtures/ that no docs block produces.
    for entry in read_dir(&fixtures).unwrap_or_default() {
        let Some(provider) = entry
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
        else {
            continue;
        };
        if provider == "README.md" {
            continue;
        }
        let known = expected.get(&provider);
        let files = if entry.is_dir() {
            read_dir(&entry)?
        } else {
            vec![entry.clone()]
        };
        for file in files {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if known.is_some_and(|blocks| blocks.contains_key(name)) {
                continue;
            }
            match mode {
                Mode::Check => problems.push(format!(
                    "{}: no docs block produces this file",
                    rel(root, &file)
                )),
                Mode::Write => {
                    remove(&file)?;
                }
            }
        }
        if mode == Mode::Write && entry.is_dir() && known.is_none() {
            remove(&entry)?;
        }
    }
    Ok(problems)
}

/// Runs the workspace's tests with insta configured for the mode, then looks for stale,
/// pending and unreferenced snapshots.
fn snapshots(root: &Path, mode: Mode, package: Option<&str>) -> Result<(), String> {
    let references = std::env::temp_dir().join(format!(
        "xtask-snapshot-references-{}.txt",
        std::process::id()
    ));
    let _ = fs::remove_file(&references);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "--all-features", "--tests", "--quiet"])
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references)
        .env_remove("INSTA_FORCE_PASS");
    let scan_dirs: Vec<PathBuf> = match package {
        Some(name) => {
            command.args(["--package", name]);
            let dir = ["crates", "."]
                .iter()
                .map(|parent| root.join(parent).join(name))
                .find(|dir| dir.join("Cargo.toml").is_file())
                .ok_or_else(|| format!("no crate directory for package `{name}`"))?;
            vec![dir]
        }
        None => {
            command.arg("--workspace");
            ["crates", "xtask", "tests"]
                .iter()
                .map(|d| root.join(d))
                .collect()
        }
    };
    match mode {
        Mode::Check => command.env("INSTA_UPDATE", "no"),
        Mode::Write => command
            .env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1"),
    };
    println!(
        "snapshots: running the workspace tests (INSTA_UPDATE={})",
        match mode {
            Mode::Check => "no",
            Mode::Write => "always",
        }
    );
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let referenced: BTreeSet<PathBuf> = fs::read_to_string(&references)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| canonical(Path::new(l.trim())))
        .collect();
    let _ = fs::remove_file(&references);
    if !status.success() {
        return Err(match mode {
            Mode::Check => "tests failed: a snapshot is stale or missing, or another test fails (see above); run `cargo xtask fixtures` and review the diff".to_owned(),
            Mode::Write => "tests failed (see above); snapshots were written but not cleaned up".to_owned(),
        });
    }
    let mut problems = Vec::new();
    let mut snapshot_files = Vec::new();
    for dir in &scan_dirs {
        walk(dir, &mut snapshot_files)?;
    }
    for file in snapshot_files {
        let name = file.to_string_lossy();
        let pending = name.ends_with(".snap.new") || name.ends_with(".pending-snap");
        let unreferenced = name.ends_with(".snap") && !referenced.contains(&canonical(&file));
        if !(pending || unreferenced) {
            continue;
        }
        match mode {
            Mode::Check => problems.push(format!(
                "{}: {}",
                rel(root, &file),
                if pending {
                    "pending snapshot (review and accept or delete it)"
                } else {
                    "unreferenced snapshot (no test asserts it)"
                }
            )),
            Mode::Write => remove(&file)?,
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "snapshots are out of date (run `cargo xtask fixtures`):\n  {}",
            problems.join("\n  ")
        ));
    }
    println!("snapshots: {} referenced, all current", referenced.len());
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in read_dir(dir)? {
        if entry.is_dir() {
            if entry.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            walk(&entry, out)?;
        } else {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        out.push(entry.map_err(|e| format!("{}: {e}", dir.display()))?.path());
    }
    out.sort();
    Ok(out)
}

fn remove(path: &Path) -> Result<(), String> {
    let result = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    result.map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_extracted_verbatim_with_their_names() {
        let page = "# Page\n\n```json fixture=debit-request\n{\"a\": 1,\n  \"b\": \"x\"}\n```\n\ntext\n\n```json\n{\"ignored\": true}\n```\n\n```text fixture=callback.form\na=1&b=2\n```\n";
        let blocks = parse_blocks(page).expect("parses");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].file_name, "debit-request.json");
        assert_eq!(blocks[0].content, "{\"a\": 1,\n  \"b\": \"x\"}\n");
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].file_name, "callback.form");
        assert_eq!(blocks[1].content, "a=1&b=2\n");
    }

    #[test]
    fn bad_blocks_are_reported_with_their_line() {
        assert!(
            parse_blocks("```json fixture=x\n{}\n")
                .expect_err("unclosed")
                .contains("line 1")
        );
        assert!(
            parse_blocks("text\n```json fixture=Bad Name\n{}\n```\n")
                .expect_err("bad name")
                .contains("line 2")
        );
        assert!(parse_blocks("  ```json fixture=x\n{}\n  ```\n").is_err());
    }

    #[test]
    fn a_one_byte_change_is_detected_and_rewritten() {
        let root = std::env::temp_dir().join(format!("xtask-fixtures-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("docs/providers")).expect("mkdir");
        fs::write(
            root.join("docs/providers/acme.md"),
            "```json fixture=a\n{\"x\": 1}\n```\n",
        )
        .expect("write page");
        let expected = collect_expected(&root).expect("collects");

        // Missing file: a problem in check mode, written in write mode.
        let problems = sync_fixtures(&root, &expected, Mode::Check).expect("check");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("fixtures/acme/a.json: missing"));
        assert!(
            sync_fixtures(&root, &expected, Mode::Write)
                .expect("write")
                .is_empty()
        );
        assert!(
            sync_fixtures(&root, &expected, Mode::Check)
                .expect("check")
                .is_empty()
        );

        // One changed byte, and an orphan file.
        fs::write(root.join("fixtures/acme/a.json"), "{\"x\": 2}\n").expect("tamper");
        fs::write(root.join("fixtures/acme/orphan.json"), "{}").expect("orphan");
        let problems = sync_fixtures(&root, &expected, Mode::Check).expect("check");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("a.json: differs from its docs block"));
        assert!(problems[1].contains("orphan.json: no docs block produces this file"));

        sync_fixtures(&root, &expected, Mode::Write).expect("write");
        assert!(
            sync_fixtures(&root, &expected, Mode::Check)
                .expect("check")
                .is_empty()
        );
        assert_eq!(
            fs::read_to_string(root.join("fixtures/acme/a.json")).expect("read"),
            "{\"x\": 1}\n"
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn invalid_json_needs_the_explicit_marker() {
        let root = std::env::temp_dir().join(format!("xtask-fixtures-json-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("docs/providers")).expect("mkdir");
        let page = root.join("docs/providers/acme.md");
        fs::write(&page, "```json fixture=a\n{\"x\": \n```\n").expect("write");
        assert!(
            collect_expected(&root)
                .expect_err("invalid")
                .contains("not valid JSON")
        );
        fs::write(&page, "```json fixture=a invalid-json\n{\"x\": \n```\n").expect("write");
        assert!(collect_expected(&root).is_ok());
        let _ = fs::remove_dir_all(&root);
    }
}
