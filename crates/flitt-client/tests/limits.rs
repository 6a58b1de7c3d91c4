//! Bounds on what the client reads: a response body over `max_response_bytes` is refused without
//! reading it all (declared with `Content-Length` or streamed in chunks), and JSON nested
//! 100 000 levels deep — as an answer or as a callback — is a typed error, not a stack overflow.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{MERCHANT_ID, Recorder, SECRET, signed_response};
use flitt_client::model::order::StatusRequest;
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::testing::{MockGateway, Operation, Outcome};
use flitt_client::webhook::Verifier;
use flitt_client::{Client, Credentials, Currency, Error, ErrorCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const HUNDRED_MIB: u64 = 100 * 1024 * 1024;

fn charge(order_id: &str) -> RecurringRequest {
    RecurringRequest::new(order_id, "Plan", 1000, Currency::GEL, "tok-1")
}

/// What the huge-answer server saw.
struct Served {
    /// Body bytes written before the client went away.
    written: Arc<AtomicU64>,
    /// Resolves when the server stops writing: `true` when a write failed (the client closed
    /// the connection), `false` when it wrote everything.
    done: tokio::task::JoinHandle<bool>,
}

/// A loopback server that answers one request with a 200 whose body is 100 MiB of spaces,
/// produced lazily in 64 KiB pieces, with a `Content-Length` or chunked.
async fn huge_answer_server(chunked: bool) -> (String, Served) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&written);
    let done = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        // Read the request: the head, then the announced body.
        let mut request = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the client hung up before sending its request");
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let head = if chunked {
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                .to_owned()
        } else {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MIB}\r\n\r\n"
            )
        };
        if stream.write_all(head.as_bytes()).await.is_err() {
            return true;
        }
        let piece = vec![b' '; 64 * 1024];
        let mut sent = 0u64;
        while sent < HUNDRED_MIB {
            let result = if chunked {
                let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                frame.extend_from_slice(&piece);
                frame.extend_from_slice(b"\r\n");
                stream.write_all(&frame).await
            } else {
                stream.write_all(&piece).await
            };
            if result.is_err() {
                return true;
            }
            sent += piece.len() as u64;
            counter.store(sent, Ordering::SeqCst);
        }
        if chunked {
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        false
    });
    (url, Served { written, done })
}

async fn refuses_a_hundred_mib_answer(chunked: bool) {
    let (url, served) = huge_answer_server(chunked).await;
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(url)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.recurring(&charge("big-1")).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        Error::ResponseTooLarge {
            operation,
            status,
            limit,
            ..
        } => {
            assert_eq!(*operation, "recurring");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*limit, flitt_client::client::DEFAULT_MAX_RESPONSE_BYTES);
        }
        other => panic!("{other:?}"),
    }
    // A charge whose answer was not read may have been processed.
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    // The server sees the connection closed long before it could write 100 MiB.
    let closed_early = tokio::time::timeout(Duration::from_secs(30), served.done)
        .await
        .expect("the client kept the connection open")
        .unwrap();
    assert!(closed_early, "the server wrote the whole body");
    let written = served.written.load(Ordering::SeqCst);
    assert!(
        written < HUNDRED_MIB / 2,
        "the client let the server write {written} bytes"
    );
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[tokio::test]
async fn a_hundred_mib_answer_with_content_length_is_refused_before_reading_it() {
    refuses_a_hundred_mib_answer(false).await;
}

#[tokio::test]
async fn a_hundred_mib_chunked_answer_is_refused_once_past_the_limit() {
    refuses_a_hundred_mib_answer(true).await;
}

#[tokio::test]
async fn the_limit_is_configurable_and_follows_the_operation_semantics() {
    let gateway = MockGateway::start().await;
    // The mock's signed orders are well over 1 KiB.
    let client = gateway
        .client_builder()
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = client.recurring(&charge("small-1")).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    // The charge happened: a client with the default limit sees it.
    let order = gateway
        .client()
        .order_status(&StatusRequest::new("small-1"))
        .await
        .unwrap();
    assert!(order.is_approved());
    // A status query over the limit changed nothing.
    let err = client
        .order_status(&StatusRequest::new("small-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    // Answers received elsewhere are held to the same limit.
    let body = gateway.callback_body("small-1").unwrap();
    let answer = http::Response::builder()
        .status(200)
        .body(format!(
            "{{\"response\": {}}}",
            String::from_utf8(body).unwrap()
        ))
        .unwrap();
    let err = client
        .decode_order_status_response(&StatusRequest::new("small-1"), &answer)
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert!(
        gateway
            .client()
            .decode_order_status_response(&StatusRequest::new("small-1"), &answer)
            .unwrap()
            .is_approved()
    );
}

// ---------------------------------------------------------------------------------------------
// Deep nesting.

const DEPTH: usize = 100_000;

fn deep_arrays() -> String {
    format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH))
}

