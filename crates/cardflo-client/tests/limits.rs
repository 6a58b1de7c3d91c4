//! Deserialization bounds: an answer larger than `max_response_bytes` is refused without
//! being buffered (declared `Content-Length` or chunked), and JSON nested 100 000 levels deep
//! (as an answer, and as a notification) is a typed error, not a stack overflow.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant, SystemTime};

use cardflo_client::error::WebhookError;
use cardflo_client::model::{
    DebitRequest, OptionsResponse, ScheduleResponse, StatusResponse, TransactionResponse,
};
use cardflo_client::webhook::{Verifier, sign_notification};
use cardflo_client::{Amount, DEFAULT_MAX_RESPONSE_BYTES, Error, Operation, SecretString};
use common::{Reply, Server};
use http::{HeaderMap, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const HUNDRED_MIB: usize = 100 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn debit() -> DebitRequest {
    DebitRequest::new("order-1001-1", "9.99".parse::<Amount>().unwrap(), "EUR")
}

/// How the raw server frames its 100 MiB body.
#[derive(Clone, Copy)]
enum Framing {
    ContentLength,
    Chunked,
}

/// What the raw server managed to send before the client went away.
#[derive(Debug)]
struct Sent {
    body_bytes: usize,
    completed: bool,
}

/// A loopback server that answers one request with a 100 MiB body, produced lazily in 64 KiB
/// pieces, and reports how much of it the client accepted before closing the connection.
async fn huge_answer_server(framing: Framing) -> (String, tokio::task::JoinHandle<Sent>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/api/v3", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        // Read the request head and its body.
        let mut request = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            let n = stream.read(&mut buffer).await.unwrap();
            assert!(n > 0, "the client closed before sending its request");
            request.extend_from_slice(&buffer[..n]);
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let head = match framing {
            Framing::ContentLength => format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MIB}\r\n\r\n"
            ),
            Framing::Chunked => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned(),
        };
        if stream.write_all(head.as_bytes()).await.is_err() {
            return Sent {
                body_bytes: 0,
                completed: false,
            };
        }
        let piece = vec![b' '; CHUNK];
        let mut sent = 0;
        while sent < HUNDRED_MIB {
            let written = match framing {
                Framing::ContentLength => stream.write_all(&piece).await,
                Framing::Chunked => {
                    let mut framed = format!("{CHUNK:x}\r\n").into_bytes();
                    framed.extend_from_slice(&piece);
                    framed.extend_from_slice(b"\r\n");
                    stream.write_all(&framed).await
                }
            };
            if written.is_err() {
                return Sent {
                    body_bytes: sent,
                    completed: false,
                };
            }
            sent += CHUNK;
        }
        if let Framing::Chunked = framing {
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        Sent {
            body_bytes: sent,
            completed: true,
        }
    });
    (base_url, handle)
}

async fn assert_refused_early(framing: Framing) {
    let (base_url, server) = huge_answer_server(framing).await;
    let client = common::client_builder(&base_url).build().unwrap();
    let started = Instant::now();
    let error = client.debit(&debit()).await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::ResponseTooLarge {
        operation,
        status,
        limit,
        may_have_been_processed,
    } = &error
    else {
        panic!("ResponseTooLarge expected, got {error:?}")
    };
    assert_eq!(*operation, "debit");
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(*limit, DEFAULT_MAX_RESPONSE_BYTES);
    assert!(
        *may_have_been_processed,
        "a debit answered with 200 may have been processed"
    );
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert_eq!(error.status(), Some(StatusCode::OK));

    let sent = tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server notices the closed connection")
        .unwrap();
    assert!(
        !sent.completed,
        "the client closed the connection before the whole body was written: {sent:?}"
    );
    assert!(
        sent.body_bytes < HUNDRED_MIB / 2,
        "the client stopped reading early: {sent:?}"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_mib_answer_with_content_length_is_refused_before_reading() {
    assert_refused_early(Framing::ContentLength).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_mib_chunked_answer_is_refused_once_past_the_limit() {
    assert_refused_early(Framing::Chunked).await;
}

#[tokio::test]
async fn the_limit_is_configurable_and_exact() {
    let body = common::fixture("debit-response-finished");
    let server = Server::start(vec![Reply::json(&body), Reply::json(&body)]);
    let exact = common::client_builder(&server.base_url)
        .max_response_bytes(body.len())
        .build()
        .unwrap();
    assert!(exact.debit(&debit()).await.unwrap().outcome.is_finished());
    let smaller = common::client_builder(&server.base_url)
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap();
    let error = smaller.debit(&debit()).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == body.len() - 1),
        "{error:?}"
    );
    server.captured();
}

#[tokio::test]
async fn a_too_large_answer_to_a_status_call_was_not_processed_and_is_not_retried() {
    let server = Server::start(vec![Reply::json(&" ".repeat(2048))]);
    let client = common::client_builder(&server.base_url)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = client.status_by_uuid("u").await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert_eq!(server.captured().len(), 1, "sent once");
}

#[tokio::test]
async fn a_too_large_client_error_answer_to_a_payment_was_not_processed() {
    let server = Server::start(vec![Reply::status(
        400,
        "application/json",
        &" ".repeat(2048),
    )]);
    let client = common::client_builder(&server.base_url)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = client.debit(&debit()).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert!(!error.may_have_been_processed(), "a 4xx was rejected");
    server.captured();
}

const DEPTH: usize = 100_000;

fn nested_arrays() -> String {
    format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH))
}

