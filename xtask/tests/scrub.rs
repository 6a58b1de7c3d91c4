//! The workspace's scrub guarantee: no secret, card number or CVV given to any of the five
//! provider crates is ever shown — not in `Debug` of clients, builders, requests (prepared or
//! not), responses, events, verifiers and errors, not in `Display` of errors and their
//! sources, not in `tracing` output at TRACE level, and not in the `cargo xtask demo`
//! transcript.
//!
//! Each crate's mock gateway is started with recognisable values of our own, so they are
//! really used (signed with, authenticated with, encrypted, sent), and every kind of outcome
//! is produced: success, a provider error, a transport error, an undecodable answer, a
//! verified and a rejected webhook. Where a gateway could echo card data or credentials in an
//! answer, the scripted answers do, in the fields the crate documents as sensitive.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

#[path = "scrub/cardflo.rs"]
mod cardflo;
#[path = "scrub/demo.rs"]
mod demo;
#[path = "scrub/detect.rs"]
mod detect;
#[path = "scrub/flitt.rs"]
mod flitt;
#[path = "scrub/moment.rs"]
mod moment;
#[path = "scrub/observe.rs"]
mod observe;
#[path = "scrub/pivot.rs"]
mod pivot;
#[path = "scrub/portone.rs"]
mod portone;

use std::time::Instant;

use detect::{Forbidden, Kind, Observed, check, find_leaks};

