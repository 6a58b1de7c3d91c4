//! Bounds on what Moment (or anything posing as it) can make the client read: a 100 MiB answer
//! is refused without being buffered, and JSON nested 100 000 levels deep is a typed error, not
//! a stack overflow — in answers and in webhooks.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use moment_client::testing::{MockGateway, Operation, Outcome};
use moment_client::webhook::{self, Verifier};
use moment_client::{Client, CreatePaymentSession, Error, SecretString, decode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const HUNDRED_MIB: u64 = 100 * 1024 * 1024;
const DEPTH: usize = 100_000;

/// How the server frames its 100 MiB body.
#[derive(Clone, Copy, Debug)]
enum Framing {
    ContentLength,
    Chunked,
}

/// A one-connection HTTP/1.1 server on loopback that answers any request with a 100 MiB JSON
/// body (`[` followed by spaces), written lazily in 64 KiB pieces. It returns how many body
/// bytes it managed to write before the client closed the connection.
async fn huge_answer_server(framing: Framing) -> (SocketAddr, tokio::task::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        // Read the request head (and any small body) before answering.
        let mut request = Vec::new();
        let mut buffer = [0_u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                return 0;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        let head = match framing {
            Framing::ContentLength => format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MIB}\r\n\r\n"
            ),
            Framing::Chunked => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned(),
        };
        if socket.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let mut piece = vec![b' '; 64 * 1024];
        piece[0] = b'[';
        let mut written = 0_u64;
        while written < HUNDRED_MIB {
            let result = match framing {
                Framing::ContentLength => socket.write_all(&piece).await,
                Framing::Chunked => {
                    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                    chunk.extend_from_slice(&piece);
                    chunk.extend_from_slice(b"\r\n");
                    socket.write_all(&chunk).await
                }
            };
            if result.is_err() {
                return written;
            }
            piece[0] = b' ';
            written += piece.len() as u64;
        }
        if let Framing::Chunked = framing {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
        written
    });
    (address, server)
}

fn client_for(address: SocketAddr) -> Client {
    Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
        .base_url(format!("http://{address}"))
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_mib_answer_is_refused_without_reading_it() {
    for framing in [Framing::ContentLength, Framing::Chunked] {
        let (address, server) = huge_answer_server(framing).await;
        let client = client_for(address);
        let started = Instant::now();
        let error = client.retrieve_payment("pay_1").await.unwrap_err();
        match &error {
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
                ..
            } => {
                assert_eq!(*operation, "retrieve_payment");
                assert_eq!(*status, http::StatusCode::OK);
                assert_eq!(*limit, moment_client::client::DEFAULT_MAX_RESPONSE_BYTES);
            }
            other => panic!("{framing:?}: {other:?}"),
        }
        // A GET changed nothing, and the same answer would come again.
        assert!(!error.may_have_been_processed());
        assert!(!error.is_retryable());
        assert_eq!(error.status(), Some(http::StatusCode::OK));
        drop(client);
        // The server notices the closed connection long before it has written 100 MiB.
        let written = tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .expect("the client closed the connection")
            .unwrap();
        assert!(
            written < HUNDRED_MIB / 4,
            "{framing:?}: {written} bytes written"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{framing:?}: {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_too_large_answer_to_a_post_may_have_been_processed() {
    let (address, server) = huge_answer_server(Framing::Chunked).await;
    let client = client_for(address);
    let request = CreatePaymentSession::new(10_000, "ZAR").idempotency_key("order-77-create");
    let error = client.create_payment_session(&request).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert!(error.may_have_been_processed());
    assert_eq!(error.idempotency_key(), Some("order-77-create"));
    drop(client);
    let written = tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .unwrap()
        .unwrap();
    assert!(written < HUNDRED_MIB / 4, "{written}");
}

#[tokio::test]
async fn the_limit_is_configurable_and_inclusive() {
    let mock = MockGateway::start().await;
    let body = r#"{"id": "pay_1", "status": "succeeded", "amount": 100}"#;
    let at_limit = mock
        .client_builder()
        .max_response_bytes(body.len())
        .build()
        .unwrap();
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(200, Some("application/json"), body),
    );
    let payment = at_limit.retrieve_payment("pay_1").await.unwrap();
    assert_eq!(payment.amount, Some(100));

    let below = mock
        .client_builder()
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap();
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(200, Some("application/json"), body),
    );
    let error = below.retrieve_payment("pay_1").await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == body.len() - 1),
        "{error:?}"
    );
    // An error answer is bounded too.
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(500, Some("text/html"), "x".repeat(100)),
    );
    let small = mock
        .client_builder()
        .max_response_bytes(10)
        .max_retries(0)
        .build()
        .unwrap();
    assert!(matches!(
        small.retrieve_payment("pay_1").await,
        Err(Error::ResponseTooLarge { .. })
    ));
}