fn nested_objects() -> String {
    format!("{}1{}", r#"{"a":"#.repeat(DEPTH), "}".repeat(DEPTH))
}

/// Nested inside a field the decoder reads (`returnData`) and one it keeps raw (`extraData`).
fn nested_in_fields() -> Vec<String> {
    vec![
        format!(
            r#"{{"success":true,"returnType":"FINISHED","returnData":{}}}"#,
            nested_objects()
        ),
        format!(
            r#"{{"success":true,"returnType":"FINISHED","extraData":{}}}"#,
            nested_arrays()
        ),
    ]
}

/// Every public answer decoder, on one body.
fn decode_all(body: &[u8]) -> Vec<Result<(), Error>> {
    let (ok, headers) = (StatusCode::OK, HeaderMap::new());
    vec![
        TransactionResponse::from_response(Operation::Debit, ok, &headers, body).map(drop),
        StatusResponse::from_response(Operation::StatusByUuid, ok, &headers, body).map(drop),
        ScheduleResponse::from_response(Operation::GetSchedule, ok, &headers, body).map(drop),
        OptionsResponse::from_response(Operation::Options, ok, &headers, body).map(drop),
    ]
}

#[tokio::test]
async fn a_100_000_deep_answer_is_a_decode_error() {
    let mut bodies = vec![nested_arrays(), nested_objects()];
    bodies.extend(nested_in_fields());
    for body in bodies {
        let server = Server::once(Reply::json(&body));
        let error = server.client().debit(&debit()).await.unwrap_err();
        server.captured();
        let Error::Decode(details) = &error else {
            panic!("decode error expected, got {error:?}")
        };
        assert_eq!(details.path, ".");
        assert!(
            details.message.contains("nested deeper than 128 levels"),
            "{}",
            details.message
        );
        assert!(error.may_have_been_processed());
        assert!(details.body_excerpt.chars().count() <= 513);
        // The public decoders run the same code, whatever they would read or skip.
        for result in decode_all(body.as_bytes()) {
            assert!(
                matches!(&result, Err(Error::Decode(d)) if d.message.contains("nested deeper")),
                "{result:?}"
            );
        }
    }
    // At the limit itself, the answer is read.
    let at_limit = format!(
        r#"{{"success":true,"returnType":"FINISHED","extraData":{{"k":"v"}},"x":{}{}}}"#,
        "[".repeat(127),
        "]".repeat(127)
    );
    assert!(decode_all(at_limit.as_bytes())[0].is_ok());
}

#[test]
fn a_100_000_deep_notification_is_rejected_after_verification() {
    let secret = SecretString::from(common::SHARED_SECRET);
    let verifier = Verifier::new(secret.clone());
    for body in [
        nested_arrays(),
        nested_objects(),
        format!(
            r#"{{"result":"OK","uuid":"u","returnData":{}}}"#,
            nested_objects()
        ),
        format!(
            r#"{{"result":"OK","uuid":"u","extraData":{}}}"#,
            nested_arrays()
        ),
    ] {
        let request =
            sign_notification(&secret, "/callback", body.into_bytes(), SystemTime::now()).unwrap();
        let error = verifier.verify(&request).unwrap_err();
        let Error::Webhook(details) = &error else {
            panic!("webhook error expected, got {error:?}")
        };
        assert!(
            matches!(&**details, WebhookError::Payload { message, .. } if message.contains("nested deeper than 128 levels")),
            "{details:?}"
        );
        // Unsigned, it is rejected before the body is looked at.
        let mut forged = request.clone();
        forged.headers_mut().remove("x-signature");
        assert!(matches!(
            verifier.verify(&forged),
            Err(Error::Webhook(e)) if *e == WebhookError::MissingHeader("X-Signature")
        ));
    }
}

/// A one-connection HTTP/1.1 server on loopback that answers with `pieces` as separate chunks
/// of a chunked body, pausing between them so that they reach the client one by one.
async fn chunked_answer_server(pieces: Vec<String>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0_u8; 4096];
        // The head, then the body its Content-Length announces.
        loop {
            let n = socket.read(&mut buffer).await.unwrap();
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request);
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
            if n == 0 {
                return;
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        for piece in pieces {
            let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
            socket.write_all(chunk.as_bytes()).await.unwrap();
            socket.flush().await.unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        socket.write_all(b"0\r\n\r\n").await.unwrap();
    });
    format!("http://{address}/api/v3")
}

/// The documented answer cut into three pieces.
fn in_pieces(body: &str) -> Vec<String> {
    let (third, two_thirds) = (body.len() / 3, 2 * body.len() / 3);
    vec![
        body[..third].to_owned(),
        body[third..two_thirds].to_owned(),
        body[two_thirds..].to_owned(),
    ]
}

#[tokio::test]
async fn an_answer_in_several_chunks_is_joined_in_order() {
    let body = common::fixture("debit-response-finished");
    let base_url = chunked_answer_server(in_pieces(&body)).await;
    let client = common::client_builder(&base_url).build().unwrap();
    let answer = client.debit(&debit()).await.unwrap();
    assert!(answer.outcome.is_finished());
    let expected: TransactionResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(format!("{answer:?}"), format!("{expected:?}"));

    // The limit counts every chunk: one byte less than the whole is refused.
    let base_url = chunked_answer_server(in_pieces(&body)).await;
    let client = common::client_builder(&base_url)
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap();
    let error = client.debit(&debit()).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}
