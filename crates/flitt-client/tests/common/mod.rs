//! Helpers shared by the integration tests: fixtures, an independent signer, a capturing HTTP
//! server and a recording tracing subscriber.
#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used
)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::{Map, Value};

/// The test merchant of Flitt's documentation.
pub const MERCHANT_ID: u64 = 1_549_901;
/// Its payment key.
pub const SECRET: &str = "test";
/// Its credit key.
pub const CREDIT_KEY: &str = "testcredit";

/// A documented example from `fixtures/flitt/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/flitt/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A documented example, parsed.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// The text a value is signed with: strings as they are, numbers as their JSON text.
/// (Written here independently of the crate.)
fn signing_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Signs a flat object like Flitt signs answers, with `payments_signing` directly.
pub fn flitt_signature(secret: &str, object: &Map<String, Value>) -> String {
    let pairs: Vec<(String, String)> = object
        .iter()
        .filter(|(k, _)| *k != "signature" && *k != "response_signature_string")
        .filter_map(|(k, v)| signing_text(v).map(|t| (k.clone(), t)))
        .collect();
    payments_signing::fondy::sign(secret, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `object` with a fresh valid `signature`.
pub fn resign(secret: &str, mut object: Map<String, Value>) -> Map<String, Value> {
    let signature = flitt_signature(secret, &object);
    object.insert("signature".into(), signature.into());
    object
}

/// `{"response": object}` with a fresh valid signature, as body text.
pub fn signed_response(secret: &str, object: Value) -> String {
    let Value::Object(map) = object else {
        panic!("not an object")
    };
    serde_json::json!({ "response": resign(secret, map) }).to_string()
}

/// One request as the server saw it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
    /// For protocol 2.0 requests: the decoded `data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl Seen {
    fn from(req: &HttpMockRequest) -> Self {
        let headers = req
            .headers_vec()
            .iter()
            .filter(|(k, _)| {
                // Host carries the random port; the rest is what the client chose to send.
                let k = k.to_ascii_lowercase();
                k != "host"
            })
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        let body: Value = serde_json::from_slice(req.body_ref()).unwrap_or(Value::Null);
        let data = body["request"]["data"]
            .as_str()
            .and_then(payments_signing::digest::base64_decode)
            .and_then(|b| serde_json::from_slice(&b).ok());
        Seen {
            method: req.method().to_string(),
            path: req.uri().path().to_owned(),
            headers,
            body,
            data,
        }
    }

    /// The `request` object of the body.
    pub fn request(&self) -> &Map<String, Value> {
        self.body["request"].as_object().expect("a request object")
    }
}

/// A scripted answer: status, headers, body.
type Answer = (u16, Vec<(String, String)>, String);

/// A loopback server that records every request and answers from a script (the last answer
/// repeats).
pub struct Recorder {
    pub server: MockServer,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
}

impl Recorder {
    pub async fn start() -> Self {
        let server = MockServer::start_async().await;
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let answers: Arc<Mutex<Vec<Answer>>> = Arc::default();
        let (s, a) = (Arc::clone(&seen), Arc::clone(&answers));
        server
            .mock_async(move |when, then| {
                when.any_request();
                then.respond_with(move |req: &HttpMockRequest| {
                    let mut seen = s.lock().unwrap();
                    seen.push(Seen::from(req));
                    let answers = a.lock().unwrap();
                    let index = (seen.len() - 1).min(answers.len().saturating_sub(1));
                    let (status, headers, body) = answers.get(index).cloned().unwrap_or((
                        500,
                        vec![],
                        "no answer scripted".into(),
                    ));
                    let mut builder = HttpMockResponse::builder().status(status);
                    for (k, v) in headers {
                        builder = builder.header(k, v);
                    }
                    builder.body(body).build()
                });
            })
            .await;
        Recorder {
            server,
            seen,
            answers,
        }
    }

    /// Adds the next answer.
    pub fn answer(&self, status: u16, body: impl Into<String>) -> &Self {
        self.answers.lock().unwrap().push((
            status,
            vec![("content-type".into(), "application/json".into())],
            body.into(),
        ));
        self
    }

    /// Adds the next answer with extra headers.
    pub fn answer_with_headers(
        &self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<String>,
    ) -> &Self {
        self.answers.lock().unwrap().push((
            status,
            headers
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            body.into(),
        ));
        self
    }

    pub fn base_url(&self) -> String {
        self.server.url("/api")
    }

    /// A client for the test merchant pointed at this server.
    pub fn client(&self) -> flitt_client::Client {
        flitt_client::Client::builder(
            flitt_client::Credentials::new(MERCHANT_ID, SECRET).with_credit_key(CREDIT_KEY),
        )
        .base_url(self.base_url())
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap()
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A tracing subscriber that writes every span field and event field into a string.
#[derive(Clone, Default)]
pub struct RecordingSubscriber {
    pub output: Arc<Mutex<String>>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

struct Writer<'a>(&'a mut String);

impl tracing::field::Visit for Writer<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!("{}={} ", field.name(), value));
    }
}

impl tracing::Subscriber for RecordingSubscriber {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.output.lock().unwrap();
        out.push_str(&format!("\nspan {} ", span.metadata().name()));
        span.record(&mut Writer(&mut out));
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut out = self.output.lock().unwrap();
        values.record(&mut Writer(&mut out));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.output.lock().unwrap();
        out.push_str(&format!("\n{} ", event.metadata().level()));
        event.record(&mut Writer(&mut out));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