fn nested_arrays() -> String {
    format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH))
}

fn nested_objects() -> String {
    format!("{}1{}", r#"{"a":"#.repeat(DEPTH), "}".repeat(DEPTH))
}

/// An event whose `data` (or `metadata` inside it) is nested 100 000 levels deep.
fn nested_events() -> Vec<String> {
    vec![
        nested_arrays(),
        nested_objects(),
        format!(
            r#"{{"id": "evt_1", "type": "payment.succeeded", "data": {}}}"#,
            nested_objects()
        ),
        format!(
            r#"{{"id": "evt_1", "type": "payment_request.paid", "data": {}}}"#,
            nested_arrays()
        ),
        format!(
            r#"{{"id": "evt_1", "type": "payment_session.completed", "data": {{"id": "ps_1", "metadata": {}}}}}"#,
            nested_objects()
        ),
        format!(
            r#"{{"id": "evt_1", "type": "payment.failed", "data": {{"id": "pay_1", "unmodelled": {}}}}}"#,
            nested_arrays()
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deeply_nested_answer_is_a_decode_error() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    for body in [
        nested_arrays(),
        nested_objects(),
        format!(r#"{{"id": "ps_1", "metadata": {}}}"#, nested_objects()),
        format!(
            r#"{{"id": "ps_1", "last_payment_error": {}}}"#,
            nested_objects()
        ),
    ] {
        mock.script(
            Operation::RetrievePaymentSession,
            Outcome::raw(200, Some("application/json"), body.clone()),
        );
        match client.retrieve_payment_session("ps_1").await {
            // Either the shape is refused at once, or serde_json's recursion limit stops it.
            Err(Error::Decode(e)) => assert!(e.excerpt().len() < 1_000, "{e}"),
            other => panic!("{other:?}"),
        }
        // As an error answer, it is a provider error without a problem document.
        mock.script(
            Operation::RetrievePaymentSession,
            Outcome::raw(500, Some("application/json"), body.clone()),
        );
        match client.retrieve_payment_session("ps_1").await {
            Err(Error::Provider(e)) => assert!(e.problem().is_none()),
            other => panic!("{other:?}"),
        }
        // The same through the public decoders, on this thread's stack.
        for status in [http::StatusCode::OK, http::StatusCode::CONFLICT] {
            let headers = http::HeaderMap::new();
            assert!(decode::create_payment_session(status, &headers, body.as_bytes()).is_err());
            assert!(decode::capture_payment(status, &headers, body.as_bytes()).is_err());
        }
    }
}

#[test]
fn a_deeply_nested_webhook_is_a_decode_error() {
    let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let now = SystemTime::now();
    let verifier = Verifier::new(&secret).unwrap();
    for body in nested_events() {
        let request =
            webhook::sign_notification(&secret, "msg_deep", now, body.into_bytes()).unwrap();
        match verifier.verify(&request) {
            Err(Error::Decode(e)) => assert_eq!(e.operation(), "webhook"),
            other => panic!("{other:?}"),
        }
    }
}

/// A one-connection HTTP/1.1 server on loopback that answers with `pieces` as separate chunks
/// of a chunked body, pausing between them so that they reach the client one by one.
async fn chunked_answer_server(pieces: &'static [&'static str]) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0_u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..n]);
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
    address
}

#[tokio::test]
async fn an_answer_in_several_chunks_is_joined_in_order() {
    const PIECES: &[&str] = &[
        r#"{"id": "pay_1", "#,
        r#""status": "succeeded", "#,
        r#""amount": 100}"#,
    ];
    let length = PIECES.iter().map(|p| p.len()).sum::<usize>();
    let address = chunked_answer_server(PIECES).await;
    let payment = client_for(address).retrieve_payment("pay_1").await.unwrap();
    assert_eq!(payment.id, "pay_1");
    assert_eq!(payment.amount, Some(100));

    // The limit counts every chunk: one byte less than the whole is refused.
    let address = chunked_answer_server(PIECES).await;
    let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
        .base_url(format!("http://{address}"))
        .max_retries(0)
        .max_response_bytes(length - 1)
        .build()
        .unwrap();
    let error = client.retrieve_payment("pay_1").await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}