/// Everything observed across the crates, the trace output and the demo, checked against
/// every value of every provider (a value of one crate must not surface in another's output
/// either).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_pan_or_cvv_is_ever_shown() {
    // First, before anything can emit: the global subscriber of this test binary.
    let trace = observe::install_trace_capture();
    let started = Instant::now();

    let mut forbidden: Vec<Forbidden> = Vec::new();
    forbidden.extend(cardflo::forbidden());
    forbidden.extend(flitt::forbidden());
    forbidden.extend(moment::forbidden());
    forbidden.extend(portone::forbidden());
    forbidden.extend(pivot::forbidden());
    // The demo's own values exist only in the demo's process: they are looked for in its
    // transcript (a 3-digit CVC would otherwise match any byte 123 of a `Vec<u8>`'s `Debug`).
    let demo_forbidden = demo::forbidden();
    check_forbidden_values(&demo_forbidden);

    // The demo runs in its own process, alongside.
    let demo_started = Instant::now();
    let demo = tokio::task::spawn_blocking(demo::transcript);

    // Credentials the crates derive from the secrets (Basic credentials, tokens) are learnt
    // from what the mocks received, and must not be shown either.
    let mut derived = Vec::new();
    let mut observed = Observed::default();
    let mut timings = Vec::new();
    let mut lap = Instant::now();
    observed.extend(cardflo::run(&mut derived).await);
    timings.push(("cardflo", lap.elapsed()));
    lap = Instant::now();
    observed.extend(flitt::run().await);
    timings.push(("flitt", lap.elapsed()));
    lap = Instant::now();
    observed.extend(moment::run(&mut derived).await);
    timings.push(("moment", lap.elapsed()));
    lap = Instant::now();
    observed.extend(portone::run(&mut derived).await);
    timings.push(("portone", lap.elapsed()));
    lap = Instant::now();
    observed.extend(pivot::run(&mut derived).await);
    timings.push(("pivot", lap.elapsed()));
    forbidden.extend(derived);
    check_forbidden_values(&forbidden);

    let trace_text = trace.text();
    for target in [
        "cardflo_client",
        "flitt_client",
        "moment_client",
        "portone_client",
        "session_tokenize_client",
    ] {
        assert!(
            trace_text.contains(target),
            "the trace capture saw nothing from {target}:\n{}",
            trace_text.chars().take(2000).collect::<String>()
        );
    }
    observed.push(
        "tracing output (TRACE level, every target but the mock server's)",
        trace_text,
    );

    let transcript = demo.await.expect("the demo runs");
    timings.push(("demo (alongside)", demo_started.elapsed()));
    let mut demo_observed = Observed::default();
    demo_observed.push("`cargo xtask demo` transcript", transcript.clone());
    observed.push("`cargo xtask demo` transcript", transcript);

    let verdict = check(&[(&observed, &forbidden), (&demo_observed, &demo_forbidden)]);
    eprintln!(
        "scrub guarantee: {} observations, {} bytes, {} forbidden values, {:.1?} ({})",
        observed.len(),
        observed.total_bytes(),
        forbidden.len() + demo_forbidden.len(),
        started.elapsed(),
        timings
            .iter()
            .map(|(what, took)| format!("{what} {took:.1?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Err(report) = verdict {
        panic!("{report}");
    }
}

/// The values are recognisable enough that an appearance is a leak, not a coincidence.
fn check_forbidden_values(forbidden: &[Forbidden]) {
    for value in forbidden {
        match value.kind {
            Kind::Secret => assert!(value.value.len() >= 10, "{} is too short", value.name()),
            Kind::Pan => assert!(
                value.spellings()[0].len() >= 12 && luhn_valid(&value.spellings()[0]),
                "{} is not a valid card number",
                value.name()
            ),
            Kind::Cvv => assert!(
                (3..=4).contains(&value.value.len())
                    && value.value.bytes().all(|b| b.is_ascii_digit()),
                "{} is not a CVV",
                value.name()
            ),
        }
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The check fails, naming the value and the place, when any one secret, PAN (in any of its
/// spellings) or CVV appears in anything observed; it passes on redacted output, and a CVV
/// inside a longer run (an id, a UUID group, a longer number, a duration) is not a leak.
#[test]
fn the_check_fails_on_any_one_secret_pan_or_cvv() {
    let forbidden = vec![
        Forbidden::secret("p", "API key", "p-api-key-canary-1234"),
        Forbidden::pan("p", "PAN", "4444555511116666"),
        Forbidden::cvv("p", "CVV", "8397"),
    ];
    let clean = "Client { key: [REDACTED], card: CardNumber(****6666), cvv: Cvv([REDACTED]), \
                 id: \"pay_mock8397\", uuid: 2f1c8397-8397-4a1b-9c3d-000000008397, n: 83971, \
                 time: 8397µs, masked: 444455******6666 }";
    let mut observed = Observed::default();
    observed.push("a redacted Debug", clean);
    assert_eq!(check(&[(&observed, &forbidden)]), Ok(()));

    let leaking = [
        (
            "Provider { message: \"bad key p-api-key-canary-1234\" }",
            "p secret (API key)",
        ),
        (
            "body: {\"card_number\":\"4444555511116666\"}",
            "p PAN (PAN)",
        ),
        ("note: card 4444 5555 1111 6666 declined", "p PAN (PAN)"),
        ("card=4444-5555-1111-6666", "p PAN (PAN)"),
        ("request{cvv2=8397}", "p CVV (CVV)"),
        ("{\"cvv\":\"8397\"}", "p CVV (CVV)"),
        ("Cvv(8397)", "p CVV (CVV)"),
        ("8397", "p CVV (CVV)"),
    ];
    for (text, expected) in leaking {
        let mut observed = Observed::default();
        observed.push("a redacted Debug", clean);
        observed.push("the leaking place", format!("TRACE span: {text}\nmore"));
        let leaks = find_leaks(&observed, &forbidden);
        assert_eq!(leaks.len(), 1, "{text:?}: {leaks:?}");
        assert_eq!(leaks[0].value, expected, "{text:?}");
        let report =
            check(&[(&observed, &forbidden)]).expect_err("the check fails on a leaked value");
        assert!(
            report.contains(&format!("{expected} appeared in the leaking place")),
            "{report}"
        );
        // The report names the value and shows where, without printing it.
        assert!(report.contains(&format!("«{expected}»")), "{report}");
        for value in &forbidden {
            assert!(
                value.find_in(&report).is_empty(),
                "the report shows {}: {report}",
                value.name()
            );
        }
    }
}
