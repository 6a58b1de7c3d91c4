//! Deserialization bounds: a 100 MiB answer is refused without being read, with or without a
//! `Content-Length`; a 100 000-deep nested body is a typed error, never a stack overflow.
//!
//! The answers come from a raw loopback TCP server that writes its body lazily and counts what
//! it managed to write before the client closed the connection.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http::StatusCode;
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::Customer;
use session_tokenize_client::model::session::{
    CreatePaymentSession, OrderInformation, PaymentSession, ProductDetail, ProductType, RedirectUrl,
};
use session_tokenize_client::webhook::{Event, Verifier, sign_notification};
use session_tokenize_client::{Client, Credentials, Error, RequestId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HUNDRED_MIB: usize = 100 * 1024 * 1024;
const TOKEN_ANSWER: &str = r#"{"code":"00","message":"Success","data":{"accessToken":"raw-token","expiresIn":900,"tokenType":"Bearer"}}"#;

#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length: 104857600`, then the bytes.
    ContentLength,
    /// `Transfer-Encoding: chunked`, no length announced.
    Chunked,
}

/// What the server sends for calls other than the token endpoint.
#[derive(Clone)]
enum Answer {
    /// 100 MiB of `status`, written lazily in 64 KiB pieces.
    Huge(u16, Framing),
    /// Exactly this body with a `Content-Length`.
    Body(u16, Vec<u8>),
}

/// A loopback HTTP/1.1 server that answers the token endpoint normally and everything else
/// with `answer`, recording how many body bytes it wrote to each non-token call.
struct RawServer {
    base_url: String,
    calls: Arc<AtomicUsize>,
    written: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
}

impl RawServer {
    async fn start(answer: Answer, huge_token: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let calls = Arc::new(AtomicUsize::new(0));
        let written = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let (c, w, d) = (calls.clone(), written.clone(), done.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (answer, c, w, d) = (answer.clone(), c.clone(), w.clone(), d.clone());
                tokio::spawn(async move {
                    serve(stream, answer, huge_token, c, w, d).await;
                });
            }
        });
        Self {
            base_url,
            calls,
            written,
            done,
        }
    }

    /// Waits until the lazy writer stopped (the client closed the connection, or all was
    /// written), at most `limit`.
    async fn wait_done(&self, limit: Duration) {
        let started = Instant::now();
        while !self.done.load(Ordering::SeqCst) {
            assert!(started.elapsed() < limit, "the server is still writing");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Reads one request (head and `Content-Length` body); returns its path.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0_u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0_u8; length];
    stream.read_exact(&mut body).await.ok()?;
    head.split_whitespace().nth(1).map(str::to_owned)
}

async fn serve(
    mut stream: TcpStream,
    answer: Answer,
    huge_token: bool,
    calls: Arc<AtomicUsize>,
    written: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
) {
    let Some(path) = read_request(&mut stream).await else {
        return;
    };
    let answer = if path == "/v1/access-token" {
        if !huge_token {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                TOKEN_ANSWER.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(TOKEN_ANSWER.as_bytes()).await;
            return;
        }
        Answer::Huge(200, Framing::ContentLength)
    } else {
        answer
    };
    calls.fetch_add(1, Ordering::SeqCst);
    match answer {
        Answer::Body(status, body) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            done.store(true, Ordering::SeqCst);
        }
        Answer::Huge(status, framing) => {
            let head = match framing {
                Framing::ContentLength => format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MIB}\r\n\r\n"
                ),
                Framing::Chunked => format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                ),
            };
            if stream.write_all(head.as_bytes()).await.is_err() {
                done.store(true, Ordering::SeqCst);
                return;
            }
            let piece = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < HUNDRED_MIB {
                let result = match framing {
                    Framing::ContentLength => stream.write_all(&piece).await,
                    Framing::Chunked => {
                        let mut framed = format!("{:x}\r\n", piece.len()).into_bytes();
                        framed.extend_from_slice(&piece);
                        framed.extend_from_slice(b"\r\n");
                        stream.write_all(&framed).await
                    }
                };
                if result.is_err() {
                    break;
                }
                sent += piece.len();
                written.store(sent, Ordering::SeqCst);
            }
            if sent >= HUNDRED_MIB && matches!(framing, Framing::Chunked) {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            done.store(true, Ordering::SeqCst);
        }
    }
}

