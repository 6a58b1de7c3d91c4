//! Deserialization bounds: a huge answer is refused without being read to the end (declared
//! with `Content-Length`, or chunked without it), and a deeply nested JSON document — as an
//! answer or as a webhook — is a typed error, never a stack overflow.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use portone_client::model::checkout::{PaymentRequest, RedirectUrls};
use portone_client::testing::{MockGateway, Operation, Reply};
use portone_client::webhook::Verifier;
use portone_client::{Client, Credentials, Decimal, Environment, Error, SecretString, decode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const HUNDRED_MIB: u64 = 100 * 1024 * 1024;

/// What the raw server saw.
#[derive(Default)]
struct Served {
    written: AtomicU64,
    finished: AtomicBool,
    closed_early: AtomicBool,
}

/// A loopback HTTP/1.1 server answering every request with a 100 MiB body, produced lazily
/// in 64 KiB pieces: with `Content-Length` or chunked without it. It records how much it
/// managed to write before the client went away.
async fn huge_server(chunked: bool) -> (String, Arc<Served>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(Served::default());
    let record = Arc::clone(&served);
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        // Read the request head (and whatever body came with it).
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let header = if chunked {
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_owned()
        } else {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUNDRED_MIB}\r\n\r\n"
            )
        };
        if socket.write_all(header.as_bytes()).await.is_err() {
            record.closed_early.store(true, Ordering::SeqCst);
            return;
        }
        let piece = vec![b' '; 64 * 1024];
        let mut sent = 0u64;
        while sent < HUNDRED_MIB {
            let result = if chunked {
                let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                frame.extend_from_slice(&piece);
                frame.extend_from_slice(b"\r\n");
                socket.write_all(&frame).await
            } else {
                socket.write_all(&piece).await
            };
            if result.is_err() {
                record.closed_early.store(true, Ordering::SeqCst);
                return;
            }
            sent += piece.len() as u64;
            record.written.store(sent, Ordering::SeqCst);
        }
        if chunked {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
        record.finished.store(true, Ordering::SeqCst);
    });
    (url, served)
}

fn client(base_url: &str) -> Client {
    Client::builder(Credentials::new(
        "BoundsKey0001",
        SecretString::from("bounds-secret"),
    ))
    .base_url(base_url)
    .environment(Environment::Sandbox)
    .max_retries(0)
    .build()
    .unwrap()
}

fn payment() -> PaymentRequest {
    PaymentRequest::new(
        "order-big-1",
        Decimal::new(1999, 2),
        "USD",
        "STRIPE",
        "STRIPE_CARD",
        "x",
        RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    )
}

/// The server stops being able to write long before 100 MiB: the client closed the
/// connection instead of reading on.
async fn assert_stopped_early(served: &Served) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !served.closed_early.load(Ordering::SeqCst) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(served.closed_early.load(Ordering::SeqCst));
    assert!(!served.finished.load(Ordering::SeqCst));
    let written = served.written.load(Ordering::SeqCst);
    assert!(
        written < HUNDRED_MIB / 2,
        "the server wrote {written} bytes before the client went away"
    );
}

#[tokio::test]
async fn a_declared_100_mib_answer_is_refused_without_reading_it() {
    let (url, served) = huge_server(false).await;
    let started = Instant::now();
    let err = client(&url).initiate_payment(&payment()).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge {
            status,
            limit,
            declared,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, portone_client::DEFAULT_MAX_RESPONSE_BYTES);
            assert_eq!(*declared, Some(HUNDRED_MIB));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    // A payment whose answer was not read may have gone through.
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_stopped_early(&served).await;
}

#[tokio::test]
async fn a_chunked_100_mib_answer_is_refused_once_past_the_limit() {
    let (url, served) = huge_server(true).await;
    let started = Instant::now();
    let err = client(&url)
        .transaction_status("order-big-1")
        .await
        .unwrap_err();
    match &err {
        Error::ResponseTooLarge {
            status, declared, ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*declared, None);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    // A read is not a payment: nothing was processed, and the same read would be as large.
    assert!(!err.may_have_been_processed());
    assert!(!err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_stopped_early(&served).await;
}

#[tokio::test]
async fn the_limit_is_configurable_and_inclusive() {
    let mock = MockGateway::start().await;
    let body = br#"{"payment_link_ref":"2BEemUknaImTq5ljmoNQQV2tSll","payment_link":"https://checkout.portone.cloud?ref=2BEemUknaImTq5ljmoNQQV2tSll"}"#;
    let at_limit = mock
        .client_builder()
        .max_response_bytes(body.len())
        .build()
        .unwrap();
    let request = portone_client::model::checkout::CheckoutRequest::new(
        "order-1",
        Decimal::from(100),
        "USD",
        "US",
        portone_client::model::checkout::MerchantDetails::new("Shop"),
        RedirectUrls::new("https://shop.example/ok", "https://shop.example/ko"),
    );
    mock.script(
        Operation::CreatePaymentLink,
        Reply::raw(200, "application/json", body.to_vec()),
    );
    at_limit.create_payment_link(&request).await.unwrap();

    let below = mock
        .client_builder()
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap();
    mock.script(
        Operation::CreatePaymentLink,
        Reply::raw(200, "application/json", body.to_vec()),
    );
    let err = below.create_payment_link(&request).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == body.len() - 1),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());

    // A refusal (4xx) that is too large to read: PortOne refused, nothing was processed.
    mock.script(
        Operation::CreatePaymentLink,
        Reply::raw(400, "application/json", vec![b' '; 4096]),
    );
    let err = below.create_payment_link(&request).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
}

fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut body = vec![b'['; depth];
    body.extend(std::iter::repeat_n(b']', depth));
    body
}

fn nested_objects(depth: usize) -> Vec<u8> {
    let mut body = b"{\"a\":".repeat(depth);
    body.extend_from_slice(b"1");
    body.extend(std::iter::repeat_n(b'}', depth));
    body
}

/// A valid-looking webhook object whose unsigned field holds a deep document.
fn webhook_with_deep_field(depth: usize) -> Vec<u8> {
    let mut body =
        br#"{"status":"Success","signature_hash":"AAAA","link_ref":"x","extra":"#.to_vec();
    body.extend_from_slice(&nested_objects(depth));
    body.push(b'}');
    body
}

#[tokio::test]
async fn a_100_000_deep_answer_is_a_decode_error() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    for body in [nested_arrays(100_000), nested_objects(100_000)] {
        mock.script(
            Operation::TransactionStatus,
            Reply::raw(200, "application/json", body.clone()),
        );
        let err = client.transaction_status("order-1").await.unwrap_err();
        let decode = err.as_decode().unwrap_or_else(|| panic!("{err:?}"));
        assert!(
            decode.message.contains("nested deeper than 128"),
            "{decode}"
        );
        // The excerpt stays bounded.
        assert!(decode.excerpt.chars().count() <= 513);

        mock.script(
            Operation::PaymentMethods,
            Reply::raw(200, "application/json", body.clone()),
        );
        let err = client.payment_methods("USD").await.unwrap_err();
        assert!(err.as_decode().is_some(), "{err:?}");

        // An error answer with a deep body is still a typed provider error.
        mock.script(
            Operation::Capture,
            Reply::raw(400, "application/json", body.clone()),
        );
        let err = client
            .capture("2SDCUiBEv34oqeIdEDv1pftGeeY")
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST), "{err:?}");
    }
}

#[test]
fn every_decoder_refuses_a_100_000_deep_body() {
    type Decoder = fn(StatusCode, &HeaderMap, &[u8]) -> Result<(), Error>;
    macro_rules! decoders {
        ($($name:ident),+) => {
            [$((stringify!($name), (|s, h, b| decode::$name(s, h, b).map(drop)) as Decoder)),+]
        };
    }
    let decoders = decoders!(
        auth_token,
        payment_methods,
        create_payment_link,
        initiate_payment,
        card_public_key,
        tokenize_card,
        send_otp,
        saved_cards,
        add_customer,
        customer,
        add_card_for_customer,
        list_cards,
        delete_card,
        capture,
        routes,
        transaction_status,
        transaction_details,
        refund,
        refunds,
        payment_link_status,
        cancel_payment_link
    );
    let headers = HeaderMap::new();
    for body in [nested_arrays(100_000), nested_objects(100_000)] {
        for (name, decoder) in decoders {
            let err = decoder(StatusCode::OK, &headers, &body).unwrap_err();
            assert!(err.as_decode().is_some(), "{name}: {err:?}");
            let err = decoder(StatusCode::INTERNAL_SERVER_ERROR, &headers, &body).unwrap_err();
            assert_eq!(
                err.status(),
                Some(StatusCode::INTERNAL_SERVER_ERROR),
                "{name}"
            );
        }
    }
}

#[test]
fn a_100_000_deep_webhook_is_rejected_as_malformed() {
    let verifier = Verifier::new(SecretString::from("webhook-secret"));
    for body in [
        nested_arrays(100_000),
        nested_objects(100_000),
        webhook_with_deep_field(100_000),
    ] {
        let request = http::Request::post("https://shop.example/webhook")
            .header("content-type", "application/json")
            .body(body.clone())
            .unwrap();
        let err = verifier.verify(&request).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Webhook(portone_client::error::WebhookError::Malformed(_))
            ),
            "{err:?}"
        );
        assert!(verifier.verify_payment_webhook(&body).is_err());
        assert!(verifier.verify_payment_link_webhook(&body).is_err());
        assert!(portone_client::webhook::parse_refund_webhook(&body).is_err());
    }
}
