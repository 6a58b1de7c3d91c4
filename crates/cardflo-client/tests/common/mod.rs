//! Shared test helpers: the documented fixtures, a fixed clock, and a one-shot HTTP server on
//! loopback that captures the exact request the client sends.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    dead_code,
    unreachable_pub
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cardflo_client::auth::{Connector, Credentials};
use cardflo_client::secrecy::SecretString;
use cardflo_client::{Client, ClientBuilder};

/// The documentation's placeholders.
pub const API_USER: &str = "anyApiUser";
pub const API_PASSWORD: &str = "myPassword";
pub const API_KEY: &str = "my-api-key";
pub const SHARED_SECRET: &str = "my-shared-secret";
/// `Authorization` for `anyApiUser:myPassword`, as documented.
pub const DOCUMENTED_AUTHORIZATION: &str = "Basic YW55QXBpVXNlcjpteVBhc3N3b3Jk";

/// 2020-07-21T13:15:03Z, the instant of the documented signature example.
pub fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_595_337_303)
}

/// A documented example from `fixtures/cardflo/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/cardflo/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A documented example, parsed.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A client for the documented placeholder credentials, signing, with the fixed clock.
pub fn client_builder(base_url: &str) -> ClientBuilder {
    Client::builder(
        Credentials::new(API_USER, SecretString::from(API_PASSWORD)),
        Connector::new(API_KEY).shared_secret(SecretString::from(SHARED_SECRET)),
    )
    .base_url(base_url)
    .clock(fixed_now)
    .retry_backoff(Duration::from_millis(5), Duration::from_millis(50))
}

/// A request as received on the wire.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub target: String,
    /// Lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Checks the signature independently: recomputes it with payments-signing from the raw
    /// captured parts and the documented shared secret, and checks the headers it covers.
    pub fn assert_signed(&self) {
        let date = self.header("date").expect("Date header");
        assert_eq!(
            self.header("x-date"),
            Some(date),
            "Date and X-Date carry the same value"
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(self.header("authorization"), Some(DOCUMENTED_AUTHORIZATION));
        assert!(
            self.header("x-integration-help").is_none(),
            "never send X-Integration-Help"
        );
        let expected = payments_signing::ixopay::sign(
            SHARED_SECRET,
            &payments_signing::ixopay::SignatureInput {
                method: &self.method,
                body: &self.body,
                content_type: "application/json; charset=utf-8",
                date,
                request_uri: &self.target,
            },
        );
        assert_eq!(
            self.header("x-signature"),
            Some(expected.as_str()),
            "X-Signature"
        );
    }

    /// The request as a snapshot: request line, sorted headers (host dropped: its port
    /// varies; the user agent's version and the documented Basic credentials masked), body.
    pub fn render(&self) -> String {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(n, _)| n != "host")
            .map(|(n, v)| {
                let v = match n.as_str() {
                    "user-agent" => v.replace(env!("CARGO_PKG_VERSION"), "[version]"),
                    "authorization" if v == DOCUMENTED_AUTHORIZATION => {
                        "Basic [anyApiUser:myPassword]".to_owned()
                    }
                    "authorization" => "[unexpected credentials]".to_owned(),
                    _ => v.clone(),
                };
                (n.clone(), v)
            })
            .collect();
        headers.sort();
        let mut out = format!("{} {}\n", self.method, self.target);
        for (n, v) in headers {
            out.push_str(&format!("{n}: {v}\n"));
        }
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&self.body));
        out
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(body: &str) -> Self {
        Self {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn status(status: u16, content_type: &str, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Captured> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Captured {
        method,
        target,
        headers,
        body,
    })
}

fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    let mut head = format!("HTTP/1.1 {} Answer\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}

/// A server answering each of `replies` in turn (one connection each) and returning what it
/// received.
pub struct Server {
    pub base_url: String,
    handle: JoinHandle<Vec<Captured>>,
}

impl Server {
    pub fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/api/v3", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut captured = Vec::new();
            for reply in replies {
                let Ok((mut stream, _)) = listener.accept() else {
                    break;
                };
                if let Some(request) = read_request(&mut stream) {
                    captured.push(request);
                }
                write_reply(&mut stream, &reply);
            }
            captured
        });
        Self { base_url, handle }
    }

    /// One request, one answer.
    pub fn once(reply: Reply) -> Self {
        Self::start(vec![reply])
    }

    pub fn client(&self) -> Client {
        client_builder(&self.base_url).build().unwrap()
    }

    /// The requests received (waits for the server to finish its replies).
    pub fn captured(self) -> Vec<Captured> {
        self.handle.join().unwrap()
    }
}

/// A server that reads each request completely and then closes the connection without
/// answering, counting the requests it received.
pub struct DroppingServer {
    pub base_url: String,
    pub requests: Arc<AtomicUsize>,
}

impl DroppingServer {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/api/v3", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                if read_request(&mut stream).is_some() {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Self { base_url, requests }
    }

    pub fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}