fn deep_objects() -> String {
    format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH))
}

/// Bodies nested 100 000 levels deep, at the top and inside the envelope.
fn deep_bodies() -> Vec<(&'static str, String)> {
    vec![
        ("arrays", deep_arrays()),
        ("objects", deep_objects()),
        (
            "response arrays",
            format!("{{\"response\": {}}}", deep_arrays()),
        ),
        (
            "response objects",
            format!("{{\"response\": {}}}", deep_objects()),
        ),
        (
            "a field of the order",
            format!(
                "{{\"response\": {{\"order_id\": \"deep-1\", \"order_status\": {}}}}}",
                deep_objects()
            ),
        ),
        (
            "unterminated",
            format!("{{\"response\": {}", "[".repeat(DEPTH)),
        ),
    ]
}

#[tokio::test]
async fn a_deeply_nested_answer_is_a_typed_error() {
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .build()
        .unwrap();
    for (name, body) in deep_bodies() {
        let started = Instant::now();
        let answer = http::Response::builder().status(200).body(body).unwrap();
        let err = client
            .decode_recurring_response(&charge("deep-1"), &answer)
            .unwrap_err();
        assert!(
            matches!(err, Error::Decode(_) | Error::Signature { .. }),
            "{name}: {err:?}"
        );
        assert!(err.may_have_been_processed(), "{name}");
        assert!(started.elapsed() < Duration::from_secs(2), "{name}");
        let err = client
            .decode_transaction_list_response(
                &flitt_client::model::transactions::TransactionListRequest::new("deep-1"),
                &answer,
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::Decode(_) | Error::Signature { .. }),
            "{name}: {err:?}"
        );
    }
    // …and over the wire.
    let recorder = Recorder::start().await;
    recorder.answer(200, deep_bodies().remove(2).1);
    let err = recorder
        .client()
        .recurring(&charge("deep-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn a_signed_answer_with_a_deeply_nested_unknown_field_is_verified_without_recursion() {
    // The deep field takes no part in the signature (it has no text form) and is not kept.
    let mut answer: serde_json::Value = serde_json::from_str(&signed_response(
        SECRET,
        json!({"order_id": "deep-2", "order_status": "approved", "merchant_id": MERCHANT_ID}),
    ))
    .unwrap();
    let signature = answer["response"]["signature"].as_str().unwrap().to_owned();
    answer["response"]["signature"] = "SIGNATURE".into();
    let body = answer.to_string().replace(
        "\"SIGNATURE\"",
        &format!("\"{signature}\", \"deep\": {}", deep_arrays()),
    );
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .build()
        .unwrap();
    let order = client
        .decode_recurring_response(
            &charge("deep-2"),
            &http::Response::builder().status(200).body(body).unwrap(),
        )
        .unwrap();
    assert!(order.is_approved());
    assert!(!order.extra.contains_key("deep"));
}

#[test]
fn a_deeply_nested_callback_is_rejected() {
    let verifier = Verifier::new(MERCHANT_ID, SECRET);
    let bodies = [
        deep_arrays(),
        deep_objects(),
        format!("{{\"response\": {}}}", deep_objects()),
        format!(
            "{{\"order_id\": \"deep-3\", \"merchant_id\": {MERCHANT_ID}, \"order_status\": {}, \"signature\": \"x\"}}",
            deep_arrays()
        ),
    ];
    for body in bodies {
        for content_type in ["application/json", "application/x-www-form-urlencoded"] {
            let request = http::Request::post("/callback")
                .header("content-type", content_type)
                .body(body.clone())
                .unwrap();
            let started = Instant::now();
            let err = verifier.verify(&request).unwrap_err();
            assert!(matches!(err, Error::Webhook(_)), "{err:?}");
            assert!(started.elapsed() < Duration::from_secs(2));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The mock scripts any operation, and records what it receives.

#[tokio::test]
async fn scripts_apply_to_their_operation_only() {
    let gateway = MockGateway::start().await;
    gateway.add_order("paid-1", 1000, "GEL", "approved", false);
    gateway.script(
        Operation::OrderStatus,
        Outcome::Error {
            code: ErrorCode::ApplicationError,
            message: "Application error".into(),
        },
    );
    let client = gateway.client();
    // The recurring charge is not affected by the status script.
    assert!(
        client
            .recurring(&charge("s-1"))
            .await
            .unwrap()
            .is_approved()
    );
    let err = client
        .order_status(&StatusRequest::new("paid-1"))
        .await
        .unwrap_err();
    assert_eq!(err.provider_code(), Some("1002"));
    // Used once.
    assert!(
        client
            .order_status(&StatusRequest::new("paid-1"))
            .await
            .unwrap()
            .is_approved()
    );
    assert_eq!(gateway.hits(Operation::OrderStatus), 2);
    assert_eq!(gateway.hits(Operation::Recurring), 1);
    assert_eq!(gateway.hits(Operation::Capture), 0);
    let paths: Vec<String> = gateway
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/recurring",
            "/api/status/order_id",
            "/api/status/order_id"
        ]
    );
    let first = &gateway.requests()[0];
    assert_eq!(first.method(), "POST");
    assert_eq!(first.query(), None);
    assert_eq!(first.header("Content-Type"), Some("application/json"));
    assert_eq!(first.json().unwrap()["request"]["rectoken"], json!("tok-1"));
}

#[tokio::test]
async fn a_tampered_status_answer_is_rejected() {
    let gateway = MockGateway::start().await;
    gateway.add_order("paid-2", 1000, "GEL", "approved", false);
    gateway.script(Operation::OrderStatus, Outcome::Tampered);
    let err = gateway
        .client()
        .order_status(&StatusRequest::new("paid-2"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Signature { .. }), "{err:?}");
}

#[tokio::test]
async fn recorded_requests_do_not_show_card_data_in_debug() {
    use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
    use flitt_client::model::three_ds::ThreeDsStep1Request;
    let gateway = MockGateway::start().await;
    let card = Card::new(
        CardNumber::new("4444555511116666").unwrap(),
        Expiry::new(11, 2031).unwrap(),
        Cvv2::new("9753").unwrap(),
    );
    gateway
        .client()
        .three_ds_step1(&ThreeDsStep1Request::new(
            "card-1",
            "Tickets",
            100,
            Currency::GEL,
            card,
        ))
        .await
        .unwrap();
    let recorded = &gateway.requests()[0];
    // The card data was received…
    let body = String::from_utf8(recorded.body().to_vec()).unwrap();
    assert!(body.contains("4444555511116666") && body.contains("9753"));
    // …and its Debug does not show it.
    let shown = format!("{recorded:?}");
    assert!(!shown.contains("4444555511116666"), "{shown}");
    assert!(!shown.contains("9753"), "{shown}");
    assert!(!shown.contains("1131"), "{shown}");
}

#[tokio::test]
async fn the_mock_runs_with_any_credentials_and_refuses_payouts_without_a_credit_key() {
    use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
    let gateway = MockGateway::start_with(Credentials::new(1_700_001, "own-key-Hh7")).await;
    assert!(
        gateway
            .client()
            .recurring(&charge("own-1"))
            .await
            .unwrap()
            .is_approved()
    );
    // A client signing payouts with some credit key is refused: the merchant has none.
    let client = Client::builder(Credentials::new(1_700_001, "own-key-Hh7").with_credit_key("x"))
        .base_url(gateway.base_url())
        .build()
        .unwrap();
    let err = client
        .p2p_credit(&P2pCreditRequest::new(
            "own-2",
            "Payout",
            100,
            Currency::GEL,
            PayoutReceiver::Rectoken("t".into()),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::InvalidSignature));
}

#[test]
fn retry_backoff_must_be_ordered() {
    let err = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .retry_backoff(Duration::from_secs(2), Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(
        Client::builder(Credentials::new(MERCHANT_ID, SECRET))
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
            .max_retries(0)
            .build()
            .is_ok()
    );
}