fn client(server: &RawServer) -> Client {
    Client::builder(Credentials::sandbox("raw-id", "raw-secret"))
        .base_url(&server.base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn create_request() -> CreatePaymentSession {
    CreatePaymentSession::redirect_save_card(
        "BIG1",
        Amount::idr(10_000),
        Customer::new("reforza@pivot-payment.com"),
        OrderInformation::new([ProductDetail::new(
            ProductType::Physical,
            1,
            Amount::idr(10_000),
        )]),
        RedirectUrl::new(
            "https://merchant.com/success",
            "https://merchant.com/failure",
            "https://merchant.com/expiration",
        ),
    )
    .request_id(RequestId::new("BIGANSWERREQUEST0001").unwrap())
}

/// The 100 MiB answer was refused early: the error, and a server that could not write it all.
async fn assert_refused_early(server: &RawServer, started: Instant) {
    server.wait_done(Duration::from_secs(30)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(
        written < HUNDRED_MIB / 4,
        "the client kept reading: {written} bytes were written"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(server.calls.load(Ordering::SeqCst), 1, "never retried");
}

#[tokio::test]
async fn a_100_mib_answer_with_a_content_length_is_refused_before_reading() {
    let server = RawServer::start(Answer::Huge(200, Framing::ContentLength), false).await;
    let started = Instant::now();
    let err = client(&server).get_payment_session("s1").await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { status, limit, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, 4 * 1024 * 1024, "the default limit is 4 MiB");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.may_have_been_processed(), "a read changes nothing");
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_refused_early(&server, started).await;
}

#[tokio::test]
async fn a_chunked_100_mib_answer_is_refused_once_the_limit_is_passed() {
    let server = RawServer::start(Answer::Huge(200, Framing::Chunked), false).await;
    let started = Instant::now();
    let limit = 256 * 1024;
    let client = Client::builder(Credentials::sandbox("raw-id", "raw-secret"))
        .base_url(&server.base_url)
        .max_response_bytes(limit)
        .build()
        .unwrap();
    let err = client
        .create_payment_session(&create_request())
        .await
        .unwrap_err();
    match &err {
        Error::ResponseTooLarge {
            limit: l, status, ..
        } => {
            assert_eq!(*l, limit);
            assert_eq!(*status, StatusCode::OK);
        }
        other => panic!("{other:?}"),
    }
    // A payment create whose answer was refused may well have created the session.
    assert!(err.may_have_been_processed());
    assert_eq!(
        err.request_id().map(RequestId::as_str),
        Some("BIGANSWERREQUEST0001")
    );
    assert_refused_early(&server, started).await;
}

#[tokio::test]
async fn a_huge_error_answer_to_a_payment_is_refused_and_may_have_been_processed() {
    let server = RawServer::start(Answer::Huge(502, Framing::Chunked), false).await;
    let started = Instant::now();
    let err = client(&server)
        .create_payment_session(&create_request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { status, .. } if status == StatusCode::BAD_GATEWAY),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert_refused_early(&server, started).await;
}

#[tokio::test]
async fn a_huge_access_token_answer_is_refused() {
    let server = RawServer::start(Answer::Body(200, Vec::new()), true).await;
    let started = Instant::now();
    let err = client(&server)
        .get_payment_method_configs()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    assert_refused_early(&server, started).await;
}

#[tokio::test]
async fn an_answer_exactly_at_the_limit_is_read() {
    // Padded (whitespace after the value is allowed) to be longer than the token answer,
    // which the same limit applies to.
    let body = format!(
        "{:<200}",
        r#"{"code":"00","data":{"id":"s1","status":"PAID"}}"#
    )
    .into_bytes();
    assert!(body.len() > TOKEN_ANSWER.len());
    let server = RawServer::start(Answer::Body(200, body.clone()), false).await;
    let session = Client::builder(Credentials::sandbox("raw-id", "raw-secret"))
        .base_url(&server.base_url)
        .max_response_bytes(body.len())
        .build()
        .unwrap()
        .get_payment_session("s1")
        .await
        .unwrap();
    assert!(session.is_paid());

    let server = RawServer::start(Answer::Body(200, body.clone()), false).await;
    let err = Client::builder(Credentials::sandbox("raw-id", "raw-secret"))
        .base_url(&server.base_url)
        .max_response_bytes(body.len() - 1)
        .build()
        .unwrap()
        .get_payment_session("s1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
}

fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(depth * 2);
    body.extend(std::iter::repeat_n(b'[', depth));
    body.extend(std::iter::repeat_n(b']', depth));
    body
}

fn nested_objects(depth: usize, inner: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..depth {
        body.extend_from_slice(br#"{"a":"#);
    }
    body.extend_from_slice(inner.as_bytes());
    body.extend(std::iter::repeat_n(b'}', depth));
    body
}

const DEPTH: usize = 100_000;

#[tokio::test]
async fn a_deeply_nested_answer_is_a_decode_error() {
    for body in [
        nested_arrays(DEPTH),
        nested_objects(DEPTH, "1"),
        // Inside the envelope, where the session is expected.
        format!(
            r#"{{"code":"00","data":{}}}"#,
            String::from_utf8(nested_objects(DEPTH, "1")).unwrap()
        )
        .into_bytes(),
    ] {
        let server = RawServer::start(Answer::Body(200, body.clone()), false).await;
        let err = client(&server).get_payment_session("s1").await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");

        let err = PaymentSession::from_response(StatusCode::OK, &body).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
    }
    // As an error answer: a provider error without a code, not a crash.
    let server = RawServer::start(Answer::Body(400, nested_arrays(DEPTH)), false).await;
    let err = client(&server).get_payment_session("s1").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.provider_code(), None);
}

#[test]
fn a_deeply_nested_callback_is_a_decode_error() {
    let verifier = Verifier::new("key");
    for body in [
        nested_arrays(DEPTH),
        nested_objects(DEPTH, "1"),
        format!(
            r#"{{"event":"PAYMENT.PAID","data":{}}}"#,
            String::from_utf8(nested_objects(DEPTH, "1")).unwrap()
        )
        .into_bytes(),
        format!(
            r#"{{"event":"SOMETHING.NEW","data":{}}}"#,
            String::from_utf8(nested_arrays(DEPTH)).unwrap()
        )
        .into_bytes(),
    ] {
        let err = verifier
            .verify(&sign_notification("key", body.clone()))
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        assert!(matches!(Event::parse(&body), Err(Error::Decode(_))));
    }
}
