//! End-to-end throughput on loopback: each provider's payment call sent to the identical local
//! server, sequentially and with 32 requests in flight, by three clients that send the
//! identical bytes (taken from the crate's `prepare_*`):
//!
//! * the crate: build the typed request, validate, serialize, sign, send, read, verify, decode;
//! * a hand-written reqwest call ([`cases::handwritten`]): authenticate the request with the
//!   bare primitive, send it, read the answer and parse it as JSON (for Flitt, check the
//!   answer's signature) — the work no integration can skip;
//! * a replay of the prepared request: send the finished bytes, read the answer's bytes — the
//!   floor of the HTTP stack, with no per-call work at all.
//!
//! `cargo bench -p xtask --bench throughput` prints the table and writes
//! `target/bench-results/throughput-system.json` (`--features mimalloc`: with mimalloc as the
//! global allocator, `throughput-mimalloc.json`); `cargo xtask bench-report` combines them with the
//! overhead benchmarks.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unreachable_pub
)]

#[allow(dead_code)]
#[path = "common/cases.rs"]
mod cases;
#[allow(dead_code)]
#[path = "common/server.rs"]
mod server;

// With `--features mimalloc`, the whole process (clients and server) allocates through
// mimalloc; without it, through the system allocator (glibc malloc on Linux).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The global allocator of this run, as the results name it.
const ALLOCATOR: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "system"
};

use std::sync::Arc;
use std::time::{Duration, Instant};

use cases::{Call, Case};

const SEQUENTIAL: usize = 2_000;
const CONCURRENT: usize = 16_000;
const IN_FLIGHT: usize = 32;
const ROUNDS: usize = 7;

/// One client's result for one mode: requests per second, and for the sequential mode the
/// TCP connections it opened from its first request to the end of its sequential rounds.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    rps: f64,
    connections: usize,
}

