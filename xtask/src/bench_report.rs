//! `cargo xtask bench-report`: runs the overhead and throughput benchmarks and prints one table
//! of ratios (Markdown, ready for `docs/performance.md`).

use std::path::{Path, PathBuf};
use std::process::Command;

const PROVIDERS: [&str; 5] = ["cardflo", "flitt", "moment", "portone", "pivot"];

/// The throughput a crate must reach, as a share of the hand-written call's.
const TARGET: f64 = 0.95;

pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let skip_run = match args {
        [] => false,
        ["--no-run"] => true,
        other => {
            return Err(format!(
                "unknown option {other:?}; usage: cargo xtask bench-report [--no-run]"
            ));
        }
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    if !skip_run {
        let runs: [&[&str]; 3] = [
            &["--bench", "overhead"],
            &["--bench", "throughput"],
            &["--bench", "throughput", "--features", "mimalloc"],
        ];
        for args in runs {
            println!("bench-report: cargo bench -p xtask {}", args.join(" "));
            let status = Command::new(&cargo)
                .current_dir(root)
                .args(["bench", "-p", "xtask"])
                .args(args)
                .status()
                .map_err(|e| format!("cannot run cargo bench: {e}"))?;
            if !status.success() {
                return Err(format!("cargo bench {} failed", args.join(" ")));
            }
        }
    }
    let target = target_dir(root);
    println!();
    println!("Client-side cost per call, next to the bare primitive it must run:");
    println!();
    println!(
        "| provider | request: crate | primitive | ratio | webhook: crate | primitive | ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for provider in PROVIDERS {
        let request = estimate(&target, &format!("{provider}-request"), "crate")?;
        let request_floor = estimate(&target, &format!("{provider}-request"), "primitive")?;
        let webhook = estimate(&target, &format!("{provider}-webhook"), "crate")?;
        let webhook_floor = estimate(&target, &format!("{provider}-webhook"), "primitive")?;
        println!(
            "| {provider} | {} | {} | {:.1}× | {} | {} | {:.1}× |",
            time(request),
            time(request_floor),
            request / request_floor,
            time(webhook),
            time(webhook_floor),
            webhook / webhook_floor,
        );
    }

    for allocator in ["system", "mimalloc"] {
        let path = target.join(format!("bench-results/throughput-{allocator}.json"));
        throughput_table(allocator, &read_json(&path)?)?;
    }
    Ok(())
}

/// Prints the throughput table of one allocator's run, and which crates miss the target.
fn throughput_table(allocator: &str, results: &serde_json::Value) -> Result<(), String> {
    let rows = results
        .as_array()
        .ok_or_else(|| format!("the {allocator} throughput results are not an array"))?;
    println!();
    println!(
        "Loopback throughput with the {allocator} allocator, requests per second (crate / hand-written reqwest call / replay of the prepared bytes) and the crate's ratio to each baseline:"
    );
    println!();
    println!(
        "| provider | sequential rps | ÷ hand-written | ÷ replay | 32 in flight rps | ÷ hand-written | ÷ replay | connections (seq) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut missed = Vec::new();
    for provider in PROVIDERS {
        let row = rows
            .iter()
            .find(|r| r["provider"] == provider)
            .ok_or_else(|| format!("no throughput result for {provider}"))?;
        let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
        let (seq, con) = (&row["sequential"], &row["concurrent"]);
        for mode in [seq, con] {
            if f(&mode["ratio_handwritten"]).is_nan() || f(&mode["ratio_handwritten"]) < TARGET {
                missed.push(provider);
            }
        }
        println!(
            "| {provider} | {:.0} / {:.0} / {:.0} | {:.3} | {:.3} | {:.0} / {:.0} / {:.0} | {:.3} | {:.3} | {} / {} / {} |",
            f(&seq["crate_rps"]),
            f(&seq["handwritten_rps"]),
            f(&seq["replay_rps"]),
            f(&seq["ratio_handwritten"]),
            f(&seq["ratio_replay"]),
            f(&con["crate_rps"]),
            f(&con["handwritten_rps"]),
            f(&con["replay_rps"]),
            f(&con["ratio_handwritten"]),
            f(&con["ratio_replay"]),
            seq["connections"]["crate"],
            seq["connections"]["handwritten"],
            seq["connections"]["replay"],
        );
    }
    println!();
    missed.dedup();
    if missed.is_empty() {
        println!(
            "{allocator}: every crate reaches {TARGET} of the hand-written call's throughput."
        );
    } else {
        println!(
            "{allocator}: below {TARGET} of the hand-written call's throughput: {}.",
            missed.join(", ")
        );
    }
    Ok(())
}

/// Criterion's mean estimate for `group/function`, in nanoseconds.
fn estimate(target: &Path, group: &str, function: &str) -> Result<f64, String> {
    let path = target
        .join("criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let json = read_json(&path)?;
    json["mean"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no mean estimate", path.display()))
}

fn time(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.1} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask bench-report` without --no-run first)",
            path.display()
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_readable_units() {
        assert_eq!(time(850.0), "850 ns");
        assert_eq!(time(12_345.0), "12.3 µs");
        assert_eq!(time(2_500_000.0), "2.50 ms");
    }
}
