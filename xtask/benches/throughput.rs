//! End-to-end throughput on loopback: each provider's payment call sent through the crate and
//! through a hand-written reqwest call that sends the identical bytes (taken from the crate's
//! `prepare_*`) to the identical local server, sequentially and with 32 requests in flight.
//!
//! `cargo bench -p xtask --bench throughput` prints the table and writes
//! `target/bench-results/throughput.json`; `cargo xtask bench-report` combines it with the
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

use std::time::{Duration, Instant};

use cases::{Call, Case};

const SEQUENTIAL: usize = 2_000;
const CONCURRENT: usize = 8_000;
const IN_FLIGHT: usize = 32;
const ROUNDS: usize = 3;

#[derive(Debug, Clone, Copy, Default)]
struct Run {
    rps: f64,
    connections: usize,
}

async fn run_crate(call: &Call, total: usize, in_flight: usize) -> Duration {
    let start = Instant::now();
    let per_task = total / in_flight;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let call = call.clone();
        tasks.spawn(async move {
            for _ in 0..per_task {
                call().await.expect("the crate's call succeeds");
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task");
    }
    start.elapsed()
}

async fn run_raw(
    client: &reqwest::Client,
    request: &reqwest::Request,
    total: usize,
    in_flight: usize,
) -> Duration {
    let start = Instant::now();
    let per_task = total / in_flight;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let client = client.clone();
        let request = request.try_clone().expect("cloneable request");
        tasks.spawn(async move {
            for _ in 0..per_task {
                let response = client
                    .execute(request.try_clone().expect("cloneable request"))
                    .await
                    .expect("raw call");
                assert!(response.status().is_success());
                response.bytes().await.expect("raw body");
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task");
    }
    start.elapsed()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Row {
    provider: &'static str,
    operation: &'static str,
    sequential: (Run, Run),
    concurrent: (Run, Run),
}

async fn measure(case: Case) -> Row {
    let raw_client = reqwest::Client::builder().build().expect("raw client");
    let raw_request = reqwest::Request::try_from(case.prepared).expect("reqwest request");
    let server = &case.server;

    // Warm up both paths (connection, token cache, allocator), counting the connections each
    // client opens: the sequential rounds below must open none.
    // The server sees only these two clients; the crate's may already have connected while the
    // case was prepared (an access token), so its count is the total minus the raw client's.
    run_crate(&case.call, 200, 1).await;
    let before = server.connections();
    run_raw(&raw_client, &raw_request, 200, 1).await;
    let mut raw_conns = server.connections() - before;

    let mut results = Vec::new();
    for (total, in_flight) in [(SEQUENTIAL, 1), (CONCURRENT, IN_FLIGHT)] {
        let (mut crate_rps, mut raw_rps) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let before = server.connections();
            let t = run_raw(&raw_client, &raw_request, total, in_flight).await;
            if in_flight == 1 {
                raw_conns += server.connections() - before;
            }
            raw_rps.push(total as f64 / t.as_secs_f64());

            let t = run_crate(&case.call, total, in_flight).await;
            crate_rps.push(total as f64 / t.as_secs_f64());
        }
        let crate_conns = server.connections() - raw_conns;
        results.push((
            Run {
                rps: median(crate_rps),
                connections: crate_conns,
            },
            Run {
                rps: median(raw_rps),
                connections: raw_conns,
            },
        ));
    }
    Row {
        provider: case.provider,
        operation: case.operation,
        sequential: results[0],
        concurrent: results[1],
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special. Either way
    // run the full measurement only under `cargo bench`.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("throughput: run with `cargo bench -p xtask --bench throughput`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(async {
        let mut rows = Vec::new();
        for case in cases::all().await {
            rows.push(measure(case).await);
        }
        rows
    });

    println!(
        "\n{:<9} {:<38} {:>10} {:>10} {:>6} {:>5} | {:>10} {:>10} {:>6}",
        "provider",
        "operation",
        "seq crate",
        "seq raw",
        "ratio",
        "conns",
        "x32 crate",
        "x32 raw",
        "ratio"
    );
    let mut json = Vec::new();
    for row in &rows {
        let seq_ratio = row.sequential.0.rps / row.sequential.1.rps;
        let con_ratio = row.concurrent.0.rps / row.concurrent.1.rps;
        println!(
            "{:<9} {:<38} {:>10.0} {:>10.0} {:>6.3} {:>2}/{:<2} | {:>10.0} {:>10.0} {:>6.3}",
            row.provider,
            row.operation,
            row.sequential.0.rps,
            row.sequential.1.rps,
            seq_ratio,
            row.sequential.0.connections,
            row.sequential.1.connections,
            row.concurrent.0.rps,
            row.concurrent.1.rps,
            con_ratio,
        );
        json.push(serde_json::json!({
            "provider": row.provider,
            "operation": row.operation,
            "sequential": {
                "requests": SEQUENTIAL,
                "crate_rps": row.sequential.0.rps,
                "raw_rps": row.sequential.1.rps,
                "ratio": seq_ratio,
                "crate_connections": row.sequential.0.connections,
                "raw_connections": row.sequential.1.connections,
            },
            "concurrent": {
                "requests": CONCURRENT,
                "in_flight": IN_FLIGHT,
                "crate_rps": row.concurrent.0.rps,
                "raw_rps": row.concurrent.1.rps,
                "ratio": con_ratio,
            },
        }));
    }
    println!(
        "\nrps = requests per second (median of {ROUNDS} rounds); ratio = crate / raw reqwest; conns = TCP connections the crate / raw client opened from its first request to the end of the sequential rounds"
    );
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("results dir");
    let path = dir.join("throughput.json");
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