/// Runs `call` `total` times, `in_flight` at a time.
async fn run(call: &Call, total: usize, in_flight: usize) -> Duration {
    let start = Instant::now();
    let per_task = total / in_flight;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let call = call.clone();
        tasks.spawn(async move {
            for _ in 0..per_task {
                call().await.expect("the call succeeds");
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task");
    }
    start.elapsed()
}

/// The replay baseline: the crate's prepared request, cloned and sent as is; the answer's
/// bytes are read and nothing else is done.
fn replay(request: reqwest::Request) -> Call {
    let client = reqwest::Client::new();
    let shared = Arc::new((client, request));
    Arc::new(move || {
        let shared = Arc::clone(&shared);
        Box::pin(async move {
            let (client, request) = &*shared;
            let response = client
                .execute(request.try_clone().expect("cloneable request"))
                .await
                .map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("status {}", response.status()));
            }
            response.bytes().await.map_err(|e| e.to_string())?;
            Ok(())
        })
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Row {
    provider: &'static str,
    operation: &'static str,
    /// Per client (crate, hand-written, replay): sequential, then 32 in flight.
    sequential: [Run; 3],
    concurrent: [Run; 3],
}

/// The three clients of `case`, in the order crate, hand-written, replay.
fn clients(case: &Case) -> [Call; 3] {
    [
        case.call.clone(),
        case.handwritten.clone(),
        replay(reqwest::Request::try_from(case.prepared.clone()).expect("reqwest request")),
    ]
}

/// Measures the three clients of `case` in one mode; for the sequential mode also counts the
/// TCP connections each opens from its first request on.
async fn measure(case: &Case, total: usize, in_flight: usize) -> [Run; 3] {
    let server = &case.server;
    let calls = clients(case);
    // Only the crate's client has talked to this server so far (Pivot's access token).
    let mut connections = [server.connections(), 0, 0];

    // Warm up every path (connection, token cache, allocator), counting connections.
    for (i, call) in calls.iter().enumerate() {
        let before = server.connections();
        run(call, 200, in_flight.min(8)).await;
        connections[i] += server.connections() - before;
    }

    let mut rps: [Vec<f64>; 3] = Default::default();
    // The clients alternate within each round, each round starting with the next one, so a
    // change in the machine's load or allocator state affects them alike.
    for round in 0..ROUNDS {
        for k in 0..3 {
            let i = (round + k) % 3;
            let before = server.connections();
            let t = run(&calls[i], total, in_flight).await;
            connections[i] += server.connections() - before;
            rps[i].push(total as f64 / t.as_secs_f64());
        }
    }
    std::array::from_fn(|i| Run {
        rps: median(std::mem::take(&mut rps[i])),
        connections: connections[i],
    })
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special. Either way
    // run the full measurement only under `cargo bench`.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("throughput: run with `cargo bench -p xtask --bench throughput`");
        return;
    }
    // Further arguments name the providers to measure (all when none is given).
    let only: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let mut rows = Vec::new();
    for provider in cases::PROVIDERS {
        if !only.is_empty() && !only.iter().any(|p| *p == provider) {
            continue;
        }
        // Sequential: client and server share one thread, so each request's time is the CPU
        // time of both sides plus the loopback, with no cross-thread wake-ups in it.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let (provider, operation, sequential) = runtime.block_on(async {
            let case = cases::case(provider).await;
            let runs = measure(&case, SEQUENTIAL, 1).await;
            (case.provider, case.operation, runs)
        });
        drop(runtime);
        // 32 in flight on two worker threads (this machine's cores): the clients compete with
        // the server for the CPU, as a busy service does.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let concurrent = runtime.block_on(async {
            let case = cases::case(provider).await;
            measure(&case, CONCURRENT, IN_FLIGHT).await
        });
        drop(runtime);
        rows.push(Row {
            provider,
            operation,
            sequential,
            concurrent,
        });
    }

    println!("\nallocator: {ALLOCATOR}");
    println!(
        "{:<9} {:<36} | {:>8} {:>8} {:>8} {:>6} {:>6} {:>7} | {:>8} {:>8} {:>8} {:>6} {:>6}",
        "provider",
        "operation",
        "seq crt",
        "seq hand",
        "seq rply",
        "c/hand",
        "c/rply",
        "conns",
        "x32 crt",
        "x32 hand",
        "x32 rply",
        "c/hand",
        "c/rply",
    );
    let mut json = Vec::new();
    for row in &rows {
        let ratio = |runs: &[Run; 3], base: usize| runs[0].rps / runs[base].rps;
        println!(
            "{:<9} {:<36} | {:>8.0} {:>8.0} {:>8.0} {:>6.3} {:>6.3} {:>2}/{}/{} | {:>8.0} {:>8.0} {:>8.0} {:>6.3} {:>6.3}",
            row.provider,
            row.operation,
            row.sequential[0].rps,
            row.sequential[1].rps,
            row.sequential[2].rps,
            ratio(&row.sequential, 1),
            ratio(&row.sequential, 2),
            row.sequential[0].connections,
            row.sequential[1].connections,
            row.sequential[2].connections,
            row.concurrent[0].rps,
            row.concurrent[1].rps,
            row.concurrent[2].rps,
            ratio(&row.concurrent, 1),
            ratio(&row.concurrent, 2),
        );
        let mode = |runs: &[Run; 3], requests: usize, connections: bool| {
            let mut mode = serde_json::json!({
                "requests": requests,
                "crate_rps": runs[0].rps,
                "handwritten_rps": runs[1].rps,
                "replay_rps": runs[2].rps,
                "ratio_handwritten": ratio(runs, 1),
                "ratio_replay": ratio(runs, 2),
            });
            if connections {
                mode["connections"] = serde_json::json!({
                    "crate": runs[0].connections,
                    "handwritten": runs[1].connections,
                    "replay": runs[2].connections,
                });
            }
            mode
        };
        json.push(serde_json::json!({
            "provider": row.provider,
            "operation": row.operation,
            "allocator": ALLOCATOR,
            "in_flight": IN_FLIGHT,
            "sequential": mode(&row.sequential, SEQUENTIAL, true),
            "concurrent": mode(&row.concurrent, CONCURRENT, false),
        }));
    }
    println!(
        "\nrps = requests per second (median of {ROUNDS} rounds); crt = the crate, hand = hand-written reqwest call, rply = replay of the prepared bytes; c/hand, c/rply = crate / baseline; conns = TCP connections each client (crate/hand/replay) opened from its first request to the end of the sequential rounds"
    );
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("results dir");
    let path = dir.join(format!("throughput-{ALLOCATOR}.json"));
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(&serde_json::Value::Array(json)).expect("json"),
    )
    .expect("write results");
    println!("written {}", path.display());
}

fn results_dir() -> std::path::PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-results")
}
